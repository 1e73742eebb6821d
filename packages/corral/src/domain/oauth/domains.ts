// User pool domains. Corral has no DNS: a "prefix domain" names the pool's OAuth endpoints under
// `<publicUrl>/_domains/<prefix>/…` (they are also at `<publicUrl>/<poolId>/…`). Custom domains (an ACM
// certificate and a CloudFront distribution) are refused.
//
// Rules (Cognito's, as the API reference and service state them):
// - A prefix is unique across all pools ("Domain already exists."); a pool has at most one domain.
// - A prefix may not contain the reserved words aws, amazon or cognito.
// - DescribeUserPoolDomain of an unknown domain answers an empty DomainDescription (not an error).
// - ManagedLoginVersion is 1 (hosted UI classic) unless 2 is asked for; Corral serves the same page for both.
// - The pool's DescribeUserPool shows the prefix as `Domain`.
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { isUniqueViolation } from '../../storage/db.js';
import { findPool, savePool, type Pool } from '../pools.js';

export interface PoolDomain {
  domain: string;
  poolId: string;
  managedLoginVersion: number;
  createdAt: number;
}

const RESERVED = ['aws', 'amazon', 'cognito'];

function refuseCustom(custom: unknown): void {
  if (custom !== undefined) {
    throw new InvalidParameterException('Corral does not support custom domains (no certificates or DNS here): create a prefix domain and use its endpoints under Corral\'s URL.');
  }
}

function checkVersion(version: number | undefined): number {
  if (version === undefined) return 1;
  if (version !== 1 && version !== 2) throw new InvalidParameterException('ManagedLoginVersion must be 1 or 2.');
  return version;
}

export async function findDomain(app: Corral, domain: string): Promise<PoolDomain | undefined> {
  const row = await app.db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
  return row && { domain: row.domain, poolId: row.pool_id, managedLoginVersion: Number(row.managed_login_version), createdAt: Number(row.created_at) };
}

export async function domainOfPool(app: Corral, poolId: string): Promise<PoolDomain | undefined> {
  const row = await app.db.selectFrom('user_pool_domains').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
  return row && { domain: row.domain, poolId: row.pool_id, managedLoginVersion: Number(row.managed_login_version), createdAt: Number(row.created_at) };
}

/** Records the domain in the pool's settings (DescribeUserPool `Domain`), or removes it. */
async function setPoolDomain(app: Corral, poolId: string, domain: string | undefined): Promise<void> {
  const pool = await findPool(app, poolId);
  if (!pool) return;
  const { Domain: _old, ...rest } = pool.settings;
  await savePool(app, { ...pool, settings: { ...rest, ...(domain ? { Domain: domain } : {}) } });
}

export async function createDomain(app: Corral, pool: Pool, domain: string, opts: { managedLoginVersion?: number; customDomainConfig?: unknown }): Promise<PoolDomain> {
  refuseCustom(opts.customDomainConfig);
  const version = checkVersion(opts.managedLoginVersion);
  const reserved = RESERVED.find((w) => domain.includes(w));
  if (reserved) throw new InvalidParameterException(`Domain cannot contain reserved word: ${reserved}`);
  if (await domainOfPool(app, pool.id)) throw new InvalidParameterException('User pool already has a domain configured.');
  const row = { domain, pool_id: pool.id, managed_login_version: version, created_at: app.now() };
  try {
    await app.db.insertInto('user_pool_domains').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) {
      if (await findDomain(app, domain)) throw new InvalidParameterException('Domain already exists.');
      throw new InvalidParameterException('User pool already has a domain configured.');
    }
    throw err;
  }
  await setPoolDomain(app, pool.id, domain);
  return { domain, poolId: pool.id, managedLoginVersion: version, createdAt: row.created_at };
}

async function requireDomainOf(app: Corral, poolId: string, domain: string): Promise<PoolDomain> {
  const found = await findDomain(app, domain);
  if (!found || found.poolId !== poolId) throw new ResourceNotFoundException('No such domain or user pool exists.');
  return found;
}

export async function updateDomain(app: Corral, poolId: string, domain: string, opts: { managedLoginVersion?: number; customDomainConfig?: unknown }): Promise<PoolDomain> {
  refuseCustom(opts.customDomainConfig);
  const found = await requireDomainOf(app, poolId, domain);
  const version = opts.managedLoginVersion === undefined ? found.managedLoginVersion : checkVersion(opts.managedLoginVersion);
  await app.db.updateTable('user_pool_domains').set({ managed_login_version: version }).where('domain', '=', domain).execute();
  return { ...found, managedLoginVersion: version };
}

export async function deleteDomain(app: Corral, poolId: string, domain: string): Promise<void> {
  const found = await findDomain(app, domain);
  if (!found || found.poolId !== poolId) throw new InvalidParameterException('No such domain or user pool exists.');
  await app.db.deleteFrom('user_pool_domains').where('domain', '=', domain).execute();
  await setPoolDomain(app, poolId, undefined);
}

/** DescribeUserPoolDomain's DomainDescription (no S3 bucket or CloudFront distribution: none exist here). */
export function describeDomain(app: Corral, d: PoolDomain): DomainDescriptionType {
  return {
    UserPoolId: d.poolId,
    AWSAccountId: app.config.accountId,
    Domain: d.domain,
    Status: 'ACTIVE',
    ManagedLoginVersion: d.managedLoginVersion,
  };
}

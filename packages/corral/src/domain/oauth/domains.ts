// User pool domains. Corral has no DNS: a "prefix domain" names the pool's OAuth endpoints under
// `<publicUrl>/_domains/<prefix>/…` (they are also at `<publicUrl>/<poolId>/…`). Custom domains (an ACM
// certificate and a CloudFront distribution) are refused.
//
// Rules (Cognito's, as the API reference and service state them):
// - A prefix is unique across all pools ("Domain already associated with another user pool."); a pool has at most
//   one domain, and a pool with a domain cannot be deleted until the domain is.
// - A prefix may not contain the reserved words aws, amazon or cognito.
// - DescribeUserPoolDomain of an unknown domain answers an empty DomainDescription (not an error).
// - ManagedLoginVersion is 1 (hosted UI classic) unless 2 is asked for; Corral serves the same page for both.
// - The pool's DescribeUserPool shows the prefix as `Domain`.
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { PoolDomain } from '../../storage/oauth.js';
import type { Pool } from '../pools.js';

export type { PoolDomain } from '../../storage/oauth.js';

const RESERVED = ['aws', 'amazon', 'cognito'];

function refuseCustom(custom: unknown): void {
  if (custom !== undefined) {
    throw new InvalidParameterException(
      "Corral does not support custom domains (no certificates or DNS here): create a prefix domain and use its endpoints under Corral's URL.",
    );
  }
}

function checkVersion(version: number | undefined): number {
  if (version === undefined) return 1;
  if (version !== 1 && version !== 2) throw new InvalidParameterException('ManagedLoginVersion must be 1 or 2.');
  return version;
}

export async function findDomain(app: Corral, domain: string): Promise<PoolDomain | undefined> {
  return app.store.oauth.findDomain(domain);
}

export async function domainOfPool(app: Corral, poolId: string): Promise<PoolDomain | undefined> {
  return app.store.oauth.domainOfPool(poolId);
}

/** Records the domain in the pool's settings (DescribeUserPool `Domain`), or removes it. */
async function setPoolDomain(app: Corral, poolId: string, domain: string | undefined): Promise<void> {
  await app.store.pools.setDomain(poolId, domain);
}

export async function createDomain(
  app: Corral,
  pool: Pool,
  domain: string,
  opts: { managedLoginVersion?: number; customDomainConfig?: unknown },
): Promise<PoolDomain> {
  refuseCustom(opts.customDomainConfig);
  const version = checkVersion(opts.managedLoginVersion);
  const reserved = RESERVED.find((w) => domain.includes(w));
  if (reserved) throw new InvalidParameterException(`Domain cannot contain reserved word: ${reserved}`);
  if (await domainOfPool(app, pool.id)) throw new InvalidParameterException('User pool already has a domain configured.');
  const created: PoolDomain = { domain, poolId: pool.id, managedLoginVersion: version, createdAt: app.now() };
  if (!(await app.store.oauth.createDomain(created))) {
    // AWS's words for a prefix another pool holds (InvalidParameterException; e.g. serverless/serverless#10135,
    // aws-samples/aws-cdk-examples#402, aws-samples/dcv-web-portal#16).
    if (await findDomain(app, domain)) throw new InvalidParameterException('Domain already associated with another user pool.');
    throw new InvalidParameterException('User pool already has a domain configured.');
  }
  await setPoolDomain(app, pool.id, domain);
  return created;
}

async function requireDomainOf(app: Corral, poolId: string, domain: string): Promise<PoolDomain> {
  const found = await findDomain(app, domain);
  if (!found || found.poolId !== poolId) throw new ResourceNotFoundException('No such domain or user pool exists.');
  return found;
}

export async function updateDomain(
  app: Corral,
  poolId: string,
  domain: string,
  opts: { managedLoginVersion?: number; customDomainConfig?: unknown },
): Promise<PoolDomain> {
  refuseCustom(opts.customDomainConfig);
  const found = await requireDomainOf(app, poolId, domain);
  const version = opts.managedLoginVersion === undefined ? found.managedLoginVersion : checkVersion(opts.managedLoginVersion);
  await app.store.oauth.setManagedLoginVersion(domain, version);
  return { ...found, managedLoginVersion: version };
}

export async function deleteDomain(app: Corral, poolId: string, domain: string): Promise<void> {
  const found = await findDomain(app, domain);
  if (!found || found.poolId !== poolId) throw new InvalidParameterException('No such domain or user pool exists.');
  if (!(await app.store.oauth.deleteDomain(poolId, domain))) throw new InvalidParameterException('No such domain or user pool exists.');
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

// User pools and app clients as the rest of the domain reads them, and how pools are stored and described.
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { decrypt } from '../crypto/box.js';
import type { Client, ClientRecord, Pool } from '../storage/pools.js';
import { regionOfId } from '../regions.js';

export type { Client, ClientRecord, Pool } from '../storage/pools.js';

export const CLIENT_SECRET_PURPOSE = 'client-secret';

export async function findPool(app: Corral, poolId: string): Promise<Pool | undefined> {
  return app.store.pools.find(poolId);
}

export async function requirePool(app: Corral, poolId: string): Promise<Pool> {
  const pool = await findPool(app, poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function findClient(app: Corral, clientId: string): Promise<Client | undefined> {
  const record = await app.store.pools.findClient(clientId);
  return record && clientOf(app, record);
}

/** The client with its secret decrypted (the store keeps it encrypted under the server key). */
export function clientOf(app: Corral, record: ClientRecord): Client {
  const { encryptedSecret, ...rest } = record;
  const secret = encryptedSecret ? decrypt(app.secrets.serverKey, CLIENT_SECRET_PURPOSE, encryptedSecret)?.toString('utf8') : undefined;
  return { ...rest, secret };
}

/** The client of an unsigned (public) call: Cognito answers an unknown ClientId with ResourceNotFoundException. */
export async function requireClient(app: Corral, clientId: string): Promise<Client> {
  const client = await findClient(app, clientId);
  if (!client) throw new ResourceNotFoundException('User pool client ' + clientId + ' does not exist.');
  return client;
}

/** A public call's client and its pool, read in one query (every unsigned call starts here). */
export async function requireClientWithPool(app: Corral, clientId: string): Promise<{ client: Client; pool: Pool }> {
  const found = await app.store.pools.findClientWithPool(clientId);
  if (!found) throw new ResourceNotFoundException('User pool client ' + clientId + ' does not exist.');
  return { client: clientOf(app, found.client), pool: found.pool };
}

// ---- Creation, storage and description of pools (the pool actions use these). ----

/** MFA factors of a pool that UserPoolType does not describe; stored beside the settings, never described. */
export interface PoolMfa {
  sms?: boolean;
  totp?: boolean;
  email?: { Message?: string; Subject?: string };
  webAuthn?: { RelyingPartyId?: string; UserVerification?: string };
}
const MFA_KEY = 'CorralMfa';

export function poolMfa(pool: Pool): PoolMfa {
  return ((pool.settings as Record<string, unknown>)[MFA_KEY] as PoolMfa | undefined) ?? {};
}

export function withPoolMfa(settings: UserPoolType, mfa: PoolMfa): UserPoolType {
  return { ...settings, [MFA_KEY]: mfa } as UserPoolType;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `n` random characters from `alphabet` (rejection sampling, no modulo bias). */
export function randomChars(n: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 256 - (256 % alphabet.length) && out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** A pool id like Cognito's: `<region>_<9 alphanumerics>`. */
export function newPoolId(region: string): string {
  return `${region}_${randomChars(9)}`;
}

/** The pool's ARN: in the region its id names, in the configured account (CORRAL_ACCOUNT_ID). */
export function poolArn(app: Corral, poolId: string): string {
  return `arn:aws:cognito-idp:${regionOfId(poolId, app.config.region)}:${app.config.accountId}:userpool/${poolId}`;
}

export async function insertPool(app: Corral, settings: UserPoolType): Promise<Pool> {
  const pool = { id: settings.Id!, name: settings.Name!, settings };
  await app.store.pools.insert(pool, app.now());
  return pool;
}

/**
 * Changes a pool: `change` gets the pool as stored under its row lock and returns it changed (never awaiting), so
 * concurrent changes of one pool are applied one after the other and none is lost.
 */
export async function changePool(app: Corral, poolId: string, change: (fresh: Pool) => Pool): Promise<Pool> {
  const changed = await app.store.pools.change(poolId, change, app.now());
  if (!changed) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return changed;
}

/** Deletes a pool; its app clients and users go with it (one transaction; the other rows by foreign key). */
export async function deletePool(app: Corral, poolId: string): Promise<void> {
  await app.store.pools.delete(poolId);
}

export async function countUsers(app: Corral, poolId: string): Promise<number> {
  return app.store.pools.countUsers(poolId);
}

/** The pool as DescribeUserPool returns it. */
export async function describePool(app: Corral, pool: Pool): Promise<UserPoolType> {
  const { [MFA_KEY]: _mfa, ...described } = pool.settings as Record<string, unknown>;
  return { ...(described as UserPoolType), EstimatedNumberOfUsers: await countUsers(app, pool.id) };
}

/** Opaque pagination tokens over rows ordered by id. */
export function pageToken(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

export function afterToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw new InvalidParameterException('Invalid pagination token.');
}

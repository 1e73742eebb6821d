// User pools and app clients as the rest of the domain reads them, and how pools are stored and described.
import type { UserPoolType, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { decrypt } from '../crypto/box.js';

export interface Pool {
  id: string;
  name: string;
  /** Everything DescribeUserPool returns, defaults filled in (Dates as Date). */
  settings: UserPoolType;
}

export interface Client {
  id: string;
  poolId: string;
  name: string;
  /** The plain client secret, when the client has one. */
  secret?: string;
  settings: UserPoolClientType;
}

export const CLIENT_SECRET_PURPOSE = 'client-secret';

export async function findPool(app: Corral, poolId: string): Promise<Pool | undefined> {
  const row = await app.db.selectFrom('user_pools').selectAll().where('id', '=', poolId).executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, name: row.name, settings: parsedSettings<UserPoolType>(`pool:${row.id}`, row.settings) };
}

export async function requirePool(app: Corral, poolId: string): Promise<Pool> {
  const pool = await findPool(app, poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function findClient(app: Corral, clientId: string): Promise<Client | undefined> {
  const row = await app.db.selectFrom('user_pool_clients').selectAll().where('id', '=', clientId).executeTakeFirst();
  if (!row) return undefined;
  return clientFromRow(app, row);
}

function clientFromRow(app: Corral, row: { id: string; pool_id: string; name: string; secret: string | null; settings: string }): Client {
  const secret = row.secret ? decrypt(app.secrets.serverKey, CLIENT_SECRET_PURPOSE, row.secret)?.toString('utf8') : undefined;
  return { id: row.id, poolId: row.pool_id, name: row.name, secret, settings: parsedSettings<UserPoolClientType>(`client:${row.id}`, row.settings) };
}

// Every public call reads its client and pool; parsing their settings JSON (several KB for a pool) was ~1.5% of a
// sign-in's server CPU. The parse is reused while the stored text is byte-for-byte the one just read — the row is
// still read on every call, so an update made by any instance is seen at once (no TTL). The shared value is frozen:
// code that changes settings builds a new object (as every action does), never edits one in place.
const SETTINGS_CACHE_MAX = 1000;
const settingsCache = new Map<string, { text: string; value: unknown }>();

function parsedSettings<T>(key: string, text: string): T {
  const hit = settingsCache.get(key);
  if (hit && hit.text === text) return hit.value as T;
  const value = deepFreeze(reviveDates(JSON.parse(text) as T));
  if (settingsCache.size >= SETTINGS_CACHE_MAX) settingsCache.clear();
  settingsCache.set(key, { text, value });
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The client of an unsigned (public) call: Cognito answers an unknown ClientId with ResourceNotFoundException. */
export async function requireClient(app: Corral, clientId: string): Promise<Client> {
  const client = await findClient(app, clientId);
  if (!client) throw new ResourceNotFoundException('User pool client ' + clientId + ' does not exist.');
  return client;
}

/** A public call's client and its pool, read in one query (every unsigned call starts here). */
export async function requireClientWithPool(app: Corral, clientId: string): Promise<{ client: Client; pool: Pool }> {
  const row = await app.db
    .selectFrom('user_pool_clients as c')
    .innerJoin('user_pools as p', 'p.id', 'c.pool_id')
    .select(['c.id', 'c.pool_id', 'c.name', 'c.secret', 'c.settings', 'p.name as pool_name', 'p.settings as pool_settings'])
    .where('c.id', '=', clientId)
    .executeTakeFirst();
  if (!row) throw new ResourceNotFoundException('User pool client ' + clientId + ' does not exist.');
  return {
    client: clientFromRow(app, row),
    pool: { id: row.pool_id, name: row.pool_name, settings: parsedSettings<UserPoolType>(`pool:${row.pool_id}`, row.pool_settings) },
  };
}

const DATE_KEYS = new Set(['CreationDate', 'LastModifiedDate']);
/** Settings are stored as JSON; the date members come back as Date. */
export function reviveDates<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (DATE_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) (value as Record<string, unknown>)[k] = new Date(v);
    }
  }
  return value;
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

export function poolArn(app: Corral, poolId: string): string {
  return `arn:aws:cognito-idp:${app.config.region}:${app.config.accountId}:userpool/${poolId}`;
}

export async function insertPool(app: Corral, settings: UserPoolType): Promise<Pool> {
  const now = settings.CreationDate!.getTime();
  const pool = { id: settings.Id!, name: settings.Name!, settings };
  await app.db
    .insertInto('user_pools')
    .values({ id: pool.id, name: pool.name, settings: JSON.stringify(settings), created_at: now, updated_at: now })
    .execute();
  return pool;
}

export async function savePool(app: Corral, pool: Pool): Promise<void> {
  await app.db
    .updateTable('user_pools')
    .set({ name: pool.name, settings: JSON.stringify(pool.settings), updated_at: pool.settings.LastModifiedDate?.getTime() ?? app.now() })
    .where('id', '=', pool.id)
    .execute();
}

/** Deletes a pool; its app clients and users go with it (foreign keys cascade; deleted explicitly too). */
export async function deletePool(app: Corral, poolId: string): Promise<void> {
  await app.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('user_pool_clients').where('pool_id', '=', poolId).execute();
    await tx.deleteFrom('users').where('pool_id', '=', poolId).execute();
    await tx.deleteFrom('user_pools').where('id', '=', poolId).execute();
  });
}

export async function countUsers(app: Corral, poolId: string): Promise<number> {
  const row = await app.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('pool_id', '=', poolId).executeTakeFirst();
  return Number(row?.n ?? 0);
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

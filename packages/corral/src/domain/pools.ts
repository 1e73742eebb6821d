// User pools and app clients as the rest of the domain reads them. (Creation and updates: see the pool actions.)
import type { UserPoolType, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { ResourceNotFoundException } from '../errors.js';
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
  return { id: row.id, name: row.name, settings: reviveDates(JSON.parse(row.settings)) as UserPoolType };
}

export async function requirePool(app: Corral, poolId: string): Promise<Pool> {
  const pool = await findPool(app, poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

export async function findClient(app: Corral, clientId: string): Promise<Client | undefined> {
  const row = await app.db.selectFrom('user_pool_clients').selectAll().where('id', '=', clientId).executeTakeFirst();
  if (!row) return undefined;
  const secret = row.secret ? decrypt(app.secrets.serverKey, CLIENT_SECRET_PURPOSE, row.secret)?.toString('utf8') : undefined;
  return { id: row.id, poolId: row.pool_id, name: row.name, secret, settings: reviveDates(JSON.parse(row.settings)) as UserPoolClientType };
}

/** The client of an unsigned (public) call: Cognito answers an unknown ClientId with ResourceNotFoundException. */
export async function requireClient(app: Corral, clientId: string): Promise<Client> {
  const client = await findClient(app, clientId);
  if (!client) throw new ResourceNotFoundException('User pool client ' + clientId + ' does not exist.');
  return client;
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

// Pool, client and user rows written straight into the database, for tests of the token machinery that must not
// depend on the pool/user actions.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OpenedCorral as Corral } from '../../src/runtime/app.js';
import { findClient, findPool, type Client, type Pool } from '../../src/domain/pools.js';
import { insertPool, insertUser } from './rows.js';

export interface Fixture {
  pool: Pool;
  client: Client;
  user: { sub: string; username: string; attributes: Record<string, string> };
}

export async function seedPool(app: Corral, opts: { clientSettings?: Record<string, unknown>; attributes?: Record<string, string> } = {}): Promise<Fixture> {
  const now = app.now();
  const poolId = await insertPool(app, { Name: 'tokens' });
  const clientId = randomBytes(13).toString('hex');
  await app.db
    .insertInto('user_pool_clients')
    .values({ id: clientId, pool_id: poolId, name: 'web', secret: null, settings: JSON.stringify(opts.clientSettings ?? {}), created_at: now, updated_at: now })
    .execute();
  const sub = randomUUID();
  const attributes = opts.attributes ?? { sub, email: 'ada@example.com', email_verified: 'true', 'custom:tier': '3' };
  await insertUser(app, poolId, { sub, username: 'ada', status: 'CONFIRMED', attributes });
  return { pool: (await findPool(app, poolId))!, client: (await findClient(app, clientId))!, user: { sub, username: 'ada', attributes } };
}

/** Decodes a JWT's header and payload without verifying it. */
export function peek(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) };
}

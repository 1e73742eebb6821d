// A bare pool row and users for domain tests that need them to exist (codes reference users), without the actions.
import type { UserPoolType, UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import type { OpenedCorral as Corral } from '../../src/runtime/app.js';
import { requirePool } from '../../src/domain/pools.js';
import { createUser } from '../../src/domain/users.js';

export async function insertPool(app: Corral, settings: UserPoolType = {}): Promise<string> {
  const id = `us-east-1_${randomBytes(5).toString('hex')}`;
  const now = app.now();
  await app.db
    .insertInto('user_pools')
    .values({ id, name: settings.Name ?? 'test-pool', settings: JSON.stringify({ Id: id, Name: 'test-pool', ...settings }), created_at: now, updated_at: now })
    .execute();
  return id;
}

export interface UserRow {
  username?: string;
  sub?: string;
  status?: UserStatusType;
  attributes?: Record<string, string>;
}

/** A user created with the domain's createUser (no password), as the flows would leave it. */
export async function insertUser(app: Corral, poolId: string, opts: UserRow = {}): Promise<string> {
  const pool = await requirePool(app, poolId);
  const user = await createUser(app, pool, {
    username: opts.username ?? `user-${randomBytes(3).toString('hex')}`,
    sub: opts.sub,
    status: opts.status ?? 'UNCONFIRMED',
    attributes: opts.attributes ?? {},
  });
  return user.sub;
}

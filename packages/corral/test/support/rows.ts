// Inserts bare pool and user rows for domain tests that need them to exist (codes reference users).
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Corral } from '../../src/runtime/app.js';

export async function insertPool(app: Corral, settings: UserPoolType = {}): Promise<string> {
  const id = `us-east-1_${randomBytes(5).toString('hex')}`;
  const now = app.now();
  await app.db
    .insertInto('user_pools')
    .values({ id, name: settings.Name ?? 'test-pool', settings: JSON.stringify({ Id: id, Name: 'test-pool', ...settings }), created_at: now, updated_at: now })
    .execute();
  return id;
}

export async function insertUser(app: Corral, poolId: string, username = `user-${randomBytes(3).toString('hex')}`): Promise<string> {
  const id = randomUUID();
  const now = app.now();
  await app.db
    .insertInto('users')
    .values({
      id,
      pool_id: poolId,
      username,
      username_key: username.toLowerCase(),
      status: 'UNCONFIRMED',
      enabled: 1,
      attributes: JSON.stringify({ sub: id }),
      srp_salt: null,
      srp_verifier: null,
      mfa: null,
      tokens_valid_after: 0,
      failed_attempts: 0,
      last_failed_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

// Signing a user out everywhere: refresh tokens revoked, and tokens issued until now refused.
import type { Corral } from '../runtime/app.js';
import type { Pool } from './pools.js';
import { revokeAllForUser } from './tokens.js';
import { updateUser, type User } from './users.js';

export async function signOutEverywhere(app: Corral, pool: Pool, user: User): Promise<void> {
  await revokeAllForUser(app, pool.id, user.sub);
  await updateUser(app, pool, user, { tokensValidAfter: app.now() });
}

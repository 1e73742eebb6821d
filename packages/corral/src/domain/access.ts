// Self-service calls carry an access token: verify it and load who it names.
import { NotAuthorizedException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { findClient, requirePool, type Client, type Pool } from './pools.js';
import { verifyAccessToken } from './tokens.js';
import { findUserBySub, type User } from './users.js';

export interface Caller {
  pool: Pool;
  client: Client | undefined;
  user: User;
  claims: Record<string, unknown>;
}

export async function authenticate(app: Corral, accessToken: string): Promise<Caller> {
  const claims = (await verifyAccessToken(app, accessToken)) as Record<string, unknown>;
  const poolId = String(claims.iss ?? '').split('/').pop() ?? '';
  const pool = await requirePool(app, poolId);
  const user = await findUserBySub(app, pool.id, String(claims.sub));
  if (!user) throw new NotAuthorizedException('User does not exist.');
  // GlobalSignOut: tokens issued before it (to the second) are revoked.
  if (Number(claims.iat) * 1000 < Math.floor(user.tokensValidAfter / 1000) * 1000) {
    throw new NotAuthorizedException('Access Token has been revoked');
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  const client = await findClient(app, String(claims.client_id ?? ''));
  return { pool, client, user, claims };
}

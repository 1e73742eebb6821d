// Self-service calls carry an access token: verify it and load who it names.
import { NotAuthorizedException, UserNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { clientOf, findClient, requirePool, type Client, type Pool } from './pools.js';
import { ACCESS_SCOPE, poolIdOf, verifyAccessTokenInContext, type AccessTokenClaims } from './tokens.js';
import { findUserBySub, type User } from './users.js';

export interface Caller {
  pool: Pool;
  client: Client | undefined;
  user: User;
  claims: AccessTokenClaims;
}

export async function authenticate(app: Corral, accessToken: string): Promise<Caller> {
  // Signature, expiry and revocation (RevokeToken, GlobalSignOut) are checked here; the user, its pool and the
  // client are read in the same query (context: undefined when there is no such user, answered below).
  const { claims, context } = await verifyAccessTokenInContext(app, accessToken);
  // Token-authorized user operations need the reserved scope (an OAuth sign-in may not have been granted it).
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(ACCESS_SCOPE)) {
    throw new NotAuthorizedException('Access Token does not have required scopes');
  }
  if (context) {
    if (!context.user.enabled) throw new NotAuthorizedException('User is disabled.');
    return { pool: context.pool, client: context.client && clientOf(app, context.client), user: context.user, claims };
  }
  const pool = await requirePool(app, poolIdOf(claims));
  const user = await findUserBySub(app, pool.id, String(claims.sub));
  // A deleted user's still-unexpired token: Cognito answers UserNotFoundException (clients sign out on it).
  if (!user) throw new UserNotFoundException('User does not exist.');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  const client = await findClient(app, claims.client_id);
  return { pool, client, user, claims };
}

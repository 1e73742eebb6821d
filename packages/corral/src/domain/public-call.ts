// The start of every public (unsigned) user-pool call: the app client names the pool, proves its secret,
// and names the user — with the PreventUserExistenceErrors answer ready for a user that does not exist.
import type { Corral } from '../runtime/app.js';
import { UserNotFoundException } from '../errors.js';
import { checkSecretHash } from './client-auth.js';
import { requireClientWithPool, type Client, type Pool } from './pools.js';
import { preventsUserExistenceErrors } from './user-existence.js';
import { findUserForSignIn, type User } from './users.js';

export interface PublicCall {
  client: Client;
  pool: Pool;
}

export async function publicCall(app: Corral, clientId: string, username?: string, secretHash?: string): Promise<PublicCall> {
  const { client, pool } = await requireClientWithPool(app, clientId);
  if (username !== undefined) checkSecretHash(client, username, secretHash);
  return { client, pool };
}

/**
 * The user a code flow names (by username or sign-in alias). For a user that does not exist: with
 * PreventUserExistenceErrors, `whenHidden()` answers as if it did (it does the work the real answer would do:
 * user-existence.ts); otherwise UserNotFoundException. `hideDisabled`: a disabled user is hidden the same way
 * (ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode, as the developer guide lists them).
 */
export async function codeFlowUser<T>(
  app: Corral,
  call: PublicCall,
  username: string,
  whenHidden: () => T | Promise<T>,
  opts: { hideDisabled?: boolean } = {},
): Promise<User | T> {
  const user = await findUserForSignIn(app, call.pool, username);
  const hiding = preventsUserExistenceErrors(call.client);
  if (user && !(hiding && opts.hideDisabled && !user.enabled)) return user;
  if (hiding) return whenHidden();
  throw new UserNotFoundException('Username/client id combination not found.');
}

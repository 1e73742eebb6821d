// The Session ConfirmSignUp returns: a sealed token (lifetime: the client's AuthSessionValidity) naming the user
// just confirmed, which InitiateAuth USER_AUTH takes once to sign that user in without a second code.
import { NotAuthorizedException } from '../errors.js';
import { seal, unseal } from '../crypto/box.js';
import type { Corral } from '../runtime/app.js';
import { sessionTtlSeconds } from './auth-session.js';
import type { Client, Pool } from './pools.js';
import type { User } from './users.js';

const PURPOSE = 'sign-up-sign-in';

interface SignUpSession {
  poolId: string;
  clientId: string;
  sub: string;
}

export function signUpSession(app: Corral, client: Client, user: User): string {
  const state: SignUpSession = { poolId: user.poolId, clientId: client.id, sub: user.sub };
  return seal(app.secrets.serverKey, PURPOSE, state, sessionTtlSeconds(client), app.now());
}

/** The sub the Session names; refused when expired, forged or made for another client. */
export function openSignUpSession(app: Corral, pool: Pool, client: Client, session: string): string {
  const r = unseal<SignUpSession>(app.secrets.serverKey, PURPOSE, session, app.now());
  if (!r.ok) throw new NotAuthorizedException(r.reason === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.');
  if (r.payload.clientId !== client.id || r.payload.poolId !== pool.id) throw new NotAuthorizedException('Invalid session for the user.');
  return r.payload.sub;
}

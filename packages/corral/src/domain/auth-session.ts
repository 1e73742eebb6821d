// The `Session` of a challenge: a sealed token (encrypted, authenticated, expiring per the client's
// AuthSessionValidity) that carries the sign-in's state, so any instance can answer the next step.
import { NotAuthorizedException } from '../errors.js';
import { keyedHash, seal, unseal } from '../crypto/box.js';
import type { Corral } from '../runtime/app.js';
import type { Client } from './pools.js';

export interface ChallengeState {
  poolId: string;
  clientId: string;
  sub: string;
  username: string;
  challenge: string;
  /** Challenge-specific data (e.g. SRP's b, A, B). */
  data?: Record<string, string>;
}

const PURPOSE = 'auth-session';

export function sessionTtlSeconds(client: Client): number {
  return (client.settings.AuthSessionValidity ?? 3) * 60;
}

export function openSession(app: Corral, client: Client, state: ChallengeState): string {
  return seal(app.secrets.serverKey, PURPOSE, state, sessionTtlSeconds(client), app.now());
}

export function readSession(app: Corral, client: Client, session: string | undefined, challenge: string): ChallengeState {
  if (!session) throw new NotAuthorizedException('Invalid session for the user.');
  const r = unseal<ChallengeState>(app.secrets.serverKey, PURPOSE, session, app.now());
  if (!r.ok) throw new NotAuthorizedException(r.reason === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.');
  if (r.payload.clientId !== client.id || r.payload.challenge !== challenge) throw new NotAuthorizedException('Invalid session for the user.');
  return r.payload;
}

/**
 * A Session presented without a ClientId (AssociateSoftwareToken, VerifySoftwareToken during MFA_SETUP): the
 * state names its client, which the caller loads to open the next Session.
 */
export function readSessionWithoutClient(app: Corral, session: string, challenge: string): ChallengeState {
  const r = unseal<ChallengeState>(app.secrets.serverKey, PURPOSE, session, app.now());
  if (!r.ok) throw new NotAuthorizedException(r.reason === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.');
  if (r.payload.challenge !== challenge) throw new NotAuthorizedException('Invalid session for the user.');
  return r.payload;
}

/**
 * Marks a sealed token as answered, once: a second answer with the same token (a replayed request) is refused.
 * The row lives until the token would have expired anyway; expired rows are swept now and then.
 */
export async function spendOnce(app: Corral, token: string, ttlSeconds: number): Promise<void> {
  const now = app.now();
  const first = await app.store.spentSessions.spend(spentSessionHash(app, token), now + ttlSeconds * 1000);
  if (!first) throw new NotAuthorizedException('Invalid session for the user.');
  if (Math.random() < 0.01) await app.store.spentSessions.deleteExpired(now);
}

/** How a spent token is recorded (spent_sessions, and a refresh token's spent_session). */
export function spentSessionHash(app: Corral, token: string): string {
  return keyedHash(app.secrets.serverKey, 'spent-session', token);
}

/**
 * A challenge answer whose spending waits for the sign-in's outcome: with the refresh token it ends in (one write,
 * refused for a second answer by a unique index), or with `spendOnce` when the sign-in goes on to another challenge
 * or fails. `assertUnspent` first refuses an answer already spent either way.
 */
export interface DeferredSpend {
  token: string;
  hash: string;
  ttlSeconds: number;
}

export function deferSpend(app: Corral, token: string, ttlSeconds: number): DeferredSpend {
  return { token, hash: spentSessionHash(app, token), ttlSeconds };
}

export async function assertUnspent(app: Corral, spend: DeferredSpend): Promise<void> {
  if ((await app.store.spentSessions.isSpent(spend.hash)) || (await app.store.tokens.spentWithToken(spend.hash))) {
    throw new NotAuthorizedException('Invalid session for the user.');
  }
}

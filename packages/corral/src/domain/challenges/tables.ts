// The challenge contract and the pendingChallenges table, which challenges/index.ts fills. They live in this leaf
// module so that the sign-in flows (sign-in.ts, user-auth.ts, first-factor.ts) can run the table while the
// challenge files import those flows, without an import cycle:
//   sign-in.ts → tables.ts ← index.ts → each challenge file → sign-in.ts
// Until index.ts has filled it, reading the table throws: a sign-in never goes on as if nothing were owed.
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Corral } from '../../runtime/app.js';
import type { Client, Pool } from '../pools.js';
import type { User } from '../users.js';

// A step is sign-in.ts's SignInStep (the RespondToAuthChallenge answer), named here without importing sign-in.ts.
export type PendingChallenge = (app: Corral, pool: Pool, client: Client, user: User) => Promise<RespondToAuthChallengeResponse | undefined>;
export type ChallengeAnswer = (app: Corral, pool: Pool, client: Client, input: RespondToAuthChallengeRequest) => Promise<RespondToAuthChallengeResponse>;

let pending: readonly PendingChallenge[] | undefined;

/** What a user may still owe after the password, in order (completeSignIn: the first that returns a step wins). */
export const pendingChallenges: Iterable<PendingChallenge> = {
  [Symbol.iterator]() {
    if (!pending) throw new Error('pendingChallenges is empty: domain/challenges/index.ts was not loaded.');
    return pending[Symbol.iterator]();
  },
};

/** Called once, by challenges/index.ts. */
export function fillPendingChallenges(list: readonly PendingChallenge[]): void {
  pending = Object.freeze([...list]);
}

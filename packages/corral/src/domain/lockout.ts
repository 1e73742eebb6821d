// Cognito's sign-in lockout: after 5 failures, each further attempt waits 2^(n−5) s (at most 15 minutes); the count
// resets after 15 minutes without a failure. The counter lives in the user's row (storage/users.ts), so every
// instance agrees, and the verdict on a password is given atomically, after it was checked:
//   - a wrong password is counted with one conditional UPDATE that refuses while the user is locked out; a
//     refused one is answered 'Password attempts exceeded' (never "incorrect"), so however many wrong answers race
//     on however many instances, at most the free attempts are answered "incorrect";
//   - a right password is judged against the user as read after every await of the request (triggers included),
//     so one that arrives in a locked window is refused; it then forgets the failures it saw, and only those.
//
//   const user = await findUserBySub(…)      read after the request's awaits (triggers), right before the check
//   assertNotLocked(app, user)               locked → NotAuthorizedException 'Password attempts exceeded'
//   if (!passwordRight) await wrongPassword(app, user, INCORRECT)   counted → INCORRECT; locked → exceeded
//   await recordSuccess(app, user)           (completeSignIn does it)
import { NotAuthorizedException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { LockoutPolicy } from '../storage/users.js';
import type { User } from './users.js';

const FREE_ATTEMPTS = 5;
const MAX_WAIT_MS = 15 * 60 * 1000;

/** Cognito's: 5 free attempts, then 2^(n−5) s after the last failure, at most 15 minutes; a quiet 15 minutes resets. */
export const LOCKOUT: LockoutPolicy = {
  freeAttempts: FREE_ATTEMPTS,
  waitMs: (failures) => Math.min(2 ** (failures - FREE_ATTEMPTS) * 1000, MAX_WAIT_MS),
  maxWaitMs: MAX_WAIT_MS,
  resetAfterMs: 15 * 60 * 1000,
};

export const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';

export function lockedUntil(user: Pick<User, 'failedAttempts' | 'lastFailedAt'>): number {
  if (user.failedAttempts < LOCKOUT.freeAttempts || user.lastFailedAt === null) return 0;
  return user.lastFailedAt + LOCKOUT.waitMs(user.failedAttempts);
}

export function assertNotLocked(app: Corral, user: User): void {
  if (app.now() < lockedUntil(user)) throw new NotAuthorizedException(PASSWORD_ATTEMPTS_EXCEEDED);
}

/** Counts a wrong password unless the user is locked out meanwhile: 'counted', 'locked' or 'missing'. */
export async function recordFailure(app: Corral, user: Pick<User, 'poolId' | 'sub'>): Promise<'counted' | 'locked' | 'missing'> {
  return app.store.users.countFailure(user.poolId, user.sub, app.now(), LOCKOUT);
}

/** A wrong password: counted unless the user is locked out meanwhile; throws the answer either way. */
export async function wrongPassword(app: Corral, user: Pick<User, 'poolId' | 'sub'>, incorrect: string): Promise<never> {
  const counted = await recordFailure(app, user);
  throw new NotAuthorizedException(counted === 'locked' ? PASSWORD_ATTEMPTS_EXCEEDED : incorrect);
}

/** A proven password: the failures the user had when it was judged are forgotten. */
export async function recordSuccess(app: Corral, user: User): Promise<void> {
  await app.store.users.clearFailures(user.sub, user);
}

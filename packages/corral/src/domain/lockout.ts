// Cognito's sign-in lockout: after 5 failures, each further attempt waits 2^(n−5) s (at most 15 minutes);
// the count resets after 15 minutes without a failure. Counters live in the database, so every instance agrees.
import { sql } from 'kysely';
import { NotAuthorizedException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { User } from './users.js';

const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60 * 1000;
const RESET_AFTER_MS = 15 * 60 * 1000;

export function lockedUntil(user: Pick<User, 'failedAttempts' | 'lastFailedAt'>): number {
  if (user.failedAttempts < FREE_ATTEMPTS || user.lastFailedAt === null) return 0;
  const wait = Math.min(2 ** (user.failedAttempts - FREE_ATTEMPTS) * 1000, MAX_LOCK_MS);
  return user.lastFailedAt + wait;
}

export function assertNotLocked(app: Corral, user: User): void {
  if (app.now() < lockedUntil(user)) throw new NotAuthorizedException('Password attempts exceeded');
}

/** Counts a failed sign-in atomically (UPDATE … SET n = n + 1), restarting the count after a quiet 15 minutes. */
export async function recordFailure(app: Corral, user: User): Promise<void> {
  const now = app.now();
  await app.db
    .updateTable('users')
    .set({
      failed_attempts: sql`CASE WHEN last_failed_at IS NULL OR last_failed_at < ${now - RESET_AFTER_MS} THEN 1 ELSE failed_attempts + 1 END`,
      last_failed_at: now,
    })
    .where('id', '=', user.sub)
    .execute();
}

export async function recordSuccess(app: Corral, user: User): Promise<void> {
  if (user.failedAttempts === 0) return;
  await app.db.updateTable('users').set({ failed_attempts: 0, last_failed_at: null }).where('id', '=', user.sub).execute();
}

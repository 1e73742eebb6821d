// One-time codes: sign-up confirmation, forgot password, attribute verification, MFA by SMS/email.
//
//   const code = await issueCode(app, { poolId, userId: user.id, purpose: 'signup' });   // '042917'
//   await deliver(app, { ..., code });
//   …
//   await consumeCode(app, { poolId, userId: user.id, purpose: 'signup', code: input.ConfirmationCode });
//
// issueCode(app, { poolId, userId, purpose, ttlSeconds? }) → the 6-digit code (CSPRNG). It replaces any live
//   code for the same (pool, user, purpose) and resets its tries. Only a keyed hash is stored. Lifetime: the
//   purpose's (CODE_TTL_SECONDS: 24 h sign-up/verification, 1 h forgot password, 3 min MFA and sign-in OTP) unless ttlSeconds.
// consumeCode(app, { poolId, userId, purpose, code }) → void when the code is right (and deletes it: single use);
//   otherwise throws
//     CodeMismatchException  "Invalid verification code provided, please try again."  (wrong code)
//     ExpiredCodeException   "Invalid code provided, please request a code again."    (expired, used, or none)
//     LimitExceededException "Attempt limit exceeded, please try after some time."    (MAX_CODE_TRIES spent)
//   Each attempt first takes a try with one atomic `UPDATE … SET tries = tries + 1 WHERE tries < MAX`, so across
//   instances and concurrent requests no more than MAX_CODE_TRIES comparisons ever happen per issued code;
//   after that only a new code (issueCode) lets the user in. Comparison is constant-time on the hashes.
// discardCode(app, { poolId, userId, purpose }) drops a live code (e.g. after an admin confirms the user).
import { randomInt } from 'node:crypto';
import { keyedHash, safeEqual } from '../crypto/box.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from '../errors.js';
import type { Corral } from '../runtime/app.js';

export type CodePurpose = 'signup' | 'forgot_password' | `verify_${string}` | 'sms_mfa' | 'email_mfa' | 'sms_otp' | 'email_otp';

/** Wrong tries allowed per issued code. */
export const MAX_CODE_TRIES = 5;

const HOUR = 3600;
export function defaultTtlSeconds(purpose: CodePurpose): number {
  if (purpose === 'forgot_password') return HOUR;
  if (purpose === 'sms_mfa' || purpose === 'email_mfa' || purpose === 'sms_otp' || purpose === 'email_otp') return 3 * 60;
  return 24 * HOUR;
}

export const MESSAGES = {
  mismatch: 'Invalid verification code provided, please try again.',
  expired: 'Invalid code provided, please request a code again.',
  limit: 'Attempt limit exceeded, please try after some time.',
} as const;

export interface CodeOwner {
  poolId: string;
  /** The user's sub (users.id). */
  userId: string;
  purpose: CodePurpose;
}

const HASH_PURPOSE = 'one-time-code';

function hashCode(app: Corral, owner: CodeOwner, code: string): string {
  // Bound to its owner: a hash copied to another row never matches there.
  return keyedHash(app.secrets.serverKey, HASH_PURPOSE, `${owner.poolId}\n${owner.userId}\n${owner.purpose}\n${code}`);
}

/** A fresh 6-digit code, uniformly drawn from a CSPRNG. */
export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export async function issueCode(app: Corral, owner: CodeOwner & { ttlSeconds?: number }): Promise<string> {
  const code = generateCode();
  const now = app.now();
  await app.store.codes.replace(keyOf(owner), {
    codeHash: hashCode(app, owner, code),
    expiresAt: now + (owner.ttlSeconds ?? defaultTtlSeconds(owner.purpose)) * 1000,
    createdAt: now,
  });
  return code;
}

const keyOf = ({ poolId, userId, purpose }: CodeOwner) => ({ poolId, userId, purpose });

/** A code spent by consumeCode, which `restoreCode` can put back. */
export interface SpentCode {
  codeHash: string;
  expiresAt: number;
  spentAt: number;
}

export async function consumeCode(app: Corral, attempt: CodeOwner & { code: string }): Promise<SpentCode> {
  const key = keyOf(attempt);
  // Take a try first (atomically, bounded), then compare: concurrent guesses cannot exceed the bound.
  const taken = await app.store.codes.takeTry(key, MAX_CODE_TRIES);
  if (!taken.taken) {
    if (taken.reason === 'exhausted') throw new LimitExceededException(MESSAGES.limit);
    throw new ExpiredCodeException(MESSAGES.expired);
  }
  if (taken.expiresAt <= app.now()) throw new ExpiredCodeException(MESSAGES.expired);
  if (!safeEqual(hashCode(app, attempt, attempt.code), taken.codeHash)) throw new CodeMismatchException(MESSAGES.mismatch);
  // Right code: spend it. Only one of two concurrent right answers deletes the row; the other finds it used.
  if (!(await app.store.codes.spend(key, taken.codeHash))) throw new ExpiredCodeException(MESSAGES.expired);
  return { codeHash: taken.codeHash, expiresAt: taken.expiresAt, spentAt: app.now() };
}

/**
 * Gives a spent code back when what it was spent for could not be done (e.g. ConfirmSignUp refused with
 * AliasExistsException: the user may retry with ForceAliasCreation), unless a newer code was issued meanwhile.
 */
export async function restoreCode(app: Corral, owner: CodeOwner, spent: SpentCode): Promise<void> {
  await app.store.codes.restore(keyOf(owner), { codeHash: spent.codeHash, expiresAt: spent.expiresAt, createdAt: spent.spentAt });
}

export async function discardCode(app: Corral, owner: CodeOwner): Promise<void> {
  await app.store.codes.discard(keyOf(owner));
}

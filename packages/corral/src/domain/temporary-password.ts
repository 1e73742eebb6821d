// Temporary passwords (AdminCreateUser, AdminSetUserPassword with Permanent false): a password that meets the
// pool's policy, the FORCE_CHANGE_PASSWORD status, and its validity (Policies.PasswordPolicy.
// TemporaryPasswordValidityDays, default 7). The expiry instant lives as a row of `codes` with purpose
// `temporary_password` (storage/users.ts; its hash names nothing: the password itself is only the SRP verifier, as always), so every
// instance agrees and deleting the user drops it (foreign key cascade).
import { randomBytes } from 'node:crypto';
import { keyedHash } from '../crypto/box.js';
import type { Corral } from '../runtime/app.js';
import { effectivePolicy, PASSWORD_SYMBOLS } from './password-policy.js';
import { passwordCredentials } from './passwords.js';
import { randomChars, type Pool } from './pools.js';
import { updateUser, type User } from './users.js';

const PURPOSE = 'temporary_password';
const DAY_MS = 24 * 60 * 60 * 1000;

export const TEMPORARY_PASSWORD_EXPIRED = 'Temporary password has expired and must be reset by an administrator.';

/** How long a temporary password may be used, per the pool (the legacy UnusedAccountValidityDays as fallback). */
export function temporaryPasswordValidityMs(pool: Pool): number {
  const days = pool.settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays || pool.settings.AdminCreateUserConfig?.UnusedAccountValidityDays || 7;
  return days * DAY_MS;
}

/** A random password that meets the pool's policy: every character class, at least 12 characters. */
export function generateTemporaryPassword(pool: Pool): string {
  const length = Math.max(12, effectivePolicy(pool.settings.Policies?.PasswordPolicy).MinimumLength);
  const symbols = PASSWORD_SYMBOLS.replace(' ', '');
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', symbols];
  const chars = classes.map((c) => randomChars(1, c));
  chars.push(...randomChars(length - chars.length, classes.join('')));
  // Shuffle (Fisher–Yates) so the classes are not in a fixed order.
  const r = randomBytes(chars.length);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = r[i]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Sets `password` as the user's temporary password: status FORCE_CHANGE_PASSWORD, validity restarted. */
export async function setTemporaryPassword(app: Corral, pool: Pool, user: User, password: string): Promise<User> {
  const updated = await updateUser(app, pool, user, {
    credentials: passwordCredentials(app, pool, user.username, password),
    status: 'FORCE_CHANGE_PASSWORD',
    clearFailures: true,
  });
  await startTemporaryPasswordValidity(app, pool, user);
  return updated;
}

/** Starts the validity of the temporary password a user was just given (e.g. created with). */
export async function startTemporaryPasswordValidity(app: Corral, pool: Pool, user: Pick<User, 'sub'>): Promise<void> {
  const now = app.now();
  await app.store.codes.replace(
    { poolId: pool.id, userId: user.sub, purpose: PURPOSE },
    { codeHash: keyedHash(app.secrets.serverKey, PURPOSE, `${user.sub}\n${now}`), expiresAt: now + temporaryPasswordValidityMs(pool), createdAt: now },
  );
}

/** Sets a permanent password: status CONFIRMED, any temporary password's validity dropped. */
export async function setPermanentPassword(app: Corral, pool: Pool, user: User, password: string): Promise<User> {
  const updated = await updateUser(app, pool, user, {
    credentials: passwordCredentials(app, pool, user.username, password),
    status: 'CONFIRMED',
    clearFailures: true,
  });
  await app.store.codes.discard({ poolId: pool.id, userId: user.sub, purpose: PURPOSE });
  return updated;
}

/** Whether the user's temporary password may no longer be used (none recorded counts as expired). */
export async function temporaryPasswordExpired(app: Corral, pool: Pool, user: User): Promise<boolean> {
  const row = await app.store.codes.find({ poolId: pool.id, userId: user.sub, purpose: PURPOSE });
  return !row || row.expiresAt <= app.now();
}

// The end of a sign-in whose first factor was a one-time code: shared by USER_AUTH's sign-in after sign-up
// (user-auth.ts) and its EMAIL_OTP / SMS_OTP first factors (otp-first-factor.ts).
import { PasswordResetRequiredException, UserNotConfirmedException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { recordSuccess } from '../lockout.js';
import type { Client, Pool } from '../pools.js';
import { issueTokens, type SignInStep } from '../sign-in.js';
import type { User } from '../users.js';
import { pendingChallenges } from './tables.js';

/**
 * The end of a sign-in whose first factor was a one-time code (an OTP, or the sign-up code): the status checks
 * and the challenges still owed other than MFA (a code to the user's own address is not followed by MFA), then
 * the tokens.
 */
export async function finishFirstFactor(app: Corral, pool: Pool, client: Client, user: User): Promise<SignInStep> {
  await recordSuccess(app, user);
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  // The challenges still owed see the pool as one without MFA (so MFA is skipped however the table wraps it).
  const withoutMfa: Pool = { ...pool, settings: { ...pool.settings, MfaConfiguration: 'OFF' } };
  for (const owed of pendingChallenges) {
    const step = await owed(app, withoutMfa, client, user);
    if (step) return step;
  }
  return { AuthenticationResult: await issueTokens(app, pool, client, user), ChallengeParameters: {} };
}

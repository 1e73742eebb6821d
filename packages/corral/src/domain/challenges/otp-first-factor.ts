// EMAIL_OTP and SMS_OTP as first factors of USER_AUTH: a code (codes.ts, purposes email_otp / sms_otp, 3 minutes)
// sent with the pool's authentication message to the user's verified email or phone, answered with EMAIL_OTP_CODE
// / SMS_OTP_CODE. A wrong code is CodeMismatchException and the Session stays usable (up to the code's tries); a
// spent, expired or exhausted code ends the sign-in. EMAIL_OTP is also an MFA challenge name: `emailOtpAnswer`
// sends a first-factor Session here and any other to the MFA answer.
import { CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../../errors.js';
import { readSessionWithoutClient } from '../auth-session.js';
import { consumeCode } from '../codes.js';
import type { Client, Pool } from '../pools.js';
import type { SignInStep } from '../sign-in.js';
import type { User } from '../users.js';
import type { Corral } from '../../runtime/app.js';
import type { ChallengeAnswer } from './tables.js';
import { challengeStep, sendSignInCode, sessionUser } from './mfa.js';
import { finishFirstFactor } from './first-factor.js';

type OtpFactor = 'EMAIL_OTP' | 'SMS_OTP';

/** The sealed Session's challenge (distinct from the MFA challenge of the same wire name). */
const sessionName = (factor: OtpFactor) => `FIRST_FACTOR_${factor}`;

/** Sends a fresh code and answers with the factor's challenge. */
export async function startOtpChallenge(app: Corral, pool: Pool, client: Client, user: User, factor: OtpFactor): Promise<SignInStep> {
  const sms = factor === 'SMS_OTP';
  const details = await sendSignInCode(app, pool, user, sms ? 'SMS' : 'EMAIL', sms ? 'sms_otp' : 'email_otp');
  const step = challengeStep(app, client, user, sessionName(factor), {
    CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
    CODE_DELIVERY_DESTINATION: details.Destination!,
  });
  return { ...step, ChallengeName: factor };
}

function otpAnswer(factor: OtpFactor): ChallengeAnswer {
  const sms = factor === 'SMS_OTP';
  const field = sms ? 'SMS_OTP_CODE' : 'EMAIL_OTP_CODE';
  return async (app, pool, client, input) => {
    const { user } = await sessionUser(app, pool, client, input, sessionName(factor));
    const code = input.ChallengeResponses?.[field];
    if (!code) throw new InvalidParameterException(`Missing required parameter ${field}`);
    try {
      await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: sms ? 'sms_otp' : 'email_otp', code });
    } catch (err) {
      if (err instanceof CodeMismatchException) throw new CodeMismatchException('Invalid code or auth state for the user.');
      if (err instanceof ExpiredCodeException || err instanceof LimitExceededException) throw new NotAuthorizedException('Invalid session for the user.');
      throw err;
    }
    return finishFirstFactor(app, pool, client, user);
  };
}

export const answerSmsOtp = otpAnswer('SMS_OTP');
const answerEmailOtpFirstFactor = otpAnswer('EMAIL_OTP');

function isFirstFactorSession(app: Corral, session: string | undefined): boolean {
  if (!session) return false;
  try {
    readSessionWithoutClient(app, session, sessionName('EMAIL_OTP'));
    return true;
  } catch {
    return false;
  }
}

/** RespondToAuthChallenge EMAIL_OTP: the first-factor answer for a USER_AUTH Session, else `mfaAnswer`. */
export function emailOtpAnswer(mfaAnswer: ChallengeAnswer): ChallengeAnswer {
  return (app, pool, client, input) =>
    isFirstFactorSession(app, input.Session) ? answerEmailOtpFirstFactor(app, pool, client, input) : mfaAnswer(app, pool, client, input);
}

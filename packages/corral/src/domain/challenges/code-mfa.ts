// SMS_MFA and EMAIL_OTP: the code the pool sent (codes.ts, purposes sms_mfa / email_mfa) in SMS_MFA_CODE /
// EMAIL_OTP_CODE. A wrong code is CodeMismatchException "Invalid code or auth state for the user." (Cognito's
// words for these challenges) and counts as an MFA failure; the Session stays usable until it expires.
// A right SMS code marks the phone number verified, as Cognito does.
import { CodeMismatchException, ExpiredCodeException, InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../../errors.js';
import { consumeCode } from '../codes.js';
import { issueTokens } from '../sign-in.js';
import { updateUser } from '../users.js';
import { assertMfaNotLocked, changeUserMfa, FACTOR_ORDER, withFailure, withoutFailures } from '../user-mfa.js';
import type { ChallengeAnswer } from './tables.js';
import { sessionUser } from './mfa.js';

const WRONG = 'Invalid code or auth state for the user.';

function codeAnswer(factor: 'SMS_MFA' | 'EMAIL_OTP'): ChallengeAnswer {
  const sms = factor === 'SMS_MFA';
  const field = sms ? 'SMS_MFA_CODE' : 'EMAIL_OTP_CODE';
  return async (app, pool, client, input) => {
    const { state, user } = await sessionUser(app, pool, client, input, factor);
    const code = input.ChallengeResponses?.[field];
    if (!code) throw new InvalidParameterException(`Missing required parameter ${field}`);
    // The attempt is counted as a failure before the code is compared, unless MFA is locked out (one locked
    // update): concurrent answers on any instance never get more tries than the lockout allows.
    await changeUserMfa(app, pool, user, (m) => {
      assertMfaNotLocked(app, m);
      return { next: withFailure(app, m), result: undefined };
    });
    try {
      await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: sms ? 'sms_mfa' : 'email_mfa', code });
    } catch (err) {
      if (err instanceof CodeMismatchException) throw new CodeMismatchException(WRONG);
      // A spent, expired or exhausted code: this sign-in cannot finish; the user starts over.
      if (err instanceof ExpiredCodeException || err instanceof LimitExceededException) {
        throw new NotAuthorizedException('Invalid session for the user.');
      }
      throw err;
    }
    // Success clears the MFA failure count; a code that finished MFA_SETUP also turns the factor on.
    const settingUp = state.data?.setup === factor;
    await changeUserMfa(app, pool, user, (m) => {
      if (!settingUp) return { next: withoutFailures(m), result: undefined };
      const enabled = [...new Set([...(m.enabled ?? []), factor])];
      return { next: { ...withoutFailures(m), enabled: FACTOR_ORDER.filter((f) => enabled.includes(f)), preferred: m.preferred ?? factor }, result: undefined };
    });
    let signedIn = user;
    const attr = sms ? 'phone_number_verified' : 'email_verified';
    if (user.attributes[attr] !== 'true') {
      try {
        signedIn = await updateUser(app, pool, user, { set: { [attr]: 'true' } });
      } catch (err) {
        // The value is verified on another account (an alias): leave this one unverified, the sign-in stands.
        app.log.warn({ err, sub: user.sub }, `could not mark ${attr} after MFA`);
      }
    }
    return { AuthenticationResult: await issueTokens(app, pool, client, signedIn), ChallengeParameters: {} };
  };
}

export const answerSmsMfa = codeAnswer('SMS_MFA');
export const answerEmailOtp = codeAnswer('EMAIL_OTP');

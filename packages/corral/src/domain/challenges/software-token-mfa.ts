// SOFTWARE_TOKEN_MFA: a code from the user's authenticator in SOFTWARE_TOKEN_MFA_CODE.
//   wrong code        → CodeMismatchException "Invalid code received for user" (counted as an MFA failure)
//   code already used → ExpiredCodeException "Your software token has already been used once." (a code's time
//                        step must be later than the last one accepted; the check and the write are one CAS)
import { CodeMismatchException, ExpiredCodeException, InvalidParameterException, SoftwareTokenMFANotFoundException } from '../../errors.js';
import { issueTokens } from '../sign-in.js';
import { assertMfaNotLocked, changeUserMfa, totpStep, withFailure, withoutFailures } from '../user-mfa.js';
import type { ChallengeAnswer } from './tables.js';
import { sessionUser } from './mfa.js';

export const answerSoftwareTokenMfa: ChallengeAnswer = async (app, pool, client, input) => {
  const { user } = await sessionUser(app, pool, client, input, 'SOFTWARE_TOKEN_MFA');
  const code = input.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE;
  if (!code) throw new InvalidParameterException('Missing required parameter SOFTWARE_TOKEN_MFA_CODE');
  const now = app.now();
  await changeUserMfa(app, pool, user, (m) => {
    assertMfaNotLocked(app, m);
    if (!m.totp) return { result: new SoftwareTokenMFANotFoundException('Software Token MFA does not exist for the user.') };
    const step = totpStep(app, m.totp.secret, code, now);
    if (step === undefined) return { next: withFailure(app, m), result: new CodeMismatchException('Invalid code received for user') };
    if (m.totp.lastStep !== undefined && step <= m.totp.lastStep) {
      return { result: new ExpiredCodeException('Your software token has already been used once.') };
    }
    return { next: { ...withoutFailures(m), totp: { ...m.totp, lastStep: step } }, result: undefined };
  });
  return { AuthenticationResult: await issueTokens(app, pool, client, user), ChallengeParameters: {} };
};

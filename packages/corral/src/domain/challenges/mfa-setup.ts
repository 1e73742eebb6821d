// MFA_SETUP: the pool requires MFA and the user has no factor yet.
//   TOTP: AssociateSoftwareToken(Session) → VerifySoftwareToken(Session, UserCode) → a Session marked verified →
//         RespondToAuthChallenge MFA_SETUP with that Session → tokens.
//   Email (when the pool offers it): ChallengeResponses.EMAIL names the address → it becomes the user's (unverified)
//         email and an EMAIL_OTP challenge is sent to it; the right code verifies it and turns email MFA on.
// The software-token steps live in domain/software-token.ts (shared with the access-token path).
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { mfaFactors } from '../pool-mfa.js';
import { issueTokens } from '../sign-in.js';
import { isEmail } from '../user-attributes.js';
import { updateUser } from '../users.js';
import type { ChallengeAnswer } from './tables.js';
import { sessionUser, startMfaChallenge } from './mfa.js';

/** The mark VerifySoftwareToken leaves in the Session it returns. */
export const SETUP_VERIFIED = 'SOFTWARE_TOKEN_MFA';

export const answerMfaSetup: ChallengeAnswer = async (app, pool, client, input) => {
  const { state, user } = await sessionUser(app, pool, client, input, 'MFA_SETUP');
  if (state.data?.verified === SETUP_VERIFIED) {
    return { AuthenticationResult: await issueTokens(app, pool, client, user), ChallengeParameters: {} };
  }
  const email = input.ChallengeResponses?.EMAIL;
  if (email !== undefined && mfaFactors(pool).email) {
    if (!isEmail(email)) throw new InvalidParameterException('Invalid email address format.');
    const updated = await updateUser(app, pool, user, { set: { email, email_verified: 'false' } });
    return startMfaChallenge(app, pool, client, updated, 'EMAIL_OTP', { setup: 'EMAIL_OTP' });
  }
  // Nothing was set up with this Session (no verified software token).
  throw new NotAuthorizedException('Invalid session for the user.');
};

// WEB_AUTHN as a first factor of USER_AUTH (preferred, or chosen in SELECT_CHALLENGE): the challenge carries
// CREDENTIAL_REQUEST_OPTIONS (webauthn/assertion.ts) and a Session holding its WebAuthn challenge; the answer is
// ChallengeResponses CREDENTIAL (an AuthenticationResponseJSON). The Session is spent by its first answer, right or
// wrong (single use on every instance); a passkey is not followed by MFA (finishFirstFactor).
import { InvalidParameterException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { sessionTtlSeconds, spendOnce } from '../auth-session.js';
import type { Client, Pool } from '../pools.js';
import type { SignInStep } from '../sign-in.js';
import type { User } from '../users.js';
import { requestOptions, verifyAssertion } from '../webauthn/assertion.js';
import type { WebAuthnCredential } from '../webauthn/credentials.js';
import type { RelyingParty } from '../webauthn/relying-party.js';
import { finishFirstFactor } from './first-factor.js';
import { challengeStep, sessionUser } from './mfa.js';
import type { ChallengeAnswer } from './tables.js';

/** The sealed Session's challenge name. */
const SESSION = 'FIRST_FACTOR_WEB_AUTHN';

export function startWebAuthnChallenge(app: Corral, client: Client, user: User, rp: RelyingParty, passkeys: WebAuthnCredential[]): SignInStep {
  const { options, challenge } = requestOptions(rp, passkeys);
  const step = challengeStep(app, client, user, SESSION, { CREDENTIAL_REQUEST_OPTIONS: options }, { challenge });
  return { ...step, ChallengeName: 'WEB_AUTHN' };
}

export const answerWebAuthn: ChallengeAnswer = async (app, pool: Pool, client, input) => {
  const { state, user } = await sessionUser(app, pool, client, input, SESSION);
  const credential = input.ChallengeResponses?.CREDENTIAL;
  if (!credential) throw new InvalidParameterException('Missing required parameter CREDENTIAL');
  await spendOnce(app, input.Session!, sessionTtlSeconds(client));
  await verifyAssertion(app, pool, user, state.data?.challenge ?? '', credential);
  return finishFirstFactor(app, pool, client, user);
};

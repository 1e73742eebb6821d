// VerifySoftwareToken: a code from the authenticator registers the secret AssociateSoftwareToken gave.
// With the access token: { Status: 'SUCCESS' }. With an MFA_SETUP Session: the factor is also turned on, and the
// returned Session completes RespondToAuthChallenge MFA_SETUP. Wrong code: EnableSoftwareTokenMFAException.
import type { VerifySoftwareTokenRequest, VerifySoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { openSession } from '../../domain/auth-session.js';
import { SETUP_VERIFIED } from '../../domain/challenges/mfa-setup.js';
import { setupSession, verifySoftwareToken } from '../../domain/software-token.js';

export default action<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>(async (input, { app }) => {
  if (input.AccessToken && input.Session) throw new InvalidParameterException('Provide either an access token or a session, not both.');
  const code = input.UserCode!;
  const deviceName = input.FriendlyDeviceName || undefined;
  if (input.AccessToken) {
    const { pool, user } = await authenticate(app, input.AccessToken);
    await verifySoftwareToken(app, pool, user, { code, deviceName, enable: false });
    return { Status: 'SUCCESS' };
  }
  if (!input.Session) throw new InvalidParameterException('Missing required parameter AccessToken or Session');
  const { state, pool, client, user } = await setupSession(app, input.Session);
  await verifySoftwareToken(app, pool, user, { code, deviceName, enable: true });
  return { Status: 'SUCCESS', Session: openSession(app, client, { ...state, data: { verified: SETUP_VERIFIED } }) };
});

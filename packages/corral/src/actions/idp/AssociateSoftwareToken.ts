// AssociateSoftwareToken: a new TOTP secret for the user's authenticator app, authorized by the access token or,
// during sign-in, by the MFA_SETUP challenge's Session (then a new Session comes back for VerifySoftwareToken).
import type { AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { openSession } from '../../domain/auth-session.js';
import { associateSoftwareToken, setupSession } from '../../domain/software-token.js';

export default action<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>(async (input, { app }) => {
  if (input.AccessToken && input.Session) throw new InvalidParameterException('Provide either an access token or a session, not both.');
  if (input.AccessToken) {
    const { pool, user } = await authenticate(app, input.AccessToken);
    return { SecretCode: await associateSoftwareToken(app, pool, user) };
  }
  if (!input.Session) throw new InvalidParameterException('Missing required parameter AccessToken or Session');
  const { state, pool, client, user } = await setupSession(app, input.Session);
  const SecretCode = await associateSoftwareToken(app, pool, user);
  return { SecretCode, Session: openSession(app, client, { ...state, data: { associated: 'SOFTWARE_TOKEN_MFA' } }) };
});

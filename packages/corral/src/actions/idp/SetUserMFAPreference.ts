// SetUserMFAPreference: the signed-in user turns SMS, TOTP and email MFA on or off and picks the preferred one.
// A factor needs its delivery (a verified authenticator, a phone number, an email) and, for SMS and email, the
// pool must offer it. Settings the request leaves out stay as they are.
import type { SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { applyMfaPreference, changeUserMfa } from '../../domain/user-mfa.js';

export default action<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  await changeUserMfa(app, pool, user, (m) => ({ next: applyMfaPreference(pool, user, m, input), result: undefined }));
  return {};
});

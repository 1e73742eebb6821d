// ChangePassword: the signed-in user proves the old password and sets a new one (policy-checked).
import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { assertNotLocked, recordSuccess, wrongPassword } from '../../domain/lockout.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials, passwordMatches } from '../../domain/passwords.js';
import { updateUser } from '../../domain/users.js';

export default action<ChangePasswordRequest, ChangePasswordResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  assertNotLocked(app, user);
  // A wrong old password counts as a failed sign-in, unless the user got locked out meanwhile (domain/lockout.ts).
  if (!input.PreviousPassword || !passwordMatches(app, pool, user, input.PreviousPassword)) await wrongPassword(app, user, 'Incorrect username or password.');
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.ProposedPassword!, { wording: 'does' });
  await updateUser(app, pool, user, { credentials: passwordCredentials(app, pool, user.username, input.ProposedPassword!) });
  await recordSuccess(app, user); // the failures the old password's check saw, and only those
  return {};
});

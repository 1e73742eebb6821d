// ChangePassword: the signed-in user proves the old password and sets a new one (policy-checked).
import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { NotAuthorizedException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { assertNotLocked, recordFailure } from '../../domain/lockout.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials, passwordMatches } from '../../domain/passwords.js';
import { updateUser } from '../../domain/users.js';

export default action<ChangePasswordRequest, ChangePasswordResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  assertNotLocked(app, user);
  if (!input.PreviousPassword || !passwordMatches(app, pool, user, input.PreviousPassword)) {
    await recordFailure(app, user);
    throw new NotAuthorizedException('Incorrect username or password.');
  }
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.ProposedPassword!, { wording: 'does' });
  await updateUser(app, pool, user, { ...passwordCredentials(app, pool, user.username, input.ProposedPassword!), failed_attempts: 0, last_failed_at: null });
  return {};
});

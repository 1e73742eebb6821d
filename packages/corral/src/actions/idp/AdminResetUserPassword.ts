// AdminResetUserPassword: the user must reset its password (RESET_REQUIRED: sign-in answers
// PasswordResetRequiredException) and gets a forgot-password code at its verified email or phone.
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { updateUser } from '../../domain/users.js';
import { recoveryAttribute, sendCode } from '../../domain/verification.js';

export default action<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  // A user who never set a password (an administrator's temporary one is pending) cannot be reset: AWS answers
  // "User password cannot be reset in the current state." (seen from AWS in RunaVault/RunaVault#15; moto's
  // test_admin_reset_password_unconfirmed_user), as ForgotPassword does for the same user.
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException('User password cannot be reset in the current state.');
  const attribute = recoveryAttribute(pool, user);
  if (!attribute) throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const reset = await updateUser(app, pool, user, { status: 'RESET_REQUIRED' });
  await sendCode(app, pool, reset, attribute, 'forgot_password', 'ForgotPassword');
  return {};
});

// AdminResetUserPassword: the user must reset its password (RESET_REQUIRED: sign-in answers
// PasswordResetRequiredException) and gets a forgot-password code at its verified email or phone.
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { updateUser } from '../../domain/users.js';
import { recoveryAttribute, sendCode } from '../../domain/verification.js';

export default action<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  const attribute = recoveryAttribute(pool, user);
  if (!attribute) throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  const reset = await updateUser(app, pool, user, { status: 'RESET_REQUIRED' });
  await sendCode(app, pool, reset, attribute, 'forgot_password', 'ForgotPassword');
  return {};
});

// ConfirmForgotPassword: the forgot-password code and a new password (policy-checked) reset the user's password.
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { CodeMismatchException, UserNotFoundException } from '../../errors.js';
import { requireClient, requirePool } from '../../domain/pools.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { consumeCode } from '../../domain/codes.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials } from '../../domain/passwords.js';
import { findUserForSignIn, updateUser } from '../../domain/users.js';
import { preventsUserExistenceErrors } from '../../domain/user-existence.js';

export default action<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  const pool = await requirePool(app, client.poolId);
  checkSecretHash(client, input.Username!, input.SecretHash);

  const user = await findUserForSignIn(app, pool, input.Username!);
  if (!user) {
    if (preventsUserExistenceErrors(client)) throw new CodeMismatchException('Invalid verification code provided, please try again.');
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password!, { wording: 'does' });
  await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: 'forgot_password', code: input.ConfirmationCode! });
  await updateUser(app, pool, user, {
    ...passwordCredentials(app, pool, user.username, input.Password!),
    status: user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD' ? 'CONFIRMED' : user.status,
    failed_attempts: 0,
    last_failed_at: null,
  });
  return {};
});

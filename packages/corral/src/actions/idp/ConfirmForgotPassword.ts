// ConfirmForgotPassword: the forgot-password code and a new password (policy-checked) reset the user's password.
// With PreventUserExistenceErrors, a user that does not exist or is disabled is answered as a wrong code is, after
// the same checks and the same write (the code try) as for a user with a pending reset (user-existence.ts).
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { CodeMismatchException } from '../../errors.js';
import { codeFlowUser, publicCall } from '../../domain/public-call.js';
import { consumeCode, MESSAGES } from '../../domain/codes.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials } from '../../domain/passwords.js';
import { updateUser } from '../../domain/users.js';
import { decoyWrites } from '../../domain/user-existence.js';
import { postConfirmation } from '../../triggers/index.js';

export default action<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(async (input, { app }) => {
  const call = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  const { pool } = call;
  const checkPolicy = () => checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password!, { wording: 'does' });
  const user = await codeFlowUser(
    app,
    call,
    input.Username!,
    async () => {
      checkPolicy();
      await decoyWrites(app, 1);
      throw new CodeMismatchException(MESSAGES.mismatch);
    },
    { hideDisabled: true },
  );
  checkPolicy();
  await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: 'forgot_password', code: input.ConfirmationCode! });
  const credentials = passwordCredentials(app, pool, user.username, input.Password!);
  const updated = await updateUser(app, pool, user, (fresh) => ({
    credentials,
    status: fresh.status === 'RESET_REQUIRED' || fresh.status === 'FORCE_CHANGE_PASSWORD' ? 'CONFIRMED' : fresh.status,
    clearFailures: true,
  }));
  await postConfirmation(app, pool, updated, 'PostConfirmation_ConfirmForgotPassword', { clientId: call.client.id, clientMetadata: input.ClientMetadata });
  return {};
});

// AdminSetUserPassword: sets a permanent password (status CONFIRMED) or a temporary one (FORCE_CHANGE_PASSWORD,
// NEW_PASSWORD_REQUIRED at the next sign-in, valid per TemporaryPasswordValidityDays).
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { setPermanentPassword, setTemporaryPassword } from '../../domain/temporary-password.js';

export default action<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password!, { wording: 'does' });
  if (input.Permanent) await setPermanentPassword(app, pool, user, input.Password!);
  else await setTemporaryPassword(app, pool, user, input.Password!);
  return {};
});

// AdminEnableUser: a disabled user may sign in again.
import type { AdminEnableUserRequest, AdminEnableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { updateUser } from '../../domain/users.js';

export default action<AdminEnableUserRequest, AdminEnableUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await updateUser(app, pool, await requireAdminUser(app, pool, input.Username!), { enabled: true });
  return {};
});

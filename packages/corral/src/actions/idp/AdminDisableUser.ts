// AdminDisableUser: the user can no longer sign in, refresh or use its tokens ("User is disabled."); it still lists.
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { updateUser } from '../../domain/users.js';

export default action<AdminDisableUserRequest, AdminDisableUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await updateUser(app, pool, await requireAdminUser(app, pool, input.Username!), { enabled: false });
  return {};
});

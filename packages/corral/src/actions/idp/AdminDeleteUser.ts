// AdminDeleteUser: deletes a user (its aliases, codes and refresh tokens go with it).
import type { AdminDeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { deleteUser } from '../../domain/users.js';

export default action<AdminDeleteUserRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await deleteUser(app, await requireAdminUser(app, pool, input.Username!));
  return {};
});

// AdminRemoveUserFromGroup: ends the user's membership (not a member: nothing changes).
import type { AdminRemoveUserFromGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { removeMember, requireGroup } from '../../domain/groups.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { requirePool } from '../../domain/pools.js';

export default action<AdminRemoveUserFromGroupRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await removeMember(app, await requireGroup(app, pool, input.GroupName!), user);
  return {};
});

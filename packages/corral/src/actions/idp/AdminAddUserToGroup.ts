// AdminAddUserToGroup: makes the user a member of the group (already a member: nothing changes).
import type { AdminAddUserToGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { addMember, requireGroup } from '../../domain/groups.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { requirePool } from '../../domain/pools.js';

export default action<AdminAddUserToGroupRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await addMember(app, await requireGroup(app, pool, input.GroupName!), user);
  return {};
});

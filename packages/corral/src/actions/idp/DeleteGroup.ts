// DeleteGroup: removes the group and its memberships; members' next tokens no longer name it.
import type { DeleteGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { deleteGroup, requireGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';

export default action<DeleteGroupRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await deleteGroup(app, await requireGroup(app, pool, input.GroupName!));
  return {};
});

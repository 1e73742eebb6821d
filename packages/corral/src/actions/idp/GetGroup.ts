// GetGroup: one group of the pool.
import type { GetGroupRequest, GetGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { groupType, requireGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';

export default action<GetGroupRequest, GetGroupResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { Group: groupType(await requireGroup(app, pool, input.GroupName!)) };
});

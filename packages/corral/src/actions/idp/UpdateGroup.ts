// UpdateGroup: changes the description, role or precedence given; the others keep their values.
import type { UpdateGroupRequest, UpdateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { groupType, requireGroup, updateGroup } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';

export default action<UpdateGroupRequest, UpdateGroupResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const group = await requireGroup(app, pool, input.GroupName!);
  const { Description, RoleArn, Precedence } = input;
  return { Group: groupType(await updateGroup(app, group, { Description, RoleArn, Precedence })) };
});

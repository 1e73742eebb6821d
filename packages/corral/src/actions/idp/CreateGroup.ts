// CreateGroup: a new group in the pool (GroupExistsException when the name is taken).
import type { CreateGroupRequest, CreateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { createGroup, groupType } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';

export default action<CreateGroupRequest, CreateGroupResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const { Description, RoleArn, Precedence } = input;
  return { Group: groupType(await createGroup(app, pool, input.GroupName!, { Description, RoleArn, Precedence })) };
});

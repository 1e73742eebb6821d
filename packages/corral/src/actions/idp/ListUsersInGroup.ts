// ListUsersInGroup: the group's members (UserType), Limit (0–60; 0 or none means 60) at a time.
import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { membersOf, requireGroup } from '../../domain/groups.js';
import { describeUser } from '../../domain/admin-users.js';
import { requirePool } from '../../domain/pools.js';

export default action<ListUsersInGroupRequest, ListUsersInGroupResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const page = await membersOf(app, await requireGroup(app, pool, input.GroupName!), input.Limit, input.NextToken);
  return { Users: page.items.map((u) => describeUser(u)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});

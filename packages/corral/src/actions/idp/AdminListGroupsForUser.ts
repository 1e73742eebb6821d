// AdminListGroupsForUser: the groups the user belongs to, Limit (0–60; 0 or none means 60) at a time.
import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { groupType, groupsOfUser } from '../../domain/groups.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { requirePool } from '../../domain/pools.js';

export default action<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  const page = await groupsOfUser(app, user, input.Limit, input.NextToken);
  return { Groups: page.items.map(groupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});

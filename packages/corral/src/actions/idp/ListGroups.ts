// ListGroups: the pool's groups, Limit (0–60; 0 or none means 60) at a time.
import type { ListGroupsRequest, ListGroupsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { groupType, listGroups } from '../../domain/groups.js';
import { requirePool } from '../../domain/pools.js';

export default action<ListGroupsRequest, ListGroupsResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const page = await listGroups(app, pool, input.Limit, input.NextToken);
  return { Groups: page.items.map(groupType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});

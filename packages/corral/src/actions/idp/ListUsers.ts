// ListUsers: pages (Limit ≤ 60, PaginationToken) of a pool's users, optionally filtered (`attr = "v"`,
// `attr ^= "v"`) and limited to AttributesToGet.
import type { ListUsersRequest, ListUsersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeUser } from '../../domain/admin-users.js';
import { listUsers, parseFilter } from '../../domain/user-list.js';

export default action<ListUsersRequest, ListUsersResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const filter = parseFilter(input.Filter);
  const { users, next } = await listUsers(app, pool, filter, input.Limit || 60, input.PaginationToken);
  return {
    Users: users.map((u) => describeUser(u, input.AttributesToGet)),
    ...(next ? { PaginationToken: next } : {}),
  };
});

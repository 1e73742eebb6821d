// ListResourceServers: the pool's resource servers by identifier, MaxResults (1–50; default 50) at a time.
import type { ListResourceServersRequest, ListResourceServersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { listResourceServers, resourceServerType } from '../../domain/oauth/resource-servers.js';
import { requirePool } from '../../domain/pools.js';

export default action<ListResourceServersRequest, ListResourceServersResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const page = await listResourceServers(app, pool.id, input.MaxResults, input.NextToken);
  return { ResourceServers: page.items.map(resourceServerType), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});

// DescribeResourceServer: one resource server of the pool, with its scopes.
import type { DescribeResourceServerRequest, DescribeResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requireResourceServer, resourceServerType } from '../../domain/oauth/resource-servers.js';
import { requirePool } from '../../domain/pools.js';

export default action<DescribeResourceServerRequest, DescribeResourceServerResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { ResourceServer: resourceServerType(await requireResourceServer(app, pool.id, input.Identifier!)) };
});

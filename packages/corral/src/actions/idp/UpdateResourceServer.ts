// UpdateResourceServer: replaces the name and the scopes (omitted Scopes means none); the identifier stays.
import type { UpdateResourceServerRequest, UpdateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requireResourceServer, resourceServerType, updateResourceServer } from '../../domain/oauth/resource-servers.js';
import { requirePool } from '../../domain/pools.js';

export default action<UpdateResourceServerRequest, UpdateResourceServerResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const server = await requireResourceServer(app, pool.id, input.Identifier!);
  return { ResourceServer: resourceServerType(await updateResourceServer(app, server, input.Name!, input.Scopes)) };
});

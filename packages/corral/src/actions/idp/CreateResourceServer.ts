// CreateResourceServer: an identifier with custom scopes (<identifier>/<ScopeName> in clients and access tokens).
import type { CreateResourceServerRequest, CreateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { createResourceServer, resourceServerType } from '../../domain/oauth/resource-servers.js';
import { requirePool } from '../../domain/pools.js';

export default action<CreateResourceServerRequest, CreateResourceServerResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { ResourceServer: resourceServerType(await createResourceServer(app, pool, input.Identifier!, input.Name!, input.Scopes)) };
});

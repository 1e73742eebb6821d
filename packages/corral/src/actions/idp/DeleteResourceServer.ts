// DeleteResourceServer: its scopes are no longer granted (clients that list them keep the names, unused).
import type { DeleteResourceServerRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { deleteResourceServer, requireResourceServer } from '../../domain/oauth/resource-servers.js';
import { requirePool } from '../../domain/pools.js';

export default action<DeleteResourceServerRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await deleteResourceServer(app, await requireResourceServer(app, pool.id, input.Identifier!));
  return {};
});

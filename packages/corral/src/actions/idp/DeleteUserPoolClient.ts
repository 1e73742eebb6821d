// DeleteUserPoolClient: removes an app client of the pool.
import type { DeleteUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { deleteClient, requirePoolClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';

export default action<DeleteUserPoolClientRequest, Record<string, never>>(async (input, ctx) => {
  await requirePool(ctx.app, input.UserPoolId!);
  const client = await requirePoolClient(ctx.app, input.UserPoolId!, input.ClientId!);
  await deleteClient(ctx.app, client);
  return {};
});

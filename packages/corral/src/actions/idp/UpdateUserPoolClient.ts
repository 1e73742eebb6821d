// UpdateUserPoolClient: like UpdateUserPool, settings the request leaves out go back to their defaults; the secret stays.
import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { checkSupportedProviders, clientSettings, describeClient, requirePoolClient, saveClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { checkClientScopes } from '../../domain/oauth/scopes.js';

export default action<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>(async (input, ctx) => {
  const { UserPoolId, ClientId, ClientName, ...rest } = input;
  const pool = await requirePool(ctx.app, UserPoolId!);
  await checkClientScopes(ctx.app, pool.id, rest.AllowedOAuthScopes);
  await checkSupportedProviders(ctx.app, pool.id, rest.SupportedIdentityProviders);
  const client = await requirePoolClient(ctx.app, UserPoolId!, ClientId!);
  client.name = ClientName ?? client.name;
  client.settings = {
    ...clientSettings(pool, rest, !!client.secret, 'updating'),
    LastModifiedDate: new Date(ctx.app.now()),
    CreationDate: client.settings.CreationDate,
  };
  await saveClient(ctx.app, client, false);
  return { UserPoolClient: describeClient(client) };
});

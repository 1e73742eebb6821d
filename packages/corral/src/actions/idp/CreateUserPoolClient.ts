// CreateUserPoolClient: a new app client (26-character id; a 51-character secret when asked for, stored encrypted).
import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { checkSupportedProviders, clientSettings, describeClient, newClientId, newClientSecret, saveClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';
import { checkClientScopes } from '../../domain/oauth/scopes.js';

export default action<CreateUserPoolClientRequest, CreateUserPoolClientResponse>(async (input, ctx) => {
  const { UserPoolId, ClientName, GenerateSecret, ...rest } = input;
  const pool = await requirePool(ctx.app, UserPoolId!);
  await checkClientScopes(ctx.app, pool.id, rest.AllowedOAuthScopes);
  await checkSupportedProviders(ctx.app, pool.id, rest.SupportedIdentityProviders);
  const now = new Date(ctx.app.now());
  const secret = GenerateSecret ? newClientSecret() : undefined;
  const settings = { ...clientSettings(pool, rest, !!secret, 'creating'), LastModifiedDate: now, CreationDate: now };
  const client = { id: newClientId(), poolId: pool.id, name: ClientName!, secret, settings };
  await saveClient(ctx.app, client, true);
  return { UserPoolClient: describeClient(client) };
});

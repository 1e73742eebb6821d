// DeleteIdentityProvider: the provider goes, and with it its name from the app clients' SupportedIdentityProviders.
import type { DeleteIdentityProviderRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { deleteProvider } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<DeleteIdentityProviderRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await deleteProvider(app, pool.id, input.ProviderName!);
  return {};
});

// UpdateIdentityProvider: new ProviderDetails, AttributeMapping or IdpIdentifiers for a provider (name and type stay).
import type { UpdateIdentityProviderRequest, UpdateIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { identityProviderType, requireProvider, updateProvider } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<UpdateIdentityProviderRequest, UpdateIdentityProviderResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const provider = await requireProvider(app, pool.id, input.ProviderName!);
  const updated = await updateProvider(app, pool, provider, {
    details: input.ProviderDetails,
    attributeMapping: input.AttributeMapping,
    idpIdentifiers: input.IdpIdentifiers,
  });
  return { IdentityProvider: identityProviderType(updated) };
});

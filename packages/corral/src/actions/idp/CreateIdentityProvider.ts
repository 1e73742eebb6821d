// CreateIdentityProvider: a SAML, OIDC or social provider of the pool, its ProviderDetails checked and completed.
import type { CreateIdentityProviderRequest, CreateIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { createProvider, identityProviderType } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<CreateIdentityProviderRequest, CreateIdentityProviderResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const provider = await createProvider(app, pool, input.ProviderName!, input.ProviderType!, {
    details: input.ProviderDetails,
    attributeMapping: input.AttributeMapping,
    idpIdentifiers: input.IdpIdentifiers,
  });
  return { IdentityProvider: identityProviderType(provider) };
});

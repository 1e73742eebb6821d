// GetIdentityProviderByIdentifier: the provider one of whose IdpIdentifiers is the one given.
import type { GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { identityProviderType, requireProviderByIdentifier } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<GetIdentityProviderByIdentifierRequest, GetIdentityProviderByIdentifierResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { IdentityProvider: identityProviderType(await requireProviderByIdentifier(app, pool.id, input.IdpIdentifier!)) };
});

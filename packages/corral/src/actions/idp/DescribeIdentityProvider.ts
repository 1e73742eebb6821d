// DescribeIdentityProvider: one provider of the pool, with the details Cognito filled in.
import type { DescribeIdentityProviderRequest, DescribeIdentityProviderResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { identityProviderType, requireProvider } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<DescribeIdentityProviderRequest, DescribeIdentityProviderResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { IdentityProvider: identityProviderType(await requireProvider(app, pool.id, input.ProviderName!)) };
});

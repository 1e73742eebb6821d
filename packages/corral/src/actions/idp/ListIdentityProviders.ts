// ListIdentityProviders: the pool's providers by name, MaxResults (1–60; default 60) at a time.
import type { ListIdentityProvidersRequest, ListIdentityProvidersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { listProviders, providerDescription } from '../../domain/federation/providers.js';
import { requirePool } from '../../domain/pools.js';

export default action<ListIdentityProvidersRequest, ListIdentityProvidersResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const page = await listProviders(app, pool.id, input.MaxResults, input.NextToken);
  return { Providers: page.items.map(providerDescription), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
});

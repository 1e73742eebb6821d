import type { ListIdentityPoolsInput, ListIdentityPoolsResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { listIdentityPools } from '../../identity/identity-pools.js';

export default action<ListIdentityPoolsInput, ListIdentityPoolsResponse>(async (input, { app }) => {
  const { pools, nextToken } = await listIdentityPools(app, input.MaxResults!, input.NextToken);
  return {
    IdentityPools: pools.map((p) => ({ IdentityPoolId: p.IdentityPoolId, IdentityPoolName: p.IdentityPoolName })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
});

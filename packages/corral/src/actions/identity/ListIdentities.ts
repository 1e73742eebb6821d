import type { ListIdentitiesInput, ListIdentitiesResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { listIdentities } from '../../identity/identities.js';

export default action<ListIdentitiesInput, ListIdentitiesResponse>(async (input, { app }) => {
  const { identities, nextToken } = await listIdentities(app, input.IdentityPoolId!, input.MaxResults!, input.NextToken);
  return { IdentityPoolId: input.IdentityPoolId, Identities: identities, ...(nextToken ? { NextToken: nextToken } : {}) };
});

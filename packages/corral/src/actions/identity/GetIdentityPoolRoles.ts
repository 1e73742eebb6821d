import type { GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { getIdentityPoolRoles } from '../../identity/identity-pools.js';

export default action<GetIdentityPoolRolesInput, GetIdentityPoolRolesResponse>(async (input, { app }) => {
  const roles = await getIdentityPoolRoles(app, input.IdentityPoolId!);
  return { IdentityPoolId: input.IdentityPoolId, ...roles };
});

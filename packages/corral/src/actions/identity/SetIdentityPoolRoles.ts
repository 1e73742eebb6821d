import type { SetIdentityPoolRolesInput } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { setIdentityPoolRoles } from '../../identity/identity-pools.js';

export default action<SetIdentityPoolRolesInput, Record<string, never>>(async (input, { app }) => {
  await setIdentityPoolRoles(app, input.IdentityPoolId!, {
    Roles: input.Roles ?? {},
    ...(input.RoleMappings ? { RoleMappings: input.RoleMappings } : {}),
  });
  return {};
});

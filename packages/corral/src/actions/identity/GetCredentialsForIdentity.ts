import type { GetCredentialsForIdentityInput, GetCredentialsForIdentityResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { getIdentityPoolRoles } from '../../identity/identity-pools.js';
import { authorizeIdentity, requireIdentity } from '../../identity/identities.js';
import { chooseRole } from '../../identity/role-mapping.js';
import { issueTemporaryCredentials } from '../../identity/credentials.js';

/** Unsigned. Temporary credentials for the identity's role (identity/credentials.ts: verifiable without an STS). */
export default action<GetCredentialsForIdentityInput, GetCredentialsForIdentityResponse>(async (input, { app }) => {
  const { logins, identity } = await authorizeIdentity(app, await requireIdentity(app, input.IdentityId!), input.Logins);
  const roles = await getIdentityPoolRoles(app, identity.poolId);
  const roleArn = chooseRole({ roles, logins, customRoleArn: input.CustomRoleArn });
  return {
    IdentityId: identity.id,
    Credentials: issueTemporaryCredentials(app, { identityId: identity.id, identityPoolId: identity.poolId, roleArn }),
  };
});

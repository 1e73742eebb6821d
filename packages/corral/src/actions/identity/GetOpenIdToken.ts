import type { GetOpenIdTokenInput, GetOpenIdTokenResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { authorizeIdentity, requireIdentity } from '../../identity/identities.js';
import { mintOpenIdToken } from '../../identity/openid-token.js';

/** Unsigned. An OpenID token for the identity, signed by Corral (identity/openid-token.ts), valid 10 minutes. */
export default action<GetOpenIdTokenInput, GetOpenIdTokenResponse>(async (input, { app }) => {
  const { logins, identity } = await authorizeIdentity(app, await requireIdentity(app, input.IdentityId!), input.Logins);
  const linked = logins.length ? logins : identity.logins;
  return { IdentityId: identity.id, Token: await mintOpenIdToken(app, { identityId: identity.id, identityPoolId: identity.poolId, logins: linked }) };
});

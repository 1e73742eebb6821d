// RevokeToken: revokes a refresh token and the ID/access tokens it produced. Only a refresh token can be revoked:
// an ID or access token is UnsupportedTokenTypeException (the API's counterpart of the revocation endpoint's
// `unsupported_token_type`, "if the token sent in the revocation request is not a refresh token"); a token that is
// no refresh token of this client is answered with success and revokes nothing, as RFC 7009 §2.2 has the revocation
// endpoint answer.
import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { UnsupportedOperationException, UnsupportedTokenTypeException } from '../../errors.js';
import { requireClient } from '../../domain/pools.js';
import { checkClientSecret } from '../../domain/client-auth.js';
import { isJwt, revokeRefreshToken } from '../../domain/tokens.js';

export default action<RevokeTokenRequest, RevokeTokenResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  checkClientSecret(client, input.ClientSecret);
  if (client.settings.EnableTokenRevocation === false) throw new UnsupportedOperationException('Token revocation is not enabled for this client.');
  if (isJwt(input.Token!)) throw new UnsupportedTokenTypeException('Only refresh tokens can be revoked.');
  await revokeRefreshToken(app, input.Token!, client.id);
  return {};
});

// RevokeToken: revokes a refresh token and the ID/access tokens it produced.
import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { UnsupportedOperationException } from '../../errors.js';
import { requireClient } from '../../domain/pools.js';
import { checkClientSecret } from '../../domain/client-auth.js';
import { revokeRefreshToken } from '../../domain/tokens.js';

export default action<RevokeTokenRequest, RevokeTokenResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  checkClientSecret(client, input.ClientSecret);
  if (client.settings.EnableTokenRevocation === false) throw new UnsupportedOperationException('Token revocation is not enabled for this client.');
  await revokeRefreshToken(app, input.Token!, client.id);
  return {};
});

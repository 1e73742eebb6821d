// GetTokensFromRefreshToken: new ID and access tokens for a refresh token (what aws-amplify ≥ 6.15.4 calls).
import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { publicCall } from '../../domain/public-call.js';
import { checkClientSecret, checkFlowEnabled } from '../../domain/client-auth.js';
import { refreshSignIn } from '../../domain/sign-in.js';

export default action<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(async (input, { app }) => {
  const { client, pool } = await publicCall(app, input.ClientId!);
  checkClientSecret(client, input.ClientSecret);
  checkFlowEnabled(client, 'REFRESH_TOKEN_AUTH');
  return { AuthenticationResult: await refreshSignIn(app, pool, client, input.RefreshToken!, null) };
});

// The tokens of an OAuth sign-in (authorization code or implicit grant): ID token only with the openid scope, the
// granted scopes in the access token, and (code grant) a refresh token whose refreshes keep those scopes.
import { randomUUID } from 'node:crypto';
import type { Corral } from '../../runtime/app.js';
import { tokenGroups } from '../groups.js';
import type { Client, Pool } from '../pools.js';
import { ACCESS_SCOPE, issueRefreshToken, mintTokens } from '../tokens.js';
import type { TokenGenerationSource } from '../../triggers/index.js';
import type { User } from '../users.js';

export interface OAuthTokens {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** The scopes of the sign-in `originJti` (aws.cognito.signin.user.admin for an API sign-in, which has no record). */
export async function sessionScope(app: Corral, originJti: string): Promise<string | undefined> {
  return app.store.oauth.sessionScope(originJti);
}

export interface SignInTokensInput {
  pool: Pool;
  client: Client;
  user: User;
  scopes: string[];
  /** Epoch seconds. */
  authTime: number;
  nonce?: string;
  withRefreshToken: boolean;
}

export async function oauthSignInTokens(app: Corral, input: SignInTokensInput): Promise<OAuthTokens & { originJti: string }> {
  const { pool, client, user, scopes, authTime } = input;
  const originJti = randomUUID();
  const scope = scopes.join(' ');
  const tokens = await mintTokens(app, {
    pool,
    client,
    user,
    ...(await tokenGroups(app, user)),
    authTime,
    originJti,
    scope,
    idClaims: input.nonce ? { nonce: input.nonce } : undefined,
    tokenSource: 'TokenGeneration_HostedAuth',
  });
  const out: OAuthTokens & { originJti: string } = {
    ...(scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    expires_in: tokens.ExpiresIn,
    token_type: 'Bearer',
    originJti,
  };
  if (input.withRefreshToken) {
    out.refresh_token = await issueRefreshToken(app, { pool, client, user, authTime, originJti });
    await app.store.oauth.recordSession({ originJti, poolId: pool.id, scope, createdAt: app.now() });
  }
  return out;
}

/** New ID and access tokens from a refresh token's record (the token endpoint's refresh_token grant). */
export async function oauthRefreshTokens(
  app: Corral,
  input: { pool: Pool; client: Client; user: User; authTime: number; originJti: string },
): Promise<OAuthTokens> {
  const recorded = await sessionScope(app, input.originJti);
  const scope = recorded ?? ACCESS_SCOPE;
  const source: TokenGenerationSource = 'TokenGeneration_RefreshTokens';
  const tokens = await mintTokens(app, { ...input, ...(await tokenGroups(app, input.user)), scope, tokenSource: source });
  return {
    ...(recorded === undefined || scope.split(' ').includes('openid') ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    expires_in: tokens.ExpiresIn,
    token_type: 'Bearer',
  };
}

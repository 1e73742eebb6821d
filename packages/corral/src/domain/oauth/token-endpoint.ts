// POST /oauth2/token: client authentication and the three grants (authorization_code, refresh_token,
// client_credentials). Every fault is an OAuthError; the HTTP layer writes `{ "error": … }` with status 400.
//
// Client authentication (client_secret_basic or client_secret_post): `Authorization: Basic base64(id:secret)` or
// client_id (+ client_secret) in the body. A client with a secret must present it; an unknown client, a wrong
// secret, or a client of another pool is invalid_client.
//
// client_credentials: the client must allow the flow (AllowedOAuthFlowsUserPoolClient and client_credentials) and
// have a secret; only custom resource-server scopes; none requested means all the client's custom scopes. The answer
// is an access token only: sub = client_id = the client's id, `scope`, no username (as Cognito's M2M tokens).
import { randomUUID } from 'node:crypto';
import { currentKey, signJwt } from '../../crypto/signing-keys.js';
import { safeEqual } from '../../crypto/box.js';
import { CognitoError } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { checkFlowEnabled } from '../client-auth.js';
import { tokenLifetimes } from '../clients.js';
import { findClient, type Client, type Pool } from '../pools.js';
import { issuer, redeemRefreshToken } from '../tokens.js';
import { findUserBySub } from '../users.js';
import { redeemCode } from './authorize.js';
import { OAuthError } from './errors.js';
import { STANDARD_SCOPES, grantableScopes, parseScopes } from './scopes.js';
import { oauthRefreshTokens, oauthSignInTokens, type OAuthTokens } from './sessions.js';

export type Params = Record<string, string | undefined>;

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new OAuthError('invalid_client', 'Unsupported Authorization header.');
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const at = text.indexOf(':');
  if (at < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
  const dec = (v: string) => {
    try {
      return decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      return v;
    }
  };
  return { id: dec(text.slice(0, at)), secret: dec(text.slice(at + 1)) };
}

/** The client a token or revoke request authenticates as. */
export async function authenticateClient(app: Corral, pool: Pool, params: Params, authorization: string | undefined): Promise<Client> {
  const basic = basicCredentials(authorization);
  if (basic && params.client_id !== undefined && params.client_id !== basic.id)
    throw new OAuthError('invalid_client', 'client_id does not match the Authorization header.');
  const clientId = basic?.id ?? params.client_id;
  if (!clientId) throw new OAuthError('invalid_client', 'Client authentication is required.');
  const client = await findClient(app, clientId);
  if (!client || client.poolId !== pool.id) throw new OAuthError('invalid_client', 'Client authentication failed.');
  const secret = basic?.secret ?? params.client_secret;
  if (client.secret && (!secret || !safeEqual(client.secret, secret))) throw new OAuthError('invalid_client', 'Client authentication failed.');
  return client;
}

export type TokenAnswer = OAuthTokens | { access_token: string; expires_in: number; token_type: 'Bearer' };

export async function tokenRequest(app: Corral, pool: Pool, params: Params, authorization: string | undefined): Promise<TokenAnswer> {
  const grant = params.grant_type;
  if (!grant) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (grant !== 'authorization_code' && grant !== 'refresh_token' && grant !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', `Unsupported grant_type ${grant}.`);
  }
  const client = await authenticateClient(app, pool, params, authorization);
  if (grant === 'client_credentials') return clientCredentials(app, pool, client, params);
  if (grant === 'refresh_token') return refreshGrant(app, pool, client, params);
  return codeGrant(app, pool, client, params);
}

function oauthEnabled(client: Client, flow: 'code' | 'client_credentials'): boolean {
  return !!client.settings.AllowedOAuthFlowsUserPoolClient && (client.settings.AllowedOAuthFlows ?? []).includes(flow);
}

async function codeGrant(app: Corral, pool: Pool, client: Client, params: Params): Promise<OAuthTokens> {
  if (!oauthEnabled(client, 'code')) throw new OAuthError('unauthorized_client', 'The app client does not allow the code flow.');
  const redeemed = await redeemCode(app, pool, client, params);
  const { originJti, ...tokens } = await oauthSignInTokens(app, {
    pool,
    client,
    user: redeemed.user,
    scopes: redeemed.scopes,
    authTime: redeemed.authTime,
    nonce: redeemed.nonce,
    withRefreshToken: true,
  });
  await redeemed.markIssued(originJti);
  return tokens;
}

async function refreshGrant(app: Corral, pool: Pool, client: Client, params: Params): Promise<OAuthTokens> {
  if (!params.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.');
  try {
    checkFlowEnabled(client, 'REFRESH_TOKEN_AUTH');
  } catch {
    throw new OAuthError('unauthorized_client', 'The app client does not allow refresh tokens.');
  }
  let record;
  try {
    record = await redeemRefreshToken(app, params.refresh_token, client.id);
  } catch (err) {
    if (err instanceof CognitoError) throw new OAuthError('invalid_grant', err.message);
    throw err;
  }
  const user = record.poolId === pool.id ? await findUserBySub(app, pool.id, record.sub) : undefined;
  if (!user || !user.enabled) throw new OAuthError('invalid_grant', 'Refresh Token has been revoked');
  return oauthRefreshTokens(app, { pool, client, user, authTime: record.authTime, originJti: record.originJti });
}

async function clientCredentials(app: Corral, pool: Pool, client: Client, params: Params): Promise<TokenAnswer> {
  if (!oauthEnabled(client, 'client_credentials')) throw new OAuthError('unauthorized_client', 'The app client does not allow the client_credentials flow.');
  if (!client.secret) throw new OAuthError('invalid_client', 'The client_credentials flow needs a client with a secret.');
  const allowed = (await grantableScopes(app, client)).filter((s) => !STANDARD_SCOPES.has(s));
  const asked = parseScopes(params.scope);
  const scopes = asked.length ? asked : allowed;
  if (scopes.length === 0 || scopes.some((s) => !allowed.includes(s)))
    throw new OAuthError('invalid_scope', 'A requested scope is not allowed for the app client.');
  const iat = Math.floor(app.now() / 1000);
  const life = tokenLifetimes(client).access;
  const claims = {
    sub: client.id,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: iat,
    iss: issuer(app, pool.id),
    exp: iat + life,
    iat,
    version: 2,
    jti: randomUUID(),
    client_id: client.id,
  };
  const key = await currentKey(app, pool.id, 'access');
  return { access_token: signJwt(key, claims), expires_in: life, token_type: 'Bearer' };
}

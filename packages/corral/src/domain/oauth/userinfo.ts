// GET/POST /oauth2/userInfo: the user's attributes as the access token's scopes allow (Cognito's rules):
//   the token must carry `openid` (API sign-in tokens, scope aws.cognito.signin.user.admin only, are refused);
//   openid alone, or with profile: every attribute the app client may read; openid with email and/or phone (without
//   profile): sub plus email/email_verified and/or phone_number/phone_number_verified.
// Values are strings, as Cognito answers them; `username` is added. A bad, expired or revoked token, or a missing /
// disabled user, is 401 invalid_token.
import { CognitoError } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { findClient, type Pool } from '../pools.js';
import { verifyAccessToken } from '../tokens.js';
import { findUserBySub } from '../users.js';
import { OAuthError } from './errors.js';

const EMAIL = ['email', 'email_verified'];
const PHONE = ['phone_number', 'phone_number_verified'];

export async function userInfo(app: Corral, pool: Pool, authorization: string | undefined): Promise<Record<string, string>> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new OAuthError('invalid_request', 'Bad OAuth2 request at UserInfo Endpoint', 400);
  let claims;
  try {
    claims = await verifyAccessToken(app, m[1]!, { poolId: pool.id });
  } catch (err) {
    if (err instanceof CognitoError)
      throw new OAuthError('invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.', 401);
    throw err;
  }
  const scopes = new Set(String(claims.scope ?? '').split(' '));
  if (!scopes.has('openid')) throw new OAuthError('invalid_token', 'Access token does not contain openid scope', 401);
  const user = await findUserBySub(app, pool.id, claims.sub);
  if (!user || !user.enabled) throw new OAuthError('invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.', 401);
  const client = await findClient(app, claims.client_id);
  const readable = client?.settings.ReadAttributes?.length ? new Set(client.settings.ReadAttributes) : undefined;
  const limited = !scopes.has('profile') && (scopes.has('email') || scopes.has('phone'));
  const allowed = limited ? new Set(['sub', ...(scopes.has('email') ? EMAIL : []), ...(scopes.has('phone') ? PHONE : [])]) : undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name !== 'sub' && readable && !readable.has(name)) continue;
    if (allowed && !allowed.has(name)) continue;
    out[name] = String(value);
  }
  out.sub = user.sub;
  out.username = user.username;
  return out;
}

// The authorize endpoint's request, the hosted sign-in, and authorization codes.
//
// validateAuthorize: the checks of GET /oauth2/authorize (and GET /login), in the order that decides where an error
// goes. Until client_id and redirect_uri are proven (a client of this pool, redirect_uri exactly one of its
// CallbackURLs), errors are shown as a page; after that they are redirects to redirect_uri with `error` and `state`.
//   - the client must be enabled for OAuth (AllowedOAuthFlowsUserPoolClient) and list an identity provider in
//     SupportedIdentityProviders; identity_provider= / idp_identifier= must name one of them (COGNITO, or an external
//     provider of the pool: then the browser goes straight there, federation/sign-in.ts), else an error page
//     "Login option is not available. Please try another one" (LOGIN_OPTION_UNAVAILABLE);
//   - response_type `code` needs the `code` flow, `token` the `implicit` flow (unauthorized_client), anything else is
//     unsupported_response_type;
//   - scope: each requested scope must be one of the client's AllowedOAuthScopes that exists (invalid_scope); none
//     requested means all of them;
//   - PKCE: code_challenge_method S256 or plain (plain when a code_challenge comes without a method);
//   - prompt=none answers login_required: Corral keeps no browser session.
// The validated request travels to POST /login sealed (AES-GCM with the server key, 1 hour), never in server memory,
// and bound to the browser that asked for the form: the page sets a random, HttpOnly, SameSite=Lax cookie (Path: the
// pool's /login; Secure when the public URL is https; a browser that already has one keeps it, so two tabs both
// work), and the sealed request carries that cookie's keyed hash. POST /login opens the request only with the same
// cookie: a sealed request copied into another browser (no cookie, another cookie) is refused (400, error page).
//
// hostedSignIn: the password (passwordMatches), lockout, the user's status, the PreAuthentication/PostAuthentication
// triggers; MFA and a required new password are not offered by the hosted page yet (HostedSignInUnsupported).
// Then a code (32 random bytes; stored as a keyed hash; single use; 5 minutes) or, for response_type=token, tokens in
// the redirect's fragment.
import { createHash, randomBytes } from 'node:crypto';
import { keyedHash, safeEqual, seal, unseal } from '../../crypto/box.js';
import type { Corral } from '../../runtime/app.js';
import { CognitoError } from '../../errors.js';
import { checkPassword, fakeVerifier } from '../../crypto/srp.js';
import { assertNotLocked, PASSWORD_ATTEMPTS_EXCEEDED, recordFailure, recordSuccess } from '../lockout.js';
import { passwordMatches, srpPoolName } from '../passwords.js';
import { findClient, type Client, type Pool } from '../pools.js';
import { postAuthentication, preAuthentication } from '../../triggers/index.js';
import { decoyWrites } from '../user-existence.js';
import { activeFactors, userMfa } from '../user-mfa.js';
import { findUserBySub, findUserForSignIn, usernameKey, type User } from '../users.js';
import { findProvider, findProviderByIdentifier, type IdentityProvider } from '../federation/providers.js';
import { OAuthError } from './errors.js';
import { grantableScopes, parseScopes } from './scopes.js';
import { oauthSignInTokens } from './sessions.js';

export interface AuthorizeRequest {
  poolId: string;
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
}

export type AuthorizeOutcome =
  /** `provider`: identity_provider / idp_identifier named an external provider of the client (go there at once). */
  | { kind: 'ok'; request: AuthorizeRequest; client: Client; provider?: IdentityProvider }
  /** Cannot redirect: show an error page. */
  | { kind: 'page'; status: number; error: string; description: string }
  | { kind: 'redirect'; url: string };

const REQUEST_PURPOSE = 'oauth-authorize-request';
const REQUEST_TTL_SECONDS = 3600;
const CODE_PURPOSE = 'oauth-code';
export const CODE_TTL_MS = 5 * 60 * 1000;

/** `redirectUri` with `params` added to its query (code flow, errors) or fragment (implicit tokens). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>, inFragment = false): string {
  const url = new URL(redirectUri);
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (inFragment) {
    url.hash = new URLSearchParams(entries).toString();
  } else {
    for (const [k, v] of entries) url.searchParams.append(k, v);
  }
  return url.toString();
}

/** What Cognito's pages say for an identity provider the app client does not offer (or that does not exist). */
export const LOGIN_OPTION_UNAVAILABLE = 'Login option is not available. Please try another one';

/**
 * The provider identity_provider= or idp_identifier= names, when it is one of the client's SupportedIdentityProviders;
 * undefined for none (or COGNITO, when the client offers it), 'unavailable' otherwise.
 */
export async function chosenProvider(
  app: Corral,
  pool: Pool,
  client: Client,
  name: string | undefined,
  identifier: string | undefined,
): Promise<IdentityProvider | undefined | 'unavailable'> {
  const supported = client.settings.SupportedIdentityProviders ?? [];
  if (name === undefined && identifier === undefined) return undefined;
  if (name === 'COGNITO' || (name === undefined && identifier === 'COGNITO')) return supported.includes('COGNITO') ? undefined : 'unavailable';
  const provider = name !== undefined ? await findProvider(app, pool.id, name) : await findProviderByIdentifier(app, pool.id, identifier!);
  return provider && supported.includes(provider.name) ? provider : 'unavailable';
}

export async function validateAuthorize(app: Corral, pool: Pool, q: Record<string, string | undefined>): Promise<AuthorizeOutcome> {
  const page = (error: string, description: string, status = 400): AuthorizeOutcome => ({ kind: 'page', status, error, description });
  if (!q.client_id) return page('invalid_request', 'client_id is required.');
  const client = await findClient(app, q.client_id);
  if (!client || client.poolId !== pool.id) return page('invalid_request', 'Invalid client_id: no such app client in this user pool.');
  if (!q.redirect_uri) return page('invalid_request', 'redirect_uri is required.');
  if (!(client.settings.CallbackURLs ?? []).includes(q.redirect_uri)) {
    return page('redirect_mismatch', "redirect_uri is not one of the app client's callback URLs.");
  }
  const redirectUri = q.redirect_uri;
  const fail = (error: string, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    url: redirectWith(redirectUri, { error, error_description: description, state: q.state }),
  });
  const s = client.settings;
  if (!s.AllowedOAuthFlowsUserPoolClient) return fail('unauthorized_client', 'The app client is not enabled for OAuth flows.');
  if (!(s.SupportedIdentityProviders ?? []).length) return fail('unauthorized_client', 'The app client lists no identity provider.');
  const flows = s.AllowedOAuthFlows ?? [];
  if (!q.response_type) return fail('invalid_request', 'response_type is required.');
  if (q.response_type !== 'code' && q.response_type !== 'token') return fail('unsupported_response_type', 'response_type must be code or token.');
  if (q.response_type === 'code' && !flows.includes('code')) return fail('unauthorized_client', 'The app client does not allow the code flow.');
  if (q.response_type === 'token' && !flows.includes('implicit')) return fail('unauthorized_client', 'The app client does not allow the implicit flow.');
  const grantable = await grantableScopes(app, client);
  const asked = parseScopes(q.scope);
  const scopes = asked.length ? asked : grantable;
  if (scopes.length === 0 || scopes.some((x) => !grantable.includes(x))) return fail('invalid_scope', 'A requested scope is not allowed for the app client.');
  let method: 'S256' | 'plain' | undefined;
  if (q.response_type === 'code' && (q.code_challenge !== undefined || q.code_challenge_method !== undefined)) {
    if (!q.code_challenge) return fail('invalid_request', 'code_challenge is required with code_challenge_method.');
    const m = q.code_challenge_method ?? 'plain';
    if (m !== 'S256' && m !== 'plain') return fail('invalid_request', 'code_challenge_method must be S256 or plain.');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(q.code_challenge)) return fail('invalid_request', 'code_challenge is malformed.');
    method = m;
  }
  if (q.prompt === 'none') return fail('login_required', 'Corral keeps no sign-in session: the user must sign in.');
  const chosen = await chosenProvider(app, pool, client, q.identity_provider, q.idp_identifier);
  if (chosen === 'unavailable') return page('invalid_request', LOGIN_OPTION_UNAVAILABLE);
  return {
    kind: 'ok',
    client,
    ...(chosen ? { provider: chosen } : {}),
    request: {
      poolId: pool.id,
      clientId: client.id,
      redirectUri,
      responseType: q.response_type,
      scopes,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(method ? { codeChallenge: q.code_challenge!, codeChallengeMethod: method } : {}),
      ...(q.nonce !== undefined ? { nonce: q.nonce } : {}),
    },
  };
}

/** The cookie that binds a sign-in form to its browser, and how long it lives (as long as the sealed request). */
export const BROWSER_COOKIE = 'XSRF-TOKEN';
export const BROWSER_COOKIE_MAX_AGE = REQUEST_TTL_SECONDS;
const BROWSER_PURPOSE = 'oauth-login-browser';

/** The browser's binding value: the one it sent when well-formed (32 random bytes, base64url), else a new one. */
export function browserBinding(sent: string | undefined): string {
  return sent && /^[A-Za-z0-9_-]{43}$/.test(sent) ? sent : randomBytes(32).toString('base64url');
}

const browserHash = (app: Corral, binding: string) => keyedHash(app.secrets.serverKey, BROWSER_PURPOSE, binding);

/** The request as the form carries it: sealed together with the hash of the browser's binding cookie. */
export function sealRequest(app: Corral, request: AuthorizeRequest, binding: string): string {
  return seal(app.secrets.serverKey, REQUEST_PURPOSE, { ...request, browser: browserHash(app, binding) }, REQUEST_TTL_SECONDS, app.now());
}

export type OpenedRequest = { ok: true; request: AuthorizeRequest } | { ok: false; reason: 'invalid' | 'other-browser' };

/** The sealed request of a POST /login, if it opens and was sealed for the browser that sent `binding`. */
export function openRequest(app: Corral, sealed: string | undefined, binding: string | undefined): OpenedRequest {
  if (!sealed) return { ok: false, reason: 'invalid' };
  const r = unseal<AuthorizeRequest & { browser?: string }>(app.secrets.serverKey, REQUEST_PURPOSE, sealed, app.now());
  if (!r.ok) return { ok: false, reason: 'invalid' };
  const { browser, ...request } = r.payload;
  if (!browser || !binding || !safeEqual(browserHash(app, binding), browser)) return { ok: false, reason: 'other-browser' };
  return { ok: true, request };
}

/** The hosted page cannot finish this sign-in (MFA, new password…): show `message`. */
export class HostedSignInUnsupported extends Error {}

export type HostedSignInResult = { ok: true; redirect: string } | { ok: false; message: string };

const INCORRECT = 'Incorrect username or password.';

/** What the user still owes after the password that the hosted page does not offer yet. */
function unsupportedStep(pool: Pool, user: User): string | undefined {
  if (user.status === 'FORCE_CHANGE_PASSWORD')
    return 'This user must choose a new password, which the hosted sign-in page does not support yet. Sign in through the API (NEW_PASSWORD_REQUIRED) first.';
  const mode = pool.settings.MfaConfiguration ?? 'OFF';
  if (mode === 'ON' || (mode === 'OPTIONAL' && activeFactors(pool, user, userMfa(user)).length > 0)) {
    return 'Multi-factor authentication is not supported in the hosted sign-in page yet.';
  }
  return undefined;
}

/** POST /login: checks the password and answers where the browser goes next. */
export async function hostedSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  request: AuthorizeRequest,
  username: string,
  password: string,
): Promise<HostedSignInResult> {
  if (!(client.settings.SupportedIdentityProviders ?? []).includes('COGNITO')) return { ok: false, message: LOGIN_OPTION_UNAVAILABLE };
  if (!username || !password) return { ok: false, message: 'Enter your username and password.' };
  const user = await findUserForSignIn(app, pool, username);
  if (!user) {
    // The same work as for a real user, so the answer's timing does not tell that the user is unknown.
    const fake = fakeVerifier(app.secrets.serverKey, pool.id, usernameKey(pool, username));
    checkPassword(srpPoolName(pool.id), username, password, fake.salt, fake.verifier);
    await decoyWrites(app, 1); // what counting a real user's failure writes (user-existence.ts)
    return { ok: false, message: INCORRECT };
  }
  let current: typeof user | undefined;
  try {
    if (!user.enabled) return { ok: false, message: 'User is disabled.' };
    assertNotLocked(app, user);
    await preAuthentication(app, pool, client, user, username);
    // Judged on the user as stored after the trigger (lockout.ts): a lock taken meanwhile holds.
    current = await app.store.users.findBySub(pool.id, user.sub);
    if (current) assertNotLocked(app, current);
  } catch (err) {
    if (err instanceof CognitoError) return { ok: false, message: (err as Error).message };
    throw err;
  }
  if (!current) return { ok: false, message: INCORRECT };
  if (!passwordMatches(app, pool, current, password)) {
    const counted = await recordFailure(app, current);
    return { ok: false, message: counted === 'locked' ? PASSWORD_ATTEMPTS_EXCEEDED : INCORRECT };
  }
  await recordSuccess(app, current);
  // From here on the user as stored after the trigger: disabled or changed meanwhile counts.
  const signedIn = current;
  if (!signedIn.enabled) return { ok: false, message: 'User is disabled.' };
  if (signedIn.status === 'UNCONFIRMED') return { ok: false, message: 'User is not confirmed.' };
  if (signedIn.status === 'RESET_REQUIRED') return { ok: false, message: 'Password reset required for the user.' };
  const unsupported = unsupportedStep(pool, signedIn);
  if (unsupported) throw new HostedSignInUnsupported(unsupported);
  await postAuthentication(app, pool, client, signedIn);
  return { ok: true, redirect: await finishAuthorization(app, pool, client, request, signedIn) };
}

/**
 * The end of every hosted sign-in (password here, external providers in federation/sign-in.ts): the redirect to the
 * app with a code, or (response_type=token) with tokens in the fragment.
 */
export async function finishAuthorization(app: Corral, pool: Pool, client: Client, request: AuthorizeRequest, user: User): Promise<string> {
  const authTime = Math.floor(app.now() / 1000);
  if (request.responseType === 'token') {
    const t = await oauthSignInTokens(app, { pool, client, user, scopes: request.scopes, authTime, nonce: request.nonce, withRefreshToken: false });
    const fragment = { id_token: t.id_token, access_token: t.access_token, token_type: t.token_type, expires_in: String(t.expires_in), state: request.state };
    return redirectWith(request.redirectUri, fragment, true);
  }
  const code = await issueCode(app, request, user, authTime);
  return redirectWith(request.redirectUri, { code, state: request.state });
}

const codeHash = (app: Corral, code: string) => keyedHash(app.secrets.serverKey, CODE_PURPOSE, code);

async function issueCode(app: Corral, request: AuthorizeRequest, user: User, authTime: number): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  const now = app.now();
  await app.store.oauth.issueCode(
    {
      codeHash: codeHash(app, code),
      poolId: request.poolId,
      clientId: request.clientId,
      userSub: user.sub,
      redirectUri: request.redirectUri,
      scope: request.scopes.join(' '),
      codeChallenge: request.codeChallenge ?? null,
      codeChallengeMethod: request.codeChallengeMethod ?? null,
      nonce: request.nonce ?? null,
      authTime: authTime * 1000,
      expiresAt: now + CODE_TTL_MS,
    },
    now - CODE_TTL_MS,
  );
  return code;
}

function pkceMatches(challenge: string, method: string, verifier: string | undefined): boolean {
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return safeEqual(computed, challenge);
}

/**
 * The authorization_code grant: the code is spent by the first redemption, whatever its outcome. A code presented
 * again is refused, and the tokens its first redemption issued are revoked (RFC 6749 §4.1.2).
 */
export async function redeemCode(
  app: Corral,
  pool: Pool,
  client: Client,
  params: { code?: string; redirect_uri?: string; code_verifier?: string },
): Promise<{ user: User; scopes: string[]; authTime: number; nonce?: string; markIssued: (originJti: string) => Promise<void> }> {
  if (!params.code) throw new OAuthError('invalid_request', 'code is required.');
  if (!params.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required.');
  const hash = codeHash(app, params.code);
  const now = app.now();
  // Spent by the first redemption; a replay revokes what that one issued (in the store, with the refusal).
  const row = await app.store.oauth.spendCode(hash, now);
  if (!row) throw new OAuthError('invalid_grant', 'The authorization code is invalid or has been used.');
  if (row.expiresAt <= now) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
  if (row.poolId !== pool.id || row.clientId !== client.id) throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
  if (row.redirectUri !== params.redirect_uri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request.');
  if (row.codeChallenge && !pkceMatches(row.codeChallenge, row.codeChallengeMethod ?? 'plain', params.code_verifier)) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
  }
  const user = await findUserBySub(app, pool.id, row.userSub);
  if (!user || !user.enabled) throw new OAuthError('invalid_grant', 'The user no longer exists or is disabled.');
  return {
    user,
    scopes: row.scope.split(' ').filter(Boolean),
    authTime: Math.floor(row.authTime / 1000),
    ...(row.nonce ? { nonce: row.nonce } : {}),
    markIssued: async (originJti) => {
      await app.store.oauth.setCodeOrigin(hash, originJti);
    },
  };
}

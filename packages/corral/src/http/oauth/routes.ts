// The OAuth 2.0 / OIDC endpoints of a user pool that has a domain, at two bases:
//   <publicUrl>/<poolId>/…            (the issuer's path; what the openid-configuration lists)
//   <publicUrl>/_domains/<prefix>/…   (by domain prefix: Cognito's https://<prefix>.auth.<region>.amazoncognito.com/…)
// GET /oauth2/authorize and GET /login (the sign-in page, or with identity_provider= / idp_identifier= straight to
// that provider), POST /login (a password, or a provider's button), GET|POST /oauth2/idpresponse (OIDC and social
// providers' callback; POST for Sign in with Apple's form_post), POST /oauth2/token, GET|POST /oauth2/userInfo,
// POST /oauth2/revoke, GET /logout. A pool without a domain has none of them (404), as in Cognito.
// Bodies arrive as Buffers (the wire protocol's catch-all parser) and are read here as form-urlencoded.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../../runtime/app.js';
import { findClient } from '../../domain/pools.js';
import { OAuthError } from '../../domain/oauth/errors.js';
import {
  BROWSER_COOKIE,
  BROWSER_COOKIE_MAX_AGE,
  browserBinding,
  chosenProvider,
  HostedSignInUnsupported,
  hostedSignIn,
  LOGIN_OPTION_UNAVAILABLE,
  openRequest,
  sealRequest,
  validateAuthorize,
  type AuthorizeRequest,
} from '../../domain/oauth/authorize.js';
import { finishFederatedSignIn, startFederatedSignIn } from '../../domain/federation/sign-in.js';
import { STATE_COOKIE, STATE_TTL_SECONDS, stateBinding } from '../../domain/federation/state.js';
import { providerNames, type IdentityProvider } from '../../domain/federation/providers.js';
import type { Client } from '../../domain/pools.js';
import { authenticateClient, tokenRequest, type Params } from '../../domain/oauth/token-endpoint.js';
import { userInfo } from '../../domain/oauth/userinfo.js';
import { revokeRefreshToken } from '../../domain/tokens.js';
import { errorPage, loginPage, resubmitPage } from './pages.js';
import { bodyText, cookieOf, FOREIGN_FORM, html, resolve, SECURITY_HEADERS, type EndpointRequest as Req, type Resolved } from './endpoints.js';
import { TooManyRequestsException } from '../../errors.js';
import { hostedSignInQuota, throttleAttempt } from '../../wire/throttle.js';

/** The query string as single values (a repeated parameter keeps its first value). */
function queryOf(req: Req): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.query ?? {})) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

/** The field the page that posts a provider's form_post again adds (see POST /oauth2/idpresponse). */
const RESUBMITTED = 'corral_resubmitted';

/** A form-urlencoded body; `duplicate` names a parameter sent twice (refused by the token endpoint). */
function formOf(req: FastifyRequest): { params: Params; duplicate?: string } {
  const raw = bodyText(req);
  const params: Params = {};
  let duplicate: string | undefined;
  for (const [k, v] of new URLSearchParams(raw)) {
    if (params[k] !== undefined) duplicate ??= k;
    params[k] = v;
  }
  return { params, duplicate };
}

/** The sign-in form's browser binding (domain/oauth/authorize.ts), for this pool's /login only. */
function setBrowserCookie(app: Corral, reply: FastifyReply, base: string, value: string): void {
  const secure = app.config.publicUrl?.startsWith('https:') ? '; Secure' : '';
  reply.header('set-cookie', `${BROWSER_COOKIE}=${value}; Path=${base}/login; Max-Age=${BROWSER_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure}`);
}

/** The federation's browser binding (domain/federation/state.ts), for the pool's endpoints (/login, /oauth2/…). */
function setStateCookie(app: Corral, reply: FastifyReply, base: string, value: string): void {
  const secure = app.config.publicUrl?.startsWith('https:') ? '; Secure' : '';
  reply.header('set-cookie', `${STATE_COOKIE}=${value}; Path=${base}; Max-Age=${STATE_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
}

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).headers(SECURITY_HEADERS).type('application/json;charset=UTF-8').send(JSON.stringify(body));
}

function oauthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  if (err.error === 'invalid_token' || err.status === 401) {
    reply.header('www-authenticate', `Bearer error="${err.error}", error_description="${err.description}"`);
  }
  return json(reply, err.status, { error: err.error, error_description: err.description });
}

const notFound = (reply: FastifyReply) => json(reply, 404, { message: 'No such user pool domain, or the user pool has no domain.' });

export async function oauthRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  const bases = ['/:poolId', '/_domains/:domain'];

  /** The sign-in page's choices for `client`: its external providers (that exist) and whether COGNITO is one. */
  const choices = async (r: Resolved, client: Client) => {
    const supported = client.settings.SupportedIdentityProviders ?? [];
    const existing = new Set(await providerNames(app, r.pool.id));
    return { providers: supported.filter((n) => n !== 'COGNITO' && existing.has(n)), password: supported.includes('COGNITO') };
  };

  /** Off to the provider, with the federation's browser binding set. */
  const federate = async (req: Req, reply: FastifyReply, r: Resolved, client: Client, request: AuthorizeRequest, provider: IdentityProvider) => {
    const binding = stateBinding(cookieOf(req, STATE_COOKIE));
    const url = await startFederatedSignIn(app, r.pool, client, request, provider, r.base, binding);
    if (provider.type !== 'SAML') setStateCookie(app, reply, r.base, binding);
    return reply.headers(SECURITY_HEADERS).redirect(url, 302);
  };

  const showLogin = async (req: Req, reply: FastifyReply) => {
    const r = await resolve(app, req);
    if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-in page.'));
    const outcome = await validateAuthorize(app, r.pool, queryOf(req));
    if (outcome.kind === 'page') return html(reply, outcome.status, errorPage(outcome.error, outcome.description));
    if (outcome.kind === 'redirect') return reply.headers(SECURITY_HEADERS).redirect(outcome.url, 302);
    if (outcome.provider) return federate(req, reply, r, outcome.client, outcome.request, outcome.provider);
    const binding = browserBinding(cookieOf(req, BROWSER_COOKIE));
    setBrowserCookie(app, reply, r.base, binding);
    const page = { action: `${r.base}/login`, request: sealRequest(app, outcome.request, binding), clientName: outcome.client.name };
    return html(reply, 200, loginPage({ ...page, ...(await choices(r, outcome.client)) }));
  };

  /** GET|POST /oauth2/idpresponse: the provider's answer. */
  const idpResponse = async (req: Req, reply: FastifyReply, params: Record<string, string | undefined>) => {
    const r = await resolve(app, req);
    if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-in endpoint.'));
    const outcome = await finishFederatedSignIn(app, r.pool, r.base, params, cookieOf(req, STATE_COOKIE));
    if (outcome.kind === 'page') return html(reply, outcome.status, errorPage(outcome.error, outcome.description));
    return reply.headers(SECURITY_HEADERS).redirect(outcome.url, 302);
  };

  for (const base of bases) {
    server.get(`${base}/oauth2/authorize`, showLogin);
    server.get(`${base}/login`, showLogin);
    server.get(`${base}/oauth2/idpresponse`, (req: Req, reply) => idpResponse(req, reply, queryOf(req)));
    // Sign in with Apple answers with form_post: a cross-site POST carries no SameSite=Lax cookie, so without the
    // binding cookie the answer is posted again from this origin (a same-site POST, which carries it) by a page that
    // submits itself; never moved into a URL (its code, id_token and `user` would land in logs and history). A
    // second POST without the cookie (RESUBMITTED) is answered as it is: another browser's.
    server.post(`${base}/oauth2/idpresponse`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-in endpoint.'));
      const { params } = formOf(req);
      const resubmitted = params[RESUBMITTED] !== undefined;
      delete params[RESUBMITTED];
      if (cookieOf(req, STATE_COOKIE) !== undefined || resubmitted) return idpResponse(req, reply, params);
      const fields = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
      const nonce = randomBytes(16).toString('base64url');
      return reply
        .status(200)
        .headers(SECURITY_HEADERS)
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header(
          'content-security-policy',
          `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'`,
        )
        .type('text/html; charset=utf-8')
        .send(resubmitPage(`${r.base}/oauth2/idpresponse`, { ...fields, [RESUBMITTED]: '1' }, nonce));
    });

    server.post(`${base}/login`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-in page.'));
      const { params } = formOf(req);
      const opened = openRequest(app, params.request, cookieOf(req, BROWSER_COOKIE));
      if (!opened.ok && opened.reason === 'other-browser') return html(reply, 400, errorPage('invalid_request', FOREIGN_FORM));
      const request = opened.ok ? opened.request : undefined;
      if (!request || request.poolId !== r.pool.id) {
        return html(reply, 400, errorPage('invalid_request', 'The sign-in request is missing or has expired. Start the sign-in again from the application.'));
      }
      const client = await findClient(app, request.clientId);
      if (!client) return html(reply, 400, errorPage('invalid_request', 'The app client no longer exists.'));
      if (params.identity_provider !== undefined) {
        const provider = await chosenProvider(app, r.pool, client, params.identity_provider, undefined);
        if (!provider || provider === 'unavailable') return html(reply, 400, errorPage('invalid_request', LOGIN_OPTION_UNAVAILABLE));
        return federate(req, reply, r, client, request, provider);
      }
      const shown = await choices(r, client);
      const username = params.username ?? '';
      try {
        await hostedSignInQuota(app, r.pool.id);
        const result = await throttleAttempt(
          app,
          r.pool.id,
          req.ip,
          username.trim(),
          () => hostedSignIn(app, r.pool, client, request, username.trim(), params.password ?? ''),
          (res) => res.ok,
        );
        if (result.ok) return reply.headers(SECURITY_HEADERS).redirect(result.redirect, 302);
        return html(
          reply,
          400,
          loginPage({ action: `${r.base}/login`, request: params.request!, clientName: client.name, username, message: result.message, ...shown }),
        );
      } catch (err) {
        if (err instanceof HostedSignInUnsupported) return html(reply, 400, errorPage('unsupported', err.message));
        if (err instanceof TooManyRequestsException)
          return html(
            reply,
            400,
            loginPage({ action: `${r.base}/login`, request: params.request!, clientName: client.name, username, message: err.message, ...shown }),
          );
        throw err;
      }
    });

    server.post(`${base}/oauth2/token`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return notFound(reply);
      const { params, duplicate } = formOf(req);
      try {
        if (duplicate) throw new OAuthError('invalid_request', `Parameter ${duplicate} is repeated.`);
        return json(reply, 200, await tokenRequest(app, r.pool, { ...queryOf(req), ...params }, req.headers.authorization));
      } catch (err) {
        if (err instanceof OAuthError) return oauthError(reply, err);
        throw err;
      }
    });

    const info = async (req: Req, reply: FastifyReply) => {
      const r = await resolve(app, req);
      if (!r) return notFound(reply);
      try {
        return json(reply, 200, await userInfo(app, r.pool, req.headers.authorization));
      } catch (err) {
        if (err instanceof OAuthError) return oauthError(reply, err);
        throw err;
      }
    };
    server.get(`${base}/oauth2/userInfo`, info);
    server.post(`${base}/oauth2/userInfo`, info);

    server.post(`${base}/oauth2/revoke`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return notFound(reply);
      const { params } = formOf(req);
      try {
        if (!params.token) throw new OAuthError('invalid_request', 'token is required.');
        const client = await authenticateClient(app, r.pool, params, req.headers.authorization);
        if (client.settings.EnableTokenRevocation === false) throw new OAuthError('unsupported_token_type', 'Token revocation is not enabled for this client.');
        if (/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(params.token)) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked.');
        await revokeRefreshToken(app, params.token, client.id);
        return reply.status(200).headers(SECURITY_HEADERS).send();
      } catch (err) {
        if (err instanceof OAuthError) return oauthError(reply, err);
        throw err;
      }
    });

    server.get(`${base}/logout`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-out endpoint.'));
      const q = queryOf(req);
      const client = q.client_id ? await findClient(app, q.client_id) : undefined;
      if (!client || client.poolId !== r.pool.id)
        return html(reply, 400, errorPage('invalid_request', 'client_id is missing or is not an app client of this user pool.'));
      // Corral keeps no browser session, so there is nothing to end here: the answer is only the redirect.
      if (q.logout_uri !== undefined) {
        if (!(client.settings.LogoutURLs ?? []).includes(q.logout_uri))
          return html(reply, 400, errorPage('invalid_request', "logout_uri is not one of the app client's sign-out URLs."));
        return reply.headers(SECURITY_HEADERS).redirect(q.logout_uri, 302);
      }
      if (q.redirect_uri !== undefined && q.response_type !== undefined) {
        const again = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'logout_uri'));
        return reply.headers(SECURITY_HEADERS).redirect(`${r.base}/login?${again.toString()}`, 302);
      }
      return html(reply, 400, errorPage('invalid_request', 'logout_uri (or redirect_uri and response_type) is required.'));
    });
  }
}

// The SAML 2.0 endpoints of a user pool that has a domain (the service provider side; domain/federation/saml.ts), at
// the bases of the OAuth endpoints (`/<poolId>` and `/_domains/<prefix>`):
//   GET  <base>/saml2/start?request=…   the hop from /oauth2/authorize?identity_provider=<SAML>: binds the sign-in to
//                                       this browser (cookie corral-saml, Path <base>/saml2) and redirects to the IdP
//                                       with the AuthnRequest;
//   POST <base>/saml2/idpresponse       the assertion consumer service: SAMLResponse + RelayState, SP-initiated (the
//                                       RelayState names our request) or IdP-initiated (the RelayState holds the
//                                       /oauth2/authorize parameters); then the federated sign-in and the app's code;
//   GET  <base>/saml2/metadata          the SP metadata (entity ID urn:amazon:cognito:sp:<poolId>, certificates, ACS).
// A refused response goes back to the app's callback with error=invalid_request and Cognito's error_description when
// the app's request is known, else it is an error page (400).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../../runtime/app.js';
import { CognitoError } from '../../errors.js';
import { findClient, type Pool } from '../../domain/pools.js';
import { OAuthError } from '../../domain/oauth/errors.js';
import { redirectWith, validateAuthorize, type AuthorizeRequest } from '../../domain/oauth/authorize.js';
import { findProvider, type IdentityProvider } from '../../domain/federation/providers.js';
import { completeAuthorization, failureRedirect, federatedSignIn, FederationError } from '../../domain/federation/sign-in.js';
import {
  acsUrl,
  beginSamlRequest,
  isRequestReference,
  openSamlStart,
  pendingSignIn,
  SAML_BROWSER_COOKIE,
  SAML_BROWSER_COOKIE_MAX_AGE,
  samlBrowserBinding,
  SamlResponseError,
  spEntityId,
  verifySamlResponse,
} from '../../domain/federation/saml.js';
import { certificateBody, samlKey } from '../../domain/federation/saml-keys.js';
import { spMetadata } from '../../domain/federation/saml-metadata.js';
import { errorPage } from './pages.js';
import { bodyText, cookieOf, FOREIGN_FORM, html, resolve, SECURITY_HEADERS, type EndpointRequest as Req } from './endpoints.js';

/** What Cognito answers when neither the response nor its RelayState lead anywhere. */
export const INVALID_RESPONSE_OR_RELAY_STATE = 'Invalid samlResponse or relayState from identity provider';

function formOf(req: FastifyRequest): Record<string, string> {
  const raw = bodyText(req);
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] ??= v;
  return out;
}

const redirect = (reply: FastifyReply, url: string) => reply.headers(SECURITY_HEADERS).redirect(url, 302);

/**
 * The binding cookie. The IdP's POST back is a cross-site navigation when the IdP is on another site, so the cookie
 * is SameSite=None; Secure — over https, and on a loopback public URL (browsers keep Secure cookies of
 * http://localhost / 127.0.0.1). On any other plain-http URL browsers refuse SameSite=None without Secure: there it is
 * Lax, which only works with a same-site IdP (use https).
 */
function setBrowserCookie(app: Corral, reply: FastifyReply, base: string, value: string): void {
  const url = new URL(app.config.publicUrl);
  const secureContext = url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const attrs = secureContext ? 'SameSite=None; Secure' : 'SameSite=Lax';
  reply.header('set-cookie', `${SAML_BROWSER_COOKIE}=${value}; Path=${base}/saml2; Max-Age=${SAML_BROWSER_COOKIE_MAX_AGE}; HttpOnly; ${attrs}`);
}

/** The app's request an IdP-initiated RelayState carries (/oauth2/authorize's parameters), checked as there. */
async function idpInitiated(
  app: Corral,
  pool: Pool,
  relayState: string | undefined,
): Promise<
  | { kind: 'ok'; request: AuthorizeRequest; provider: IdentityProvider }
  | { kind: 'page'; status: number; description: string }
  | { kind: 'redirect'; url: string }
> {
  const params = Object.fromEntries(new URLSearchParams(relayState ?? ''));
  if (!params.client_id || (params.identity_provider === undefined && params.idp_identifier === undefined))
    return { kind: 'page', status: 400, description: INVALID_RESPONSE_OR_RELAY_STATE };
  const outcome = await validateAuthorize(app, pool, params);
  if (outcome.kind === 'page') return { kind: 'page', status: outcome.status, description: outcome.description };
  if (outcome.kind === 'redirect') return outcome;
  if (!outcome.provider || outcome.provider.type !== 'SAML') return { kind: 'page', status: 400, description: INVALID_RESPONSE_OR_RELAY_STATE };
  return { kind: 'ok', request: outcome.request, provider: outcome.provider };
}

function refusal(request: AuthorizeRequest, description: string): string {
  return redirectWith(request.redirectUri, { error_description: description, error: 'invalid_request', state: request.state });
}

export async function samlRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  for (const base of ['/:poolId', '/_domains/:domain']) {
    server.get(`${base}/saml2/start`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain, so it has no sign-in page.'));
      const start = openSamlStart(app, typeof req.query.request === 'string' ? req.query.request : undefined);
      if (!start || start.request.poolId !== r.pool.id)
        return html(reply, 400, errorPage('invalid_request', 'The sign-in request is missing or has expired. Start the sign-in again from the application.'));
      const provider = await findProvider(app, r.pool.id, start.provider);
      if (!provider || provider.type !== 'SAML') return html(reply, 400, errorPage('invalid_request', 'Login option is not available. Please try another one'));
      const binding = samlBrowserBinding(cookieOf(req, SAML_BROWSER_COOKIE));
      let url: string;
      try {
        url = await beginSamlRequest(app, r.pool, r.base, provider, start.request, binding);
      } catch (err) {
        app.log.warn({ err, provider: provider.name }, 'saml: the AuthnRequest could not be made');
        return redirect(reply, refusal(start.request, `Error in SAML request: the identity provider ${provider.name} is not usable`));
      }
      setBrowserCookie(app, reply, r.base, binding);
      return redirect(reply, url);
    });

    server.post(`${base}/saml2/idpresponse`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain.'));
      const form = formOf(req);
      const relayState = form.RelayState ?? form.Relaystate ?? form.relayState;
      let request: AuthorizeRequest;
      let provider: IdentityProvider | undefined;
      let pending: { id: string } | undefined;
      if (isRequestReference(relayState)) {
        const p = await pendingSignIn(app, r.pool, relayState, cookieOf(req, SAML_BROWSER_COOKIE));
        if (!p) return html(reply, 400, errorPage('invalid_request', INVALID_RESPONSE_OR_RELAY_STATE));
        if (!p.sameBrowser) return html(reply, 400, errorPage('invalid_request', FOREIGN_FORM));
        request = p.request;
        pending = { id: p.id };
        provider = await findProvider(app, r.pool.id, p.providerName);
        if (!provider || provider.type !== 'SAML') return redirect(reply, refusal(request, 'Login option is not available. Please try another one'));
      } else {
        const o = await idpInitiated(app, r.pool, relayState);
        if (o.kind === 'page') return html(reply, o.status, errorPage('invalid_request', o.description));
        if (o.kind === 'redirect') return redirect(reply, o.url);
        request = o.request;
        provider = o.provider;
      }
      const client = await findClient(app, request.clientId);
      if (!client || client.poolId !== r.pool.id) return html(reply, 400, errorPage('invalid_request', 'The app client no longer exists.'));
      // The client may have dropped the provider since the sign-in started (the IdP-initiated path checked it already).
      if (!(client.settings.SupportedIdentityProviders ?? []).includes(provider.name))
        return redirect(reply, refusal(request, 'Login option is not available. Please try another one'));
      let verified;
      try {
        verified = await verifySamlResponse(app, r.pool, r.base, provider, form.SAMLResponse, pending);
      } catch (err) {
        if (err instanceof SamlResponseError) {
          app.log.info({ provider: provider.name, reason: err.description }, 'saml: response refused');
          return redirect(reply, refusal(request, err.description));
        }
        throw err;
      }
      try {
        const user = await federatedSignIn(app, r.pool, client, provider, verified.nameId, verified.attributes, { issuer: verified.issuer });
        return redirect(reply, await completeAuthorization(app, r.pool, client, request, user));
      } catch (err) {
        if (err instanceof OAuthError)
          return redirect(reply, redirectWith(request.redirectUri, { error_description: err.description, error: err.error, state: request.state }));
        // Corral's rules refused the user (e.g. "attributes required: [email]"): to the app, as the OIDC callback does.
        if (err instanceof FederationError) return redirect(reply, failureRedirect(request, err.error, err.description));
        if (err instanceof CognitoError && err.name !== 'NotImplementedError') return redirect(reply, refusal(request, err.message));
        throw err;
      }
    });

    server.get(`${base}/saml2/metadata`, async (req: Req, reply) => {
      const r = await resolve(app, req);
      if (!r) return html(reply, 404, errorPage('not_found', 'This user pool has no domain.'));
      const signing = await samlKey(app, r.pool.id, 'signing');
      const encryption = await app.store.saml.findKey(r.pool.id, 'encryption');
      const body = spMetadata({
        entityId: spEntityId(r.pool.id),
        acsUrl: acsUrl(app, r.base),
        signingCertificate: certificateBody(signing.certificate),
        ...(encryption ? { encryptionCertificate: certificateBody(encryption.certificate) } : {}),
      });
      return reply.status(200).headers(SECURITY_HEADERS).type('application/samlmetadata+xml; charset=utf-8').send(body);
    });
  }
}

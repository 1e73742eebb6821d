// Sign-in through an OpenID Connect or OAuth 2.0 provider (types OIDC, Google, Facebook, LoginWithAmazon,
// SignInWithApple), with `openid-client`:
//   authorizationUrl   the provider's authorization request: response_type=code, the provider's client_id and
//                      scopes, Corral's callback (<base>/oauth2/idpresponse), the sealed state (state.ts), a nonce,
//                      and PKCE (S256).
//   verifyCallback     the code exchange (client_secret_post / _basic per provider, the PKCE verifier), then for
//                      providers with ID tokens the token's signature (the provider's JWKS, from discovery or
//                      jwks_uri), iss, aud, exp and nonce — all checked by openid-client — and the attributes call
//                      (userInfo / attributes_url, Graph /me, Amazon's profile). Answers the subject and the claims.
// What the provider says when it refuses (an `error` on the callback, an OAuth error from its token endpoint) and what
// fails verification are FederationError: the app gets them at its redirect_uri as Cognito sends them
// (error=…&error_description=<ProviderName> Error - …).
// Provider metadata from discovery and their JWKS are cached in memory for a while (a cache, not state: any instance
// refetches what it lacks). Plain http:// endpoints are accepted only on loopback hosts (tests, a local provider).
import * as client from 'openid-client';
import { FederationError } from './errors.js';
import type { ExternalClaims } from './sign-in.js';
import type { IdentityProvider } from './providers.js';
import { attributesRequestUrl, profileOf, type ProviderProfile } from './social.js';

const CACHE_TTL_MS = 10 * 60 * 1000;
const TIMEOUT_SECONDS = 10;
const cache = new Map<string, { metadata: client.ServerMetadata; jwks?: client.ExportedJWKSCache; at: number }>();

function isLoopback(url: URL): boolean {
  const h = url.hostname;
  return h === 'localhost' || h.endsWith('.localhost') || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function checkedUrl(provider: IdentityProvider, value: string | undefined, what: string): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FederationError('invalid_request', `${provider.name} Error - ${what} is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new FederationError('invalid_request', `${provider.name} Error - ${what} must use https.`);
  }
  return url;
}

async function serverMetadata(provider: IdentityProvider, p: ProviderProfile): Promise<{ key: string; metadata: client.ServerMetadata }> {
  const key = JSON.stringify([p.issuer, p.authorizeUrl, p.tokenUrl, p.jwksUri, p.attributesUrl]);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return { key, metadata: hit.metadata };
  const issuer = checkedUrl(provider, p.issuer, 'oidc_issuer');
  const explicit = {
    ...(p.authorizeUrl ? { authorization_endpoint: checkedUrl(provider, p.authorizeUrl, 'authorize_url')!.href } : {}),
    ...(p.tokenUrl ? { token_endpoint: checkedUrl(provider, p.tokenUrl, 'token_url')!.href } : {}),
    ...(p.jwksUri ? { jwks_uri: checkedUrl(provider, p.jwksUri, 'jwks_uri')!.href } : {}),
  };
  if (p.attributesUrl) checkedUrl(provider, p.attributesUrl, 'attributes_url');
  const complete = !!(explicit.authorization_endpoint && explicit.token_endpoint && (!p.idToken || explicit.jwks_uri));
  let found: client.ServerMetadata | undefined;
  // Discovery (cached) also tells how the provider authenticates clients and where its userinfo is; with complete
  // explicit endpoints, a provider without a discovery document still works.
  if (issuer && (!complete || p.tokenAuth === 'auto' || (p.userinfo && !p.attributesUrl))) {
    try {
      const discovered = await client.discovery(issuer, p.clientId, undefined, undefined, {
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: TIMEOUT_SECONDS,
      });
      const { supportsPKCE: _, ...metadata } = discovered.serverMetadata();
      found = metadata;
    } catch (err) {
      if (!complete) {
        throw new FederationError('invalid_request', `${provider.name} Error - could not read the provider's OpenID configuration: ${(err as Error).message}`);
      }
    }
  }
  if (!found && !complete && (!explicit.authorization_endpoint || !explicit.token_endpoint)) {
    throw new FederationError('invalid_request', `${provider.name} Error - the provider has no authorize_url or token_url.`);
  }
  const metadata: client.ServerMetadata = found
    ? { ...found, ...explicit }
    : { issuer: p.issuer ?? new URL(explicit.authorization_endpoint!).origin, ...explicit };
  for (const u of [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri, metadata.userinfo_endpoint])
    checkedUrl(provider, u, 'endpoint');
  cache.set(key, { metadata, at: Date.now() });
  return { key, metadata };
}

function authOf(p: ProviderProfile, metadata: client.ServerMetadata, secret: string | undefined): client.ClientAuth {
  if (!secret || p.tokenAuth === 'none') return client.None();
  if (p.tokenAuth === 'client_secret_post') return client.ClientSecretPost(secret);
  if (p.tokenAuth === 'client_secret_basic') return client.ClientSecretBasic(secret);
  const supported = metadata.token_endpoint_auth_methods_supported;
  return !supported || supported.includes('client_secret_basic') ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret);
}

async function configurationOf(provider: IdentityProvider): Promise<{ config: client.Configuration; profile: ProviderProfile; key: string }> {
  const profile = profileOf(provider);
  if (!profile.clientId) throw new FederationError('invalid_request', `${provider.name} Error - the provider has no client_id.`);
  const { key, metadata } = await serverMetadata(provider, profile);
  const secret = await profile.clientSecret().catch((err: Error) => {
    throw new FederationError('invalid_request', `${provider.name} Error - ${err.message}`);
  });
  const config = new client.Configuration(metadata, profile.clientId, secret ? { client_secret: secret } : {}, authOf(profile, metadata, secret));
  config.timeout = TIMEOUT_SECONDS;
  const urls = [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri, metadata.userinfo_endpoint, profile.attributesUrl];
  if (urls.some((u) => u?.startsWith('http:'))) client.allowInsecureRequests(config);
  // ID tokens' signatures are checked against the provider's JWKS (openid-client skips that by default for tokens
  // that come straight from the token endpoint over TLS; Cognito checks them, and so does Corral).
  if (profile.idToken) client.enableNonRepudiationChecks(config);
  const jwks = cache.get(key)?.jwks;
  if (jwks) client.setJwksCache(config, jwks);
  return { config, profile, key };
}

export interface UpstreamRequest {
  /** The sealed state (state.ts). */
  state: string;
  nonce: string;
  /** The PKCE code_verifier; its S256 challenge is sent. */
  verifier: string;
  /** Corral's callback: <publicUrl><base>/oauth2/idpresponse. */
  redirectUri: string;
}

/** The provider's authorization request for this sign-in. */
export async function authorizationUrl(provider: IdentityProvider, up: UpstreamRequest): Promise<string> {
  const { config, profile } = await configurationOf(provider);
  const params: Record<string, string> = {
    response_type: 'code',
    redirect_uri: up.redirectUri,
    state: up.state,
    code_challenge: await client.calculatePKCECodeChallenge(up.verifier),
    code_challenge_method: 'S256',
    ...(profile.scope ? { scope: profile.scope } : {}),
    ...(profile.idToken ? { nonce: up.nonce } : {}),
    ...profile.authorizeParams,
  };
  return client.buildAuthorizationUrl(config, params).href;
}

export interface VerifiedIdentity {
  subject: string;
  claims: ExternalClaims;
}

/** One claim value as Corral stores attributes: strings (objects as JSON, numbers and booleans spelled out). */
function claimValue(v: unknown): string | string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function claimsOf(...sources: (Record<string, unknown> | undefined)[]): ExternalClaims {
  const out: ExternalClaims = {};
  for (const s of sources)
    for (const [k, v] of Object.entries(s ?? {})) {
      const value = claimValue(v);
      if (value !== undefined) out[k] = value;
    }
  return out;
}

function asFederationError(provider: IdentityProvider, err: unknown): FederationError {
  if (err instanceof FederationError) return err;
  if (err instanceof client.AuthorizationResponseError) {
    return new FederationError(err.error, `${provider.name} Error - ${[err.error, err.error_description].filter(Boolean).join(' ')}`);
  }
  if (err instanceof client.ResponseBodyError) {
    return new FederationError(err.error, `${provider.name} Error - ${err.status} ${[err.error, err.error_description].filter(Boolean).join(' ')}`);
  }
  // openid-client's ClientError words the check generally; its cause (oauth4webapi) names the claim.
  const e = err as Error & { cause?: unknown };
  const detail = e.cause instanceof Error ? e.cause.message : (e.message ?? String(err));
  return new FederationError('invalid_request', `${provider.name} Error - ${detail}`);
}

/**
 * The callback's parameters (query, or Apple's form_post body) verified against the provider: the code exchanged,
 * the ID token checked, the attributes read. `state` is the raw state string that came back (already opened).
 */
export async function verifyCallback(provider: IdentityProvider, up: UpstreamRequest, params: Record<string, string | undefined>): Promise<VerifiedIdentity> {
  try {
    const { config, profile, key } = await configurationOf(provider);
    const current = new URL(up.redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined && k !== 'user') current.searchParams.set(k, v);
    const tokens = await client.authorizationCodeGrant(config, current, {
      expectedState: up.state,
      pkceCodeVerifier: up.verifier,
      ...(profile.idToken ? { expectedNonce: up.nonce, idTokenExpected: true } : {}),
    });
    const jwks = client.getJwksCache(config);
    const entry = cache.get(key);
    if (jwks && entry) entry.jwks = jwks;
    const idClaims = profile.idToken ? (tokens.claims() as Record<string, unknown> | undefined) : undefined;
    if (profile.idToken && !idClaims) throw new FederationError('invalid_request', `${provider.name} Error - the provider sent no id_token.`);
    let attributes: Record<string, unknown> | undefined;
    const url = attributesRequestUrl(provider, profile, config.serverMetadata().userinfo_endpoint);
    if (url && tokens.access_token) {
      const res = await client.fetchProtectedResource(config, tokens.access_token, new URL(url), profile.attributesMethod);
      const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!res.ok || !body || typeof body !== 'object') {
        throw new FederationError('invalid_request', `${provider.name} Error - ${res.status} the attributes request failed.`);
      }
      if (profile.userinfo && idClaims && body.sub !== idClaims.sub) {
        throw new FederationError('invalid_request', `${provider.name} Error - the userInfo subject does not match the id_token.`);
      }
      attributes = body;
    }
    const claims = claimsOf(provider.type === 'SignInWithApple' ? appleUser(params.user) : undefined, idClaims, attributes);
    const subject = claims[profile.subjectClaim];
    if (typeof subject !== 'string' || !subject)
      throw new FederationError('invalid_request', `${provider.name} Error - the provider sent no ${profile.subjectClaim}.`);
    return { subject, claims };
  } catch (err) {
    throw asFederationError(provider, err);
  }
}

/** Sign in with Apple's `user` form field (first sign-in only): the name the user gave, as Cognito's Apple attributes. */
function appleUser(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    const u = JSON.parse(raw) as { name?: { firstName?: string; lastName?: string } };
    const first = u.name?.firstName;
    const last = u.name?.lastName;
    return { firstName: first, lastName: last, ...(first || last ? { name: [first, last].filter(Boolean).join(' ') } : {}) };
  } catch {
    return undefined;
  }
}

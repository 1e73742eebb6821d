// Logins from OpenID Connect providers (an identity pool's OpenIdConnectProviderARNs): the ID token checked as
// Cognito checks it, against the provider registered in CORRAL_IAM_PROVIDERS (identity/iam-providers.ts).
//
//   verifyOidcToken(provider, token, now) → the token's claims, or NotAuthorizedException worded as Cognito's:
//     "Invalid login token. Issuer doesn't match providerName"   iss is not the provider's issuer
//     'Invalid login token. Missing a required claim: aud'        (or sub)
//     'Invalid login token. Incorrect token audience.'            aud names none of the provider's ClientIDList
//     'Invalid login token. Token expired: <now> >= <exp>'
//     "Invalid login token. Couldn't verify signed token."        malformed, unsigned, bad signature, unknown key
//   ExternalServiceException when the provider's discovery or JWKS cannot be fetched.
//
// The signature is checked with jose against the keys at the `jwks_uri` of the issuer's
// `/.well-known/openid-configuration`. Both are cached in memory (a cache, not state: any instance fetches the same):
// the discovery document for an hour, the key set as jose's remote JWK set does (refetched, at most every 30 s, when a
// token names a key it does not have — so a provider's key rotation is picked up).
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { ExternalServiceException, NotAuthorizedException } from '../errors.js';
import type { OidcProvider } from './iam-providers.js';

export const OIDC_MESSAGES = {
  issuerMismatch: "Invalid login token. Issuer doesn't match providerName",
  audience: 'Invalid login token. Incorrect token audience.',
  unverified: "Invalid login token. Couldn't verify signed token.",
  missing: (claim: string) => `Invalid login token. Missing a required claim: ${claim}`,
  expired: (now: number, exp: number) => `Invalid login token. Token expired: ${now} >= ${exp}`,
};

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5000;
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

interface Discovered {
  issuer: string;
  keys: ReturnType<typeof createRemoteJWKSet>;
  at: number;
}

const discovered = new Map<string, Promise<Discovered>>();

async function discover(provider: OidcProvider, now: number): Promise<Discovered> {
  const url = `${provider.url}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
  const jwksUri = new URL(doc.jwks_uri);
  // The keys come from where the issuer's own scheme allows (http only for a loopback issuer).
  if (jwksUri.protocol !== 'https:' && !(jwksUri.protocol === 'http:' && provider.url.startsWith('http:'))) {
    throw new Error(`${url}: jwks_uri ${doc.jwks_uri} is not https`);
  }
  const issuer = typeof doc.issuer === 'string' ? doc.issuer : provider.url;
  return { issuer, keys: createRemoteJWKSet(jwksUri, { timeoutDuration: FETCH_TIMEOUT_MS, cooldownDuration: 30_000 }), at: now };
}

async function discovery(provider: OidcProvider, now: number): Promise<Discovered> {
  const cached = discovered.get(provider.url);
  if (cached) {
    const d = await cached.catch(() => undefined);
    if (d && now - d.at < DISCOVERY_TTL_MS) return d;
  }
  const fresh = discover(provider, now);
  discovered.set(provider.url, fresh);
  try {
    return await fresh;
  } catch (err) {
    discovered.delete(provider.url); // not cached: the next login tries again
    throw new ExternalServiceException(`The OpenID Connect provider ${provider.name} could not be reached: ${(err as Error).message}`);
  }
}

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export async function verifyOidcToken(provider: OidcProvider, token: string, nowMs: number): Promise<JWTPayload & { sub: string }> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw new NotAuthorizedException(OIDC_MESSAGES.unverified);
  }
  if (typeof unverified.iss !== 'string' || !sameIssuer(unverified.iss.replace(/^https?:\/\//i, ''), provider.name)) {
    throw new NotAuthorizedException(OIDC_MESSAGES.issuerMismatch);
  }
  for (const claim of ['aud', 'sub'] as const) {
    if (unverified[claim] === undefined) throw new NotAuthorizedException(OIDC_MESSAGES.missing(claim));
  }
  const d = await discovery(provider, nowMs);
  if (!sameIssuer(unverified.iss, d.issuer)) throw new NotAuthorizedException(OIDC_MESSAGES.issuerMismatch);
  const now = Math.floor(nowMs / 1000);
  try {
    const { payload } = await jwtVerify(token, d.keys, {
      issuer: unverified.iss,
      audience: provider.clientIds,
      algorithms: ALGORITHMS,
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new NotAuthorizedException(OIDC_MESSAGES.missing('sub'));
    return payload as JWTPayload & { sub: string };
  } catch (err) {
    if (err instanceof NotAuthorizedException) throw err;
    if (err instanceof errors.JWTExpired) throw new NotAuthorizedException(OIDC_MESSAGES.expired(now, Number(unverified.exp)));
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'aud') throw new NotAuthorizedException(OIDC_MESSAGES.audience);
      if (err.claim === 'iss') throw new NotAuthorizedException(OIDC_MESSAGES.issuerMismatch);
      if (err.reason === 'missing') throw new NotAuthorizedException(OIDC_MESSAGES.missing(err.claim));
      throw new NotAuthorizedException(OIDC_MESSAGES.unverified); // nbf / iat in the future
    }
    if (err instanceof errors.JWKSTimeout || (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC' && /fetch|JSON/i.test(err.message))) {
      throw new ExternalServiceException(`The OpenID Connect provider ${provider.name} did not give its keys: ${err.message}`);
    }
    throw new NotAuthorizedException(OIDC_MESSAGES.unverified);
  }
}

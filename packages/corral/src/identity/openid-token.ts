// GetOpenIdToken's tokens: RS256 JWTs Corral signs for an identity, and the key they are signed with.
//
// Claims, as Cognito's (cognito-identity.amazonaws.com) tokens:
//   iss = CORRAL_PUBLIC_URL (Cognito: https://cognito-identity.amazonaws.com), aud = the identity pool id,
//   sub = the identity id, amr = ['authenticated', '<provider>', '<provider>:CognitoSignIn:<sub>'] per login (or
//   ['unauthenticated']), 'https://cognito-identity.amazonaws.com/identity-pool-arn', iat, exp = iat + 10 minutes.
// Keys: one RSA key signs every identity pool's tokens (Cognito has one issuer for all pools). It is created on first
// use in `identity_signing_keys` (0008) with the key generation of crypto/signing-keys.ts (kid = RFC 7638 thumbprint,
// private key encrypted at rest); the user pools' `signing_keys` cannot hold it (its pool_id references user_pools).
// Instances racing to create it agree through a partial unique index (one current key). The public keys are served at
//   GET /.well-known/identity-jwks.json            { keys: [...] }
//   GET /.well-known/openid-configuration          { issuer: CORRAL_PUBLIC_URL, jwks_uri: …/identity-jwks.json, … }
// so a relying party (an OIDC verifier, or STS-like code) finds them from the issuer.
//
// API: mintOpenIdToken(app, { identityId, identityPoolId, logins }) → JWT
//      verifyOpenIdToken(app, token, identityPoolId?) → claims | undefined
//      openIdJwks(app) → PublicJwk[]
import { createPublicKey } from 'node:crypto';
import { decodeJwt, newKey, signJwt, toSigningKey, verifyJwtSignature, type PublicJwk, type SigningKey } from '../crypto/signing-keys.js';
import type { Corral } from '../runtime/app.js';
import type { VerifiedLogin } from './logins.js';
import { identityPoolArn } from './identity-pools.js';

export const OPENID_TOKEN_TTL_SECONDS = 600;
export const IDENTITY_JWKS_PATH = '/.well-known/identity-jwks.json';
const USE = 'openid';
const CACHE_MS = 60_000;

export interface OpenIdClaims {
  iss: string;
  aud: string;
  sub: string;
  amr: string[];
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

const caches = new WeakMap<Corral, { key?: SigningKey; at: number; pending?: Promise<SigningKey> }>();

async function readCurrent(app: Corral): Promise<SigningKey | undefined> {
  const found = await app.store.identity.findCurrentKey(USE);
  return found && toSigningKey(app, found);
}

async function loadOrCreate(app: Corral): Promise<SigningKey> {
  const found = await readCurrent(app);
  if (found) return found;
  const key = await newKey(app);
  if (await app.store.identity.insertCurrentKey(USE, key)) return toSigningKey(app, key);
  const winner = await readCurrent(app); // another instance created it first
  if (!winner) throw new Error('no current OpenID token key after losing its creation');
  return winner;
}

async function currentOpenIdKey(app: Corral): Promise<SigningKey> {
  let c = caches.get(app);
  if (!c) caches.set(app, (c = { at: 0 }));
  if (c.key && app.now() - c.at < CACHE_MS) return c.key;
  const cache = c;
  cache.pending ??= loadOrCreate(app).finally(() => (cache.pending = undefined));
  cache.key = await cache.pending;
  cache.at = app.now();
  return cache.key;
}

export async function openIdJwks(app: Corral): Promise<PublicJwk[]> {
  await currentOpenIdKey(app);
  const now = app.now();
  const keys = await app.store.identity.listPublicKeys(USE);
  return keys.filter((k) => k.expiresAt === null || k.expiresAt > now).map((k) => k.publicJwk);
}

type AmrLogin = Pick<VerifiedLogin, 'provider' | 'subject'> & { amr?: string[] };

/** `amr`: 'authenticated' then each login's entries (VerifiedLogin.amr: `<provider>`, then `<provider>:CognitoSignIn:<sub>`
 *  for user pools, `<issuer>:<aud>:<sub>` for OIDC, `<developer provider>:<identity pool>:<user>` for developers). */
export function amrOf(logins: AmrLogin[]): string[] {
  if (logins.length === 0) return ['unauthenticated'];
  return [
    'authenticated',
    ...logins.flatMap((l) => l.amr ?? (l.provider.startsWith('cognito-idp.') ? [l.provider, `${l.provider}:CognitoSignIn:${l.subject}`] : [l.provider])),
  ];
}

export async function mintOpenIdToken(
  app: Corral,
  input: {
    identityId: string;
    identityPoolId: string;
    logins: AmrLogin[];
    /** Seconds (GetOpenIdTokenForDeveloperIdentity's TokenDuration); default 10 minutes. */
    ttlSeconds?: number;
    /** GetOpenIdTokenForDeveloperIdentity's PrincipalTags: the `https://aws.amazon.com/tags` claim. */
    principalTags?: Record<string, string>;
  },
): Promise<string> {
  const key = await currentOpenIdKey(app);
  const iat = Math.floor(app.now() / 1000);
  const claims: OpenIdClaims = {
    sub: input.identityId,
    aud: input.identityPoolId,
    amr: amrOf(input.logins),
    iss: app.config.publicUrl,
    'https://cognito-identity.amazonaws.com/identity-pool-arn': identityPoolArn(app, input.identityPoolId),
    ...(input.principalTags && Object.keys(input.principalTags).length
      ? { 'https://aws.amazon.com/tags': { principal_tags: Object.fromEntries(Object.entries(input.principalTags).map(([k, v]) => [k, [v]])) } }
      : {}),
    exp: iat + (input.ttlSeconds ?? OPENID_TOKEN_TTL_SECONDS),
    iat,
  };
  return signJwt(key, claims);
}

/** The claims of a valid, unexpired token of this Corral (for `identityPoolId` when given). */
export async function verifyOpenIdToken(app: Corral, token: string, identityPoolId?: string): Promise<OpenIdClaims | undefined> {
  const jwt = decodeJwt(token);
  if (!jwt) return undefined;
  const jwk = (await openIdJwks(app)).find((k) => k.kid === jwt.kid);
  if (!jwk) return undefined;
  const publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  if (!verifyJwtSignature(jwt, publicKey)) return undefined;
  const c = jwt.payload as Partial<OpenIdClaims>;
  if (c.iss !== app.config.publicUrl || typeof c.exp !== 'number' || c.exp * 1000 <= app.now()) return undefined;
  if (identityPoolId !== undefined && c.aud !== identityPoolId) return undefined;
  return c as OpenIdClaims;
}

// The Logins map of the identity-pool calls, checked against the identity pool's providers. Each entry names its
// provider by its key:
//
//   user pool   `cognito-idp.<region>.amazonaws.com/<poolId>` (canonical; the SDKs and Amplify v5) or the ID token's
//               `iss` minus the scheme (what Amplify v6 builds, e.g. `localhost:9229/<poolId>`): an ID token of that
//               pool for one of the CognitoIdentityProviders' ClientId (verifyIdToken).
//   OIDC        the issuer without its scheme (`accounts.example.com`, `localhost:4000/oidc`), a provider of the pool's
//               OpenIdConnectProviderARNs registered in CORRAL_IAM_PROVIDERS: its ID token (identity/oidc-login.ts).
//   SAML        the provider's ARN (`arn:aws:iam::<account>:saml-provider/<Name>`), one of SamlProviderARNs: a base64
//               SAMLResponse (identity/saml-login.ts).
//   Cognito     `cognito-identity.amazonaws.com`: a token of GetOpenIdTokenForDeveloperIdentity / GetOpenIdToken for this
//               pool; it proves the identity it names (accepted by GetCredentialsForIdentity, GetOpenIdToken; GetId
//               refuses it, as Cognito: "Invalid login token. Can't pass in a Cognito token.").
//   developer   the pool's DeveloperProviderName: only GetOpenIdTokenForDeveloperIdentity (signed) may name it
//               (developerLogin); in the public calls it is not a supported provider.
//
// NotAuthorizedException, worded as Cognito's:
//   'Token is not from a supported provider of this identity pool.'  (unknown provider, or another app client)
//   "Invalid login token. Issuer doesn't match providerName"        (a token of another issuer under the key)
//   'Invalid login token. Token expired: <now> >= <exp>'
//   "Invalid login token. Couldn't verify signed token."           (malformed, bad signature, unknown key)
//   'Invalid login token. Incorrect token audience.'               (an OIDC token for none of the provider's clients)
import type { IdentityPool } from '@aws-sdk/client-cognito-identity';
import { NotAuthorizedException } from '../errors.js';
import { decodeJwt } from '../crypto/signing-keys.js';
import type { Corral } from '../runtime/app.js';
import { issuer, verifyIdToken } from '../domain/tokens.js';
import { regionOfId } from '../regions.js';
import { NO_IAM_PROVIDERS, oidcProviderArn, oidcProviderByArn, samlProviderByArn } from './iam-providers.js';
import { verifyOidcToken } from './oidc-login.js';
import { verifyOpenIdToken } from './openid-token.js';
import { verifySamlLogin } from './saml-login.js';

export const MESSAGES = {
  unsupportedProvider: 'Token is not from a supported provider of this identity pool.',
  issuerMismatch: "Invalid login token. Issuer doesn't match providerName",
  unverified: "Invalid login token. Couldn't verify signed token.",
  unauthenticated: 'Unauthenticated access is not supported for this identity pool.',
  loginsMismatch: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  cognitoToken: "Invalid login token. Can't pass in a Cognito token.",
};

/** Cognito's name for the provider of its own (GetOpenIdToken…) tokens, as a Logins key. */
export const COGNITO_IDENTITY_PROVIDER = 'cognito-identity.amazonaws.com';

export type LoginKind = 'userPool' | 'oidc' | 'saml' | 'developer' | 'cognito';

export interface VerifiedLogin {
  kind: LoginKind;
  /** The provider as identities link it: canonical user pool name, OIDC issuer host+path, SAML ARN, developer name. */
  provider: string;
  /** The provider as configured in the identity pool (a RoleMappings key starts with it). */
  configuredName: string;
  /** User pools: the app client (the RoleMappings key is `<ProviderName>:<ClientId>`). */
  clientId?: string;
  /** OIDC and SAML: the provider's IAM ARN (also accepted as a RoleMappings key). */
  arn?: string;
  /** The user at the provider: the `sub` (user pools, OIDC), the SAML NameID, the developer user identifier; for a
   *  Cognito token, the identity id it names. */
  subject: string;
  /** What the role mapping rules read: the token's claims, the SAML attributes. */
  claims: Record<string, unknown>;
  /** This login's `amr` entries in the identity's OpenID token (after 'authenticated'). */
  amr: string[];
}

/** `cognito-idp.<region>.amazonaws.com/<userPoolId>`, in the region the pool id names. */
export function canonicalProvider(app: Corral, userPoolId: string): string {
  return `cognito-idp.${regionOfId(userPoolId, app.config.region)}.amazonaws.com/${userPoolId}`;
}

const CANONICAL = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

/** The user pool id a provider name / Logins key names, in either form; undefined when it names none. */
export function userPoolIdOfProvider(app: Corral, name: string): string | undefined {
  const m = CANONICAL.exec(name);
  if (m) return m[1] === regionOfId(m[2]!, app.config.region) ? m[2] : undefined; // the pool's own region only
  const local = app.config.publicUrl.replace(/^\w+:\/\//, '');
  for (const base of [local, app.config.publicUrl]) {
    if (name.startsWith(`${base}/`)) {
      const rest = name.slice(base.length + 1);
      if (/^[\w-]+_[0-9a-zA-Z]+$/.test(rest)) return rest;
    }
  }
  return undefined;
}

/** The provider name a LoginsToRemove / stored entry means: user pools canonically, anything else as given. */
export function storedProviderName(app: Corral, name: string): string {
  const userPoolId = userPoolIdOfProvider(app, name);
  return userPoolId ? canonicalProvider(app, userPoolId) : name;
}

const registry = (app: Corral) => app.config.iamProviders ?? NO_IAM_PROVIDERS;

async function userPoolLogin(app: Corral, pool: IdentityPool, userPoolId: string, token: string): Promise<VerifiedLogin> {
  const candidates = (pool.CognitoIdentityProviders ?? []).filter((p) => p.ProviderName && userPoolIdOfProvider(app, p.ProviderName) === userPoolId);
  if (candidates.length === 0) throw new NotAuthorizedException(MESSAGES.unsupportedProvider);
  const jwt = decodeJwt(token);
  if (!jwt) throw new NotAuthorizedException(MESSAGES.unverified);
  if (jwt.payload.iss !== issuer(app, userPoolId)) throw new NotAuthorizedException(MESSAGES.issuerMismatch);
  let claims;
  try {
    claims = await verifyIdToken(app, token, { poolId: userPoolId });
  } catch (err) {
    const exp = jwt.payload.exp;
    if (err instanceof NotAuthorizedException && err.message === 'Id Token has expired' && typeof exp === 'number') {
      throw new NotAuthorizedException(`Invalid login token. Token expired: ${Math.floor(app.now() / 1000)} >= ${exp}`);
    }
    throw new NotAuthorizedException(MESSAGES.unverified);
  }
  const provider = candidates.find((p) => p.ClientId === claims.aud);
  if (!provider) throw new NotAuthorizedException(MESSAGES.unsupportedProvider);
  const name = canonicalProvider(app, userPoolId);
  return {
    kind: 'userPool',
    provider: name,
    configuredName: provider.ProviderName!,
    clientId: provider.ClientId!,
    subject: claims.sub,
    claims: claims as unknown as Record<string, unknown>,
    amr: [name, `${name}:CognitoSignIn:${claims.sub}`],
  };
}

/** The app client the token was verified for: its `azp` when the provider lists it, else the first `aud` it lists
 *  (a multi-audience token's aud[0] may be a stranger: jwtVerify only needs one audience to match). */
function matchedAudience(claims: { aud?: string | string[]; azp?: unknown }, clientIds: string[]): string | undefined {
  const auds = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (typeof claims.azp === 'string' && clientIds.includes(claims.azp)) return claims.azp;
  return auds.find((a) => clientIds.includes(a)) ?? auds[0];
}

async function oidcLogin(app: Corral, pool: IdentityPool, key: string, token: string): Promise<VerifiedLogin | undefined> {
  for (const arn of pool.OpenIdConnectProviderARNs ?? []) {
    const provider = oidcProviderByArn(registry(app), app.config.accountId, arn);
    if (!provider || provider.name !== key) continue;
    const claims = await verifyOidcToken(provider, token, app.now());
    const aud = matchedAudience(claims, provider.clientIds);
    return {
      kind: 'oidc',
      provider: provider.name,
      configuredName: provider.name,
      arn: oidcProviderArn(app.config.accountId, provider),
      subject: claims.sub,
      claims,
      amr: [provider.name, `${provider.name}:${aud}:${claims.sub}`],
    };
  }
  return undefined;
}

async function samlLogin(app: Corral, pool: IdentityPool, key: string, response: string): Promise<VerifiedLogin | undefined> {
  if (!(pool.SamlProviderARNs ?? []).includes(key)) return undefined;
  const provider = samlProviderByArn(registry(app), app.config.accountId, key);
  if (!provider) return undefined;
  const { nameId, attributes } = await verifySamlLogin(app, provider, key, response);
  return { kind: 'saml', provider: key, configuredName: key, arn: key, subject: nameId, claims: attributes, amr: [key, `${key}:${nameId}`] };
}

async function cognitoLogin(app: Corral, pool: IdentityPool, token: string): Promise<VerifiedLogin> {
  const claims = await verifyOpenIdToken(app, token, pool.IdentityPoolId);
  if (!claims) throw new NotAuthorizedException(MESSAGES.unverified);
  const amr = claims.amr.filter((a) => a !== 'authenticated' && a !== 'unauthenticated');
  return { kind: 'cognito', provider: COGNITO_IDENTITY_PROVIDER, configuredName: COGNITO_IDENTITY_PROVIDER, subject: claims.sub, claims, amr };
}

/** A developer provider's login (GetOpenIdTokenForDeveloperIdentity): nothing to verify, the caller is the developer. */
export function developerLogin(pool: IdentityPool, userIdentifier: string): VerifiedLogin {
  const name = pool.DeveloperProviderName!;
  return {
    kind: 'developer',
    provider: name,
    configuredName: name,
    subject: userIdentifier,
    claims: {},
    amr: [name, `${name}:${pool.IdentityPoolId}:${userIdentifier}`],
  };
}

/** Checks each Logins entry against the identity pool's providers (see the header). */
export async function verifyLogins(
  app: Corral,
  pool: IdentityPool,
  logins: Record<string, string> | undefined,
  opts: { cognitoToken?: boolean } = {},
): Promise<VerifiedLogin[]> {
  const out: VerifiedLogin[] = [];
  for (const [key, token] of Object.entries(logins ?? {})) {
    if (key === COGNITO_IDENTITY_PROVIDER) {
      if (!opts.cognitoToken) throw new NotAuthorizedException(MESSAGES.cognitoToken);
      out.push(await cognitoLogin(app, pool, token));
      continue;
    }
    const userPoolId = userPoolIdOfProvider(app, key);
    const login = userPoolId
      ? await userPoolLogin(app, pool, userPoolId, token)
      : ((await oidcLogin(app, pool, key, token)) ?? (await samlLogin(app, pool, key, token)));
    if (!login) throw new NotAuthorizedException(MESSAGES.unsupportedProvider);
    out.push(login);
  }
  return out;
}

// How Corral talks to each type of OIDC / OAuth 2.0 provider: endpoints, scopes, client authentication at the token
// endpoint, where the user's attributes come from and which claim is the subject.
//
// Social providers use their real endpoints by default (Cognito's ProviderDetails defaults below). A provider's
// ProviderDetails `authorize_url`, `token_url`, `attributes_url`, `oidc_issuer` and `jwks_uri` override them: that is
// how a social provider is pointed at a test provider (README, "Sign-in through other providers").
//   OIDC             oidc_issuer (discovery) or explicit URLs; ID token + userInfo (attributes_url, GET or POST per
//                    attributes_request_method); client_secret_basic where the provider supports it, else _post;
//                    no client_secret → a public client (PKCE only).
//   Google           an OIDC provider at https://accounts.google.com; ID token + the discovered userinfo endpoint
//                    (Cognito's People API attributes_url is replaced by the OIDC userinfo, which speaks the same
//                    attribute names as Google's ID token); client_secret_post.
//   SignInWithApple  https://appleid.apple.com; ID token only; response_mode=form_post when scopes are asked (Apple
//                    requires it); the client secret is an ES256 JWT made from team_id, key_id and private_key.
//   Facebook         Graph API: code exchange, then GET <attributes_url>fields=<id and the mapped attributes>; no ID
//                    token; subject `id`.
//   LoginWithAmazon  code exchange, then GET https://api.amazon.com/user/profile; no ID token; subject `user_id`.
import { importPKCS8, SignJWT } from 'jose';
import type { IdentityProvider } from './providers.js';

export type TokenAuth = 'client_secret_post' | 'client_secret_basic' | 'none' | 'auto';

export interface ProviderProfile {
  /** The OpenID issuer (discovery and the ID token's `iss`); undefined for plain OAuth 2.0 providers. */
  issuer?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  jwksUri?: string;
  /** The attributes endpoint; `undefined` with `userinfo` true: the discovered userinfo_endpoint. */
  attributesUrl?: string;
  attributesMethod: 'GET' | 'POST';
  /** The attributes endpoint is an OIDC userinfo endpoint (its `sub` must be the ID token's). */
  userinfo: boolean;
  /** Whether the token response must carry an ID token (checked: signature, iss, aud, nonce). */
  idToken: boolean;
  /** The attribute that names the user at the provider. */
  subjectClaim: string;
  tokenAuth: TokenAuth;
  scope: string;
  authorizeParams: Record<string, string>;
  clientId: string;
  /** The client secret to present (Apple: a fresh JWT). */
  clientSecret: () => Promise<string | undefined>;
}

const FACEBOOK_API_VERSION = 'v17.0';

/** Cognito's default ProviderDetails endpoints per social type (what DescribeIdentityProvider shows). */
export function socialDefaults(type: IdentityProvider['type'], details: Record<string, string> = {}): Record<string, string> {
  switch (type) {
    case 'Google':
      return {
        authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
        token_url: 'https://www.googleapis.com/oauth2/v4/token',
        attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
        oidc_issuer: 'https://accounts.google.com',
      };
    case 'Facebook': {
      const v = details.api_version || FACEBOOK_API_VERSION;
      return {
        authorize_url: `https://www.facebook.com/${v}/dialog/oauth`,
        token_url: `https://graph.facebook.com/${v}/oauth/access_token`,
        attributes_url: `https://graph.facebook.com/${v}/me?fields=`,
      };
    }
    case 'LoginWithAmazon':
      return {
        authorize_url: 'https://www.amazon.com/ap/oa',
        token_url: 'https://api.amazon.com/auth/o2/token',
        attributes_url: 'https://api.amazon.com/user/profile',
      };
    case 'SignInWithApple':
      return {
        authorize_url: 'https://appleid.apple.com/auth/authorize',
        token_url: 'https://appleid.apple.com/auth/token',
        oidc_issuer: 'https://appleid.apple.com',
      };
    default:
      return {};
  }
}

const GOOGLE_PEOPLE_API = 'https://people.googleapis.com/';

/** `authorize_scopes` as the provider expects them (Facebook: comma-separated; the others: space-separated). */
function scopeOf(type: IdentityProvider['type'], given: string | undefined, fallback: string): string {
  const list = (given ?? fallback).split(/[\s,]+/).filter(Boolean);
  if ((type === 'OIDC' || type === 'Google') && !list.includes('openid')) list.unshift('openid');
  return list.join(type === 'Facebook' ? ',' : ' ');
}

export function profileOf(provider: IdentityProvider): ProviderProfile {
  const d = { ...socialDefaults(provider.type, provider.details), ...withoutEmpty(provider.details) };
  const secret = d.client_secret;
  const common = {
    authorizeUrl: d.authorize_url,
    tokenUrl: d.token_url,
    jwksUri: d.jwks_uri,
    clientId: d.client_id ?? '',
    clientSecret: async () => secret,
    authorizeParams: {} as Record<string, string>,
  };
  switch (provider.type) {
    case 'OIDC':
      return {
        ...common,
        issuer: d.oidc_issuer,
        attributesUrl: d.attributes_url,
        attributesMethod: d.attributes_request_method?.toUpperCase() === 'POST' ? 'POST' : 'GET',
        userinfo: true,
        idToken: true,
        subjectClaim: 'sub',
        tokenAuth: secret ? 'auto' : 'none',
        scope: scopeOf('OIDC', d.authorize_scopes, 'openid'),
      };
    case 'Google':
      return {
        ...common,
        issuer: d.oidc_issuer,
        attributesUrl: d.attributes_url && !d.attributes_url.startsWith(GOOGLE_PEOPLE_API) ? d.attributes_url : undefined,
        attributesMethod: 'GET',
        userinfo: true,
        idToken: true,
        subjectClaim: 'sub',
        tokenAuth: 'client_secret_post',
        scope: scopeOf('Google', d.authorize_scopes, 'openid email profile'),
      };
    case 'SignInWithApple': {
      const scope = scopeOf('SignInWithApple', d.authorize_scopes, '');
      return {
        ...common,
        issuer: d.oidc_issuer,
        jwksUri: d.jwks_uri ?? (d.oidc_issuer === 'https://appleid.apple.com' ? 'https://appleid.apple.com/auth/keys' : undefined),
        attributesMethod: 'GET',
        userinfo: false,
        idToken: true,
        subjectClaim: 'sub',
        tokenAuth: 'client_secret_post',
        scope,
        authorizeParams: scope ? { response_mode: 'form_post' } : {},
        clientSecret: async () => secret ?? (await appleClientSecret(d)),
      };
    }
    case 'Facebook':
      return {
        ...common,
        attributesUrl: d.attributes_url,
        attributesMethod: 'GET',
        userinfo: false,
        idToken: false,
        subjectClaim: 'id',
        tokenAuth: 'client_secret_post',
        scope: scopeOf('Facebook', d.authorize_scopes, 'public_profile'),
      };
    case 'LoginWithAmazon':
      return {
        ...common,
        attributesUrl: d.attributes_url,
        attributesMethod: 'GET',
        userinfo: false,
        idToken: false,
        subjectClaim: 'user_id',
        tokenAuth: 'client_secret_post',
        scope: scopeOf('LoginWithAmazon', d.authorize_scopes, 'profile'),
      };
    default:
      throw new Error(`not an OIDC or OAuth 2.0 provider type: ${provider.type}`);
  }
}

function withoutEmpty(details: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => typeof v === 'string' && v !== ''));
}

/**
 * The URL to read attributes from after the code exchange. Facebook's Graph API answers only the `fields` asked: the
 * subject `id` and the provider attributes of the AttributeMapping (attributes_url ends with `fields=`).
 */
export function attributesRequestUrl(provider: IdentityProvider, profile: ProviderProfile, discovered?: string): string | undefined {
  const url = profile.attributesUrl ?? (profile.userinfo ? discovered : undefined);
  if (!url || provider.type !== 'Facebook') return url;
  const fields = [...new Set(['id', ...Object.values(provider.attributeMapping)])].join(',');
  const u = new URL(url);
  u.searchParams.set('fields', fields);
  return u.toString();
}

/** Sign in with Apple's client secret: an ES256 JWT from the developer's team, signed with the key Apple issued. */
async function appleClientSecret(d: Record<string, string>): Promise<string> {
  if (!d.team_id || !d.key_id || !d.private_key || !d.client_id) throw new Error('Sign in with Apple needs client_id, team_id, key_id and private_key.');
  const pem = d.private_key.includes('BEGIN') ? d.private_key : `-----BEGIN PRIVATE KEY-----\n${d.private_key}\n-----END PRIVATE KEY-----`;
  const key = await importPKCS8(pem, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: d.key_id })
    .setIssuer(d.team_id)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setAudience(d.oidc_issuer ?? 'https://appleid.apple.com')
    .setSubject(d.client_id)
    .sign(key);
}

// ProviderDetails of CreateIdentityProvider / UpdateIdentityProvider, per ProviderType, as the API reference
// describes them (CreateIdentityProviderRequest.ProviderDetails): the keys Cognito requires, the endpoints and
// settings it fills in (what DescribeIdentityProvider then shows), OIDC endpoints discovered from oidc_issuer, and
// SAML details checked by saml.ts. Also the names and attribute mappings Cognito accepts.
//
// Corral's one extension: a social provider's endpoint keys (authorize_url, token_url, attributes_url, oidc_issuer,
// jwks_uri) may be given, and are then kept instead of the provider's real endpoints — how tests point Google,
// Facebook, Login with Amazon and Sign in with Apple at a local provider. Cognito fills in its own values.
import { createPrivateKey } from 'node:crypto';
import { InvalidParameterException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { poolSchema } from '../attribute-schema.js';
import type { Pool } from '../pools.js';
import { validateSamlDetails } from './saml.js';

export const PROVIDER_TYPES = ['SAML', 'OIDC', 'Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'] as const;
export type ProviderTypeName = (typeof PROVIDER_TYPES)[number];
export const SOCIAL_TYPES: ReadonlySet<string> = new Set(['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

/** Detail keys that are secrets: encrypted at rest; `private_key` is never described (client_secret is, as on AWS). */
export const SECRET_KEYS: readonly string[] = ['client_secret', 'private_key'];
export const UNDESCRIBED_KEYS: ReadonlySet<string> = new Set(['private_key']);

/** How long Corral waits for an OIDC provider's discovery document. */
export const DISCOVERY_TIMEOUT_MS = 5_000;

/** The attribute each provider type's `username` is mapped from when AttributeMapping does not say (Cognito's). */
const USERNAME_FROM: Partial<Record<ProviderTypeName, string>> = {
  Google: 'sub',
  Facebook: 'id',
  LoginWithAmazon: 'user_id',
  SignInWithApple: 'sub',
  OIDC: 'sub',
};

const invalid = (m: string): never => {
  throw new InvalidParameterException(m);
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkUrl(key: string, value: string): void {
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    invalid(`${key} ${value} is not a valid URL.`);
  }
  // https, except on loopback (as for app clients' callback URLs): local providers in development and tests.
  if (u!.protocol !== 'https:' && !(u!.protocol === 'http:' && LOOPBACK.has(u!.hostname))) invalid(`${key} ${value} must use the HTTPS protocol.`);
}

function requireKeys(type: string, details: Record<string, string>, keys: string[]): void {
  if (keys.every((k) => details[k]?.trim())) return;
  const list = keys.length === 2 ? keys.join(' and ') : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
  // Cognito's words for a social provider without them: "client_id, client_secret and authorize_scopes are all
  // required idp details" (aws-amplify/amplify-js#8941); the same form for the other types.
  invalid(`${list} are all required idp details${type === 'OIDC' || type === 'SignInWithApple' ? ` for ${type}` : ''}`);
}

function keepGiven(details: Record<string, string>, defaults: Record<string, string>): Record<string, string> {
  return { ...defaults, ...details };
}

function checkEndpointUrls(details: Record<string, string>): void {
  for (const key of ['authorize_url', 'token_url', 'attributes_url', 'jwks_uri', 'oidc_issuer']) if (details[key]) checkUrl(key, details[key]);
}

function checkMethod(details: Record<string, string>, key: string): void {
  if (details[key] !== undefined && details[key] !== 'GET' && details[key] !== 'POST') invalid(`${key} must be GET or POST.`);
}

function google(details: Record<string, string>): Record<string, string> {
  requireKeys('Google', details, ['client_id', 'client_secret', 'authorize_scopes']);
  const out = keepGiven(details, {
    attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
    attributes_url_add_attributes: 'true',
    authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    oidc_issuer: 'https://accounts.google.com',
    token_request_method: 'POST',
    token_url: 'https://www.googleapis.com/oauth2/v4/token',
  });
  checkEndpointUrls(out);
  return out;
}

function facebook(details: Record<string, string>): Record<string, string> {
  requireKeys('Facebook', details, ['client_id', 'client_secret', 'authorize_scopes']);
  const v = details.api_version || 'v17.0';
  if (!/^v\d+\.\d+$/.test(v)) invalid(`api_version ${v} is not a valid Facebook API version.`);
  const out = keepGiven(details, {
    api_version: v,
    attributes_url: `https://graph.facebook.com/${v}/me?fields=`,
    attributes_url_add_attributes: 'true',
    authorize_url: `https://www.facebook.com/${v}/dialog/oauth`,
    token_request_method: 'GET',
    token_url: `https://graph.facebook.com/${v}/oauth/access_token`,
  });
  checkEndpointUrls(out);
  return out;
}

function loginWithAmazon(details: Record<string, string>): Record<string, string> {
  requireKeys('LoginWithAmazon', details, ['client_id', 'client_secret', 'authorize_scopes']);
  const out = keepGiven(details, {
    attributes_url: 'https://api.amazon.com/user/profile',
    attributes_url_add_attributes: 'false',
    authorize_url: 'https://www.amazon.com/ap/oa',
    token_request_method: 'POST',
    token_url: 'https://api.amazon.com/auth/o2/token',
  });
  checkEndpointUrls(out);
  return out;
}

function signInWithApple(details: Record<string, string>): Record<string, string> {
  requireKeys('SignInWithApple', details, ['client_id', 'team_id', 'key_id', 'private_key', 'authorize_scopes']);
  const pem = details.private_key!.includes('-----BEGIN')
    ? details.private_key!
    : `-----BEGIN PRIVATE KEY-----\n${details.private_key}\n-----END PRIVATE KEY-----`;
  try {
    if (createPrivateKey(pem).asymmetricKeyType !== 'ec') invalid('private_key must be the EC private key Apple issued (a .p8 file).');
  } catch (err) {
    if (err instanceof InvalidParameterException) throw err;
    invalid('private_key must be the EC private key Apple issued (a .p8 file).');
  }
  const out = keepGiven(details, {
    attributes_url_add_attributes: 'false',
    authorize_url: 'https://appleid.apple.com/auth/authorize',
    oidc_issuer: 'https://appleid.apple.com',
    token_request_method: 'POST',
    token_url: 'https://appleid.apple.com/auth/token',
  });
  checkEndpointUrls(out);
  return out;
}

interface Discovery {
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
}

/** The provider's discovery document (`<issuer>/.well-known/openid-configuration`), or InvalidParameterException. */
async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), redirect: 'error', headers: { accept: 'application/json' } });
  } catch {
    return invalid(`Unable to contact the OIDC discovery endpoint ${url}.`);
  }
  let doc: unknown;
  try {
    doc = res.ok ? await res.json() : undefined;
  } catch {
    doc = undefined;
  }
  if (!doc || typeof doc !== 'object') return invalid(`The OIDC discovery endpoint ${url} did not answer a discovery document (HTTP ${res.status}).`);
  return doc as Discovery;
}

const OIDC_ENDPOINTS: [key: string, from: keyof Discovery][] = [
  ['authorize_url', 'authorization_endpoint'],
  ['token_url', 'token_endpoint'],
  ['attributes_url', 'userinfo_endpoint'],
  ['jwks_uri', 'jwks_uri'],
];

async function oidc(details: Record<string, string>): Promise<Record<string, string>> {
  requireKeys('OIDC', details, ['client_id', 'authorize_scopes', 'oidc_issuer']);
  checkUrl('oidc_issuer', details.oidc_issuer!);
  const out: Record<string, string> = { attributes_request_method: 'GET', attributes_url_add_attributes: 'false', ...details };
  checkMethod(out, 'attributes_request_method');
  if (!out.authorize_scopes!.split(/[\s,]+/).includes('openid')) invalid('authorize_scopes must include openid for OIDC');
  // Cognito reads the endpoints from oidc_issuer's discovery document; it accepts them given when it cannot.
  if (OIDC_ENDPOINTS.some(([key]) => !out[key])) {
    const doc = await discover(out.oidc_issuer!);
    for (const [key, from] of OIDC_ENDPOINTS) if (!out[key] && typeof doc[from] === 'string') out[key] = doc[from];
    for (const key of ['authorize_url', 'token_url', 'jwks_uri'])
      if (!out[key])
        invalid(
          `The OIDC discovery document of ${out.oidc_issuer} has no ${key === 'authorize_url' ? 'authorization_endpoint' : key === 'token_url' ? 'token_endpoint' : 'jwks_uri'}.`,
        );
  }
  checkEndpointUrls(out);
  return out;
}

/** ProviderDetails checked and completed for `type` (secrets included, in the clear). */
export async function normaliseDetails(app: Corral, poolId: string, type: string, details: Record<string, string>): Promise<Record<string, string>> {
  switch (type) {
    case 'Google':
      return google(details);
    case 'Facebook':
      return facebook(details);
    case 'LoginWithAmazon':
      return loginWithAmazon(details);
    case 'SignInWithApple':
      return signInWithApple(details);
    case 'OIDC':
      return oidc(details);
    case 'SAML':
      return validateSamlDetails(app, poolId, details);
    default:
      return invalid(`${type} is not a valid provider type.`);
  }
}

/** CreateIdentityProvider's rules for a name of a type: "Cognito" is reserved; a social provider is named by its type. */
export function checkProviderName(name: string, type: string): void {
  if (name.toLowerCase() === 'cognito') invalid(`The provider name ${name} is reserved.`);
  // "Provider NameOfGP cannot be of type Google." (aws/aws-cli#3179): Google, Facebook, LoginWithAmazon and
  // SignInWithApple providers are named as their type, and no other provider may take those names.
  if (SOCIAL_TYPES.has(type) ? name !== type : SOCIAL_TYPES.has(name)) invalid(`Provider ${name} cannot be of type ${type}.`);
}

/**
 * AttributeMapping as Cognito keeps it: every key a user pool attribute (standard, or a custom attribute of the
 * pool, or `username`), never `sub`; `username` mapped from the provider's subject when not given (Google, Apple and
 * OIDC: `sub`, Facebook: `id`, Login with Amazon: `user_id`; SAML has none).
 */
export function normaliseMapping(pool: Pool, type: string, mapping: Record<string, string> | undefined): Record<string, string> {
  const names = new Set(poolSchema(pool).map((a) => a.Name!));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(mapping ?? {})) {
    if (key === 'sub') invalid('The sub attribute cannot be mapped.');
    if (key !== 'username' && !names.has(key)) invalid(`Invalid attribute mapping: ${key} is not an attribute of the user pool.`);
    if (!value) invalid(`Invalid attribute mapping: the provider attribute for ${key} is empty.`);
    out[key] = value;
  }
  const username = USERNAME_FROM[type as ProviderTypeName];
  if (username && !out.username) out.username = username;
  return out;
}

/** IdpIdentifiers: each once. (That no other provider of the pool holds one is storage's check, under the lock.) */
export function checkIdentifiers(identifiers: string[] | undefined): string[] {
  const list = identifiers ?? [];
  const seen = new Set<string>();
  for (const id of list) {
    if (seen.has(id)) invalid(`Duplicate IdpIdentifier ${id}.`);
    seen.add(id);
  }
  return list;
}

// SAML 2.0 identity providers of a user pool (SP side, as Cognito is).
//
// The pool is the service provider `urn:amazon:cognito:sp:<poolId>`; its assertion consumer service (ACS) is
// `<publicUrl><base>/saml2/idpresponse` (base `/<poolId>` or `/_domains/<prefix>`, as the OAuth endpoints).
//
// SP-initiated sign-in: /oauth2/authorize?identity_provider=<SAML provider> → startSamlSignIn answers
// `<base>/saml2/start?request=<sealed>`; that hop (http/oauth/saml.ts → beginSamlRequest) binds the sign-in to the
// browser with a random cookie, remembers the AuthnRequest in the database (saml_requests: its ID, the app's
// authorization request, the cookie's keyed hash; 10 minutes) and redirects to the IdP's HTTP-Redirect SSO URL with
// the AuthnRequest (signed with the pool's SAML signing key when RequestSigningAlgorithm is rsa-sha256) and
// RelayState = the request's ID (an opaque reference, as Cognito's). The IdP POSTs SAMLResponse + RelayState back.
//
// IdP-initiated sign-in (IDPInit "true" only): an unsolicited response whose RelayState is the /oauth2/authorize
// parameters Cognito documents (identity_provider or idp_identifier, client_id, redirect_uri, response_type, scope,
// state…), checked as the authorize endpoint checks them.
//
// verifySamlResponse: @node-saml/node-saml checks the XML signature (the response's or the assertion's) against the
// IdP's metadata certificates, the Issuer (the IdP's entity ID), the Audience (the SP entity ID), NotBefore /
// NotOnOrAfter (±SAML_CLOCK_SKEW_MS) and decrypts EncryptedAssertion with the pool's encryption key; then here, on the
// signed assertion: SubjectConfirmationData Recipient = the ACS, the Response's Destination (when present) = the ACS,
// InResponseTo = the pending request's ID (SP-initiated) or none at all (IdP-initiated); and last the assertion ID
// is spent once in the database (spent_sessions: one INSERT, the primary key refuses every later or racing one, on
// any instance) until the assertion expires.
import { randomBytes } from 'node:crypto';
import type { Profile, SAML } from '@node-saml/node-saml';
import { keyedHash, safeEqual, seal, unseal } from '../../crypto/box.js';
import { SAML_CLOCK_SKEW_MS, samlIssuedBy, samlServiceProvider, validateSamlResponse } from '../../crypto/saml.js';
import { InvalidParameterException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { AuthorizeRequest } from '../oauth/authorize.js';
import type { Client, Pool } from '../pools.js';
import type { IdentityProvider } from './providers.js';
import { certificateBody, samlKey } from './saml-keys.js';
import { MetadataError, parseIdpMetadata, type IdpMetadata } from './saml-metadata.js';

export const SAML_REQUEST_TTL_MS = 10 * 60_000;
/** How long a MetadataURL may take to answer, and how large its document may be. */
export const METADATA_FETCH_TIMEOUT_MS = 5_000;
const METADATA_MAX_BYTES = 1_000_000;
/** The saml2/idpresponse endpoint takes SAML responses of up to 100,000 characters, as Cognito's. */
export const MAX_SAML_RESPONSE_CHARS = 100_000;

export const spEntityId = (poolId: string) => `urn:amazon:cognito:sp:${poolId}`;
export const acsUrl = (app: Corral, base: string) => `${app.config.publicUrl}${base}/saml2/idpresponse`;

const BOOLEAN_KEYS = ['IDPSignout', 'IDPInit', 'EncryptedResponses'] as const;
/** What Cognito derives from the metadata and shows in DescribeIdentityProvider (given back on Update: recomputed). */
const DERIVED_KEYS = ['SSORedirectBindingURI', 'SLORedirectBindingURI', 'SLOPostBindingURI', 'ActiveEncryptionCertificate'];
const KNOWN_KEYS = new Set(['MetadataFile', 'MetadataURL', 'RequestSigningAlgorithm', ...BOOLEAN_KEYS, ...DERIVED_KEYS]);

async function fetchMetadata(url: string): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidParameterException('MetadataURL is not a valid URL.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InvalidParameterException('MetadataURL must be an http or https URL.');
  let text: string;
  try {
    const res = await fetch(u, { signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS), redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > METADATA_MAX_BYTES) throw new Error('the document is too large');
    text = body.toString('utf8');
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${METADATA_FETCH_TIMEOUT_MS / 1000} seconds` : (err as Error).message;
    throw new InvalidParameterException(`Unable to retrieve metadata from MetadataURL: ${why}.`);
  }
  return text;
}

function invalidMetadata(err: unknown): never {
  if (err instanceof MetadataError) throw new InvalidParameterException(`Invalid SAML metadata: ${err.message}.`);
  throw err;
}

/**
 * Checks a SAML provider's ProviderDetails for Create/UpdateIdentityProvider (MetadataFile or MetadataURL, IDPSignout,
 * IDPInit, EncryptedResponses, RequestSigningAlgorithm) and answers them normalised as Cognito describes them
 * (e.g. fetched MetadataURL content kept, ActiveEncryptionCertificate). Throws InvalidParameterException.
 *
 * The answer holds the given keys plus SSORedirectBindingURI (and SLORedirectBindingURI / SLOPostBindingURI when the
 * metadata has them) and, with EncryptedResponses "true", ActiveEncryptionCertificate (the pool's encryption
 * certificate, base64 DER). For a MetadataURL the fetched document is kept as MetadataFile too: sign-ins read the
 * IdP's certificates from it, never from the network.
 */
export async function validateSamlDetails(app: Corral, poolId: string, details: Record<string, string>): Promise<Record<string, string>> {
  for (const key of Object.keys(details)) {
    if (!KNOWN_KEYS.has(key)) throw new InvalidParameterException(`${key} is not a valid ProviderDetails key for a SAML identity provider.`);
  }
  const hasFile = details.MetadataFile !== undefined && details.MetadataFile !== '';
  const hasUrl = details.MetadataURL !== undefined && details.MetadataURL !== '';
  // Given back as Describe showed it (URL + its fetched file): the URL is what counts, and is fetched again.
  if (!hasFile && !hasUrl) throw new InvalidParameterException('At least one of the MetadataURL or MetadataFile should be provided.');
  const out: Record<string, string> = {};
  let document: string;
  if (hasUrl) {
    out.MetadataURL = details.MetadataURL!;
    document = await fetchMetadata(details.MetadataURL!);
  } else {
    document = details.MetadataFile!;
  }
  out.MetadataFile = document;
  const metadata = await parseIdpMetadata(document, app.now()).catch(invalidMetadata);
  for (const key of BOOLEAN_KEYS) {
    const v = details[key];
    if (v === undefined) continue;
    if (v !== 'true' && v !== 'false') throw new InvalidParameterException(`${key} must be true or false.`);
    out[key] = v;
  }
  if (details.RequestSigningAlgorithm !== undefined) {
    if (details.RequestSigningAlgorithm !== 'rsa-sha256') throw new InvalidParameterException('RequestSigningAlgorithm must be rsa-sha256.');
    out.RequestSigningAlgorithm = 'rsa-sha256';
  }
  out.SSORedirectBindingURI = metadata.ssoRedirect;
  if (metadata.sloRedirect) out.SLORedirectBindingURI = metadata.sloRedirect;
  if (metadata.sloPost) out.SLOPostBindingURI = metadata.sloPost;
  if (out.EncryptedResponses === 'true') out.ActiveEncryptionCertificate = certificateBody((await samlKey(app, poolId, 'encryption')).certificate);
  return out;
}

/** The provider's metadata, as validateSamlDetails kept it. */
export async function providerMetadata(app: Corral, provider: IdentityProvider): Promise<IdpMetadata> {
  const doc = provider.details.MetadataFile;
  if (!doc) throw new MetadataError('the provider has no metadata');
  return parseIdpMetadata(doc, app.now());
}

// ---- SP-initiated: the hop that binds the browser, then the AuthnRequest --------------------------------------------

const START_PURPOSE = 'saml-start';
const BROWSER_PURPOSE = 'saml-browser';
/** The cookie that binds a SAML sign-in to the browser that started it (Path: <base>/saml2). */
export const SAML_BROWSER_COOKIE = 'corral-saml';
export const SAML_BROWSER_COOKIE_MAX_AGE = SAML_REQUEST_TTL_MS / 1000;

interface StartState {
  request: AuthorizeRequest;
  provider: string;
}

/** The URL the browser goes to for the IdP (an AuthnRequest, signed when the provider asks), remembering `request`. */
export async function startSamlSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  request: AuthorizeRequest,
  provider: IdentityProvider,
  base: string,
): Promise<string> {
  if (provider.type !== 'SAML' || provider.poolId !== pool.id || request.clientId !== client.id) throw new Error('startSamlSignIn: mismatched arguments');
  const sealed = seal(app.secrets.serverKey, START_PURPOSE, { request, provider: provider.name } satisfies StartState, SAML_REQUEST_TTL_MS / 1000, app.now());
  return `${app.config.publicUrl}${base}/saml2/start?${new URLSearchParams({ request: sealed }).toString()}`;
}

/** What the start hop opens: the app's request and the provider, or undefined when it does not open (or expired). */
export function openSamlStart(app: Corral, sealed: string | undefined): StartState | undefined {
  if (!sealed) return undefined;
  const r = unseal<StartState>(app.secrets.serverKey, START_PURPOSE, sealed, app.now());
  return r.ok ? r.payload : undefined;
}

/** The browser's binding value: the one it sent when well-formed (32 random bytes, base64url), else a new one. */
export function samlBrowserBinding(sent: string | undefined): string {
  return sent && /^[A-Za-z0-9_-]{43}$/.test(sent) ? sent : randomBytes(32).toString('base64url');
}

const browserHash = (app: Corral, binding: string) => keyedHash(app.secrets.serverKey, BROWSER_PURPOSE, binding);

const pendingId = () => `_${randomBytes(20).toString('hex')}`;
const PENDING_ID = /^_[0-9a-f]{40}$/;

// InResponseTo is checked here against saml_requests (crypto/saml.ts leaves it to the caller).
function samlClient(app: Corral, pool: Pool, base: string, options: Partial<ConstructorParameters<typeof SAML>[0]> & { idpCert: string | string[] }) {
  return samlServiceProvider({
    issuer: spEntityId(pool.id),
    callbackUrl: acsUrl(app, base),
    audience: spEntityId(pool.id),
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    ...options,
  });
}

/**
 * The start hop: remembers the AuthnRequest for `binding`'s browser and answers the IdP's SSO URL with it
 * (HTTP-Redirect binding, signed with the pool's SAML signing key when RequestSigningAlgorithm is rsa-sha256).
 */
export async function beginSamlRequest(
  app: Corral,
  pool: Pool,
  base: string,
  provider: IdentityProvider,
  request: AuthorizeRequest,
  binding: string,
): Promise<string> {
  const metadata = await providerMetadata(app, provider);
  const id = pendingId();
  const signed = provider.details.RequestSigningAlgorithm === 'rsa-sha256';
  const key = signed ? await samlKey(app, pool.id, 'signing') : undefined;
  const saml = samlClient(app, pool, base, {
    idpCert: metadata.signingCertificates,
    entryPoint: metadata.ssoRedirect,
    generateUniqueId: () => id,
    ...(key ? { privateKey: key.privateKey, signatureAlgorithm: 'sha256' as const } : {}),
  });
  const url = await saml.getAuthorizeUrlAsync(id, undefined, {});
  const now = app.now();
  await app.store.saml.insertRequest({
    id,
    poolId: pool.id,
    providerName: provider.name,
    request: JSON.stringify(request),
    browserHash: browserHash(app, binding),
    expiresAt: now + SAML_REQUEST_TTL_MS,
  });
  if (Math.random() < 0.02) await app.store.saml.deleteExpiredRequests(now);
  return url;
}

// ---- The response ---------------------------------------------------------------------------------------------------

/** A refused SAML response; `description` is what the app's callback (or the error page) is told. */
export class SamlResponseError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** The solicited request a RelayState names (SP-initiated), if it is one of ours and still pending. */
export interface PendingSignIn {
  id: string;
  providerName: string;
  request: AuthorizeRequest;
  /** Whether it was started by the browser that sent `binding`. */
  sameBrowser: boolean;
}

export async function pendingSignIn(app: Corral, pool: Pool, relayState: string | undefined, binding: string | undefined): Promise<PendingSignIn | undefined> {
  if (!relayState || !PENDING_ID.test(relayState)) return undefined;
  const row = await app.store.saml.findRequest(relayState, app.now());
  if (!row || row.poolId !== pool.id) return undefined;
  return {
    id: row.id,
    providerName: row.providerName,
    request: JSON.parse(row.request) as AuthorizeRequest,
    sameBrowser: binding !== undefined && safeEqual(browserHash(app, binding), row.browserHash),
  };
}

/** Whether a RelayState looks like one of our request references (as opposed to IdP-initiated parameters). */
export const isRequestReference = (relayState: string | undefined) => relayState !== undefined && PENDING_ID.test(relayState);

export interface VerifiedAssertion {
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  /** The assertion's attributes by Name (several values: string[]). */
  attributes: Record<string, string | string[]>;
}

type XmlJs = { $?: Record<string, string>; _?: string; [k: string]: unknown };
const first = (v: unknown): XmlJs | undefined => (Array.isArray(v) ? (v[0] as XmlJs) : undefined);

function describeLibraryError(err: Error): string {
  const m = err.message;
  if (/signature/i.test(m)) return 'Error in SAML response processing: SAML Assertion signature is invalid';
  if (/audience/i.test(m)) return 'Invalid SAML response received: Audience restriction failed: the assertion is not for this service provider';
  if (/not yet valid/i.test(m)) return 'Invalid SAML response received: the assertion is not yet valid (NotBefore)';
  if (/expired|too old/i.test(m)) return 'Invalid SAML response received: the assertion has expired (NotOnOrAfter)';
  if (/issuer/i.test(m)) return 'Invalid SAML response received: the issuer is not the identity provider';
  if (/subject confirmation/i.test(m)) return 'Invalid SAML response received: no valid SubjectConfirmation';
  if (/SAML provider returned/i.test(m)) return `Invalid SAML response received: ${m}`;
  return 'Invalid SAML response received: the response could not be processed';
}

/**
 * Verifies a POSTed SAMLResponse from `provider` at `base`'s ACS: for a solicited one `pending` is its request;
 * undefined means unsolicited (IdP-initiated), accepted only with IDPInit "true". Spends the assertion ID once.
 */
export async function verifySamlResponse(
  app: Corral,
  pool: Pool,
  base: string,
  provider: IdentityProvider,
  samlResponse: string | undefined,
  pending: { id: string } | undefined,
): Promise<VerifiedAssertion> {
  if (!samlResponse) throw new SamlResponseError('Invalid SAML response received: SAMLResponse is missing');
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS) throw new SamlResponseError('Invalid SAML response received: the response is too large');
  if (!pending && provider.details.IDPInit !== 'true')
    throw new SamlResponseError('Invalid SAML response received: IdP-initiated sign-in is not enabled for this identity provider');
  let metadata: IdpMetadata;
  try {
    metadata = await providerMetadata(app, provider);
  } catch (err) {
    throw new SamlResponseError(`Invalid SAML response received: the identity provider's metadata is not usable (${(err as Error).message})`);
  }
  const encrypted = provider.details.EncryptedResponses === 'true';
  const saml = samlClient(app, pool, base, {
    idpCert: metadata.signingCertificates,
    idpIssuer: metadata.entityId,
    ...(encrypted ? { decryptionPvk: (await samlKey(app, pool.id, 'encryption')).privateKey } : {}),
  });
  let profile: Profile | null;
  try {
    profile = await validateSamlResponse(saml, samlResponse);
  } catch (err) {
    throw new SamlResponseError(describeLibraryError(err as Error));
  }
  if (!profile) throw new SamlResponseError('Invalid SAML response received: the response has no assertion');
  const acs = acsUrl(app, base);
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  const assertionId = assertion?.$?.ID;
  if (!assertion || !assertionId) throw new SamlResponseError('Invalid SAML response received: the assertion has no ID');
  if (encrypted && !/EncryptedAssertion/.test(Buffer.from(samlResponse, 'base64').toString('utf8')))
    throw new SamlResponseError('Invalid SAML response received: the identity provider must encrypt its assertions');

  // Destination of the Response (signed when the response is), Recipient of the signed assertion: this ACS.
  const responseXml = profile.getSamlResponseXml?.() ?? '';
  const destination = /^[^]*?<(?:\w+:)?Response\b[^>]*?\sDestination="([^"]*)"/.exec(responseXml)?.[1];
  if (destination !== undefined && destination.replace(/&amp;/g, '&') !== acs)
    throw new SamlResponseError('Invalid SAML response received: the Destination is not this assertion consumer service');
  const subject = first(assertion.Subject);
  const confirmations = (Array.isArray(subject?.SubjectConfirmation) ? subject.SubjectConfirmation : []) as XmlJs[];
  const bearer = confirmations.filter((c) => c.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer').map((c) => first(c.SubjectConfirmationData)?.$ ?? {});
  if (bearer.length === 0) throw new SamlResponseError('Invalid SAML response received: the assertion has no bearer SubjectConfirmation');
  const data = bearer.find((d) => d.Recipient === acs);
  if (!data) throw new SamlResponseError('Invalid SAML response received: the Recipient is not this assertion consumer service');
  // node-saml checks the Conditions' times; the bearer confirmation's own window is checked here.
  const now = app.now();
  if (data.NotOnOrAfter === undefined || !(now - SAML_CLOCK_SKEW_MS < Date.parse(data.NotOnOrAfter)))
    throw new SamlResponseError('Invalid SAML response received: the assertion has expired (NotOnOrAfter)');
  if (data.NotBefore !== undefined && !(now + SAML_CLOCK_SKEW_MS >= Date.parse(data.NotBefore)))
    throw new SamlResponseError('Invalid SAML response received: the assertion is not yet valid (NotBefore)');
  if (!samlIssuedBy(profile, metadata.entityId)) throw new SamlResponseError('Invalid SAML response received: the issuer is not the identity provider');

  // InResponseTo: the pending request's ID when solicited; none at all when not.
  const inResponseTo = data.InResponseTo;
  const responseInResponseTo = /^[^]*?<(?:\w+:)?Response\b[^>]*?\sInResponseTo="([^"]*)"/.exec(responseXml)?.[1];
  if (pending) {
    if (inResponseTo !== pending.id || (responseInResponseTo !== undefined && responseInResponseTo !== pending.id))
      throw new SamlResponseError('Invalid SAML response received: InResponseTo does not match the authentication request');
  } else if (inResponseTo !== undefined || responseInResponseTo !== undefined) {
    throw new SamlResponseError('Invalid SAML response received: the response answers an authentication request that is unknown or has expired');
  }

  if (!profile.nameID) throw new SamlResponseError('Invalid SAML response received: the assertion has no NameID');
  // Replay: the assertion ID is accepted once (across instances), until the assertion could no longer be accepted.
  const until = Math.max(
    ...[first(assertion.Conditions)?.$?.NotOnOrAfter, data.NotOnOrAfter].map((t) => (t ? Date.parse(t) : NaN)).filter((t) => !Number.isNaN(t)),
    now + SAML_REQUEST_TTL_MS,
  );
  const spent = keyedHash(app.secrets.serverKey, 'saml-assertion', `${pool.id}\u0000${metadata.entityId}\u0000${assertionId}`);
  if (!(await app.store.spentSessions.spend(spent, until + SAML_CLOCK_SKEW_MS)))
    throw new SamlResponseError('Invalid SAML response received: the assertion has already been used');

  const attributes: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries((profile.attributes ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') attributes[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) attributes[name] = value as string[];
  }
  return {
    assertionId,
    issuer: profile.issuer,
    nameId: profile.nameID,
    ...(profile.nameIDFormat ? { nameIdFormat: profile.nameIDFormat } : {}),
    attributes,
  };
}

// Logins from SAML providers (an identity pool's SamlProviderARNs, registered in CORRAL_IAM_PROVIDERS with the IdP's
// metadata): the Logins value is the IdP's base64 SAMLResponse, checked as AWS checks one sent to its sign-in
// endpoint — by @node-saml/node-saml, against the signing certificates and entityID of the IdP's metadata:
//   the Response or its Assertion signed by one of the IdP's signing certificates (XML signature; altered → refused),
//   the assertion's Issuer is the IdP's entityID, the Audience is AWS's SP `urn:amazon:webservices`, the time
//   conditions (NotBefore / NotOnOrAfter, 60 s of clock skew) hold (crypto/saml.ts: as user pools check theirs).
// An assertion is not spent by use: GetId and GetCredentialsForIdentity take the same SAMLResponse, as with AWS.
// Failures are NotAuthorizedException "Invalid login token. <what node-saml found>" (Corral's wording).
//
//   verifySamlLogin(app, provider, arn, response) → { nameId, attributes }   attributes by Name, each a list of values
//     (what role mapping rules read; `https://aws.amazon.com/SAML/Attributes/Role` carries `role ARN,provider ARN`).
import { samlIssuedBy, samlServiceProvider, validateSamlResponse } from '../crypto/saml.js';
import { NotAuthorizedException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { SamlProvider } from './iam-providers.js';

/** AWS's SAML service provider, the audience an IdP gives assertions for AWS. */
export const AWS_SAML_AUDIENCE = 'urn:amazon:webservices';
export const AWS_SAML_ACS = 'https://signin.aws.amazon.com/saml';
export const SAML_ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';

interface IdpMetadata {
  entityId: string;
  certs: string[];
}

const parsed = new Map<string, IdpMetadata>();

/** The IdP's entityID and signing certificates (KeyDescriptor use="signing" or without use) from its metadata. */
export function idpMetadata(xml: string): IdpMetadata {
  const cached = parsed.get(xml);
  if (cached) return cached;
  const entityId = /<(?:[\w-]+:)?EntityDescriptor\b[^>]*?\bentityID="([^"]+)"/.exec(xml)?.[1];
  const idp = /<(?:[\w-]+:)?IDPSSODescriptor\b[\s\S]*?<\/(?:[\w-]+:)?IDPSSODescriptor>/.exec(xml)?.[0];
  const certs: string[] = [];
  for (const m of (idp ?? '').matchAll(/<(?:[\w-]+:)?KeyDescriptor\b([^>]*)>([\s\S]*?)<\/(?:[\w-]+:)?KeyDescriptor>/g)) {
    const use = /\buse="(\w+)"/.exec(m[1]!)?.[1];
    if (use && use !== 'signing') continue;
    for (const c of m[2]!.matchAll(/<(?:[\w-]+:)?X509Certificate>([\s\S]*?)<\/(?:[\w-]+:)?X509Certificate>/g)) certs.push(c[1]!.replace(/\s+/g, ''));
  }
  if (!entityId || certs.length === 0) throw new Error('the SAML metadata names no IdP entityID with a signing certificate');
  const meta = { entityId, certs };
  parsed.set(xml, meta);
  return meta;
}

export async function verifySamlLogin(
  _app: Corral,
  provider: SamlProvider,
  _arn: string,
  response: string,
): Promise<{ nameId: string; attributes: Record<string, unknown> }> {
  let meta: IdpMetadata;
  try {
    meta = idpMetadata(provider.metadata);
  } catch (err) {
    throw new NotAuthorizedException(`Invalid login token. The SAML provider ${provider.name} has unusable metadata: ${(err as Error).message}`);
  }
  const saml = samlServiceProvider({
    idpCert: meta.certs,
    idpIssuer: meta.entityId,
    issuer: AWS_SAML_AUDIENCE,
    audience: AWS_SAML_AUDIENCE,
    callbackUrl: AWS_SAML_ACS,
  });
  let profile;
  try {
    profile = await validateSamlResponse(saml, response);
  } catch (err) {
    throw new NotAuthorizedException(`Invalid login token. ${(err as Error).message}`);
  }
  if (!profile || !samlIssuedBy(profile, meta.entityId))
    throw new NotAuthorizedException(`Invalid login token. Unknown SAML issuer: ${String(profile?.issuer)}`);
  if (!profile.nameID) throw new NotAuthorizedException('Invalid login token. The SAML assertion has no NameID.');
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((profile.attributes as Record<string, unknown> | undefined) ?? {})) {
    attributes[name] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return { nameId: profile.nameID, attributes };
}

/** The role ARNs the assertion's Role attribute grants through `providerArn` (pairs in either order). */
export function samlRoles(attributes: Record<string, unknown>, providerArn: string): string[] {
  const values = Array.isArray(attributes[SAML_ROLE_ATTRIBUTE]) ? (attributes[SAML_ROLE_ATTRIBUTE] as string[]) : [];
  const roles: string[] = [];
  for (const v of values) {
    const parts = v.split(',').map((p) => p.trim());
    if (parts.length !== 2 || !parts.includes(providerArn)) continue;
    const role = parts.find((p) => p !== providerArn && /:role\//.test(p));
    if (role) roles.push(role);
  }
  return roles;
}

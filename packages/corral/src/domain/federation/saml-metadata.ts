// An IdP's SAML 2.0 metadata (what Create/UpdateIdentityProvider's MetadataFile or MetadataURL gives), read with the
// XML parser of @node-saml/node-saml; and the pool's own SP metadata, as Cognito publishes it.
import { X509Certificate } from 'node:crypto';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService with the HTTP-Redirect binding (the AuthnRequest goes there). */
  ssoRedirect: string;
  sloRedirect?: string;
  sloPost?: string;
  /** The IdP's signing certificates, PEM. */
  signingCertificates: string[];
}

export class MetadataError extends Error {}

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

/** Reads IdP metadata; throws MetadataError with what is wrong. `now`: certificates must not have expired. */
export async function parseIdpMetadata(xml: string, now: number): Promise<IdpMetadata> {
  let doc: Document;
  try {
    doc = await parseDomFromString(xml.trim());
  } catch {
    throw new MetadataError('the metadata is not well-formed XML');
  }
  const md = "*[local-name()='EntityDescriptor' and namespace-uri()='urn:oasis:names:tc:SAML:2.0:metadata']";
  const entities = xpath.selectElements(doc, `/${md} | /*[local-name()='EntitiesDescriptor']/${md}`);
  if (entities.length !== 1) throw new MetadataError('the metadata must describe exactly one EntityDescriptor');
  const entity = entities[0]!;
  const entityId = entity.getAttribute('entityID') ?? '';
  if (!entityId) throw new MetadataError('the EntityDescriptor has no entityID');
  const idps = xpath.selectElements(entity, "./*[local-name()='IDPSSODescriptor']");
  if (idps.length !== 1) throw new MetadataError('the metadata has no IDPSSODescriptor');
  const idp = idps[0]!;
  const service = (kind: string, binding: string) =>
    xpath
      .selectElements(idp, `./*[local-name()='${kind}']`)
      .find((e) => e.getAttribute('Binding') === binding)
      ?.getAttribute('Location') || undefined;
  const ssoRedirect = service('SingleSignOnService', REDIRECT);
  if (!ssoRedirect) throw new MetadataError('the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect binding');
  checkUrl(ssoRedirect, 'SingleSignOnService');
  const signingCertificates: string[] = [];
  for (const kd of xpath.selectElements(idp, "./*[local-name()='KeyDescriptor']")) {
    const use = kd.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const c of xpath.selectElements(kd, ".//*[local-name()='X509Certificate']")) {
      const body = (c.textContent ?? '').replace(/\s+/g, '');
      if (body.length > 4096) throw new MetadataError('a signing certificate is longer than 4096 characters');
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem(body));
      } catch {
        throw new MetadataError('a signing certificate is not a valid X.509 certificate');
      }
      if (Date.parse(cert.validTo) <= now) throw new MetadataError('the signing certificate has expired');
      signingCertificates.push(pem(body));
    }
  }
  if (signingCertificates.length === 0) throw new MetadataError('the IDPSSODescriptor has no signing certificate');
  const sloRedirect = service('SingleLogoutService', REDIRECT);
  const sloPost = service('SingleLogoutService', POST);
  return { entityId, ssoRedirect, signingCertificates, ...(sloRedirect ? { sloRedirect } : {}), ...(sloPost ? { sloPost } : {}) };
}

function checkUrl(url: string, what: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MetadataError(`the ${what} location is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new MetadataError(`the ${what} location is not an http(s) URL`);
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The pool's SP metadata: entity ID urn:amazon:cognito:sp:<poolId>, its signing (and encryption) certificate, the ACS. */
export function spMetadata(p: { entityId: string; acsUrl: string; signingCertificate: string; encryptionCertificate?: string }): string {
  const key = (use: string, body: string) =>
    `<KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`;
  return `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(p.entityId)}">
<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
${key('signing', p.signingCertificate)}
${p.encryptionCertificate ? `${key('encryption', p.encryptionCertificate)}\n` : ''}<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>
<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>
<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</NameIDFormat>
<AssertionConsumerService index="1" isDefault="true" Binding="${POST}" Location="${esc(p.acsUrl)}"/>
</SPSSODescriptor>
</EntityDescriptor>
`;
}

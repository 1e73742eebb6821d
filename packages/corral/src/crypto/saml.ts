// SAML 2.0 responses from an identity provider, checked by @node-saml/node-saml the one way Corral checks them — for a
// user pool's SAML providers (domain/federation/saml.ts) and an identity pool's SAML logins (identity/saml-login.ts):
// the Response or its Assertion signed by one of the IdP's certificates (either will do), the Audience, the
// Conditions' NotBefore / NotOnOrAfter within SAML_CLOCK_SKEW_MS. InResponseTo is left to the caller (checked against
// the database, never node-saml's in-memory cache), and so is the Issuer: node-saml checks `idpIssuer` on logout
// messages only (samlIssuedBy).
import { SAML, ValidateInResponseTo, type Profile, type SamlConfig } from '@node-saml/node-saml';

/** How far an IdP's clock may be off (NotBefore / NotOnOrAfter). */
export const SAML_CLOCK_SKEW_MS = 60_000;

/** node-saml set up as a service provider that verifies responses as described above; `config` adds the rest. */
export function samlServiceProvider(config: SamlConfig): SAML {
  return new SAML({
    validateInResponseTo: ValidateInResponseTo.never,
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    ...config,
  });
}

/** A POSTed (base64) SAMLResponse's profile; throws node-saml's error when the response does not verify. */
export async function validateSamlResponse(saml: SAML, samlResponse: string): Promise<Profile | null> {
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  return profile;
}

/** Whether the verified assertion's Issuer is the IdP's entity ID (node-saml does not check it on responses). */
export const samlIssuedBy = (profile: Profile, entityId: string): boolean => profile.issuer === entityId;

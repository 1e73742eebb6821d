// A user's passkeys as ListWebAuthnCredentials and DeleteWebAuthnCredential see them.
import type { WebAuthnCredentialDescription } from '@aws-sdk/client-cognito-identity-provider';
import { ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { WebAuthnCredential } from '../../storage/webauthn-credentials.js';
import { afterToken, pageToken } from '../pools.js';

export type { WebAuthnCredential } from '../../storage/webauthn-credentials.js';

/** Cognito's quota of passkeys per user. */
export const MAX_PASSKEYS_PER_USER = 20;
/** ListWebAuthnCredentials' MaxResults (the model allows 0–20; 0 or none means a full page). */
const MAX_PAGE = 20;

/** Every passkey of the user (there are at most MAX_PASSKEYS_PER_USER). */
export function userPasskeys(app: Corral, poolId: string, sub: string): Promise<WebAuthnCredential[]> {
  return app.store.webAuthnCredentials.listForUser(poolId, sub, { limit: MAX_PASSKEYS_PER_USER });
}

/** Names of well-known passkey providers by AAGUID; others are "Passkey" or "Security key" by attachment. */
const PROVIDERS: Record<string, string> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
};

export function friendlyName(aaguid: string, attachment: unknown): string {
  return PROVIDERS[aaguid] ?? (attachment === 'cross-platform' ? 'Security key' : 'Passkey');
}

export function describePasskey(c: WebAuthnCredential): WebAuthnCredentialDescription {
  return {
    CredentialId: c.credentialId,
    FriendlyCredentialName: c.friendlyName,
    RelyingPartyId: c.relyingPartyId,
    ...(c.attachment ? { AuthenticatorAttachment: c.attachment } : {}),
    AuthenticatorTransports: c.transports,
    CreatedAt: new Date(c.createdAt),
  };
}

export async function listPasskeys(
  app: Corral,
  poolId: string,
  sub: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<{ Credentials: WebAuthnCredentialDescription[]; NextToken?: string }> {
  const after = afterToken(nextToken);
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, MAX_PAGE) : MAX_PAGE;
  const rows = await app.store.webAuthnCredentials.listForUser(poolId, sub, { after, limit: size + 1 });
  const page = rows.slice(0, size);
  return { Credentials: page.map(describePasskey), ...(rows.length > size ? { NextToken: pageToken(page[page.length - 1]!.credentialId) } : {}) };
}

export async function deletePasskey(app: Corral, poolId: string, sub: string, credentialId: string): Promise<void> {
  if (!(await app.store.webAuthnCredentials.delete(poolId, sub, credentialId))) {
    throw new ResourceNotFoundException('The WebAuthn credential does not exist.');
  }
}

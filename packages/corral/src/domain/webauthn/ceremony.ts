// What both ceremonies read from a credential the browser returned (RegistrationResponseJSON /
// AuthenticationResponseJSON, https://www.w3.org/TR/webauthn-3/#dictdef-registrationresponsejson): its shape, the
// client data, the authenticator data. Malformed input is InvalidParameterException, never a 500.
import { createHash } from 'node:crypto';
import { decodeClientDataJSON, isoBase64URL, parseAuthenticatorData, type ClientDataJSON, type ParsedAuthenticatorData } from '@simplewebauthn/server/helpers';
import { InvalidParameterException } from '../../errors.js';

export interface CredentialJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: Record<string, unknown>;
  authenticatorAttachment?: string;
  clientExtensionResults?: Record<string, unknown>;
}

const isB64url = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && /^[A-Za-z0-9_-]+={0,2}$/.test(v);

/** The credential as an object (CompleteWebAuthnRegistration sends a document, RespondToAuthChallenge a string). */
export function credentialJson(value: unknown, fields: readonly string[]): CredentialJson {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new InvalidParameterException('The credential is not valid JSON.');
    }
  }
  const c = v as Partial<CredentialJson> | null;
  if (!c || typeof c !== 'object' || !isB64url(c.id) || !isB64url(c.rawId) || c.type !== 'public-key' || !c.response || typeof c.response !== 'object') {
    throw new InvalidParameterException('The credential is not a valid public key credential.');
  }
  if (c.id !== c.rawId) throw new InvalidParameterException('The credential id and raw id differ.');
  for (const f of fields) if (!isB64url(c.response[f])) throw new InvalidParameterException(`The credential response has no valid ${f}.`);
  return c as CredentialJson;
}

export function clientDataOf(c: CredentialJson, type: 'webauthn.create' | 'webauthn.get'): ClientDataJSON {
  let data: ClientDataJSON;
  try {
    data = decodeClientDataJSON(c.response.clientDataJSON as string);
  } catch {
    throw new InvalidParameterException('The credential has no valid clientDataJSON.');
  }
  if (!data || typeof data !== 'object' || data.type !== type || typeof data.challenge !== 'string' || typeof data.origin !== 'string') {
    throw new InvalidParameterException(`The credential's client data is not a ${type} ceremony.`);
  }
  return data;
}

/** Bytes as the library types them. */
export type Bytes = ReturnType<typeof isoBase64URL.toBuffer>;

export function authenticatorData(bytes: Bytes): ParsedAuthenticatorData {
  try {
    return parseAuthenticatorData(bytes);
  } catch {
    throw new InvalidParameterException('The credential has no valid authenticator data.');
  }
}

export function b64urlBytes(s: string): Bytes {
  return isoBase64URL.toBuffer(s);
}

/** Whether the authenticator data was made for `rpId` (its first 32 bytes are SHA-256 of the id). */
export function madeFor(data: ParsedAuthenticatorData, rpId: string): boolean {
  return Buffer.from(data.rpIdHash).equals(createHash('sha256').update(rpId, 'utf8').digest());
}

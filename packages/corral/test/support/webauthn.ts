// A software WebAuthn authenticator for tests, built on node:crypto alone (its own small CBOR encoder): it answers
// CredentialCreationOptions with a RegistrationResponseJSON ("none" attestation) and CREDENTIAL_REQUEST_OPTIONS
// with an AuthenticationResponseJSON, as a browser and a passkey provider would. Every field a test may want to
// get wrong (origin, rp id, user verification, the sign count, the key algorithm, the challenge) can be set.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [k: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: string; alg: number }[];
  excludeCredentials?: { id: string }[];
  authenticatorSelection?: { userVerification?: string; residentKey?: string; requireResidentKey?: boolean };
  timeout?: number;
}

export interface RequestOptions {
  challenge: string;
  rpId: string;
  allowCredentials?: { id: string; type: string; transports?: string[] }[];
  userVerification?: string;
  timeout?: number;
}

export interface Ceremony {
  origin?: string;
  /** The rp id the authenticator hashes (default: the one in the options). */
  rpId?: string;
  /** Whether the user-verified flag is set (default true). */
  userVerified?: boolean;
  /** The challenge put in the client data (default: the options'). */
  challenge?: string;
  type?: string;
}

/** A passkey held by the software authenticator. */
export class SoftPasskey {
  readonly id: Buffer;
  readonly alg: number;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  signCount: number;
  userHandle = '';

  constructor(opts: { alg?: -7 | -8; signCount?: number; id?: Buffer } = {}) {
    this.alg = opts.alg ?? -7;
    this.id = opts.id ?? randomBytes(32);
    this.signCount = opts.signCount ?? 0;
    const pair = this.alg === -8 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get credentialId(): string {
    return b64url(this.id);
  }

  /** A clone: the same key and id, with its own sign count (a copied authenticator). */
  clone(signCount: number): SoftPasskey {
    const twin = Object.create(SoftPasskey.prototype) as SoftPasskey;
    Object.assign(twin, this, { signCount });
    return twin;
  }

  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x!, 'base64url');
    if (this.alg === -8)
      return cbor(
        new Map<Cbor, Cbor>([
          [1, 1],
          [3, -8],
          [-1, 6],
          [-2, x],
        ]),
      );
    const y = Buffer.from(jwk.y!, 'base64url');
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, x],
        [-3, y],
      ]),
    );
  }

  private authData(rpId: string, uv: boolean, attested: boolean): Buffer {
    const flags = 0x01 | (uv ? 0x04 : 0) | (attested ? 0x40 : 0);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.signCount);
    const parts: Buffer[] = [sha256(rpId), Buffer.from([flags]), count];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.id.length);
      parts.push(Buffer.alloc(16), len, this.id, this.coseKey());
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** navigator.credentials.create(): a RegistrationResponseJSON. */
  register(options: CreationOptions, c: Ceremony = {}): Record<string, unknown> {
    this.userHandle = options.user.id;
    const clientDataJSON = this.clientData(c.type ?? 'webauthn.create', c.challenge ?? options.challenge, c.origin ?? `https://${options.rp.id}`);
    const authData = this.authData(c.rpId ?? options.rp.id, c.userVerified ?? true, true);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return this.credential({
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      transports: ['internal'],
      publicKeyAlgorithm: this.alg,
      authenticatorData: b64url(authData),
    });
  }

  /** navigator.credentials.get(): an AuthenticationResponseJSON; the sign count goes up by one first (unless `bump` is false). */
  assert(options: RequestOptions, c: Ceremony & { bump?: boolean } = {}): Record<string, unknown> {
    if (c.bump !== false) this.signCount++;
    const clientDataJSON = this.clientData(c.type ?? 'webauthn.get', c.challenge ?? options.challenge, c.origin ?? `https://${options.rpId}`);
    const authData = this.authData(c.rpId ?? options.rpId, c.userVerified ?? true, false);
    const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
    const signature = sign(this.alg === -8 ? null : 'sha256', signed, this.privateKey);
    return this.credential({
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      ...(this.userHandle ? { userHandle: this.userHandle } : {}),
    });
  }

  /** A PublicKeyCredential's JSON around `response`. */
  private credential(response: Record<string, unknown>): Record<string, unknown> {
    return { id: this.credentialId, rawId: this.credentialId, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {}, response };
  }
}

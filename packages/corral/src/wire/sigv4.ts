// Verifies AWS Signature Version 4 on signed operations, answering with the errors AWS's front end uses.
// The payload hash is always computed from the bytes received, never taken from the client: Cognito's JSON APIs
// (unlike S3) know no `UNSIGNED-PAYLOAD`, so a body that is not the one signed fails the signature. When the client
// sends `x-amz-content-sha256`, it must be the hash of those bytes.
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException, UnrecognizedClientException } from '../errors.js';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const SHA256_HEADER = 'x-amz-content-sha256';
/** AWS's answer to a signature that does not match (the canonical request, or the body it covers). */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 as the signer asks for them (its Checksum interface), from node:crypto (OpenSSL)
 *  instead of a pure-JavaScript SHA-256: the canonical request is still @smithy/signature-v4's own. */
class NodeSha256 {
  readonly #secret: Buffer | undefined;
  #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#fresh();
  }
  #fresh(): Hash | Hmac {
    return this.#secret ? createHmac('sha256', this.#secret) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
  reset(): void {
    this.#hash = this.#fresh();
  }
}

/** One signer per key, region and service: it keeps the signing key it derived (four HMACs) for the day. */
const SIGNERS_MAX = 64;
const signers = new Map<string, SignatureV4>();
function signerFor(key: AccessKey, region: string, service: string): SignatureV4 {
  const id = `${key.accessKeyId}\u0000${key.secretAccessKey}\u0000${region}\u0000${service}`;
  let signer = signers.get(id);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      region,
      service,
      sha256: NodeSha256,
      uriEscapePath: true,
      applyChecksum: false,
    });
    if (signers.size >= SIGNERS_MAX) signers.clear();
    signers.set(id, signer);
  }
  return signer;
}

function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** What a valid signature tells: who signed, and the region of its credential scope (`…/<date>/<region>/…`). */
export interface VerifiedSignature {
  accessKeyId: string;
  region: string;
}

/** Returns the access key id and scope region of a valid signature; throws the AWS error otherwise. */
export async function verifySigV4(
  req: SignedRequest,
  service: string,
  keys: (accessKeyId: string) => AccessKey | undefined,
  now: Date = new Date(),
): Promise<VerifiedSignature> {
  const header = req.headers['authorization'];
  const authorization = Array.isArray(header) ? header[0] : header;
  if (!authorization) throw new MissingAuthenticationTokenException('Missing Authentication Token');
  const m = AUTH_RE.exec(authorization.trim());
  if (!m) {
    throw new IncompleteSignatureException(
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization.split(' ')[0]}`,
    );
  }
  const [accessKeyId, scopeDate, region, scopeService, terminator] = m[1]!.split('/');
  if (!accessKeyId || !scopeDate || !region || !scopeService || terminator !== 'aws4_request') {
    throw new IncompleteSignatureException(`Credential should be scoped to a valid region, service and date.`);
  }
  const key = keys(accessKeyId);
  if (!key) throw new UnrecognizedClientException('The security token included in the request is invalid.');
  if (scopeService !== service) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${service}'. `);
  }
  const dateHeader = req.headers['x-amz-date'];
  const rawDate = (Array.isArray(dateHeader) ? dateHeader[0] : dateHeader) ?? '';
  const signedAt = parseAmzDate(rawDate);
  if (!signedAt) throw new IncompleteSignatureException(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    const earlier = signedAt.getTime() < now.getTime();
    throw new InvalidSignatureException(
      earlier
        ? `Signature expired: ${rawDate} is now earlier than ${amzDate(new Date(now.getTime() - MAX_SKEW_MS))} (${amzDate(now)} - 15 min.)`
        : `Signature not yet current: ${rawDate} is still later than ${amzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${amzDate(now)} + 15 min.)`,
    );
  }

  // The hash of the bytes received is what the canonical request carries. A client's `x-amz-content-sha256` that
  // says otherwise (another body's hash, UNSIGNED-PAYLOAD, STREAMING-…) signed something else: the signature fails.
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  const claimed = req.headers[SHA256_HEADER];
  if (claimed !== undefined && (Array.isArray(claimed) ? claimed.join(',') : claimed) !== payloadHash) {
    throw new InvalidSignatureException(SIGNATURE_MISMATCH);
  }

  const signedHeaders = m[2]!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const v = req.headers[name];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  // (The signer takes a signed x-amz-content-sha256 as the payload hash; it was just checked to be this body's.)
  const signed = await signerFor(key, region, service).sign(
    { method: req.method, protocol: 'http:', hostname: headers['host'] ?? '', path: req.path, query: req.query, headers, body: req.body },
    { signingDate: signedAt, signableHeaders: new Set(signedHeaders), unsignableHeaders: new Set() },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
  const given = Buffer.from(m[3]!);
  if (expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), given)) {
    throw new InvalidSignatureException(SIGNATURE_MISMATCH);
  }
  return { accessKeyId, region };
}

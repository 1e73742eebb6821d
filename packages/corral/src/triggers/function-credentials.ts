// The access key pair trigger functions get in their environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), so a
// function written for AWS can call back into Corral with an AWS SDK — today only KMS Decrypt (the custom senders'
// `@aws-crypto/client-node` KmsKeyringNode decrypts the code with it; AWS_ENDPOINT_URL_KMS points at Corral).
//
//   functionCredentials(app) → { accessKeyId, secretAccessKey }
//   Derived from the server key by keyed hashes (crypto/box.ts keyedHash, purposes `function-credentials:id` and
//   `function-credentials:secret`), so every instance sharing a database (and so a server key) gives the same pair,
//   nothing is stored, and a new server key gives a new pair. The pair is not the admin's: only the endpoints that
//   check `isFunctionCredentials` accept it (KMS Decrypt); the Cognito API refuses it as an unknown key.
import type { Corral } from '../runtime/app.js';
import { keyedHash, safeEqual } from '../crypto/box.js';

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const cache = new WeakMap<Buffer, FunctionCredentials>();

function derive(serverKey: Buffer): FunctionCredentials {
  let pair = cache.get(serverKey);
  if (!pair) {
    const idHex = keyedHash(serverKey, 'function-credentials:id', 'corral');
    const id = [...Buffer.from(idHex, 'hex').subarray(0, 16)].map((b) => ALPHABET[b % 32]).join('');
    const secret = Buffer.from(keyedHash(serverKey, 'function-credentials:secret', 'corral'), 'hex')
      .toString('base64url')
      .slice(0, 40);
    // ASIA…: AWS's prefix for temporary credentials (functions on Lambda get those, with a session token).
    pair = { accessKeyId: `ASIA${id}`, secretAccessKey: secret };
    cache.set(serverKey, pair);
  }
  return pair;
}

/** The functions' key pair (deterministic per server key). */
export function functionCredentials(app: Pick<Corral, 'secrets'>): FunctionCredentials {
  return derive(app.secrets.serverKey);
}

/** Whether `accessKeyId` is the functions' key id (for an endpoint that accepts it, to pick the secret to check). */
export function isFunctionCredentials(app: Pick<Corral, 'secrets'>, accessKeyId: string): boolean {
  return safeEqual(accessKeyId, derive(app.secrets.serverKey).accessKeyId);
}

/** A session token for the functions' environment (AWS_SESSION_TOKEN: SDKs send it as X-Amz-Security-Token; Lambda
 *  always sets one). It carries nothing: the endpoints check the signature with the pair above. */
export function functionSessionToken(app: Pick<Corral, 'secrets'>): string {
  return Buffer.from(keyedHash(app.secrets.serverKey, 'function-credentials:session', 'corral'), 'hex').toString('base64');
}

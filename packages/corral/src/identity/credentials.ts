// Temporary AWS credentials for identities (GetCredentialsForIdentity), without an STS.
//
// Design. Real Cognito hands the identity's role to STS, which returns an access key id, a secret and a session
// token that AWS services later check. Corral has no STS, so the credentials carry their own proof:
//   AccessKeyId   'ASIA' + 16 random uppercase letters/digits (the shape of STS temporary keys).
//   SecretKey     40 random base64 characters.
//   SessionToken  seal(serverKey, 'temporary-credentials', { k: accessKeyId, s: secret, i: identityId,
//                 p: identityPoolId, r: roleArn, x: expiry }, 3600) — AES-256-GCM under a key derived from the server key for
//                 this purpose only (crypto/box.ts), so it can be neither read nor forged without the server key, and
//                 it never opens as a challenge session or anything else sealed.
//   Expiration    one hour after issue (the sealed token's own expiry, to the second).
// Nothing is stored. A Corral-hosted service (any process with the same CORRAL_KEY) verifies a SigV4 request made
// with the credentials by reading the request's `X-Amz-Security-Token`, opening it with
// verifyTemporaryCredentials(app, accessKeyId, sessionToken) → { secretAccessKey, roleArn, identityId, … } and
// checking the signature with that secret (wire/sigv4.ts verifySigV4 takes exactly such a key lookup). A token whose
// access key id differs from the request's, or that has expired, yields undefined. Consequence of no state: the
// credentials cannot be revoked before they expire (as STS's), except by changing the server key.
import type { Credentials } from '@aws-sdk/client-cognito-identity';
import { randomBytes, randomInt } from 'node:crypto';
import { safeEqual, seal, unseal } from '../crypto/box.js';
import type { Corral } from '../runtime/app.js';

export const CREDENTIALS_TTL_SECONDS = 3600;
const PURPOSE = 'temporary-credentials';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

interface Sealed {
  k: string;
  s: string;
  i: string;
  p: string;
  r: string;
  /** Expiry, epoch seconds (the seal's own expiry, repeated for verifyTemporaryCredentials' answer). */
  x: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  identityPoolId: string;
  roleArn: string;
  expiration: Date;
}

function accessKeyId(): string {
  let id = 'ASIA';
  for (let i = 0; i < 16; i++) id += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return id;
}

export function issueTemporaryCredentials(app: Corral, input: { identityId: string; identityPoolId: string; roleArn: string }): Credentials {
  const now = app.now();
  const x = Math.floor(now / 1000) + CREDENTIALS_TTL_SECONDS;
  const payload: Sealed = { k: accessKeyId(), s: randomBytes(30).toString('base64'), i: input.identityId, p: input.identityPoolId, r: input.roleArn, x };
  return {
    AccessKeyId: payload.k,
    SecretKey: payload.s,
    SessionToken: seal(app.secrets.serverKey, PURPOSE, payload, CREDENTIALS_TTL_SECONDS, now),
    Expiration: new Date(x * 1000),
  };
}

/** The secret and role of credentials from GetCredentialsForIdentity; undefined when forged, altered, mismatched or expired. */
export function verifyTemporaryCredentials(app: Corral, accessKeyId: string, sessionToken: string | undefined): TemporaryCredentials | undefined {
  if (typeof sessionToken !== 'string' || sessionToken.length > 8192) return undefined;
  const opened = unseal<Sealed>(app.secrets.serverKey, PURPOSE, sessionToken, app.now());
  if (!opened.ok || typeof opened.payload?.k !== 'string' || !safeEqual(opened.payload.k, accessKeyId)) return undefined;
  const p = opened.payload;
  return { accessKeyId: p.k, secretAccessKey: p.s, sessionToken, identityId: p.i, identityPoolId: p.p, roleArn: p.r, expiration: new Date(p.x * 1000) };
}

// Symmetric crypto with the server key: secrets encrypted at rest, sealed tokens, keyed hashes.
// Every use names a purpose, bound into the key derivation, so a value sealed for one purpose never opens for another.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';
const keyCache = new Map<string, Buffer>();

function subkey(serverKey: Buffer, purpose: string): Buffer {
  const id = `${serverKey.toString('base64')}|${purpose}`;
  let k = keyCache.get(id);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `corral:${purpose}`, 32));
    keyCache.set(id, k);
  }
  return k;
}

/** Encrypts `plain` (AES-256-GCM) for storage: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encrypt(serverKey: Buffer, purpose: string, plain: Buffer | string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(serverKey, purpose), iv);
  const ct = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** `s` decoded from base64url, only when it is exactly what encoding those bytes gives (Node's decoder ignores
 *  white space, padding and stray characters: one value must have one spelling, or a single-use token could be
 *  presented again spelled differently). */
function strictBase64url(s: string): Buffer | undefined {
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : undefined;
}

/** `s` decoded from base64 (with padding), only in its one canonical spelling (see strictBase64url). */
export function strictBase64(s: string): Buffer | undefined {
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? bytes : undefined;
}

/** Decrypts a value from `encrypt`; undefined when it was not sealed with this key and purpose, or is not spelled
 *  exactly as `encrypt` wrote it. */
export function decrypt(serverKey: Buffer, purpose: string, sealed: string): Buffer | undefined {
  const parts = sealed.split('.');
  if (parts.length !== 4) return undefined;
  const [v, ivText, tagText, ctText] = parts as [string, string, string, string];
  const iv = strictBase64url(ivText);
  const tag = strictBase64url(tagText);
  const ct = strictBase64url(ctText);
  if (v !== VERSION || !iv?.length || !tag?.length || !ct) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', subkey(serverKey, purpose), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Seals a JSON payload into an opaque token that expires (for challenge sessions and the like). */
export function seal(serverKey: Buffer, purpose: string, payload: unknown, ttlSeconds: number, now = Date.now()): string {
  const body = JSON.stringify({ p: payload, exp: Math.floor(now / 1000) + ttlSeconds });
  return encrypt(serverKey, `seal:${purpose}`, body);
}

export type Unsealed<T> = { ok: true; payload: T } | { ok: false; reason: 'invalid' | 'expired' };

export function unseal<T>(serverKey: Buffer, purpose: string, token: string, now = Date.now()): Unsealed<T> {
  const plain = decrypt(serverKey, `seal:${purpose}`, token);
  if (!plain) return { ok: false, reason: 'invalid' };
  const { p, exp } = JSON.parse(plain.toString('utf8')) as { p: T; exp: number };
  if (exp * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: p };
}

/** A keyed hash for values stored to be compared later (codes, refresh tokens): hex HMAC-SHA256. */
export function keyedHash(serverKey: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', subkey(serverKey, `hash:${purpose}`))
    .update(value, 'utf8')
    .digest('hex');
}

/** Constant-time equality of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

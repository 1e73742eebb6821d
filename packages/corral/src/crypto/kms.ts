// Corral's KMS keys: the keys a user pool names in LambdaConfig.KMSKeyID, which the custom sender triggers' codes are
// encrypted under (triggers/custom-sender.ts) and which the KMS endpoint (actions/kms/) decrypts with.
//
//   A key exists when a pool names it: KMSKeyID `arn:<partition>:kms:<region>:<account>:key/<id>` is that key;
//   an alias ARN `…:alias/<name>` names a key whose ARN is `…:key/<uuid>`, the uuid derived from the alias ARN with
//   the server key. Nothing is stored: every key's material is HKDF-SHA256 of the server key with the key's ARN, so
//   every instance sharing a database (and so a server key) agrees, and a key is gone when no pool names it.
//
//   Ciphertext blobs (CiphertextBlob of Encrypt / GenerateDataKey, the EDKs of the Encryption SDK messages Corral
//   writes) are Corral's own format, opaque to clients as KMS's are:
//     0x01 | u16 length | key ARN (UTF-8) | IV (12) | tag (16) | AES-256-GCM ciphertext
//   with additional data = "corral-kms-v1" | u16 length | key ARN | the encryption context (sorted by key, each
//   key and value as u16 length + UTF-8). So a blob opens only with the key it names and the context it was made
//   with; a changed byte, a swapped key ARN or another context fails the tag.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Corral } from '../runtime/app.js';

const VERSION = 1;
const AAD_LABEL = Buffer.from('corral-kms-v1', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PAGE = 60;

export type EncryptionContext = Record<string, string>;

export interface KmsKey {
  /** arn:<partition>:kms:<region>:<account>:key/<id> */
  arn: string;
  /** The key id (the ARN's last part). */
  id: string;
  region: string;
  account: string;
  /** The alias ARN a pool named the key by, when it named an alias. */
  alias?: string;
}

const ARN = /^arn:([\w-]+):kms:([\w-]+):(\d{12}):(key|alias)\/([\w/+=,.@-]+)$/;

/** A deterministic UUID (version-4 layout) for the key an alias ARN names. */
function aliasKeyId(serverKey: Buffer, aliasArn: string): string {
  const b = createHmac('sha256', serverKey).update(`corral:kms-alias-key:${aliasArn}`, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The key a pool's KMSKeyID names, or undefined when it is not a KMS key or alias ARN. */
export function configuredKey(app: Pick<Corral, 'secrets'>, kmsKeyId: string | undefined): KmsKey | undefined {
  const m = kmsKeyId ? ARN.exec(kmsKeyId) : null;
  if (!m) return undefined;
  const [, partition, region, account, kind, name] = m as unknown as [string, string, string, string, string, string];
  if (kind === 'key') return { arn: kmsKeyId!, id: name, region, account };
  const id = aliasKeyId(app.secrets.serverKey, kmsKeyId!);
  return { arn: `arn:${partition}:kms:${region}:${account}:key/${id}`, id, region, account, alias: kmsKeyId! };
}

/** Whether a request's KeyId (key ARN, key id, alias ARN or `alias/<name>`) names `key`. */
function names(key: KmsKey, keyId: string): boolean {
  if (keyId === key.arn || keyId === key.id) return true;
  if (!key.alias) return false;
  return keyId === key.alias || keyId === key.alias.slice(key.alias.indexOf(':alias/') + 1);
}

/**
 * The key a request's KeyId names among those the pools name (the pool `poolHint` first: the `userpool-id` of a
 * custom sender's encryption context), or undefined. Of several matches (an `alias/<name>` in several regions) the
 * one in `region` wins.
 */
export async function findKey(app: Corral, keyId: string, opts: { poolHint?: string; region?: string } = {}): Promise<KmsKey | undefined> {
  if (opts.poolHint) {
    const pool = await app.store.pools.find(opts.poolHint);
    const key = configuredKey(app, pool?.settings.LambdaConfig?.KMSKeyID);
    if (key && names(key, keyId)) return key;
  }
  const found: KmsKey[] = [];
  let after: string | undefined;
  for (;;) {
    const pools = await app.store.pools.list(PAGE, after);
    for (const pool of pools) {
      const key = configuredKey(app, pool.settings.LambdaConfig?.KMSKeyID);
      if (key && names(key, keyId)) found.push(key);
    }
    if (pools.length < PAGE) break;
    after = pools.at(-1)!.id;
  }
  return found.find((k) => k.region === opts.region) ?? found[0];
}

function material(serverKey: Buffer, keyArn: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `corral:kms-key:${keyArn}`, 32));
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function lengthPrefixed(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u16(bytes.length), bytes]);
}

/** The encryption context as bound into a blob: sorted, each key and value length-prefixed. */
function additionalData(keyArn: string, context: EncryptionContext): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat([AAD_LABEL, lengthPrefixed(keyArn), u16(entries.length), ...entries.flatMap(([k, v]) => [lengthPrefixed(k), lengthPrefixed(v)])]);
}

/** Encrypts `plaintext` under `key`, bound to `context`: a CiphertextBlob. */
export function sealWithKey(app: Pick<Corral, 'secrets'>, key: KmsKey, plaintext: Uint8Array, context: EncryptionContext = {}): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material(app.secrets.serverKey, key.arn), iv);
  cipher.setAAD(additionalData(key.arn, context));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), lengthPrefixed(key.arn), iv, cipher.getAuthTag(), ct]);
}

/** The key ARN a blob says it was made with, or undefined when it is not a blob of Corral's format. */
export function blobKeyArn(blob: Uint8Array): string | undefined {
  const b = Buffer.from(blob);
  if (b.length < 3 || b[0] !== VERSION) return undefined;
  const n = b.readUInt16BE(1);
  if (b.length < 3 + n + IV_BYTES + TAG_BYTES) return undefined;
  const arn = b.subarray(3, 3 + n).toString('utf8');
  return ARN.test(arn) && arn.includes(':key/') ? arn : undefined;
}

/** The plaintext of a blob made by `sealWithKey` with `key` and `context`, or undefined when it was not. */
export function openWithKey(app: Pick<Corral, 'secrets'>, key: KmsKey, blob: Uint8Array, context: EncryptionContext = {}): Buffer | undefined {
  if (blobKeyArn(blob) !== key.arn) return undefined;
  const b = Buffer.from(blob);
  const start = 3 + b.readUInt16BE(1);
  const iv = b.subarray(start, start + IV_BYTES);
  const tag = b.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
  const ct = b.subarray(start + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material(app.secrets.serverKey, key.arn), iv);
    decipher.setAAD(additionalData(key.arn, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    return undefined;
  }
}

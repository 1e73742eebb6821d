// Refuse to start with the wrong server key. Everything Corral encrypts at rest (signing keys, client secrets, SRP
// verifiers, TOTP secrets, the sealed outbox) and every sealed token opens only with the key it was made with: an
// instance started with another key (no CORRAL_KEY on a shared database, a new data directory's generated key)
// would serve 500s on the JWKS and fail every sign-in. So the first start records its key's fingerprint in the
// database (app.store.serverKey, storage/server-key-check.ts), and a start with a key of another fingerprint stops with a message naming
// the one expected. A database made before the record is checked by opening one stored value of each kind.
import { decrypt, keyedHash } from '../crypto/box.js';
import { toSigningKey } from '../crypto/signing-keys.js';
import { CLIENT_SECRET_PURPOSE } from '../domain/pools.js';
import { SRP_VERIFIER_PURPOSE } from '../domain/users.js';
import type { Corral } from './app.js';

/** A short, one-way name for a server key (16 hex digits of a keyed hash): safe to print and to store. */
export function serverKeyFingerprint(serverKey: Buffer): string {
  return keyedHash(serverKey, 'server-key-fingerprint', 'corral').slice(0, 16);
}

/** The start is refused: the message says which key the database expects. Printed as it is (no stack). */
export class WrongServerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
WrongServerKeyError.prototype.name = 'WrongServerKeyError';

function refusal(app: Corral, expected: string | undefined, own: string): WrongServerKeyError {
  const which = expected ? `the server key whose fingerprint is ${expected}` : 'another server key (made before Corral recorded key fingerprints)';
  return new WrongServerKeyError(
    `Corral will not start: its server key does not open this database. The database's secrets are encrypted with ${which}; ` +
      `the key in use (from ${app.secrets.serverKeySource}) has fingerprint ${own}. ` +
      `Start with the expected key: set CORRAL_KEY to it (base64, 32 bytes) or put it in ${app.config.dataDir}/server-key.json. ` +
      `Every instance sharing a database must use the same key.`,
  );
}

/** Whether the stored values of each kind open with this key (all kinds absent: nothing to tell, so yes). */
async function opensStoredValues(app: Corral): Promise<boolean> {
  const s = await app.store.serverKey.sealedSamples();
  const key = app.secrets.serverKey;
  for (const k of [s.signingKey, s.identitySigningKey]) {
    if (!k) continue;
    try {
      toSigningKey(app, k);
    } catch {
      return false;
    }
  }
  if (s.clientSecret !== undefined && !decrypt(key, CLIENT_SECRET_PURPOSE, s.clientSecret)) return false;
  if (s.srpVerifier !== undefined && !decrypt(key, SRP_VERIFIER_PURPOSE, s.srpVerifier)) return false;
  return true;
}

/** Throws WrongServerKeyError unless the server key is the database's; records it on the first start. */
export async function checkServerKey(app: Corral): Promise<void> {
  const own = serverKeyFingerprint(app.secrets.serverKey);
  let recorded = await app.store.serverKey.recordedFingerprint();
  if (recorded === undefined) {
    if (!(await opensStoredValues(app))) throw refusal(app, undefined, own);
    recorded = await app.store.serverKey.recordFingerprint(own, app.now()); // another instance may have recorded its key first
  }
  if (recorded !== own) throw refusal(app, recorded, own);
  app.log.info({ serverKeyFingerprint: own }, 'server key');
}

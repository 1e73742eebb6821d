// A user pool's SAML key pairs, as Cognito has them: the signing certificate (GetSigningCertificate; it signs the
// pool's AuthnRequests when a provider's RequestSigningAlgorithm is rsa-sha256, and SP metadata publishes it) and the
// encryption certificate (ActiveEncryptionCertificate of a provider with EncryptedResponses: the IdP encrypts
// assertions to it). Each is an RSA-2048 key with a self-signed X.509 certificate (@peculiar/x509), created on first
// use, once per pool: the database's primary key makes instances racing to create one agree on the winner. The
// private key is stored encrypted with the server key.
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect metadata API
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { decrypt, encrypt } from '../../crypto/box.js';
import type { Corral } from '../../runtime/app.js';
import type { SamlKeyUse, StoredSamlKey } from '../../storage/saml.js';

export type { SamlKeyUse } from '../../storage/saml.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const PURPOSE = 'saml-key';
/** Cognito's SAML certificates are valid for ten years. */
const VALIDITY_MS = 10 * 365 * 24 * 3600_000;
const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export interface SamlKey {
  /** PEM. */
  certificate: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

async function newKey(app: Corral, poolId: string, use: SamlKeyUse): Promise<StoredSamlKey> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = app.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `C=US, O=Corral, OU=Cognito user pool ${use}, CN=${poolId}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + VALIDITY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const pem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certificate: cert.toString('pem'), sealedPrivateKey: encrypt(app.secrets.serverKey, PURPOSE, pem), createdAt: now };
}

function open(app: Corral, stored: StoredSamlKey): SamlKey {
  const pem = decrypt(app.secrets.serverKey, PURPOSE, stored.sealedPrivateKey);
  if (!pem) throw new Error('a SAML key does not open with this server key');
  return { certificate: stored.certificate, privateKey: pem.toString('utf8') };
}

const creating = new WeakMap<Corral, Map<string, Promise<SamlKey>>>();

/** The pool's SAML key of `use`, created on first use (the pool must exist). */
export async function samlKey(app: Corral, poolId: string, use: SamlKeyUse): Promise<SamlKey> {
  const found = await app.store.saml.findKey(poolId, use);
  if (found) return open(app, found);
  let inFlight = creating.get(app);
  if (!inFlight) creating.set(app, (inFlight = new Map()));
  const id = `${poolId}\u0000${use}`;
  let pending = inFlight.get(id);
  if (!pending) {
    pending = (async () => {
      const key = await newKey(app, poolId, use);
      if (await app.store.saml.insertKey(poolId, use, key)) return open(app, key);
      const winner = await app.store.saml.findKey(poolId, use); // another instance stored one first
      if (!winner) throw new Error(`no SAML ${use} key for pool ${poolId} after losing its creation`);
      return open(app, winner);
    })().finally(() => inFlight!.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

/** A PEM certificate's body: the base64 DER on one line (how Cognito answers GetSigningCertificate and metadata). */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

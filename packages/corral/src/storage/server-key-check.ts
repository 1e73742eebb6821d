// The server key's record in the database (migration 0015: one row of table `server_key`), and a few of the values
// encrypted with it, so a start can tell whether its key is the database's (runtime/server-key.ts). The table is
// read with raw SQL: only this file knows it.
import { sql } from 'kysely';
import type { Db } from './db.js';

const ROW = 'server';

/** The fingerprint recorded by the first start, if any. */
export async function recordedFingerprint(db: Db): Promise<string | undefined> {
  const { rows } = await sql<{ fingerprint: string }>`SELECT fingerprint FROM server_key WHERE id = ${ROW}`.execute(db);
  return rows[0]?.fingerprint;
}

/** Records `fingerprint` unless one is recorded already; returns the one recorded (the first start's). */
export async function recordFingerprint(db: Db, fingerprint: string, now: number): Promise<string> {
  await sql`INSERT INTO server_key (id, fingerprint, created_at) VALUES (${ROW}, ${fingerprint}, ${now}) ON CONFLICT (id) DO NOTHING`.execute(db);
  return (await recordedFingerprint(db)) ?? fingerprint;
}

/** One stored value of each kind the server key encrypts, to try opening (databases made before the record). */
export interface SealedSamples {
  signingKey?: { kid: string; sealedPrivateKey: string };
  identitySigningKey?: { kid: string; sealedPrivateKey: string };
  clientSecret?: string;
  srpVerifier?: string;
}

export async function sealedSamples(db: Db): Promise<SealedSamples> {
  const [signingKey, identitySigningKey, client, user] = await Promise.all([
    db.selectFrom('signing_keys').select(['kid', 'private_key']).limit(1).executeTakeFirst(),
    db.selectFrom('identity_signing_keys').select(['kid', 'private_key']).limit(1).executeTakeFirst(),
    db.selectFrom('user_pool_clients').select('secret').where('secret', 'is not', null).limit(1).executeTakeFirst(),
    db.selectFrom('users').select('srp_verifier').where('srp_verifier', 'is not', null).limit(1).executeTakeFirst(),
  ]);
  return {
    signingKey: signingKey && { kid: signingKey.kid, sealedPrivateKey: signingKey.private_key },
    identitySigningKey: identitySigningKey && { kid: identitySigningKey.kid, sealedPrivateKey: identitySigningKey.private_key },
    clientSecret: client?.secret ?? undefined,
    srpVerifier: user?.srp_verifier ?? undefined,
  };
}

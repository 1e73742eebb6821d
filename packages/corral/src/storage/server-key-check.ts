// The server key's record (migration 0015: one row of `server_key`), and one stored value of each kind encrypted
// with it, so a start can tell whether its key is the database's (runtime/server-key.ts).
import type { Sql } from './sql.js';

const ROW = 'server';

/** One stored value of each kind the server key encrypts, to try opening (databases made before the record). */
export interface SealedSamples {
  signingKey?: { kid: string; sealedPrivateKey: string };
  identitySigningKey?: { kid: string; sealedPrivateKey: string };
  clientSecret?: string;
  srpVerifier?: string;
}

export function serverKeyRepository({ db }: Sql) {
  const recorded = async (): Promise<string | undefined> =>
    (await db.selectFrom('server_key').select('fingerprint').where('id', '=', ROW).executeTakeFirst())?.fingerprint;

  return {
    /** The fingerprint recorded by the first start, if any. */
    recordedFingerprint: recorded,

    /** Records `fingerprint` unless one is recorded already; returns the one recorded (the first start's). */
    async recordFingerprint(fingerprint: string, now: number): Promise<string> {
      await db
        .insertInto('server_key')
        .values({ id: ROW, fingerprint, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return (await recorded()) ?? fingerprint;
    },

    async sealedSamples(): Promise<SealedSamples> {
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
    },
  };
}

// SAML 2.0 federation state (migration 0026): the pools' SAML key pairs and the AuthnRequests awaiting an answer.
// A key pair is created once per (pool, use): the primary key refuses every racing insert but the first, and the
// losers read the winner. Storage keeps the private key as it is given (already encrypted) and never opens it.
import { isUniqueViolation } from './db.js';
import { compiledOnce, count, type Sql } from './sql.js';

export type SamlKeyUse = 'signing' | 'encryption';

export interface StoredSamlKey {
  /** PEM. */
  certificate: string;
  /** PKCS#8 PEM, encrypted with the server key (crypto/saml-keys.ts). */
  sealedPrivateKey: string;
  createdAt: number;
}

export interface PendingSamlRequest {
  /** The AuthnRequest's ID (the response's InResponseTo). */
  id: string;
  poolId: string;
  providerName: string;
  /** The app's authorization request, as JSON. */
  request: string;
  /** Keyed hash of the browser's binding cookie. */
  browserHash: string;
  expiresAt: number;
}

export function samlRepository({ db }: Sql) {
  const findKey = compiledOnce(db, (poolId: string, use: string) =>
    db.selectFrom('saml_keys').select(['certificate', 'private_key', 'created_at']).where('pool_id', '=', poolId).where('use', '=', use),
  );
  const findRequest = compiledOnce(db, (id: string) => db.selectFrom('saml_requests').selectAll().where('id', '=', id));
  return {
    async findKey(poolId: string, use: SamlKeyUse): Promise<StoredSamlKey | undefined> {
      const r = (await findKey(poolId, use)).rows[0];
      return r && { certificate: r.certificate, sealedPrivateKey: r.private_key, createdAt: Number(r.created_at) };
    },

    /** Stores the pool's key of `use`: true, or false when another one was stored first (nothing changed). */
    async insertKey(poolId: string, use: SamlKeyUse, key: StoredSamlKey): Promise<boolean> {
      try {
        await db
          .insertInto('saml_keys')
          .values({ pool_id: poolId, use, certificate: key.certificate, private_key: key.sealedPrivateKey, created_at: key.createdAt })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async insertRequest(r: PendingSamlRequest): Promise<void> {
      await db
        .insertInto('saml_requests')
        .values({
          id: r.id,
          pool_id: r.poolId,
          provider_name: r.providerName,
          request: r.request,
          browser_hash: r.browserHash,
          expires_at: r.expiresAt,
        })
        .execute();
    },

    /** The pending request `id`, if it has not expired at `now`. */
    async findRequest(id: string, now: number): Promise<PendingSamlRequest | undefined> {
      const r = (await findRequest(id)).rows[0];
      if (!r || Number(r.expires_at) <= now) return undefined;
      return {
        id: r.id,
        poolId: r.pool_id,
        providerName: r.provider_name,
        request: r.request,
        browserHash: r.browser_hash,
        expiresAt: Number(r.expires_at),
      };
    },

    /** Drops the requests expired before `now`; → how many. */
    async deleteExpiredRequests(now: number): Promise<number> {
      const r = await db.deleteFrom('saml_requests').where('expires_at', '<', now).executeTakeFirst();
      return count(r.numDeletedRows);
    },
  };
}

export type SamlRepository = ReturnType<typeof samlRepository>;

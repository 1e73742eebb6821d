// The user pools' RS256 signing keys: one current key per (pool, use) — a partial unique index makes instances
// racing to create one agree on the winner — and retired keys that verify until they expire. The private key is
// stored and returned encrypted (crypto/signing-keys.ts seals and opens it; storage never holds the server key).
import { isUniqueViolation } from './db.js';
import type { Sql } from './sql.js';

/** A key's public half as the JWKS serves it. */
export interface PublicJwk {
  kid: string;
  alg: 'RS256';
  kty: 'RSA';
  use: 'sig';
  n: string;
  e: string;
}

/** A freshly generated key, its private half already encrypted. */
export interface NewSigningKey {
  kid: string;
  /** PKCS#8 PEM, encrypted (crypto/box.ts, purpose 'signing-key'). */
  sealedPrivateKey: string;
  publicJwk: PublicJwk;
  createdAt: number;
}

export interface SealedSigningKey {
  kid: string;
  sealedPrivateKey: string;
}

export interface StoredPublicKey {
  kid: string;
  poolId: string;
  use: string;
  publicJwk: PublicJwk;
  /** After this instant the key verifies nothing (null: no end yet). */
  expiresAt: number | null;
}

/** A key row's public half (user-pool and identity-pool signing keys share the shape). */
export function publicKeyFromRow(r: { public_jwk: string; expires_at: number | null }): { publicJwk: PublicJwk; expiresAt: number | null } {
  return { publicJwk: JSON.parse(r.public_jwk) as PublicJwk, expiresAt: r.expires_at === null ? null : Number(r.expires_at) };
}

export function signingKeysRepository({ db }: Sql) {
  return {
    /** The key that signs new tokens of `use` in the pool (its private key encrypted), if there is one yet. */
    async findCurrent(poolId: string, use: string): Promise<SealedSigningKey | undefined> {
      const row = await db
        .selectFrom('signing_keys')
        .select(['kid', 'private_key'])
        .where('pool_id', '=', poolId)
        .where('use', '=', use)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return row && { kid: row.kid, sealedPrivateKey: row.private_key };
    },

    /** Stores `key` as the pool's current key of `use`: true, or false when another one became current first. */
    async insertCurrent(poolId: string, use: string, key: NewSigningKey): Promise<boolean> {
      try {
        await db
          .insertInto('signing_keys')
          .values(row(poolId, use, key))
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** A key by kid, for verification (retired and expired keys included: the caller checks expiresAt). */
    async findPublic(kid: string): Promise<StoredPublicKey | undefined> {
      const r = await db.selectFrom('signing_keys').select(['kid', 'pool_id', 'use', 'public_jwk', 'expires_at']).where('kid', '=', kid).executeTakeFirst();
      return (
        r && {
          kid: r.kid,
          poolId: r.pool_id,
          use: r.use,
          publicJwk: JSON.parse(r.public_jwk) as PublicJwk,
          expiresAt: r.expires_at === null ? null : Number(r.expires_at),
        }
      );
    },

    /** Every key of the pool, newest first (the caller drops expired ones). */
    async listPublic(poolId: string): Promise<{ publicJwk: PublicJwk; expiresAt: number | null }[]> {
      const rows = await db
        .selectFrom('signing_keys')
        .select(['public_jwk', 'expires_at'])
        .where('pool_id', '=', poolId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(publicKeyFromRow);
    },

    /**
     * In one transaction: retires the pool's current keys (retired at `now`, expiring at `expiresAt`) and makes
     * `keys` (use → key) current. false when a concurrent rotation made other keys current first (nothing changed).
     */
    async rotate(poolId: string, keys: Record<string, NewSigningKey>, now: number, expiresAt: number): Promise<boolean> {
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('signing_keys')
            .set({ retired_at: now, expires_at: expiresAt })
            .where('pool_id', '=', poolId)
            .where('retired_at', 'is', null)
            .execute();
          await tx
            .insertInto('signing_keys')
            .values(Object.entries(keys).map(([use, key]) => row(poolId, use, key)))
            .execute();
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}

function row(poolId: string, use: string, key: NewSigningKey) {
  return {
    kid: key.kid,
    pool_id: poolId,
    use,
    private_key: key.sealedPrivateKey,
    public_jwk: JSON.stringify(key.publicJwk),
    created_at: key.createdAt,
    retired_at: null,
    expires_at: null,
  };
}

export type SigningKeysRepository = ReturnType<typeof signingKeysRepository>;

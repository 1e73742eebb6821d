// Identity pools (cognito-identity): the pools with their settings and roles, their identities and linked logins,
// and the key that signs GetOpenIdToken's tokens.
//
// "The same user always gets the same IdentityId" holds across instances through the unique index on
// (pool, provider, subject) of identity_logins: of two instances linking one login, one insert wins; the loser's
// whole transaction is rolled back and `createIdentity` / `linkLogins` answer false so the caller rereads the winner.
// A login's provider is whatever the identity layer names it (a user pool, an OIDC issuer host+path, a SAML provider
// ARN, a developer provider name) and its subject the user there. `mergeIdentities` moves one identity's logins to
// another and deletes it in one transaction (both rows locked first on PostgreSQL); `unlinkLogin` removes one login.
import type { IdentityPool, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { isUniqueViolation } from './db.js';
import { publicKeyFromRow, type PublicJwk, type NewSigningKey, type SealedSigningKey } from './signing-keys.js';
import type { Sql } from './sql.js';
import { count } from './sql.js';

/** The settings of a pool as DescribeIdentityPool returns them, without the id. */
export type IdentityPoolSettings = Omit<IdentityPool, 'IdentityPoolId'>;

export interface IdentityPoolRoles {
  Roles: Record<string, string>;
  RoleMappings?: Record<string, RoleMapping>;
}

export interface IdentityPoolRecord {
  id: string;
  settings: IdentityPoolSettings;
}

export interface LinkedLogin {
  provider: string;
  subject: string;
}

export interface Identity {
  id: string;
  poolId: string;
  createdAt: number;
  updatedAt: number;
  logins: LinkedLogin[];
}

const parsePool = (r: { id: string; settings: string }): IdentityPoolRecord => ({ id: r.id, settings: JSON.parse(r.settings) as IdentityPoolSettings });

export function identityRepository({ db, postgres }: Sql) {
  return {
    // --- identity pools -----------------------------------------------------------------------------------------

    async createPool(pool: IdentityPoolRecord & { roles: IdentityPoolRoles; now: number }): Promise<void> {
      await db
        .insertInto('identity_pools')
        .values({
          id: pool.id,
          name: pool.settings.IdentityPoolName!,
          settings: JSON.stringify(pool.settings),
          roles: JSON.stringify(pool.roles),
          created_at: pool.now,
          updated_at: pool.now,
        })
        .execute();
    },

    async findPool(id: string): Promise<IdentityPoolRecord | undefined> {
      const row = await db.selectFrom('identity_pools').select(['id', 'settings']).where('id', '=', id).executeTakeFirst();
      return row && parsePool(row);
    },

    /** Replaces the pool's settings: false when there is no such pool. */
    async updatePoolSettings(id: string, settings: IdentityPoolSettings, now: number): Promise<boolean> {
      const r = await db
        .updateTable('identity_pools')
        .set({ name: settings.IdentityPoolName!, settings: JSON.stringify(settings), updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return count(r.numUpdatedRows) > 0;
    },

    /** Deletes the pool (its identities and their logins go with it: foreign keys): false when there was none. */
    async deletePool(id: string): Promise<boolean> {
      const r = await db.deleteFrom('identity_pools').where('id', '=', id).executeTakeFirst();
      return count(r.numDeletedRows) > 0;
    },

    /** Pools in id order, after the id `after` if given, at most `limit`. */
    async listPools(opts: { after?: string; limit: number }): Promise<IdentityPoolRecord[]> {
      let q = db.selectFrom('identity_pools').select(['id', 'settings']).orderBy('id').limit(opts.limit);
      if (opts.after !== undefined) q = q.where('id', '>', opts.after);
      return (await q.execute()).map(parsePool);
    },

    async findRoles(id: string): Promise<IdentityPoolRoles | undefined> {
      const row = await db.selectFrom('identity_pools').select('roles').where('id', '=', id).executeTakeFirst();
      return row && (JSON.parse(row.roles) as IdentityPoolRoles);
    },

    /** Replaces the pool's roles and role mappings: false when there is no such pool. */
    async setRoles(id: string, roles: IdentityPoolRoles, now: number): Promise<boolean> {
      const r = await db
        .updateTable('identity_pools')
        .set({ roles: JSON.stringify(roles), updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return count(r.numUpdatedRows) > 0;
    },

    // --- identities and their logins ----------------------------------------------------------------------------

    /** The distinct identities of the pool that any of `logins` is linked to. */
    async identityIdsForLogins(poolId: string, logins: LinkedLogin[]): Promise<string[]> {
      if (logins.length === 0) return [];
      const rows = await db
        .selectFrom('identity_logins')
        .select('identity_id')
        .where('pool_id', '=', poolId)
        .where((eb) => eb.or(logins.map((l) => eb.and([eb('provider', '=', l.provider), eb('subject', '=', l.subject)]))))
        .execute();
      return [...new Set(rows.map((r) => r.identity_id))];
    },

    /** The logins linked to the identity, oldest first. */
    async loginsOf(identityId: string): Promise<LinkedLogin[]> {
      return db
        .selectFrom('identity_logins')
        .select(['provider', 'subject'])
        .where('identity_id', '=', identityId)
        .orderBy('created_at')
        .orderBy('provider')
        .execute();
    },

    /** A new identity with `logins` linked, in one transaction: false (nothing stored) when one is linked elsewhere. */
    async createIdentity(id: string, poolId: string, logins: LinkedLogin[], now: number): Promise<boolean> {
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('identities').values({ id, pool_id: poolId, created_at: now, updated_at: now }).execute();
          if (logins.length) {
            await tx
              .insertInto('identity_logins')
              .values(logins.map((l) => ({ identity_id: id, pool_id: poolId, provider: l.provider, subject: l.subject, created_at: now })))
              .execute();
          }
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /**
     * Links `logins` to the identity and marks it modified, in one transaction: false (nothing stored) when one of
     * them is linked already (to this identity or another).
     */
    async linkLogins(identityId: string, poolId: string, logins: LinkedLogin[], now: number): Promise<boolean> {
      if (logins.length === 0) return true;
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('identity_logins')
            .values(logins.map((l) => ({ identity_id: identityId, pool_id: poolId, provider: l.provider, subject: l.subject, created_at: now })))
            .execute();
          await tx.updateTable('identities').set({ updated_at: now }).where('id', '=', identityId).execute();
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async findIdentity(id: string): Promise<Identity | undefined> {
      const row = await db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const logins = await db
        .selectFrom('identity_logins')
        .select(['provider', 'subject'])
        .where('identity_id', '=', id)
        .orderBy('created_at')
        .orderBy('provider')
        .execute();
      return { id: row.id, poolId: row.pool_id, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at), logins };
    },

    /** The pool's identities in id order with their logins, after the id `after` if given, at most `limit`. */
    async listIdentities(poolId: string, opts: { after?: string; limit: number }): Promise<Identity[]> {
      let q = db.selectFrom('identities').selectAll().where('pool_id', '=', poolId).orderBy('id').limit(opts.limit);
      if (opts.after !== undefined) q = q.where('id', '>', opts.after);
      const rows = await q.execute();
      const logins = rows.length
        ? await db
            .selectFrom('identity_logins')
            .select(['identity_id', 'provider', 'subject'])
            .where(
              'identity_id',
              'in',
              rows.map((r) => r.id),
            )
            .orderBy('created_at')
            .execute()
        : [];
      return rows.map((r) => ({
        id: r.id,
        poolId: r.pool_id,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
        logins: logins.filter((l) => l.identity_id === r.id).map((l) => ({ provider: l.provider, subject: l.subject })),
      }));
    },

    /** Deletes the identities that exist (with their logins); → how many. */
    async deleteIdentities(ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const r = await db.deleteFrom('identities').where('id', 'in', ids).executeTakeFirst();
      return count(r.numDeletedRows);
    },

    /** Removes the identity's logins of `providers` and marks it modified, in one transaction. */
    async unlinkProviders(identityId: string, providers: string[], now: number): Promise<void> {
      if (providers.length === 0) return;
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('identity_logins').where('identity_id', '=', identityId).where('provider', 'in', providers).execute();
        await tx.updateTable('identities').set({ updated_at: now }).where('id', '=', identityId).execute();
      });
    },

    /** Removes one login from the identity and marks it modified: false when that login was not the identity's. */
    async unlinkLogin(identityId: string, login: LinkedLogin, now: number): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .deleteFrom('identity_logins')
          .where('identity_id', '=', identityId)
          .where('provider', '=', login.provider)
          .where('subject', '=', login.subject)
          .executeTakeFirst();
        if (count(r.numDeletedRows) === 0) return false;
        await tx.updateTable('identities').set({ updated_at: now }).where('id', '=', identityId).execute();
        return true;
      });
    },

    /**
     * Merges identity `fromId` into `intoId` (both of `poolId`), in one transaction: every login of `fromId` moves to
     * `intoId`, `fromId` is deleted, `intoId` is marked modified. False (nothing changed) when either is gone — e.g.
     * merged away by a concurrent call. On PostgreSQL both rows are locked first, in id order, so concurrent merges of
     * the same identities run one after the other (the second finds one gone) instead of deadlocking.
     */
    async mergeIdentities(poolId: string, fromId: string, intoId: string, now: number): Promise<boolean> {
      if (fromId === intoId) return false;
      return db.transaction().execute(async (tx) => {
        let q = tx.selectFrom('identities').select('id').where('pool_id', '=', poolId).where('id', 'in', [fromId, intoId]).orderBy('id');
        if (postgres) q = q.forUpdate();
        if ((await q.execute()).length !== 2) return false;
        await tx.updateTable('identity_logins').set({ identity_id: intoId }).where('identity_id', '=', fromId).execute();
        await tx.deleteFrom('identities').where('id', '=', fromId).execute();
        await tx.updateTable('identities').set({ updated_at: now }).where('id', '=', intoId).execute();
        return true;
      });
    },

    // --- the OpenID token key -----------------------------------------------------------------------------------

    /** The current key of `use` (its private key encrypted), if there is one yet. */
    async findCurrentKey(use: string): Promise<SealedSigningKey | undefined> {
      const row = await db
        .selectFrom('identity_signing_keys')
        .select(['kid', 'private_key'])
        .where('use', '=', use)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return row && { kid: row.kid, sealedPrivateKey: row.private_key };
    },

    /** Stores `key` as the current key of `use`: true, or false when another one became current first. */
    async insertCurrentKey(use: string, key: NewSigningKey): Promise<boolean> {
      try {
        await db
          .insertInto('identity_signing_keys')
          .values({
            kid: key.kid,
            use,
            private_key: key.sealedPrivateKey,
            public_jwk: JSON.stringify(key.publicJwk),
            created_at: key.createdAt,
            retired_at: null,
            expires_at: null,
          })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** Every key of `use`, newest first (the caller drops expired ones). */
    async listPublicKeys(use: string): Promise<{ publicJwk: PublicJwk; expiresAt: number | null }[]> {
      const rows = await db
        .selectFrom('identity_signing_keys')
        .select(['public_jwk', 'expires_at'])
        .where('use', '=', use)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(publicKeyFromRow);
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;

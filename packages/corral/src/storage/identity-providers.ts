// Identity providers of user pools (identity_providers, identity_provider_identifiers) and the external identities
// linked to users (identity_provider_links). The rules are in domain/federation/.
//
// Every change to a pool's providers is one transaction that first locks the pool's row, so the checks it makes
// (the name is free, the pool is under its limit, no other provider holds an IdpIdentifier) hold when it writes,
// whichever instance runs it; the primary keys guard the same facts once more. A link is written under the linked
// user's row lock (at most `max` per user), and an identity links to one user only (the primary key).
import { isUniqueViolation } from './db.js';
import type { IdentityProviderLinksTable, IdentityProvidersTable } from './schema.js';
import { count, forUpdate, type Sql } from './sql.js';

/** A provider as stored: ProviderDetails without secrets, the secrets sealed (crypto/box.ts). */
export interface ProviderRecord {
  poolId: string;
  name: string;
  type: string;
  details: Record<string, string>;
  /** The secret details (client_secret, private_key) as JSON, encrypted at rest; null when there are none. */
  sealedSecrets: string | null;
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  createdAt: number;
  updatedAt: number;
}

/** An external identity linked to a user of the pool (AdminLinkProviderForUser). */
export interface ProviderLink {
  poolId: string;
  providerName: string;
  /** `Cognito_Subject`, or the user pool attribute an OIDC/SAML claim is mapped to. */
  attributeName: string;
  attributeValue: string;
  userSub: string;
  createdAt: number;
}

/** The external identity a federated user belongs to (federated_users): the user a federated sign-in made. */
export interface FederatedUserRecord {
  poolId: string;
  providerName: string;
  /** What the username `<ProviderName>_<userId>` ends with: the provider's subject (or its mapped `username`). */
  userId: string;
  userSub: string;
  createdAt: number;
}

export type CreateProviderResult = 'created' | 'exists' | 'limit' | { identifierTaken: string };
export type UpdateProviderResult = 'updated' | 'missing' | { identifierTaken: string };
export type CreateLinkResult = 'linked' | 'limit' | 'no-user' | { linkedTo: string };

function fromRow(r: IdentityProvidersTable, identifiers: string[]): ProviderRecord {
  return {
    poolId: r.pool_id,
    name: r.name,
    type: r.type,
    details: JSON.parse(r.details) as Record<string, string>,
    sealedSecrets: r.secrets,
    attributeMapping: JSON.parse(r.attribute_mapping) as Record<string, string>,
    idpIdentifiers: identifiers,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function linkFromRow(r: IdentityProviderLinksTable): ProviderLink {
  return {
    poolId: r.pool_id,
    providerName: r.provider_name,
    attributeName: r.attribute_name,
    attributeValue: r.attribute_value,
    userSub: r.user_sub,
    createdAt: Number(r.created_at),
  };
}

export function identityProvidersRepository(sql: Sql) {
  const { db } = sql;
  type Tx = Parameters<Parameters<ReturnType<typeof db.transaction>['execute']>[0]>[0];

  const lockPool = (tx: Tx, poolId: string) => forUpdate(sql, tx.selectFrom('user_pools').select('id').where('id', '=', poolId)).executeTakeFirst();

  async function identifiersOf(q: Tx | typeof db, poolId: string, name: string): Promise<string[]> {
    const rows = await q
      .selectFrom('identity_provider_identifiers')
      .select('identifier')
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', name)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.identifier);
  }

  /** The first of `identifiers` another provider of the pool holds. */
  async function takenIdentifier(tx: Tx, poolId: string, name: string, identifiers: string[]): Promise<string | undefined> {
    if (!identifiers.length) return undefined;
    const rows = await tx
      .selectFrom('identity_provider_identifiers')
      .select('identifier')
      .where('pool_id', '=', poolId)
      .where('identifier', 'in', identifiers)
      .where('provider_name', '!=', name)
      .execute();
    const held = new Set(rows.map((r) => r.identifier));
    return identifiers.find((i) => held.has(i));
  }

  async function writeIdentifiers(tx: Tx, poolId: string, name: string, identifiers: string[]): Promise<void> {
    await tx.deleteFrom('identity_provider_identifiers').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
    if (identifiers.length) {
      await tx
        .insertInto('identity_provider_identifiers')
        .values(identifiers.map((identifier, position) => ({ pool_id: poolId, identifier, provider_name: name, position })))
        .execute();
    }
  }

  return {
    /** Stores a new provider unless the pool has `max` already, the name is taken, or an identifier is held. */
    async create(p: ProviderRecord, max: number): Promise<CreateProviderResult> {
      try {
        return await db.transaction().execute(async (tx): Promise<CreateProviderResult> => {
          await lockPool(tx, p.poolId);
          const existing = await tx
            .selectFrom('identity_providers')
            .select('name')
            .where('pool_id', '=', p.poolId)
            .where('name', '=', p.name)
            .executeTakeFirst();
          if (existing) return 'exists';
          const n = await tx
            .selectFrom('identity_providers')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('pool_id', '=', p.poolId)
            .executeTakeFirst();
          if (Number(n?.n ?? 0) >= max) return 'limit';
          const taken = await takenIdentifier(tx, p.poolId, p.name, p.idpIdentifiers);
          if (taken !== undefined) return { identifierTaken: taken };
          await tx
            .insertInto('identity_providers')
            .values({
              pool_id: p.poolId,
              name: p.name,
              type: p.type,
              details: JSON.stringify(p.details),
              secrets: p.sealedSecrets,
              attribute_mapping: JSON.stringify(p.attributeMapping),
              created_at: p.createdAt,
              updated_at: p.updatedAt,
            })
            .execute();
          await writeIdentifiers(tx, p.poolId, p.name, p.idpIdentifiers);
          return 'created';
        });
      } catch (err) {
        if (isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },

    async find(poolId: string, name: string): Promise<ProviderRecord | undefined> {
      const row = await db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
      return row && fromRow(row, await identifiersOf(db, poolId, name));
    },

    /** The provider one of whose IdpIdentifiers is `identifier` (compared as stored). */
    async findByIdentifier(poolId: string, identifier: string): Promise<ProviderRecord | undefined> {
      const hit = await db
        .selectFrom('identity_provider_identifiers')
        .select('provider_name')
        .where('pool_id', '=', poolId)
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return hit && this.find(poolId, hit.provider_name);
    },

    /** The pool's providers by name after `after`, at most `limit` (all of them without a limit). */
    async list(poolId: string, limit?: number, after?: string): Promise<ProviderRecord[]> {
      let q = db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).orderBy('name');
      if (limit !== undefined) q = q.limit(limit);
      if (after !== undefined) q = q.where('name', '>', after);
      const rows = await q.execute();
      if (!rows.length) return [];
      const ids = await db
        .selectFrom('identity_provider_identifiers')
        .select(['provider_name', 'identifier'])
        .where('pool_id', '=', poolId)
        .where(
          'provider_name',
          'in',
          rows.map((r) => r.name),
        )
        .orderBy('provider_name')
        .orderBy('position')
        .execute();
      const by = new Map<string, string[]>();
      for (const r of ids) by.set(r.provider_name, [...(by.get(r.provider_name) ?? []), r.identifier]);
      return rows.map((r) => fromRow(r, by.get(r.name) ?? []));
    },

    /** The names of the pool's providers. */
    async names(poolId: string): Promise<string[]> {
      const rows = await db.selectFrom('identity_providers').select('name').where('pool_id', '=', poolId).orderBy('name').execute();
      return rows.map((r) => r.name);
    },

    /** Replaces details, secrets, mapping and identifiers (type, name and creation date stay). */
    async update(p: ProviderRecord): Promise<UpdateProviderResult> {
      try {
        return await db.transaction().execute(async (tx): Promise<UpdateProviderResult> => {
          await lockPool(tx, p.poolId);
          const taken = await takenIdentifier(tx, p.poolId, p.name, p.idpIdentifiers);
          if (taken !== undefined) return { identifierTaken: taken };
          const r = await tx
            .updateTable('identity_providers')
            .set({
              details: JSON.stringify(p.details),
              secrets: p.sealedSecrets,
              attribute_mapping: JSON.stringify(p.attributeMapping),
              updated_at: p.updatedAt,
            })
            .where('pool_id', '=', p.poolId)
            .where('name', '=', p.name)
            .executeTakeFirst();
          if (count(r.numUpdatedRows) !== 1) return 'missing';
          await writeIdentifiers(tx, p.poolId, p.name, p.idpIdentifiers);
          return 'updated';
        });
      } catch (err) {
        if (isUniqueViolation(err)) return { identifierTaken: p.idpIdentifiers[0] ?? '' };
        throw err;
      }
    },

    /**
     * Deletes the provider, its identifiers and the links of its identities, and takes its name out of the
     * SupportedIdentityProviders of the pool's app clients, in one transaction. False when there was no such provider.
     */
    async delete(poolId: string, name: string, now: number): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        await lockPool(tx, poolId);
        await tx.deleteFrom('identity_provider_identifiers').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
        const r = await tx.deleteFrom('identity_providers').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
        if (count(r.numDeletedRows) !== 1) return false;
        await tx.deleteFrom('identity_provider_links').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
        const clients = await forUpdate(sql, tx.selectFrom('user_pool_clients').select(['id', 'settings']).where('pool_id', '=', poolId)).execute();
        for (const c of clients) {
          const settings = JSON.parse(c.settings) as { SupportedIdentityProviders?: string[]; LastModifiedDate?: unknown };
          if (!settings.SupportedIdentityProviders?.includes(name)) continue;
          settings.SupportedIdentityProviders = settings.SupportedIdentityProviders.filter((n) => n !== name);
          await tx
            .updateTable('user_pool_clients')
            .set({ settings: JSON.stringify(settings), updated_at: now })
            .where('id', '=', c.id)
            .execute();
        }
        return true;
      });
    },

    // ---- Federated users (the users federated sign-ins made) ----

    /** Records the identity of the federated user `r.userSub`; false when the identity (or the user) has one already. */
    async recordFederatedUser(r: FederatedUserRecord): Promise<boolean> {
      try {
        await db
          .insertInto('federated_users')
          .values({ pool_id: r.poolId, provider_name: r.providerName, user_id: r.userId, user_sub: r.userSub, created_at: r.createdAt })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** The sub of the federated user of the identity (provider, userId); undefined when it has none. */
    async findFederatedUser(poolId: string, providerName: string, userId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('federated_users')
        .select('user_sub')
        .where('pool_id', '=', poolId)
        .where('provider_name', '=', providerName)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.user_sub;
    },

    // ---- Links (AdminLinkProviderForUser) ----

    /**
     * Links an external identity to the user `link.userSub`, under that user's row lock: 'no-user' when the user is
     * gone, `{ linkedTo }` when the identity is linked already (to that sub), 'limit' when the user has `max` links.
     */
    async createLink(link: ProviderLink, max: number): Promise<CreateLinkResult> {
      try {
        return await db.transaction().execute(async (tx): Promise<CreateLinkResult> => {
          const user = await forUpdate(
            sql,
            tx.selectFrom('users').select('id').where('id', '=', link.userSub).where('pool_id', '=', link.poolId),
          ).executeTakeFirst();
          if (!user) return 'no-user';
          const existing = await tx
            .selectFrom('identity_provider_links')
            .select('user_sub')
            .where('pool_id', '=', link.poolId)
            .where('provider_name', '=', link.providerName)
            .where('attribute_name', '=', link.attributeName)
            .where('attribute_value', '=', link.attributeValue)
            .executeTakeFirst();
          if (existing) return { linkedTo: existing.user_sub };
          const n = await tx
            .selectFrom('identity_provider_links')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('user_sub', '=', link.userSub)
            .executeTakeFirst();
          if (Number(n?.n ?? 0) >= max) return 'limit';
          await tx
            .insertInto('identity_provider_links')
            .values({
              pool_id: link.poolId,
              provider_name: link.providerName,
              attribute_name: link.attributeName,
              attribute_value: link.attributeValue,
              user_sub: link.userSub,
              created_at: link.createdAt,
            })
            .execute();
          return 'linked';
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const found = await this.findLink(link.poolId, link.providerName, link.attributeName, link.attributeValue);
        return { linkedTo: found?.userSub ?? link.userSub };
      }
    },

    async findLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<ProviderLink | undefined> {
      const row = await db
        .selectFrom('identity_provider_links')
        .selectAll()
        .where('pool_id', '=', poolId)
        .where('provider_name', '=', providerName)
        .where('attribute_name', '=', attributeName)
        .where('attribute_value', '=', attributeValue)
        .executeTakeFirst();
      return row && linkFromRow(row);
    },

    /** The links of one provider's identities whose attribute is one of `attributes` (name → value). */
    async findLinksByAttributes(poolId: string, providerName: string, attributes: Record<string, string>): Promise<ProviderLink[]> {
      const entries = Object.entries(attributes);
      if (!entries.length) return [];
      const rows = await db
        .selectFrom('identity_provider_links')
        .selectAll()
        .where('pool_id', '=', poolId)
        .where('provider_name', '=', providerName)
        .where((eb) => eb.or(entries.map(([n, v]) => eb.and([eb('attribute_name', '=', n), eb('attribute_value', '=', v)]))))
        .orderBy('created_at')
        .execute();
      return rows.map(linkFromRow);
    },

    /** The user's links, oldest first. */
    async linksOfUser(userSub: string): Promise<ProviderLink[]> {
      const rows = await db
        .selectFrom('identity_provider_links')
        .selectAll()
        .where('user_sub', '=', userSub)
        .orderBy('created_at')
        .orderBy('provider_name')
        .execute();
      return rows.map(linkFromRow);
    },

    /** Removes a link; the removed link, or undefined when there was none. */
    async deleteLink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<ProviderLink | undefined> {
      const row = await db
        .deleteFrom('identity_provider_links')
        .where('pool_id', '=', poolId)
        .where('provider_name', '=', providerName)
        .where('attribute_name', '=', attributeName)
        .where('attribute_value', '=', attributeValue)
        .returningAll()
        .executeTakeFirst();
      return row && linkFromRow(row);
    },

    /**
     * Re-keys a link made on a mapped attribute to the identity's subject (`Cognito_Subject`), as Cognito does once
     * the linked identity has signed in. False when the link is gone or the subject is linked already.
     */
    async rekeyLink(link: ProviderLink, subject: string): Promise<boolean> {
      try {
        const r = await db
          .updateTable('identity_provider_links')
          .set({ attribute_name: 'Cognito_Subject', attribute_value: subject })
          .where('pool_id', '=', link.poolId)
          .where('provider_name', '=', link.providerName)
          .where('attribute_name', '=', link.attributeName)
          .where('attribute_value', '=', link.attributeValue)
          .executeTakeFirst();
        return count(r.numUpdatedRows) === 1;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
  };
}

export type IdentityProvidersRepository = ReturnType<typeof identityProvidersRepository>;

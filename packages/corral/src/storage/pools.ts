// User pools and their app clients: the rows of user_pools and user_pool_clients, their settings JSON parsed.
// (Cognito's rules for pools and clients are in domain/pools.ts, domain/clients.ts and domain/pool-settings.ts.)
import type { UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { compiledOnce, count, forUpdate, type Sql } from './sql.js';
import type { UserPoolClientsTable, UserPoolsTable } from './schema.js';

export interface Pool {
  id: string;
  name: string;
  /** Everything DescribeUserPool returns, defaults filled in (Dates as Date). */
  settings: UserPoolType;
}

export interface Client {
  id: string;
  poolId: string;
  name: string;
  /** The plain client secret, when the client has one. */
  secret?: string;
  settings: UserPoolClientType;
}

/** An app client as stored: the secret still encrypted (domain/pools.ts decrypts it with the server key). */
export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** The client secret encrypted at rest (crypto/box.ts, purpose 'client-secret'); null when the client has none. */
  encryptedSecret: string | null;
  /** UserPoolClientType without ids, name and secret (CreationDate and LastModifiedDate as Date). */
  settings: UserPoolClientType;
}

/** One entry of ListUserPoolClients. */
export interface ClientSummary {
  id: string;
  name: string;
}

// Every public call reads its client and pool; parsing their settings JSON (several KB for a pool) was ~1.5% of a
// sign-in's server CPU. The parse is reused while the stored text is byte-for-byte the one just read — the row is
// still read on every call, so an update made by any instance is seen at once (no TTL). The shared value is frozen:
// code that changes settings builds a new object (as every action does), never edits one in place.
const SETTINGS_CACHE_MAX = 1000;
const settingsCache = new Map<string, { text: string; value: unknown }>();

function parsedSettings<T>(key: string, text: string): T {
  const hit = settingsCache.get(key);
  if (hit && hit.text === text) return hit.value as T;
  const value = deepFreeze(reviveDates(JSON.parse(text) as T));
  if (settingsCache.size >= SETTINGS_CACHE_MAX) settingsCache.clear();
  settingsCache.set(key, { text, value });
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const DATE_KEYS = new Set(['CreationDate', 'LastModifiedDate']);
/** Settings are stored as JSON; the date members come back as Date. */
export function reviveDates<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (DATE_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) (value as Record<string, unknown>)[k] = new Date(v);
    }
  }
  return value;
}

export function poolFromRow(row: Pick<UserPoolsTable, 'id' | 'name' | 'settings'>): Pool {
  return { id: row.id, name: row.name, settings: parsedSettings<UserPoolType>(`pool:${row.id}`, row.settings) };
}

export function clientFromRow(row: Pick<UserPoolClientsTable, 'id' | 'pool_id' | 'name' | 'secret' | 'settings'>): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    encryptedSecret: row.secret,
    settings: parsedSettings<UserPoolClientType>(`client:${row.id}`, row.settings),
  };
}

const ms = (d: Date | undefined, fallback: number) => d?.getTime() ?? fallback;

export function poolsRepository(sql: Sql) {
  const { db } = sql;
  // Every public call's first read, compiled once (sql.ts).
  const clientWithPool = compiledOnce(db, (clientId: string) =>
    db
      .selectFrom('user_pool_clients as c')
      .innerJoin('user_pools as p', 'p.id', 'c.pool_id')
      .select(['c.id', 'c.pool_id', 'c.name', 'c.secret', 'c.settings', 'p.name as pool_name', 'p.settings as pool_settings'])
      .where('c.id', '=', clientId),
  );
  // Every signed call on a pool reads it; every access-token call reads its client (compiled once too).
  const poolById = compiledOnce(db, (poolId: string) => db.selectFrom('user_pools').select(['id', 'name', 'settings']).where('id', '=', poolId));
  const clientById = compiledOnce(db, (clientId: string) =>
    db.selectFrom('user_pool_clients').select(['id', 'pool_id', 'name', 'secret', 'settings']).where('id', '=', clientId),
  );
  return {
    async find(poolId: string): Promise<Pool | undefined> {
      const row = (await poolById(poolId)).rows[0];
      return row && poolFromRow(row);
    },

    /** Pools by id after `after`, at most `limit`. */
    async list(limit: number, after: string | undefined): Promise<Pool[]> {
      let q = db.selectFrom('user_pools').select(['id', 'name', 'settings']).orderBy('id').limit(limit);
      if (after !== undefined) q = q.where('id', '>', after);
      return (await q.execute()).map(poolFromRow);
    },

    /** Stores a new pool; its created_at/updated_at are the settings' CreationDate/LastModifiedDate (or `now`). */
    async insert(pool: Pool, now: number): Promise<void> {
      const created = ms(pool.settings.CreationDate, now);
      await db
        .insertInto('user_pools')
        .values({
          id: pool.id,
          name: pool.name,
          settings: JSON.stringify(pool.settings),
          created_at: created,
          updated_at: ms(pool.settings.LastModifiedDate, created),
        })
        .execute();
    },

    /**
     * Replaces the pool's name and settings with `change(pool as stored)`, computed under the row lock in one
     * transaction, so that concurrent changes (UpdateUserPool, tags, custom attributes, the domain) never undo one
     * another. `change` must not await (it may throw: nothing is written). Undefined when there is no such pool.
     */
    async change(poolId: string, change: (fresh: Pool) => Pool, now: number): Promise<Pool | undefined> {
      return db.transaction().execute(async (tx) => {
        const row = await forUpdate(sql, tx.selectFrom('user_pools').select(['id', 'name', 'settings']).where('id', '=', poolId)).executeTakeFirst();
        if (!row) return undefined;
        const next = change(poolFromRow(row));
        await tx
          .updateTable('user_pools')
          .set({ name: next.name, settings: JSON.stringify(next.settings), updated_at: ms(next.settings.LastModifiedDate, now) })
          .where('id', '=', poolId)
          .execute();
        return next;
      });
    },

    /**
     * Sets (or, with undefined, removes) the `Domain` member of the pool's settings, under the row lock, so that it
     * is neither lost to nor loses a concurrent change of that one member. False when there is no such pool.
     */
    async setDomain(poolId: string, domain: string | undefined): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const row = await forUpdate(sql, tx.selectFrom('user_pools').select('settings').where('id', '=', poolId)).executeTakeFirst();
        if (!row) return false;
        const { Domain: _old, ...rest } = JSON.parse(row.settings) as Record<string, unknown>;
        const settings = JSON.stringify(domain === undefined ? rest : { ...rest, Domain: domain });
        await tx.updateTable('user_pools').set({ settings }).where('id', '=', poolId).execute();
        return true;
      });
    },

    /** Deletes the pool with its app clients and users, in one transaction (the other rows go by foreign key). */
    async delete(poolId: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('user_pool_clients').where('pool_id', '=', poolId).execute();
        await tx.deleteFrom('users').where('pool_id', '=', poolId).execute();
        await tx.deleteFrom('user_pools').where('id', '=', poolId).execute();
      });
    },

    /** How many users the pool has (DescribeUserPool's EstimatedNumberOfUsers). */
    async countUsers(poolId: string): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('pool_id', '=', poolId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async findClient(clientId: string): Promise<ClientRecord | undefined> {
      const row = (await clientById(clientId)).rows[0];
      return row && clientFromRow(row);
    },

    /** A client and its pool, read in one query (every unsigned call starts here). */
    async findClientWithPool(clientId: string): Promise<{ client: ClientRecord; pool: Pool } | undefined> {
      const row = (await clientWithPool(clientId)).rows[0];
      if (!row) return undefined;
      return { client: clientFromRow(row), pool: poolFromRow({ id: row.pool_id, name: row.pool_name, settings: row.pool_settings }) };
    },

    /** The pool's clients by id after `after`, at most `limit`. */
    async listClients(poolId: string, limit: number, after: string | undefined): Promise<ClientSummary[]> {
      let q = db.selectFrom('user_pool_clients').select(['id', 'name']).where('pool_id', '=', poolId).orderBy('id').limit(limit);
      if (after !== undefined) q = q.where('id', '>', after);
      return q.execute();
    },

    /** Stores a new client (created_at/updated_at from its settings' CreationDate/LastModifiedDate, or `now`). */
    async insertClient(client: ClientRecord, now: number): Promise<void> {
      const created = ms(client.settings.CreationDate, now);
      await db
        .insertInto('user_pool_clients')
        .values({
          id: client.id,
          pool_id: client.poolId,
          name: client.name,
          secret: client.encryptedSecret,
          settings: JSON.stringify(client.settings),
          created_at: created,
          updated_at: ms(client.settings.LastModifiedDate, created),
        })
        .execute();
    },

    /** Replaces the client's name and settings (the secret never changes). False when there is no such client. */
    async updateClient(client: Omit<ClientRecord, 'encryptedSecret'>, now: number): Promise<boolean> {
      const r = await db
        .updateTable('user_pool_clients')
        .set({ name: client.name, settings: JSON.stringify(client.settings), updated_at: ms(client.settings.LastModifiedDate, now) })
        .where('id', '=', client.id)
        .where('pool_id', '=', client.poolId)
        .executeTakeFirst();
      return count(r.numUpdatedRows) === 1;
    },

    /** False when there was no such client in the pool. */
    async deleteClient(poolId: string, clientId: string): Promise<boolean> {
      const r = await db.deleteFrom('user_pool_clients').where('id', '=', clientId).where('pool_id', '=', poolId).executeTakeFirst();
      return count(r.numDeletedRows) === 1;
    },
  };
}

export type PoolsRepository = ReturnType<typeof poolsRepository>;

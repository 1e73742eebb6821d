// Users of a pool and their sign-in aliases. Uniqueness of usernames and of aliases is the database's (unique
// indexes); every change that could race with another is one conditional statement or one short transaction that
// locks the user's row before reading it:
//   - `update` applies a change computed from the row as it is under the lock (attribute patches, status, password,
//     MFA record…), so concurrent updates of different attributes all survive and none overwrites another;
//   - `countFailure` counts a wrong password only while the user is not locked out (one UPDATE … WHERE not locked
//     RETURNING), so a burst of wrong answers on any number of instances is answered "incorrect" at most the free
//     attempts' times, and `clearFailures` forgets only the failures a right password saw;
//   - `create` writes the user and its aliases in one transaction.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { CompiledQuery, sql as raw, type Transaction } from 'kysely';
import { isUniqueViolation } from './db.js';
import type { DB, UsersTable } from './schema.js';
import { SEARCH_ATTRIBUTES, searchRows, type SearchAttribute } from './user-search-rows.js';
import { compiledOnce, forUpdate, type Sql } from './sql.js';

/** A user's attributes by name; custom values are strings, `*_verified` are "true"/"false". */
export type Attributes = Record<string, string>;

export type AliasAttribute = 'email' | 'phone_number' | 'preferred_username';

export interface User {
  sub: string;
  poolId: string;
  username: string;
  status: UserStatusType;
  enabled: boolean;
  attributes: Attributes;
  srpSalt: string | null;
  /** Encrypted verifier (decrypt with crypto/box.ts, purpose SRP_VERIFIER_PURPOSE). */
  srpVerifier: string | null;
  /** The MFA record as JSON (domain/user-mfa.ts). */
  mfa: string | null;
  tokensValidAfter: number;
  failedAttempts: number;
  lastFailedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Email / phone_number values waiting for verification (AttributesRequireVerificationBeforeUpdate); absent when none. */
  pendingAttributes?: Attributes;
}

/** An alias row: the attribute and its value as compared. */
export interface Alias {
  attribute: AliasAttribute;
  valueKey: string;
}

export interface NewUserRecord {
  sub: string;
  poolId: string;
  username: string;
  usernameKey: string;
  status: UserStatusType;
  enabled: boolean;
  attributes: Attributes;
  srpSalt: string | null;
  srpVerifier: string | null;
  now: number;
}

/** What `update` changes; members left out stay as stored. */
export interface UserChanges {
  status?: UserStatusType;
  enabled?: boolean;
  /** New SRP credentials (a password set or changed). */
  credentials?: { srpSalt: string; srpVerifier: string };
  mfa?: string | null;
  tokensValidAfter?: number;
  /** Forget counted sign-in failures. */
  clearFailures?: boolean;
  /** Attributes to set (merged into the stored ones). */
  set?: Attributes;
  /** Attributes to delete. */
  remove?: string[];
  /** The values waiting for verification, replacing those stored (null or {}: none). */
  pending?: Attributes | null;
}

/** How aliases follow the attributes after a change: the rows the new attributes call for, and whether a value held
 *  by another user moves here (that user's value becomes unverified) instead of failing. */
export interface AliasRules {
  derive: (attributes: Attributes) => Alias[];
  force: boolean;
}

export type CreateResult = { ok: true; user: User } | { ok: false; taken: 'username' | AliasAttribute };
export type UpdateResult = { ok: true; user: User; before: User } | { ok: false; missing: true } | { ok: false; aliasTaken: AliasAttribute };

/** A lockout rule (domain/lockout.ts has Cognito's): after `freeAttempts` failures each attempt waits
 *  `waitMs(failures)` after the last failure (growing, at most `maxWaitMs`); the count starts again after
 *  `resetAfterMs` without a failure. */
export interface LockoutPolicy {
  freeAttempts: number;
  waitMs(failures: number): number;
  maxWaitMs: number;
  resetAfterMs: number;
}

export function fromRow(r: UsersTable): User {
  return {
    sub: r.id,
    poolId: r.pool_id,
    username: r.username,
    status: r.status as UserStatusType,
    enabled: Number(r.enabled) === 1,
    attributes: JSON.parse(r.attributes) as Attributes,
    srpSalt: r.srp_salt,
    srpVerifier: r.srp_verifier,
    mfa: r.mfa,
    tokensValidAfter: Number(r.tokens_valid_after),
    failedAttempts: Number(r.failed_attempts),
    lastFailedAt: r.last_failed_at === null ? null : Number(r.last_failed_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    ...(r.pending_attributes ? { pendingAttributes: JSON.parse(r.pending_attributes) as Attributes } : {}),
  };
}

export { SEARCH_ATTRIBUTES, SEARCH_VALUE_MAX, searchRows, searchValue, type SearchAttribute } from './user-search-rows.js';

/** The index a user search reads: the users' own columns (`sub`: every user by id; `username`: username_key;
 *  `status`; `enabled`: "0"/"1") or the user_search rows of one attribute. */
export type SearchIndex = 'sub' | 'username' | 'status' | 'enabled' | SearchAttribute;

/**
 * A search over one index: the keys equal to one of `equals` (read one after the other, in that order), or the keys
 * starting with `prefix` (one range; '' is every key). Rows come in index order: (key, sub) — for `sub`, the sub.
 */
export interface UserSearch {
  on: SearchIndex;
  match: { equals: string[] } | { prefix: string };
}

/** Where a page of a search ended: the index key and sub of its last row (the next page starts after it). */
export interface SearchPosition {
  key: string;
  sub: string;
}

/** The smallest string greater than every string starting with `prefix` (in code point order, which is UTF-8 byte
 *  order), or undefined when there is none (every string starts with ''). */
export function prefixEnd(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
    return cps.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** Thrown inside a transaction to roll it back with a result for the caller. */
class Abort {
  constructor(readonly result: { ok: false; aliasTaken: AliasAttribute } | { ok: false; missing: true }) {}
}

type Tx = Transaction<DB>;

/** The SQL of "this row is locked out at `now`": failures past the free ones and the wait since the last not over. */
function lockedSql(policy: LockoutPolicy, now: number) {
  const waits = [];
  for (let n = policy.freeAttempts; policy.waitMs(n) < policy.maxWaitMs; n++) waits.push(raw`WHEN ${raw.lit(n)} THEN ${raw.lit(policy.waitMs(n))}`);
  return raw<boolean>`(failed_attempts >= ${raw.lit(policy.freeAttempts)} AND last_failed_at IS NOT NULL AND last_failed_at + (CASE failed_attempts ${raw.join(waits, raw` `)} ELSE ${raw.lit(policy.maxWaitMs)} END) > ${now})`;
}

export function usersRepository(sql: Sql) {
  const { db } = sql;
  // The sign-in path's lookups, compiled once (sql.ts).
  const byKey = compiledOnce(db, (poolId: string, key: string) =>
    db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', key),
  );
  const bySub = compiledOnce(db, (poolId: string, sub: string) => db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('id', '=', sub));
  const byAliases = new Map<number, (...args: unknown[]) => Promise<{ rows: unknown[] }>>();

  async function aliasHolder(q: Tx | Sql['db'], poolId: string, a: Alias): Promise<string | undefined> {
    const row = await q
      .selectFrom('user_aliases')
      .select('user_id')
      .where('pool_id', '=', poolId)
      .where('attribute', '=', a.attribute)
      .where('value_key', '=', a.valueKey)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Brings the user's user_search rows from those of `before` to those of `after` (attributes), writing only the
   *  rows that differ. Runs in the transaction that writes the attributes, under the user's row lock. */
  async function syncSearch(tx: Tx, poolId: string, sub: string, before: Attributes, after: Attributes): Promise<void> {
    const old = new Map(searchRows(poolId, sub, before).map((r) => [r.attribute, r.value]));
    const fresh = searchRows(poolId, sub, after);
    const gone = [...old.keys()].filter((a) => !fresh.some((r) => r.attribute === a && r.value === old.get(a)));
    if (gone.length) await tx.deleteFrom('user_search').where('user_id', '=', sub).where('attribute', 'in', gone).execute();
    const added = fresh.filter((r) => old.get(r.attribute) !== r.value);
    if (added.length) await tx.insertInto('user_search').values(added).execute();
  }

  /** Gives `sub` exactly the aliases `wanted`; a value held by another user fails, or with `force` moves here. */
  async function syncAliases(tx: Tx, poolId: string, sub: string, wanted: Alias[], force: boolean, now: number): Promise<void> {
    await tx.deleteFrom('user_aliases').where('user_id', '=', sub).execute();
    for (const a of wanted) {
      const holder = await aliasHolder(tx, poolId, a);
      if (holder) {
        if (!force) throw new Abort({ ok: false, aliasTaken: a.attribute });
        await tx.deleteFrom('user_aliases').where('user_id', '=', holder).where('attribute', '=', a.attribute).execute();
        const other = await forUpdate(sql, tx.selectFrom('users').select('attributes').where('id', '=', holder)).executeTakeFirstOrThrow();
        const otherBefore = JSON.parse(other.attributes) as Attributes;
        const otherAttrs = { ...otherBefore };
        if (a.attribute !== 'preferred_username') otherAttrs[`${a.attribute}_verified`] = 'false';
        else delete otherAttrs.preferred_username;
        await tx
          .updateTable('users')
          .set({ attributes: JSON.stringify(otherAttrs), updated_at: now })
          .where('id', '=', holder)
          .execute();
        await syncSearch(tx, poolId, holder, otherBefore, otherAttrs);
      }
      try {
        await tx.insertInto('user_aliases').values({ pool_id: poolId, attribute: a.attribute, value_key: a.valueKey, user_id: sub }).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new Abort({ ok: false, aliasTaken: a.attribute });
        throw err;
      }
    }
  }

  // `id` as the search indexes order it: byte order on PostgreSQL (COLLATE "C"), SQLite's default elsewhere.
  const idOf = (t: 'users' | 'u') => (sql.postgres ? raw<string>`${raw.ref(`${t}.id`)} COLLATE "C"` : raw<string>`${raw.ref(`${t}.id`)}`);

  /** The select of one index's rows with their key: users' own column, or user_search joined to users. */
  function indexed(poolId: string, on: SearchIndex) {
    if ((SEARCH_ATTRIBUTES as readonly string[]).includes(on)) {
      const q = db
        .selectFrom('user_search as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .selectAll('u')
        .select('s.value as search_key')
        .where('s.pool_id', '=', poolId)
        .where('s.attribute', '=', on);
      return { q, key: raw<string>`s.value`, tie: raw<string>`s.user_id` };
    }
    const column = { sub: idOf('u'), username: raw<string>`u.username_key`, status: raw<string>`u.status`, enabled: raw<string>`u.enabled` }[
      on as 'sub' | 'username' | 'status' | 'enabled'
    ];
    const q = db.selectFrom('users as u').selectAll('u').select(column.as('search_key')).where('u.pool_id', '=', poolId);
    return { q, key: column, tie: idOf('u') };
  }

  /** The queries of one page, in the order they are read: one per `equals` key still ahead, or for a prefix the rest of
   *  the position's key (when the key is not the sub) then the keys after it in the range. */
  function searchQueries(poolId: string, s: UserSearch, after: SearchPosition | undefined, limit: number) {
    const { q, key, tie } = indexed(poolId, s.on);
    const value = (k: string): string | number => (s.on === 'enabled' ? Number(k) : k);
    const queries = [];
    // A key held by one user only (the sub, the username) is its own order: nothing of a key to read after its user.
    const unique = s.on === 'sub' || s.on === 'username';
    if ('equals' in s.match) {
      let keys = s.match.equals;
      if (after) {
        const at = keys.indexOf(after.key);
        keys = at < 0 ? [] : keys.slice(at);
      }
      for (const k of keys) {
        if (unique) {
          // (A sub by the primary key, whose collation is not the search indexes'.)
          if (!after) queries.push(q.where(s.on === 'sub' ? raw<string>`u.id` : key, '=', k).limit(limit));
          continue;
        }
        let one = q.where(key, '=', value(k) as string);
        if (after && k === after.key) one = one.where(tie, '>', after.sub);
        queries.push(one.orderBy(tie).limit(limit));
      }
      return queries;
    }
    const end = prefixEnd(s.match.prefix);
    if (after && !unique) queries.push(q.where(key, '=', after.key).where(tie, '>', after.sub).orderBy(tie).limit(limit));
    let range = q.where(key, '>=', s.match.prefix);
    if (after) range = range.where(key, '>', after.key);
    if (end !== undefined) range = range.where(key, '<', end);
    queries.push(unique ? range.orderBy(key).limit(limit) : range.orderBy(key).orderBy(tie).limit(limit));
    return queries;
  }

  async function search(poolId: string, s: UserSearch, after: SearchPosition | undefined, limit: number): Promise<{ user: User; position: SearchPosition }[]> {
    const found: { user: User; position: SearchPosition }[] = [];
    for (const q of searchQueries(poolId, s, after, limit)) {
      if (found.length >= limit) break;
      const rows = await q.limit(limit - found.length).execute();
      for (const r of rows) {
        const { search_key, ...row } = r as UsersTable & { search_key: string | number };
        found.push({ user: fromRow(row), position: { key: String(search_key), sub: row.id } });
      }
    }
    return found;
  }

  return {
    async findByUsernameKey(poolId: string, usernameKey: string): Promise<User | undefined> {
      const row = (await byKey(poolId, usernameKey)).rows[0];
      return row && fromRow(row);
    },

    async findBySub(poolId: string, sub: string): Promise<User | undefined> {
      const row = (await bySub(poolId, sub)).rows[0];
      return row && fromRow(row);
    },

    /**
     * The user a sign-in names: by username key, else by the first of `aliases` (in their order) that some user
     * holds — one query by username (the common case), then at most one more for all the aliases together.
     */
    async findForSignIn(poolId: string, usernameKey: string, aliases: Alias[]): Promise<User | undefined> {
      if (!aliases.length) {
        const byName = (await byKey(poolId, usernameKey)).rows[0];
        return byName && fromRow(byName);
      }
      // One statement whether the name is a username, an alias or nobody's (the same work for an unknown user:
      // user-existence.ts): the username first, then the aliases in the pool's order.
      let q = byAliases.get(aliases.length);
      if (!q) {
        const n = aliases.length;
        q = compiledOnce(db, (...args: unknown[]) => {
          const [pool, key, ...pairs] = args;
          const held = (i: number) =>
            db
              .selectFrom('user_aliases as a')
              .innerJoin('users as u', 'u.id', 'a.user_id')
              .selectAll('u')
              .select(raw<number>`${raw.lit(i)}`.as('rank'))
              .where('a.pool_id', '=', pool as string)
              .where('a.attribute', '=', pairs[2 * i] as string)
              .where('a.value_key', '=', pairs[2 * i + 1] as string);
          let union = db
            .selectFrom('users as u')
            .selectAll('u')
            .select(raw<number>`${raw.lit(-1)}`.as('rank'))
            .where('u.pool_id', '=', pool as string)
            .where('u.username_key', '=', key as string);
          for (let i = 0; i < n; i++) union = union.unionAll(held(i));
          return db.selectFrom(union.as('found')).selectAll().orderBy('rank').limit(1);
        });
        byAliases.set(n, q);
      }
      const row = (await q(poolId, usernameKey, ...aliases.flatMap((a) => [a.attribute, a.valueKey]))).rows[0] as UsersTable | undefined;
      return row && fromRow(row);
    },

    /** The sub of the user holding an alias value, if any. */
    aliasHolder: (poolId: string, alias: Alias) => aliasHolder(db, poolId, alias),

    /** The user's alias rows. */
    async aliasesOf(sub: string): Promise<Alias[]> {
      const rows = await db.selectFrom('user_aliases').select(['attribute', 'value_key']).where('user_id', '=', sub).orderBy('attribute').execute();
      return rows.map((r) => ({ attribute: r.attribute as AliasAttribute, valueKey: r.value_key }));
    },

    /** Creates the user and its aliases in one transaction: all of it, or nothing when a name is taken. */
    async create(u: NewUserRecord, aliases: AliasRules): Promise<CreateResult> {
      const row: UsersTable = {
        id: u.sub,
        pool_id: u.poolId,
        username: u.username,
        username_key: u.usernameKey,
        status: u.status,
        enabled: u.enabled ? 1 : 0,
        attributes: JSON.stringify(u.attributes),
        srp_salt: u.srpSalt,
        srp_verifier: u.srpVerifier,
        mfa: null,
        tokens_valid_after: 0,
        failed_attempts: 0,
        last_failed_at: null,
        created_at: u.now,
        updated_at: u.now,
        pending_attributes: null,
      };
      try {
        await db.transaction().execute(async (tx) => {
          try {
            await tx.insertInto('users').values(row).execute();
          } catch (err) {
            if (isUniqueViolation(err)) throw new Abort({ ok: false, missing: true });
            throw err;
          }
          const search = searchRows(u.poolId, u.sub, u.attributes);
          if (search.length) await tx.insertInto('user_search').values(search).execute();
          const wanted = aliases.derive(u.attributes);
          if (wanted.length) await syncAliases(tx, u.poolId, u.sub, wanted, aliases.force, u.now);
        });
      } catch (err) {
        if (!(err instanceof Abort)) throw err;
        return { ok: false, taken: 'aliasTaken' in err.result ? err.result.aliasTaken : 'username' };
      }
      return { ok: true, user: fromRow(row) };
    },

    /**
     * Applies `change`, computed from the user's row as it is under the row lock, in one transaction; aliases are
     * re-derived from the resulting attributes when attributes changed. `change` must not await: it runs inside the
     * transaction (it may throw, which rolls the transaction back and reaches the caller).
     */
    async update(poolId: string, sub: string, change: (fresh: User) => UserChanges, aliases: AliasRules, now: number): Promise<UpdateResult> {
      try {
        return await db.transaction().execute(async (tx) => {
          const row = await forUpdate(sql, tx.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('id', '=', sub)).executeTakeFirst();
          if (!row) throw new Abort({ ok: false, missing: true });
          const before = fromRow(row);
          const c = change(before);
          const attributes = { ...before.attributes, ...c.set };
          for (const name of c.remove ?? []) delete attributes[name];
          const attributesChanged = JSON.stringify(attributes) !== row.attributes;
          const set: Partial<UsersTable> = { updated_at: now };
          if (c.status !== undefined) set.status = c.status;
          if (c.enabled !== undefined) set.enabled = c.enabled ? 1 : 0;
          if (c.credentials) {
            set.srp_salt = c.credentials.srpSalt;
            set.srp_verifier = c.credentials.srpVerifier;
          }
          if (c.mfa !== undefined) set.mfa = c.mfa;
          if (c.tokensValidAfter !== undefined) set.tokens_valid_after = c.tokensValidAfter;
          if (c.clearFailures) {
            set.failed_attempts = 0;
            set.last_failed_at = null;
          }
          if (attributesChanged) set.attributes = JSON.stringify(attributes);
          if (c.pending !== undefined) set.pending_attributes = c.pending && Object.keys(c.pending).length ? JSON.stringify(c.pending) : null;
          await tx.updateTable('users').set(set).where('id', '=', sub).execute();
          if (attributesChanged) {
            await syncSearch(tx, poolId, sub, before.attributes, attributes);
            await syncAliases(tx, poolId, sub, aliases.derive(attributes), aliases.force, now);
          }
          return { ok: true as const, before, user: fromRow({ ...row, ...set } as UsersTable) };
        });
      } catch (err) {
        if (err instanceof Abort) return err.result;
        throw err;
      }
    },

    async delete(sub: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('user_aliases').where('user_id', '=', sub).execute();
        await tx.deleteFrom('user_search').where('user_id', '=', sub).execute();
        await tx.deleteFrom('users').where('id', '=', sub).execute();
      });
    },

    /**
     * Counts a wrong password unless the user is locked out at `now` (one conditional UPDATE, the count restarting
     * after a quiet 15 minutes): 'counted', 'locked' (nothing counted: the answer must not tell the password was
     * wrong) or 'missing'. However many wrong answers race on however many instances, at most the free attempts
     * are counted before the lock, so at most those are ever answered "incorrect".
     */
    async countFailure(poolId: string, sub: string, now: number, policy: LockoutPolicy): Promise<'counted' | 'locked' | 'missing'> {
      const row = await db
        .updateTable('users')
        .set({
          failed_attempts: raw`CASE WHEN last_failed_at IS NULL OR last_failed_at < ${now - policy.resetAfterMs} THEN 1 ELSE failed_attempts + 1 END`,
          last_failed_at: now,
        })
        .where('pool_id', '=', poolId)
        .where('id', '=', sub)
        .where(raw<boolean>`NOT ${lockedSql(policy, now)}`)
        .returning('failed_attempts')
        .executeTakeFirst();
      if (row) return 'counted';
      const exists = await db.selectFrom('users').select('id').where('pool_id', '=', poolId).where('id', '=', sub).executeTakeFirst();
      return exists ? 'locked' : 'missing';
    },

    /**
     * A right password forgets the failures `seen` (as read when the password was judged) — only those: one that
     * another request counted since stays (compare-and-set), so a success never wipes a concurrent burst.
     */
    async clearFailures(sub: string, seen: Pick<User, 'failedAttempts' | 'lastFailedAt'>): Promise<void> {
      if (seen.failedAttempts === 0) return;
      let q = db
        .updateTable('users')
        .set({ failed_attempts: 0, last_failed_at: null })
        .where('id', '=', sub)
        .where('failed_attempts', '=', seen.failedAttempts);
      q = seen.lastFailedAt === null ? q.where('last_failed_at', 'is', null) : q.where('last_failed_at', '=', seen.lastFailedAt);
      await q.execute();
    },

    /** Up to `limit` users of the pool after the sub `after`, in sub order. */
    async page(poolId: string, after: string | undefined, limit: number): Promise<User[]> {
      const rows = await search(poolId, { on: 'sub', match: { prefix: '' } }, after === undefined ? undefined : { key: after, sub: after }, limit);
      return rows.map((r) => r.user);
    },

    /**
     * Up to `limit` users the search finds after `after`, in index order, each with its position. Every query is
     * a range of one index (storage/migrations/0020): the cost is the page's, whatever the pool's size. For the
     * attribute indexes the key is the indexed value (at most SEARCH_VALUE_MAX code points): the caller checks the
     * user's full value.
     */
    search,

    /** The query plans of the queries `search` runs for this search (EXPLAIN QUERY PLAN on SQLite; EXPLAIN on
     *  PostgreSQL, with sequential scans and sorts disabled, so a plan that still has one has no index to use). */
    async explainSearch(poolId: string, s: UserSearch, after?: SearchPosition): Promise<string[]> {
      const plans: string[] = [];
      for (const q of searchQueries(poolId, s, after, 61)) {
        const c = q.compile();
        if (sql.postgres) {
          plans.push(
            await db.transaction().execute(async (tx) => {
              await raw`SET LOCAL enable_seqscan = off`.execute(tx);
              await raw`SET LOCAL enable_sort = off`.execute(tx);
              const r = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${c.sql}`, [...c.parameters]));
              return r.rows.map((row) => row['QUERY PLAN']).join('\n');
            }),
          );
        } else {
          const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
          plans.push(r.rows.map((row) => row.detail).join('\n'));
        }
      }
      return plans;
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;

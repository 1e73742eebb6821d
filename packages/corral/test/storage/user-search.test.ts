// Contract of the user search index (storage/users.ts `search`, migration 0020) on both databases: the user_search
// rows follow every write of a user's attributes in the same transaction (create, update setting / changing /
// removing a value, the alias move that takes another user's preferred_username, delete, concurrent updates of one
// user on two instances), every search is a keyset over one index (equal keys, prefix ranges, positions), and the
// query plans read an index range, never the pool's users.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/index.js';
import {
  SEARCH_VALUE_MAX,
  prefixEnd,
  searchRows,
  type Alias,
  type AliasRules,
  type Attributes,
  type NewUserRecord,
  type SearchPosition,
  type User,
  type UserSearch,
} from '../../src/storage/users.js';
import { bulkInsertUsers } from '../support/bulk-users.js';
import { openDatabase, type StorageOptions } from '../../src/storage/db.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createStore } from '../../src/storage/index.js';
import { describeEachBackend, POSTGRES_URL } from '../support/corral.js';
import { openFreshStore, seedPool, type FreshStore } from './fresh-store.js';

type Users = Store['users'];

const noAliases: AliasRules = { derive: () => [], force: false };
/** preferred_username is an alias, moved from its holder when forced. */
const preferred = (force: boolean): AliasRules => ({
  derive: (a: Attributes): Alias[] => (a.preferred_username ? [{ attribute: 'preferred_username', valueKey: a.preferred_username }] : []),
  force,
});

describe('prefixEnd', () => {
  it('is the least string above every string with the prefix (code point order)', () => {
    expect(prefixEnd('')).toBeUndefined();
    expect(prefixEnd('abc')).toBe('abd');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
    expect(prefixEnd('x\uD7FF')).toBe('x\uE000');
    expect(prefixEnd('é')).toBe('ê');
    expect(prefixEnd('a😀')).toBe('a😁');
  });
});

describe('searchRows', () => {
  it('is one row per searchable attribute the user has, empty values included, values cut to SEARCH_VALUE_MAX code points', () => {
    const long = '😀'.repeat(SEARCH_VALUE_MAX + 10);
    expect(
      searchRows('p', 'u', { sub: 'u', email: 'A@x.com', email_verified: 'true', name: '', 'custom:x': 'y', family_name: long }).sort((a, b) =>
        a.attribute < b.attribute ? -1 : 1,
      ),
    ).toEqual([
      { pool_id: 'p', attribute: 'email', value: 'A@x.com', user_id: 'u' },
      { pool_id: 'p', attribute: 'family_name', value: '😀'.repeat(SEARCH_VALUE_MAX), user_id: 'u' },
      { pool_id: 'p', attribute: 'name', value: '', user_id: 'u' },
    ]);
  });
});

describeEachBackend('storage: the user search index', (backend) => {
  let s: FreshStore;
  let users: Users;
  let other: Users;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    users = s.store.users;
    other = (await s.another()).users;
  });
  afterAll(async () => s?.close());

  const record = (poolId: string, over: Partial<NewUserRecord> = {}): NewUserRecord => {
    const sub = over.sub ?? randomUUID();
    const username = over.username ?? `user-${sub.slice(0, 8)}`;
    return {
      sub,
      poolId,
      username,
      usernameKey: username.toLowerCase(),
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub },
      srpSalt: null,
      srpVerifier: null,
      now: 1000,
      ...over,
    };
  };
  const create = async (poolId: string, over: Partial<NewUserRecord> = {}, rules = noAliases): Promise<User> => {
    const r = await users.create(record(poolId, over), rules);
    if (!r.ok) throw new Error(`create failed: ${r.taken}`);
    return r.user;
  };
  /** The user's rows in user_search, by attribute. */
  const stored = async (sub: string) =>
    (await s.db.selectFrom('user_search').selectAll().where('user_id', '=', sub).orderBy('attribute').execute()).map((r) => ({ ...r }));
  /** What the rows must be: searchRows of the user's attributes as stored now. */
  const expected = async (poolId: string, sub: string) => {
    const u = await users.findBySub(poolId, sub);
    return u ? searchRows(poolId, sub, u.attributes).sort((a, b) => (a.attribute < b.attribute ? -1 : 1)) : [];
  };
  /** Every page of a search, `limit` at a time: the subs in order, and each page's size. */
  const allPages = async (poolId: string, q: UserSearch, limit: number) => {
    const subs: string[] = [];
    let after: SearchPosition | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const rows = await users.search(poolId, q, after, limit);
      subs.push(...rows.map((r) => r.user.sub));
      if (rows.length < limit) return subs;
      after = rows[rows.length - 1]!.position;
    }
    throw new Error('no end');
  };

  it('create writes the rows with the user; a refused create writes none', async () => {
    const poolId = await seedPool(s.db);
    const u = await create(poolId, { attributes: { email: 'Ann@Example.com', given_name: 'Ann', name: '', phone_number: '+15550100', 'custom:a': 'x' } });
    expect(await stored(u.sub)).toEqual(await expected(poolId, u.sub));
    expect((await stored(u.sub)).map((r) => [r.attribute, r.value])).toEqual([
      ['email', 'Ann@Example.com'],
      ['given_name', 'Ann'],
      ['name', ''],
      ['phone_number', '+15550100'],
    ]);
    // A taken username: nothing of the second user stays.
    const dup = record(poolId, { username: u.username, attributes: { email: 'dup@example.com' } });
    expect(await users.create(dup, noAliases)).toEqual({ ok: false, taken: 'username' });
    expect(await stored(dup.sub)).toEqual([]);
    // A taken alias: neither.
    await create(poolId, { attributes: { preferred_username: 'taken' } }, preferred(false));
    const dup2 = record(poolId, { attributes: { preferred_username: 'taken', family_name: 'X' } });
    expect(await users.create(dup2, preferred(false))).toEqual({ ok: false, taken: 'preferred_username' });
    expect(await stored(dup2.sub)).toEqual([]);
  });

  it('update follows a value set, changed and removed; other changes leave the rows; delete removes them', async () => {
    const poolId = await seedPool(s.db);
    const u = await create(poolId, { attributes: { email: 'a@example.com', family_name: 'Smith' } });
    const change = (c: Parameters<Users['update']>[2]) => users.update(poolId, u.sub, c, noAliases, 2000);

    await change(() => ({ set: { email: 'b@example.com', given_name: 'Bea' } }));
    expect((await stored(u.sub)).map((r) => [r.attribute, r.value])).toEqual([
      ['email', 'b@example.com'],
      ['family_name', 'Smith'],
      ['given_name', 'Bea'],
    ]);
    await change(() => ({ remove: ['family_name'], set: { email_verified: 'true' } }));
    expect((await stored(u.sub)).map((r) => [r.attribute, r.value])).toEqual([
      ['email', 'b@example.com'],
      ['given_name', 'Bea'],
    ]);
    await change(() => ({ status: 'RESET_REQUIRED', enabled: false }));
    expect(await stored(u.sub)).toEqual(await expected(poolId, u.sub));
    const byEmail = (v: string) => users.search(poolId, { on: 'email', match: { equals: [v] } }, undefined, 10);
    expect((await byEmail('a@example.com')).map((r) => r.user.sub)).toEqual([]);
    expect((await byEmail('b@example.com')).map((r) => r.user)).toEqual([await users.findBySub(poolId, u.sub)]);
    expect((await users.search(poolId, { on: 'family_name', match: { prefix: '' } }, undefined, 10)).length).toBe(0);

    await users.delete(u.sub);
    expect(await stored(u.sub)).toEqual([]);
    expect(await byEmail('b@example.com')).toEqual([]);
  });

  it('a forced alias move takes the holder’s preferred_username out of the index too', async () => {
    const poolId = await seedPool(s.db);
    const holder = await create(poolId, { attributes: { preferred_username: 'rider' } }, preferred(true));
    const taker = await create(poolId, { attributes: { preferred_username: 'rider' } }, preferred(true));
    expect(await stored(holder.sub)).toEqual([]);
    expect(await stored(taker.sub)).toEqual(await expected(poolId, taker.sub));
    const found = await users.search(poolId, { on: 'preferred_username', match: { equals: ['rider'] } }, undefined, 10);
    expect(found.map((r) => r.user.sub)).toEqual([taker.sub]);
  });

  it('concurrent updates of one user on two instances leave the rows of its final attributes', async () => {
    const poolId = await seedPool(s.db);
    const u = await create(poolId, { attributes: { email: 'e0@example.com', name: 'n0' } });
    const writes = Array.from({ length: 24 }, (_, i) => {
      const repo = i % 2 ? other : users;
      const set: Attributes = i % 3 === 0 ? { email: `e${i}@example.com` } : i % 3 === 1 ? { name: `n${i}`, given_name: `g${i}` } : {};
      const remove = i % 3 === 2 ? ['given_name'] : [];
      return repo.update(poolId, u.sub, () => ({ set, remove }), noAliases, 3000 + i);
    });
    for (const r of await Promise.all(writes)) expect(r.ok).toBe(true);
    expect(await stored(u.sub)).toEqual(await expected(poolId, u.sub));
    // And the index and the users agree for every search attribute.
    const final = (await users.findBySub(poolId, u.sub))!;
    for (const attribute of ['email', 'name', 'given_name'] as const) {
      const v = final.attributes[attribute];
      const found = await users.search(poolId, { on: attribute, match: { prefix: '' } }, undefined, 10);
      expect(found.map((r) => r.user.sub)).toEqual(v === undefined ? [] : [u.sub]);
    }
  });

  it('searches are keysets over one index: equal keys, prefix ranges, positions; other pools never show', async () => {
    const poolId = await seedPool(s.db);
    const elsewhere = await seedPool(s.db);
    const made: User[] = [];
    for (let i = 0; i < 30; i++) {
      made.push(
        await create(poolId, {
          username: `Rider${String(i).padStart(2, '0')}`,
          status: i % 3 === 0 ? 'UNCONFIRMED' : 'CONFIRMED',
          enabled: i % 4 !== 0,
          attributes: { email: i % 5 === 0 ? 'same@example.com' : `user${i}@example.com`, ...(i % 2 ? { name: `Näme ${i % 7}` } : {}) },
        }),
      );
      await create(elsewhere, { username: `Rider${i}`, attributes: { email: `user${i}@example.com` } });
    }
    const subs = (pick: (u: User, i: number) => boolean) => made.filter(pick).map((u) => u.sub);
    const byKeyThenSub = (key: (u: User) => string) => (a: string, b: string) => {
      const [ua, ub] = [made.find((u) => u.sub === a)!, made.find((u) => u.sub === b)!];
      const [ka, kb] = [key(ua), key(ub)];
      return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : 1;
    };
    const utf8 = (v: string) => Buffer.from(v, 'utf8');
    const byValue = (key: (u: User) => string) => (a: string, b: string) => {
      const [ka, kb] = [key(made.find((u) => u.sub === a)!), key(made.find((u) => u.sub === b)!)];
      return Buffer.compare(utf8(ka), utf8(kb)) || (a < b ? -1 : 1);
    };
    for (const limit of [1, 4, 7, 60]) {
      expect(await allPages(poolId, { on: 'sub', match: { prefix: '' } }, limit)).toEqual(subs(() => true).sort());
      const s0 = made[0]!.sub.slice(0, 1);
      expect(await allPages(poolId, { on: 'sub', match: { prefix: s0 } }, limit)).toEqual(subs((u) => u.sub.startsWith(s0)).sort());
      expect(await allPages(poolId, { on: 'email', match: { equals: ['same@example.com'] } }, limit)).toEqual(subs((_, i) => i % 5 === 0).sort());
      expect(await allPages(poolId, { on: 'email', match: { prefix: 'user1' } }, limit)).toEqual(
        subs((u) => u.attributes.email!.startsWith('user1')).sort(byKeyThenSub((u) => u.attributes.email!)),
      );
      expect(await allPages(poolId, { on: 'email', match: { prefix: '' } }, limit)).toEqual(subs(() => true).sort(byKeyThenSub((u) => u.attributes.email!)));
      expect(await allPages(poolId, { on: 'name', match: { prefix: 'Nä' } }, limit)).toEqual(
        subs((u) => u.attributes.name !== undefined).sort(byValue((u) => u.attributes.name!)),
      );
      expect(await allPages(poolId, { on: 'username', match: { prefix: 'rider1' } }, limit)).toEqual(
        subs((u) => u.username.startsWith('Rider1')).sort(byKeyThenSub((u) => u.username.toLowerCase())),
      );
      expect(await allPages(poolId, { on: 'status', match: { equals: ['CONFIRMED', 'UNCONFIRMED'] } }, limit)).toEqual([
        ...subs((u) => u.status === 'CONFIRMED').sort(),
        ...subs((u) => u.status === 'UNCONFIRMED').sort(),
      ]);
      expect(await allPages(poolId, { on: 'enabled', match: { equals: ['0'] } }, limit)).toEqual(subs((u) => !u.enabled).sort());
    }
    // Prefix ranges are byte-exact: case, and characters around the prefix's end.
    expect(await allPages(poolId, { on: 'email', match: { prefix: 'USER' } }, 10)).toEqual([]);
    expect(await allPages(poolId, { on: 'name', match: { prefix: 'Na' } }, 10)).toEqual([]);
    expect(await allPages(poolId, { on: 'username', match: { equals: ['rider07'] } }, 10)).toEqual(subs((u) => u.username === 'Rider07'));
    expect(await allPages(poolId, { on: 'enabled', match: { equals: [] } }, 10)).toEqual([]);
  });

  it('a page started after a position reads no earlier row, while users are added meanwhile', async () => {
    const poolId = await seedPool(s.db);
    for (let i = 0; i < 20; i++) await create(poolId, { attributes: { email: `m${String(i).padStart(3, '0')}@example.com` } });
    const q: UserSearch = { on: 'email', match: { prefix: 'm' } };
    const seen: string[] = [];
    let after: SearchPosition | undefined;
    let added = 0;
    for (;;) {
      const rows = await users.search(poolId, q, after, 3);
      for (const r of rows) {
        if (after) expect(r.position.key > after.key || (r.position.key === after.key && r.user.sub > after.sub)).toBe(true);
        seen.push(r.user.attributes.email!);
      }
      if (rows.length < 3) break;
      after = rows[rows.length - 1]!.position;
      // Before and after the position: the earlier one is never read, the later one is.
      await create(poolId, { attributes: { email: `m${String(added).padStart(3, '0')}a@example.com` } });
      await create(poolId, { attributes: { email: `m9${added}@example.com` } });
      added++;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    for (let i = 0; i < 20; i++) expect(seen).toContain(`m${String(i).padStart(3, '0')}@example.com`);
    for (let i = 0; i < added; i++) expect(seen).toContain(`m9${i}@example.com`);
  });

  it('the query plans of every search read an index range and never scan the users', async () => {
    const poolId = await seedPool(s.db);
    // A pool of some size, so the planner's estimates are those of a real one (PostgreSQL analyzes it as autovacuum
    // would; SQLite plans without statistics, as Corral runs it).
    const attrs = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'];
    await bulkInsertUsers(s.db, poolId, 3000, (i) => ({
      username: `user${i}`,
      status: i % 3 ? 'CONFIRMED' : 'UNCONFIRMED',
      enabled: i % 10 !== 0,
      attributes: Object.fromEntries(attrs.map((a) => [a, `user${i}@example.com`])),
    }));
    if (backend === 'postgres') await sql`ANALYZE`.execute(s.db);
    const searches: UserSearch[] = [
      { on: 'sub', match: { prefix: '' } },
      { on: 'sub', match: { prefix: 'ab' } },
      { on: 'sub', match: { equals: [randomUUID()] } },
      { on: 'username', match: { prefix: 'user' } },
      { on: 'username', match: { equals: ['user1'] } },
      { on: 'status', match: { equals: ['CONFIRMED', 'UNCONFIRMED'] } },
      { on: 'enabled', match: { equals: ['0', '1'] } },
      ...(['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const).flatMap((on): UserSearch[] => [
        { on, match: { prefix: 'user12' } },
        { on, match: { prefix: '' } },
        { on, match: { equals: ['user12@example.com'] } },
      ]),
    ];
    for (const q of searches) {
      const sub = randomUUID();
      const key = 'equals' in q.match ? q.match.equals[0]! : q.on === 'sub' ? sub : 'user12';
      for (const after of [undefined, { key, sub }]) {
        const plans = await users.explainSearch(poolId, q, after);
        if (process.env.SHOW_PLANS) console.log(JSON.stringify(q), after ? 'after' : '', '\n' + plans.join('\n--\n'));
        // (After the one user a sub or username names there is nothing to read.)
        expect(plans.length, JSON.stringify(q)).toBe(
          (q.on === 'sub' || q.on === 'username') && 'equals' in q.match && after
            ? 0
            : 'prefix' in q.match && after && q.on !== 'sub' && q.on !== 'username'
              ? 2
              : 'equals' in q.match
                ? q.match.equals.length
                : 1,
        );
        // The index each search must read (a range of it: the pool's, then the key's).
        const index =
          q.on === 'sub'
            ? 'equals' in q.match
              ? 'pk'
              : 'users_pool_id'
            : q.on === 'username'
              ? 'users_pool_username'
              : q.on === 'status'
                ? 'users_pool_status'
                : q.on === 'enabled'
                  ? 'users_pool_enabled'
                  : 'user_search_value';
        for (const plan of plans) {
          const what = `${JSON.stringify(q)} after ${JSON.stringify(after)}:\n${plan}`;
          if (backend === 'sqlite') {
            // SEARCH … USING INDEX (a range of an index: the pool's, then the key's); no SCAN, no sort of what was read.
            const want =
              index === 'pk'
                ? /^SEARCH u USING INDEX sqlite_autoindex_users_1 \(id=\?\)$/
                : index === 'user_search_value'
                  ? /^SEARCH s USING COVERING INDEX user_search_value \(pool_id=\? AND attribute=\? AND value[=<>]+\?.*\)\nSEARCH u USING INDEX sqlite_autoindex_users_1 \(id=\?\)$/
                  : new RegExp(`^SEARCH u USING INDEX ${index} \\(pool_id=\\? AND (username_key|status|enabled|id)[=<>]+\\?.*\\)$`);
            expect(plan, what).toMatch(want);
            expect(plan, what).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
          } else {
            // A value most of the pool has (enabled = 1: 90 % here; CONFIRMED: 67 %) PostgreSQL may read along the
            // pool's own index in sub order, filtering as it goes, when its statistics make that cheaper: the LIMIT
            // ends the read after about a page — bounded, chosen by cost, not a scan of the pool.
            const common = (q.on === 'enabled' && plan.includes('(enabled = 1)')) || (q.on === 'status' && plan.includes("'CONFIRMED'"));
            if (common && /Index Scan using users_pool_id on users u/.test(plan)) {
              expect(plan, what).toMatch(
                /^Limit[^\n]*\n\s+->  Index Scan using users_pool_id on users u[^\n]*\n\s+Index Cond: \(pool_id = [^\n]*\n\s+Filter: /,
              );
              expect(plan, what).not.toMatch(/Seq Scan|Sort/);
              continue;
            }
            // Index Scan using … with Index Cond on the pool and the key; no Seq Scan, no Sort.
            const want =
              index === 'pk'
                ? /Index Scan using users_pkey on users u[^\n]*\n\s+Index Cond: \(id = /
                : index === 'user_search_value'
                  ? /Index Only Scan using user_search_value on user_search s[^\n]*\n\s+Index Cond: \(\(pool_id = [^\n]*\(attribute = [^\n]*\(value [=<>]+[^\n]*\n[\s\S]*Index Scan using users_pkey on users u[^\n]*\n\s+Index Cond: \(id = s.user_id\)/
                  : new RegExp(
                      `Index Scan using ${index} on users u[^\\n]*\\n\\s+Index Cond: \\(\\(pool_id = [^\\n]* AND \\(\\(?(username_key|status|enabled|id)\\)?(::text)? [=<>]+`,
                    );
            expect(plan, what).toMatch(want);
            // (A Filter is a condition checked on rows read: only the one row of a primary key lookup may have one.)
            expect(plan, what).not.toMatch(index === 'pk' ? /Seq Scan|Sort/ : /Seq Scan|Sort|Filter:/);
          }
        }
      }
    }
  });
});

describeEachBackend('migration 0020: an earlier data directory is indexed on upgrade', (backend) => {
  it('backfills user_search (in batches) and group members’ username keys; ListUsers then finds the old users', { timeout: 60_000 }, async () => {
    // A database as the version before 0020 left it: the migrations before it, recorded as applied.
    let opts: StorageOptions;
    let old: Kysely<unknown>;
    let cleanup: () => Promise<void>;
    if (backend === 'postgres') {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.end();
      opts = { url: POSTGRES_URL, schema };
      old = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` }) }) });
      cleanup = async () => {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'corral-upgrade-'));
      opts = { url: join(dir, 'corral.sqlite') };
      old = new Kysely({ dialect: new SqliteDialect({ database: new Database(opts.url) }) });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    try {
      await sql`CREATE TABLE corral_migrations (name varchar(255) PRIMARY KEY, applied_at bigint NOT NULL)`.execute(old);
      for (const name of Object.keys(migrations).sort()) {
        if (name >= '0020') break;
        await migrations[name]!.up(old);
        await sql`INSERT INTO corral_migrations (name, applied_at) VALUES (${name}, 0)`.execute(old);
      }
      const db = old as unknown as Kysely<{
        user_pools: { id: string; name: string; settings: string; created_at: number; updated_at: number };
        users: Record<string, unknown>;
        groups: Record<string, unknown>;
        group_members: { pool_id: string; group_name: string; user_id: string };
      }>;
      const poolId = 'us-east-1_upgrade';
      await db.insertInto('user_pools').values({ id: poolId, name: 'p', settings: '{}', created_at: 1, updated_at: 1 }).execute();
      const subs: string[] = [];
      // More than one batch of the backfill (500).
      for (let start = 0; start < 1200; start += 300) {
        const rows = Array.from({ length: 300 }, (_, j) => {
          const i = start + j;
          const id = randomUUID();
          subs.push(id);
          const attributes = { sub: id, email: `old${i}@example.com`, ...(i % 2 ? { given_name: `G${i}` } : {}) };
          return {
            id,
            pool_id: poolId,
            username: `Old${i}`,
            username_key: `old${i}`,
            status: 'CONFIRMED',
            enabled: 1,
            attributes: JSON.stringify(attributes),
            srp_salt: null,
            srp_verifier: null,
            mfa: null,
            tokens_valid_after: 0,
            failed_attempts: 0,
            last_failed_at: null,
            created_at: 1,
            updated_at: 1,
            pending_attributes: null,
          };
        });
        await db.insertInto('users').values(rows).execute();
      }
      await db
        .insertInto('groups')
        .values({ pool_id: poolId, name: 'crew', description: null, role_arn: null, precedence: null, created_at: 1, updated_at: 1 })
        .execute();
      await db
        .insertInto('group_members')
        .values(subs.slice(0, 3).map((user_id) => ({ pool_id: poolId, group_name: 'crew', user_id })))
        .execute();
      await old.destroy();

      // The upgrade: opening the storage runs 0020 (and what follows).
      const upgraded = await openDatabase(opts);
      try {
        const store = createStore(upgraded, backend === 'postgres');
        const count = await upgraded
          .selectFrom('user_search')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(1200 + 600);
        const found = await store.users.search(poolId, { on: 'email', match: { prefix: 'old111' } }, undefined, 60);
        expect(found.map((r) => r.user.attributes.email).sort()).toEqual(
          [
            'old111@example.com',
            'old1110@example.com',
            'old1111@example.com',
            'old1112@example.com',
            'old1113@example.com',
            'old1114@example.com',
            'old1115@example.com',
            'old1116@example.com',
            'old1117@example.com',
            'old1118@example.com',
            'old1119@example.com',
          ].sort(),
        );
        expect((await store.users.search(poolId, { on: 'given_name', match: { equals: ['G7'] } }, undefined, 5)).map((r) => r.user.username)).toEqual(['Old7']);
        expect((await store.groups.members(poolId, 'crew', { limit: 10 })).map((m) => m.usernameKey)).toEqual(['old0', 'old1', 'old2']);
      } finally {
        await upgraded.destroy();
      }
    } finally {
      await cleanup();
    }
  });
});

// The storage contract on both databases: migrations, unique violations, atomic transactions, durability.
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isUniqueViolation, openDatabase, type Db, type StorageOptions } from '../../src/storage/db.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { describeEachBackend, POSTGRES_URL, type Backend } from '../support/corral.js';

function storageFor(backend: Backend): { opts: StorageOptions; cleanup(): Promise<void> } {
  if (backend === 'postgres') {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    return {
      opts: { url: POSTGRES_URL, schema },
      async cleanup() {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'corral-storage-'));
  return { opts: { url: join(dir, 'corral.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

const pool = (id: string) => ({ id, name: 'pool', settings: '{}', created_at: 1, updated_at: 1 });

describeEachBackend('storage', (backend) => {
  const storage = storageFor(backend);
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase(storage.opts);
  });
  afterAll(async () => {
    await db?.destroy();
    await storage.cleanup();
  });

  it('applies every migration', async () => {
    // Each table answers a query (no introspection: it would scan the other tests' schemas too).
    for (const t of ['user_pools', 'user_pool_clients', 'identity_pools', 'users', 'user_aliases']) {
      await db
        .selectFrom(t as never)
        .select(sql`count(*)`.as('n'))
        .execute();
    }
    const applied = await db
      .selectFrom('corral_migrations' as never)
      .select('name' as never)
      .execute();
    expect((applied as { name: string }[]).map((r) => r.name).sort()).toEqual(Object.keys(migrations).sort());
  });

  it('migrates once when several instances start together on fresh storage', async () => {
    const fresh = storageFor(backend);
    try {
      // PostgreSQL: three at once. SQLite: one after another (several connections of one process would wait on each
      // other's file lock synchronously; separate processes wait with busy_timeout).
      const open = () => openDatabase(fresh.opts);
      const dbs = backend === 'postgres' ? await Promise.all([open(), open(), open()]) : [await open(), await open(), await open()];
      const applied = await dbs[0]!
        .selectFrom('corral_migrations' as never)
        .select('name' as never)
        .execute();
      expect(applied).toHaveLength(Object.keys(migrations).length);
      await Promise.all(dbs.map((d) => d.destroy()));
    } finally {
      await fresh.cleanup();
    }
  });

  it('recognises a unique violation', async () => {
    await db.insertInto('user_pools').values(pool('us-east-1_unique')).execute();
    const err = await db
      .insertInto('user_pools')
      .values(pool('us-east-1_unique'))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('something else'))).toBe(false);

    // A unique index (not only a primary key): one username per pool.
    const user = (id: string) => ({
      id,
      pool_id: 'us-east-1_unique',
      username: 'rider',
      username_key: 'rider',
      status: 'CONFIRMED',
      enabled: 1,
      attributes: '{}',
      srp_salt: null,
      srp_verifier: null,
      mfa: null,
      tokens_valid_after: 0,
      failed_attempts: 0,
      last_failed_at: null,
      created_at: 1,
      updated_at: 1,
    });
    await db.insertInto('users').values(user('11111111-1111-4111-8111-111111111111')).execute();
    const dup = await db
      .insertInto('users')
      .values(user('22222222-2222-4222-8222-222222222222'))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
  });

  it('leaves nothing behind when a transaction fails', async () => {
    const err = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('user_pools').values(pool('us-east-1_rolledback')).execute();
        await trx.insertInto('user_pools').values(pool('us-east-1_rolledback')).execute(); // fails
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    const rows = await db.selectFrom('user_pools').select('id').where('id', '=', 'us-east-1_rolledback').execute();
    expect(rows).toEqual([]);
  });

  it('keeps data when the same storage is opened again (a restart)', async () => {
    await db.insertInto('user_pools').values(pool('us-east-1_durable')).execute();
    await db.destroy();
    db = await openDatabase(storage.opts);
    const row = await db.selectFrom('user_pools').selectAll().where('id', '=', 'us-east-1_durable').executeTakeFirst();
    expect(row).toMatchObject({ id: 'us-east-1_durable', name: 'pool', created_at: 1 });
    expect(typeof row!.created_at).toBe('number'); // bigint columns come back as numbers on both databases
  });
});

// SQLite, as Corral opens it: an acknowledged write survives power loss (WAL with synchronous = FULL;
// CORRAL_SQLITE_SYNCHRONOUS=normal leaves the WAL unsynced until checkpoints: storage/db.ts), and a
// transaction takes the write lock at BEGIN (BEGIN IMMEDIATE), so transactions of several processes on one file
// queue on busy_timeout instead of failing with SQLITE_BUSY when a read lock would have to be upgraded.
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_BUSY_WAIT_MS, type Db } from '../../src/storage/db.js';
import type { DB } from '../../src/storage/schema.js';

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');
const pool = (id: string) => ({ id, name: 'pool', settings: '{}', created_at: 1, updated_at: 1 });

/**
 * Another process's writer, in a worker thread with its own connection: takes the write lock, inserts a pool,
 * says 'locked', holds the lock `holdMs`, commits, says 'committed'.
 */
function holdWriteLock(file: string, id: string, holdMs: number): { locked: Promise<void>; committed: Promise<void> } {
  const worker = new Worker(
    `const { parentPort, workerData: w } = require('node:worker_threads');
     const Database = require(w.module);
     const db = new Database(w.file);
     db.pragma('busy_timeout = 5000');
     db.exec('BEGIN IMMEDIATE');
     db.prepare("INSERT INTO user_pools (id, name, settings, created_at, updated_at) VALUES (?, 'pool', '{}', 1, 1)").run(w.id);
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, w.holdMs);
     db.exec('COMMIT');
     db.close();
     parentPort.postMessage('committed');`,
    { eval: true, workerData: { module: BETTER_SQLITE3, file, id, holdMs } },
  );
  const said = (what: string) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (m) => m === what && resolve());
      worker.on('error', reject);
    });
  return { locked: said('locked'), committed: said('committed') };
}

describe('SQLite durability and write locking', () => {
  let dir: string;
  let file: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-durability-'));
    file = join(dir, 'corral.sqlite');
    db = await openDatabase({ url: file });
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const pragmaOf = async (d: Db, name: string) => Object.values((await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(d)).rows[0]!)[0];

  it('syncs every commit (WAL, synchronous = FULL by default) and waits on busy_timeout', async () => {
    expect(await pragmaOf(db, 'journal_mode')).toBe('wal');
    expect(await pragmaOf(db, 'synchronous')).toBe(2); // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    expect(await pragmaOf(db, 'busy_timeout')).toBe(SQLITE_BUSY_WAIT_MS);
  });

  it('syncs at checkpoints only with CORRAL_SQLITE_SYNCHRONOUS=normal, and refuses another value', async () => {
    const normal = await openDatabase({ url: join(dir, 'normal.sqlite'), sqliteSynchronous: 'normal' });
    try {
      expect(await pragmaOf(normal, 'journal_mode')).toBe('wal');
      expect(await pragmaOf(normal, 'synchronous')).toBe(1);
    } finally {
      await normal.destroy();
    }
    await expect(openDatabase({ url: join(dir, 'extra.sqlite'), sqliteSynchronous: 'extra' })).rejects.toThrow(/CORRAL_SQLITE_SYNCHRONOUS must be full/);
  });

  it('takes the write lock when a transaction begins, before its first statement', async () => {
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    try {
      await db.transaction().execute(async (trx) => {
        // Nothing has run in the transaction yet: with a deferred BEGIN another connection could still write.
        expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
        expect(() => other.prepare("INSERT INTO user_pools (id, name, settings, created_at, updated_at) VALUES ('x', 'p', '{}', 1, 1)").run()).toThrow(
          /database is locked/,
        );
        await trx.insertInto('user_pools').values(pool('us-east-1_inside')).execute();
      });
      // Committed: the lock is released.
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');

      const trx = await db.startTransaction().execute();
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
      await trx.rollback().execute();
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
  });

  it('a read-then-write transaction waits for another writer instead of failing with SQLITE_BUSY', async () => {
    const writer = holdWriteLock(file, 'us-east-1_other', 300);
    await writer.locked;
    // Reads, then writes, while the other connection holds the write lock: it waits at BEGIN, then sees its commit.
    const seen = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('user_pools').select('id').where('id', '=', 'us-east-1_other').execute();
      await trx.insertInto('user_pools').values(pool('us-east-1_mine')).execute();
      return rows.length;
    });
    await writer.committed;
    expect(seen).toBe(1);
    const ids = (await db.selectFrom('user_pools').select('id').where('id', 'in', ['us-east-1_other', 'us-east-1_mine']).execute()).map((r) => r.id);
    expect(ids.sort()).toEqual(['us-east-1_mine', 'us-east-1_other']);
  });

  it('(why: with a deferred BEGIN, as Kysely issues by default, the same transaction fails)', async () => {
    const plain = new Kysely<DB>({
      dialect: new SqliteDialect({
        database: (() => {
          const d = new Database(file);
          d.pragma('busy_timeout = 5000');
          return d;
        })(),
      }),
    });
    try {
      const writer = holdWriteLock(file, 'us-east-1_other2', 300);
      await writer.locked;
      const err = await plain
        .transaction()
        .execute(async (trx) => {
          await trx.selectFrom('user_pools').select('id').execute();
          await trx.insertInto('user_pools').values(pool('us-east-1_mine2')).execute();
        })
        .catch((e: unknown) => e);
      await writer.committed;
      expect((err as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
    } finally {
      await plain.destroy();
    }
  });
});

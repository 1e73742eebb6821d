// Several processes on one SQLite file (`corral start --workers N`): a statement that finds the write lock taken waits
// for it without holding up the event loop for more than busy_timeout at a time, and is run again until the lock is
// free (storage/db.ts, whenNotBusy); processes hammering writes at once all succeed. The hammer runs the built
// storage layer (packages/corral/dist): `npm run build -w corral` first.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/storage/db.js';

const DIST_DB = fileURLToPath(new URL('../../dist/storage/db.js', import.meta.url));

describe('SQLite shared by several processes', () => {
  let dir: string;
  let file: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-busy-'));
    file = join(dir, 'corral.sqlite');
    db = await openDatabase({ url: file });
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write that finds the lock taken waits without holding the event loop, and succeeds once it is free', async () => {
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE'); // another process's write transaction, held ~1 s
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        resolve(Date.now());
      }, 1000),
    );
    try {
      // An autocommit write and a transaction (BEGIN IMMEDIATE), both while the lock is held.
      const [, inTx] = await Promise.all([
        db.insertInto('counters').values({ key: 'autocommit', n: 1, expires_at: 0 }).execute(),
        db.transaction().execute(async (tx) => {
          await tx.insertInto('counters').values({ key: 'transaction', n: 1, expires_at: 0 }).execute();
          return Date.now();
        }),
      ]);
      const at = await released;
      expect(inTx).toBeGreaterThanOrEqual(at); // it waited for the commit, and did not give up
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      // The event loop turned meanwhile (a busy_timeout spent inside the call would have frozen it: no ticks, and
      // the timer that commits could not have fired).
      expect(ticks).toBeGreaterThanOrEqual(10);
      const keys = (await db.selectFrom('counters').select('key').where('key', 'in', ['autocommit', 'transaction']).execute()).map((r) => r.key);
      expect(keys.sort()).toEqual(['autocommit', 'transaction']);
    } finally {
      clearInterval(ticker);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });

  it('4 processes × 300 write transactions on one file at once: every one commits, none sees SQLITE_BUSY', async () => {
    expect(existsSync(DIST_DB), `${DIST_DB}: run npm run build -w corral`).toBe(true);
    const PROCS = 4;
    const EACH = 300;
    // Each process: its own Corral database handle, 8 transactions in flight at a time, each reading then adding to
    // one shared counter and inserting a row of its own (so they truly contend for the write lock).
    const script = `
      const { openDatabase } = await import(${JSON.stringify(pathToFileURL(DIST_DB).href)});
      const db = await openDatabase({ url: process.argv[1] });
      const me = process.argv[2];
      let next = 0, failures = [];
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = next++; i < ${EACH}; i = next++) {
          try {
            await db.transaction().execute(async (tx) => {
              const row = await tx.selectFrom('counters').select('n').where('key', '=', 'shared').executeTakeFirst();
              if (row) await tx.updateTable('counters').set({ n: row.n + 1 }).where('key', '=', 'shared').execute();
              else await tx.insertInto('counters').values({ key: 'shared', n: 1, expires_at: 0 }).execute();
              await tx.insertInto('counters').values({ key: me + ':' + i, n: 1, expires_at: 0 }).execute();
            });
          } catch (err) { failures.push(String(err.code ?? err)); }
        }
      }));
      await db.destroy();
      console.log(JSON.stringify({ failures }));
    `;
    const runs = await Promise.all(
      Array.from(
        { length: PROCS },
        (_, p) =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, `p${p}`], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.stderr.on('data', (d: Buffer) => (err += d.toString()));
            child.on('exit', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out.trim().split('\n').pop()!)).toEqual({ failures: [] });
    }
    const shared = await db.selectFrom('counters').select('n').where('key', '=', 'shared').executeTakeFirstOrThrow();
    expect(shared.n).toBe(PROCS * EACH);
    const own = await db
      .selectFrom('counters')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .where('key', 'like', 'p%:%')
      .executeTakeFirstOrThrow();
    expect(Number(own.c)).toBe(PROCS * EACH);
  }, 120_000);
});

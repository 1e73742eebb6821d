// Opens the database (SQLite by default, PostgreSQL when the URL says so) and runs the migrations.
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase, type Transaction } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;

export interface StorageOptions {
  /** `postgres://…` / `postgresql://…`, or a SQLite file path (`:memory:` for tests). */
  url: string;
  /** PostgreSQL only: a schema to create and use (isolates test runs sharing one database). */
  schema?: string;
}

pg.types.setTypeParser(20, (v) => Number(v)); // int8 → number (epoch milliseconds fit)

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openDatabase(opts: StorageOptions): Promise<Db> {
  let db: Db;
  if (isPostgresUrl(opts.url)) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    if (opts.schema) {
      const c = await pool.connect();
      try {
        // Two instances starting together may both create it: IF NOT EXISTS does not stop that race in PostgreSQL.
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`).catch((err: { code?: string }) => {
          if (err.code !== '23505' && err.code !== '42P06') throw err;
        });
      } finally {
        c.release();
      }
    }
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
    const file = new Database(opts.url);
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = NORMAL');
    file.pragma('busy_timeout = 5000');
    file.pragma('foreign_keys = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  }
  await migrate(db, isPostgresUrl(opts.url));
  return db;
}

const STATEMENT_CACHE_MAX = 256;

/**
 * Kysely prepares every query afresh; compiling the SQL is a good part of a small query's cost. Prepared statements
 * are reused by SQL text instead (SQLite re-prepares one by itself after a schema change). A statement still
 * iterating (kysely's stream) is busy, so that query gets a fresh one. Per connection, no state beyond the SQL.
 */
function withStatementCache(file: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => file.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const stmt = file.prepare(text);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE_MAX) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Applies the migrations not yet recorded in `corral_migrations`, in name order, in one transaction. On PostgreSQL
 * the transaction holds an advisory lock for the current schema, so instances starting together migrate once.
 * (Kysely's own migrator introspects every schema of the database, which fails while another schema is being
 * dropped — as the tests do all the time, each in its own schema.)
 */
export async function migrate(db: Db, postgres: boolean): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (postgres) await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema()))`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS corral_migrations (name varchar(255) PRIMARY KEY, applied_at bigint NOT NULL)`.execute(tx);
    const done = new Set((await sql<{ name: string }>`SELECT name FROM corral_migrations`.execute(tx)).rows.map((r) => r.name));
    if (done.size === 0) for (const name of await kyselyMigrations(tx, postgres)) done.add(name);
    for (const name of Object.keys(migrations).sort()) {
      if (done.has(name)) continue;
      await migrations[name]!.up(tx as unknown as Kysely<unknown>);
      await sql`INSERT INTO corral_migrations (name, applied_at) VALUES (${name}, ${Date.now()})`.execute(tx);
    }
  });
}

/** Migrations recorded by Kysely's migrator in a data directory made by an earlier Corral (before corral_migrations). */
async function kyselyMigrations(tx: Transaction<DB>, postgres: boolean): Promise<string[]> {
  const exists = postgres
    ? (await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(tx)).rows[0]?.t
    : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(tx)).rows[0]?.name;
  if (!exists) return [];
  const names = (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(tx)).rows.map((r) => r.name);
  for (const name of names) await sql`INSERT INTO corral_migrations (name, applied_at) VALUES (${name}, 0)`.execute(tx);
  return names;
}

/** True when the error is a violation of a unique index, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

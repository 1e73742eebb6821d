// Opens the database (SQLite by default, PostgreSQL when the URL says so) and runs the migrations.
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider, type SqliteDatabase } from 'kysely';
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
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
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
  await migrate(db, isPostgresUrl(opts.url) ? (opts.schema ?? 'public') : undefined);
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

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** `schema` (PostgreSQL): where the migration tables live. Kysely otherwise finds another schema's
 * `kysely_migration` in the same database, skips creating its own, and fails. */
export async function migrate(db: Db, schema?: string): Promise<void> {
  const { error, results } = await new Migrator({
    db,
    provider: new StaticProvider(),
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/** True when the error is a violation of a unique index, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

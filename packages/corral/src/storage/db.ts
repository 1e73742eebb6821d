// Opens the database (SQLite by default, PostgreSQL when the URL says so) and runs the migrations.
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type PostgresPool,
  type PostgresPoolClient,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';
import { countBusyRetry, queryLog, watchPool } from '../metrics.js';

export type Db = Kysely<DB>;

/** Where storage reports a database outage (pino's Logger fits). */
export interface StorageLog {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface StorageOptions {
  /** `postgres://…` / `postgresql://…`, or a SQLite file path (`:memory:` for tests). */
  url: string;
  /** PostgreSQL only: a schema to create and use (isolates test runs sharing one database). */
  schema?: string;
  /** Outages are reported here, once each (the start, then the recovery). */
  log?: StorageLog;
  /** SQLite only: `full` (undefined: the default) or `normal` (CORRAL_SQLITE_SYNCHRONOUS; see sqliteSynchronous). */
  sqliteSynchronous?: string;
}

/**
 * How SQLite (in WAL mode) syncs commits to disk:
 * - FULL, the default: every commit is also synced (fsync) before it is acknowledged, so nothing acknowledged is lost
 *   even on power loss — the guarantee PostgreSQL gives by default (synchronous_commit = on). The fsync waits on the
 *   event loop (better-sqlite3 is synchronous): 0.1–0.3 ms of CPU a commit on this project's bench machine, and the
 *   process serves no other request meanwhile (more on a slow disk), so the sign-in path commits once.
 * - NORMAL (CORRAL_SQLITE_SYNCHRONOUS=normal, for throughput where that is acceptable): a commit is written to the WAL file (the OS has it) before it is acknowledged, and the WAL is
 *   synced at checkpoints. An acknowledged write survives the process ending in any way (a crash, kill -9, an
 *   out-of-memory kill): it is lost only if the machine itself loses power or the OS crashes before the next
 *   checkpoint, and then the last commits roll back together — the file is never corrupted, and what remains is the
 *   database as it stood a moment earlier (as a restore from a backup would leave it: a sign-up, a password change or
 *   a revocation of those last moments may be undone).
 *   (The bench shows both: README, Benchmarks.)
 */
export function sqliteSynchronous(value: string | undefined): 'NORMAL' | 'FULL' {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'full') return 'FULL';
  if (v === 'normal') return 'NORMAL';
  throw new Error(`CORRAL_SQLITE_SYNCHRONOUS must be full (the default) or normal, not ${JSON.stringify(value)}`);
}

pg.types.setTypeParser(20, (v) => Number(v)); // int8 → number (epoch milliseconds fit)

/**
 * PostgreSQL bounds: nothing a request does waits on the database for ever. A new connection (or a free slot in the
 * pool) is waited for at most CONNECT; a statement runs at most STATEMENT on the server (lock waits included); an
 * answer that never comes (a frozen server, a silent network) is given up after QUERY on the client, and that
 * connection is closed.
 */
export const PG_CONNECT_TIMEOUT_MS = 5_000;
export const PG_STATEMENT_TIMEOUT_MS = 5_000;
export const PG_QUERY_TIMEOUT_MS = 8_000;
const PG_POOL_MAX = 10;
const HEALTH_TIMEOUT_MS = 3_000;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openDatabase(opts: StorageOptions): Promise<Db> {
  let db: Db;
  if (isPostgresUrl(opts.url)) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: PG_POOL_MAX,
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
      statement_timeout: PG_STATEMENT_TIMEOUT_MS,
      keepAlive: true,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const guarded = new GuardedPool(pool, new Outage(opts.log));
    watchPool(pool); // metrics: the pool's connections
    try {
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
      db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guarded }), log: queryLog('postgres') });
      // Migrations may take long (and wait for another instance's): no client-side query timeout meanwhile.
      guarded.queryTimeoutMs = 0;
      await migrate(db, true);
      guarded.queryTimeoutMs = PG_QUERY_TIMEOUT_MS;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return db;
  }
  sqliteSynchronous(opts.sqliteSynchronous); // a wrong value stops here, before the file is made
  if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
  // The busy timeout first: even switching to WAL may wait for another process's lock.
  const file = new Database(opts.url, { timeout: SQLITE_BUSY_WAIT_MS });
  file.pragma(`busy_timeout = ${SQLITE_BUSY_WAIT_MS}`);
  await whenNotBusy(() => file.pragma('journal_mode = WAL'));
  file.pragma(`synchronous = ${sqliteSynchronous(opts.sqliteSynchronous)}`); // FULL unless told (above)
  file.pragma('foreign_keys = ON');
  // SQLite's page cache is 2 MB per connection by default: at a million users a page of ListUsers reads each of its
  // users' pages from the OS again (a read call each). 32 MiB keeps the indexes' inner pages and the hot rows.
  file.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(file) }, () => file.inTransaction), log: queryLog('sqlite') });
  await migrate(db, false);
  return db;
}

/**
 * Kysely's SQLite driver begins transactions with a plain (deferred) `begin`: the write lock is then taken at the
 * first write, and a second process holding it makes that upgrade fail with SQLITE_BUSY at once (busy_timeout
 * cannot help a deferred transaction that has already read). `begin immediate` takes the write lock at BEGIN,
 * waiting up to busy_timeout for it, so transactions of several processes on one file queue instead of failing.
 *
 * Several processes on one file (`corral start --workers N`) take turns at that lock. SQLite's busy handler waits for
 * it inside the call — holding up this process's event loop — for at most SQLITE_BUSY_WAIT_MS. A statement still
 * refused (SQLITE_BUSY) outside a transaction — BEGIN IMMEDIATE itself, an autocommit write — has done nothing, so it
 * is run again after a short pause that lets this process serve its other requests, until SQLITE_BUSY_GIVE_UP_MS have
 * passed since the first try (then the request fails, InternalErrorException, as a PostgreSQL statement timeout
 * does). Inside a transaction nothing waits for the lock: it was taken at BEGIN IMMEDIATE.
 */
export const SQLITE_BUSY_WAIT_MS = 25;
/** SQLite's page cache per connection (each worker has one), KiB. */
const SQLITE_CACHE_KIB = 32 * 1024;
export const SQLITE_BUSY_GIVE_UP_MS = 10_000;

export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}

/** Runs `run` again while it fails with SQLITE_BUSY and `retry` allows (above); → its result. */
async function whenNotBusy<R>(run: () => R | Promise<R>, retry: () => boolean = () => true): Promise<R> {
  const first = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isSqliteBusy(err) || !retry() || Date.now() - first >= SQLITE_BUSY_GIVE_UP_MS) throw err;
      countBusyRetry(); // metrics
      // 1–5 ms at first, growing to 5–25: short against a transaction's few milliseconds, spread so that the
      // processes waiting do not all try again at once.
      const scale = Math.min(5, 1 + attempt);
      await new Promise((r) => setTimeout(r, scale * (1 + Math.random() * 4)));
    }
  }
}

/** `inner`, with statements refused SQLITE_BUSY outside a transaction run again (above). */
function retryingWhenBusy(inner: DatabaseConnection, inTransaction: () => boolean): DatabaseConnection {
  return {
    executeQuery: (query) =>
      whenNotBusy(
        () => inner.executeQuery(query),
        () => !inTransaction(),
      ),
    streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  #retrying: DatabaseConnection | undefined;
  constructor(
    config: SqliteDialectConfig,
    private readonly inTransaction: () => boolean,
  ) {
    super(config);
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection(); // SQLite has one connection: the wrapper is made once
    this.#retrying ??= retryingWhenBusy(connection, this.inTransaction);
    return this.#retrying;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(
    config: SqliteDialectConfig,
    private readonly inTransaction: () => boolean,
  ) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.inTransaction);
  }
}

/**
 * Whether PostgreSQL answers, as the requests see it. An outage is logged once when it starts (the first failure)
 * and once when it ends: the first answer on a connection opened after it started. (Answers on older connections
 * prove nothing: a server shutting down terminates its sessions one after the other, so some still answer for a
 * few milliseconds after the first was cut.) Requests failing meanwhile are not logged again (their errors carry
 * `logged`).
 */
class Outage {
  #down = false;
  #since = 0;
  /** Bumped when an outage starts; a connection remembers the value it was opened under. */
  generation = 0;
  constructor(private readonly log?: StorageLog) {}

  failed<E>(err: E): E {
    if (err && typeof err === 'object') Object.assign(err, { logged: true, databaseUnavailable: true });
    if (this.#down) return err;
    this.#down = true;
    this.#since = Date.now();
    this.generation++;
    const e = err as { message?: string; code?: string };
    this.log?.error(
      { err: { message: e?.message, code: e?.code } },
      'database unreachable: requests that need it answer InternalErrorException until it answers again',
    );
    return err;
  }

  /** A query answered on a connection opened under `generation`. */
  answered(generation: number): void {
    if (!this.#down || generation !== this.generation) return;
    this.#down = false;
    this.log?.info({ downMs: Date.now() - this.#since }, 'database reachable again');
  }
}

/** Errors that mean the connection (or the server) is gone, not that the statement was wrong. */
function isConnectionFailure(err: unknown, client: pg.PoolClient): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 08: connection exception; 57P01–03: admin shutdown, crash shutdown, cannot connect now.
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  if (/^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)$/.test(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (/^(Connection terminated|Client has encountered a connection error|Client was closed)/.test(message)) return true;
  return (client as unknown as { _queryable?: boolean })._queryable === false;
}

/**
 * The pg pool as Kysely sees it, made to survive the database going away:
 * - a connection that dies — idle in the pool or checked out, between two statements of a transaction — emits
 *   'error' on its client and on the pool; with no listener that is an uncaught exception and the process exits
 *   (`57P01 terminating connection due to administrator command` on any PostgreSQL restart). Both are listened to;
 *   the dead connection is dropped (pg-pool does it for idle ones; a checked-out one is destroyed on release), and
 *   new ones are opened on demand once the database is back;
 * - a refused or failed connection, or a statement failing because its connection died, rejects that request's
 *   query (→ InternalErrorException) and is reported to the Outage (logged once);
 * - every query carries a client-side timeout (QUERY), so a frozen server or a silent network cannot hold a request
 *   for ever: the connection is closed and the request fails.
 */
class GuardedPool implements PostgresPool {
  queryTimeoutMs = PG_QUERY_TIMEOUT_MS;
  /** The outage generation each connection was opened under. */
  readonly #opened = new WeakMap<pg.Client, number>();
  constructor(
    private readonly pool: pg.Pool,
    private readonly outage: Outage,
  ) {
    pool.on('error', (err) => void outage.failed(err));
    pool.on('connect', (client) => {
      this.#opened.set(client, outage.generation);
      client.on('error', (err) => void outage.failed(err));
    });
  }

  async connect(): Promise<PostgresPoolClient> {
    const outage = this.outage;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw outage.failed(err);
    }
    const opened = this.#opened.get(client) ?? -1;
    let broken = false;
    const queryTimeoutMs = this.queryTimeoutMs;
    const guarded = {
      query(text: unknown, parameters?: ReadonlyArray<unknown>): unknown {
        if (typeof text !== 'string') return client.query(text as pg.Submittable); // a cursor (streaming)
        // pg's own query_timeout leaves the connection busy with the unanswered query (what follows on it, such as
        // Kysely's ROLLBACK, would wait again); ending the client cuts the socket and fails everything queued on it.
        let timedOut = false;
        const timer =
          queryTimeoutMs > 0
            ? setTimeout(() => {
                timedOut = true;
                broken = true;
                client.end().catch(() => undefined);
              }, queryTimeoutMs)
            : undefined;
        return client.query(text, parameters ? [...parameters] : []).then(
          (result) => {
            clearTimeout(timer);
            outage.answered(opened);
            return result;
          },
          (cause: unknown) => {
            clearTimeout(timer);
            const err = timedOut ? Object.assign(new Error(`PostgreSQL did not answer within ${queryTimeoutMs} ms`), { code: 'ETIMEDOUT', cause }) : cause;
            if (isConnectionFailure(err, client)) {
              broken = true;
              throw outage.failed(err);
            }
            throw err;
          },
        );
      },
      release(destroy?: boolean) {
        // A connection that failed (or timed out) is not given to the next request.
        client.release(destroy || broken ? true : undefined);
      },
    };
    return guarded as unknown as PostgresPoolClient;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
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
    if (postgres) {
      // Requests' statement timeout does not apply: a migration (or waiting for another instance's) may take long.
      await sql`SET LOCAL statement_timeout = 0`.execute(tx);
      await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema()))`.execute(tx);
    }
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

/** Resolves when the database answers a trivial query within `timeoutMs`; rejects otherwise. */
export async function ping(db: Db, timeoutMs = HEALTH_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A store (storage/index.ts) on fresh storage for the repositories' contract tests: a temp SQLite file, or a fresh
// PostgreSQL schema. `another()` opens a second store on the same storage — on PostgreSQL a second connection pool,
// as a second Corral instance would have, so races between the two run in parallel for real. (On SQLite one process
// shares one connection: a second synchronous connection would wait on the first one's lock while blocking it.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db, type StorageOptions } from '../../src/storage/db.js';
import { createStore, type Store } from '../../src/storage/index.js';
import type { NewSigningKey } from '../../src/storage/signing-keys.js';
import { POSTGRES_URL, type Backend } from '../support/corral.js';

export interface FreshStore {
  store: Store;
  /** The raw database, for the tests' own setup and checks. */
  db: Db;
  /** A second instance's store on the same storage (the same store on SQLite). */
  another(): Promise<Store>;
  close(): Promise<void>;
}

export async function openFreshStore(backend: Backend): Promise<FreshStore> {
  let opts: StorageOptions;
  let cleanup: () => Promise<void>;
  if (backend === 'postgres') {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    opts = { url: POSTGRES_URL, schema };
    cleanup = async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'corral-store-'));
    opts = { url: join(dir, 'corral.sqlite') };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const postgres = backend === 'postgres';
  const db = await openDatabase(opts);
  const store = createStore(db, postgres);
  const others: Store[] = [];
  return {
    store,
    db,
    async another() {
      if (!postgres) return store;
      const other = createStore(await openDatabase(opts), true);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all(others.map((o) => o.close()));
      await store.close();
      await cleanup();
    },
  };
}

/** A suite's fresh store with a bare user pool (`poolId`): opened before the suite's tests, closed after them. */
export interface SuiteStore extends FreshStore {
  poolId: string;
}

/** Call in a describe block; read the answer's members inside the tests (they exist from the suite's beforeAll on). */
export function suiteStore(backend: Backend): SuiteStore {
  let fresh: FreshStore | undefined;
  let poolId: string | undefined;
  beforeAll(async () => {
    fresh = await openFreshStore(backend);
    poolId = await seedPool(fresh.db);
  });
  afterAll(async () => fresh?.close());
  const opened = (): FreshStore => {
    if (!fresh) throw new Error('suiteStore: the store opens in beforeAll; read it inside the tests');
    return fresh;
  };
  return {
    get store() {
      return opened().store;
    },
    get db() {
      return opened().db;
    },
    get poolId() {
      opened();
      return poolId!;
    },
    another: () => opened().another(),
    close: () => opened().close(),
  };
}

/** A bare user pool row; → its id. */
export async function seedPool(db: Db): Promise<string> {
  const id = `us-east-1_${randomBytes(5).toString('hex')}`;
  await db
    .insertInto('user_pools')
    .values({ id, name: 'pool', settings: JSON.stringify({ Id: id, Name: 'pool' }), created_at: 1, updated_at: 1 })
    .execute();
  return id;
}

/** A bare user row in the pool; → its sub. */
export async function seedUser(db: Db, poolId: string, opts: { tokensValidAfter?: number } = {}): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('users')
    .values({
      id,
      pool_id: poolId,
      username: `u-${id.slice(0, 8)}`,
      username_key: `u-${id.slice(0, 8)}`,
      status: 'CONFIRMED',
      enabled: 1,
      attributes: '{}',
      srp_salt: null,
      srp_verifier: null,
      mfa: null,
      tokens_valid_after: opts.tokensValidAfter ?? 0,
      failed_attempts: 0,
      last_failed_at: null,
      created_at: 1,
      updated_at: 1,
    })
    .execute();
  return id;
}

/** A signing-key record (the storage only stores strings: no real RSA key needed). */
export function fakeSigningKey(createdAt = 1000): NewSigningKey {
  const kid = randomBytes(16).toString('base64');
  return {
    kid,
    sealedPrivateKey: `sealed:${kid}`,
    publicJwk: { kid, alg: 'RS256', kty: 'RSA', use: 'sig', n: randomBytes(8).toString('base64url'), e: 'AQAB' },
    createdAt,
  };
}

// Starts a real Corral on a free port for a test, on SQLite (a temp dir) or PostgreSQL (a fresh schema).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { configFromEnv, type Config } from '../../src/runtime/config.js';
import { startCorral, type Running } from '../../src/runtime/start.js';
import { AWS_DEFAULT_RPS, QUOTA_CATEGORIES } from '../../src/wire/quotas.js';

export type Backend = 'sqlite' | 'postgres';
export const POSTGRES_URL = process.env.CORRAL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEST_RATE_LIMITS = JSON.stringify(Object.fromEntries(QUOTA_CATEGORIES.map((c) => [c, AWS_DEFAULT_RPS[c] * 100])));
export const TEST_CREDENTIALS = { accessKeyId: 'AKIATESTCORRAL000001', secretAccessKey: 'test-secret-key-for-corral-tests' };

export interface TestCorral extends Running {
  backend: Backend;
  /** SigV4-signing SDK client with the admin credentials. */
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
  dataDir: string;
  /** The PostgreSQL schema in use (postgres backend). */
  schema: string;
}

export interface StartOptions {
  backend?: Backend;
  /** Extra environment, as a user would set it. */
  env?: Record<string, string>;
  config?: Partial<Config>;
  /** Reuse a data dir / PG schema (a restart, or a second instance). */
  dataDir?: string;
  schema?: string;
  /** A provisioning file to apply at start (none by default). */
  provisionFile?: string;
}

export async function startTestCorral(opts: StartOptions = {}): Promise<TestCorral> {
  const backend = opts.backend ?? 'sqlite';
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'corral-test-'));
  const schema = opts.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    CORRAL_CHECK_OUTPUT: 'on',
    // Rate limits stay on in tests, at 100 × AWS's quotas: a sequential loop on a fast machine must not meet them.
    CORRAL_RATE_LIMITS: TEST_RATE_LIMITS,
    ...(backend === 'postgres' ? { CORRAL_DATABASE_URL: POSTGRES_URL, CORRAL_DATABASE_SCHEMA: schema } : {}),
    ...opts.env,
  };
  const config = configFromEnv(env, { port: 0, dataDir, ...opts.config });
  config.host = '127.0.0.1';
  const running = await startCorral(config, { provisionFile: opts.provisionFile });
  // The issuer must name the port we actually got.
  if (!opts.config?.publicUrl && !opts.env?.CORRAL_PUBLIC_URL) running.app.config.publicUrl = running.url;
  const clientConfig = { region: 'us-east-1', endpoint: running.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const idp = new CognitoIdentityProviderClient(clientConfig);
  const identity = new CognitoIdentityClient(clientConfig);
  return {
    ...running,
    backend,
    idp,
    identity,
    dataDir,
    schema,
    async stop() {
      idp.destroy();
      identity.destroy();
      await running.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres' && !opts.schema) await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

let pgAvailable: boolean | undefined;
/** Whether PostgreSQL answers; in CI (CI=true) its absence is a failure, never a skip. */
export async function postgresAvailable(): Promise<boolean> {
  if (pgAvailable !== undefined) return pgAvailable;
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    pgAvailable = true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI but not reachable at ${POSTGRES_URL}: ${String(err)}`);
    console.warn(`\n!!! PostgreSQL not reachable at ${POSTGRES_URL}: PostgreSQL variants of the storage tests are SKIPPED !!!\n`);
    pgAvailable = false;
  }
  return pgAvailable;
}

const pgUp = await postgresAvailable();

/** Runs a suite once per storage backend (PostgreSQL skipped loudly where it is missing, never in CI). */
export function describeEachBackend(name: string, fn: (backend: Backend) => void): void {
  describe(`${name} [sqlite]`, () => fn('sqlite'));
  describeOnPostgres(name, () => fn('postgres'));
}

/** A suite that only means something on PostgreSQL (several instances on one database). */
export function describeOnPostgres(name: string, fn: () => void): void {
  (pgUp ? describe : describe.skip)(`${name} [postgres]`, fn);
}

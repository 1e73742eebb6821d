// The server under test: Corral's built CLI (`dist/cli.js start --workers N`) as its own process tree, on SQLite (a
// data directory) or PostgreSQL (a database of its own), and what the bench reads of it from /proc: the CPU (utime +
// stime, all threads) and resident memory of every server process — the primary and its workers — and, on
// PostgreSQL, of the database's own backends serving it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { AdminKey } from './sigv4.js';

export type Backend = 'sqlite' | 'postgres';

const CLI = fileURLToPath(new URL('../../cli.js', import.meta.url)); // dist/bench-build/bench → dist/cli.js
const START_TIMEOUT_MS = 120_000;
export const BENCH_ADMIN: AdminKey = { accessKeyId: 'AKIABENCHCORRAL00001', secretAccessKey: 'bench-secret-key-for-corral-bench' };
/** One server key for every start on a data set, so restarts (other worker counts) open what the first made. */
const BENCH_SERVER_KEY = Buffer.alloc(32, 7).toString('base64');

export const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  } catch {
    return undefined; // gone
  }
}

/** utime + stime of every thread of the process, ms (/proc/<pid>/stat fields 14 and 15); 0 when it is gone. */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks : 0;
}

/** Resident set size, MB (/proc/<pid>/status VmRSS); 0 when it is gone. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** `pid` and its children (one level: a cluster's workers). */
export function processTree(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (Number(statFields(Number(name))?.[1]) === pid) kids.push(Number(name));
  }
  return [pid, ...kids];
}

/** CPU ms of each process, to subtract from a later sample (a process that appeared since counts from 0). */
export type CpuSample = Map<number, number>;
export const sampleCpu = (pids: number[]): CpuSample => new Map(pids.map((p) => [p, processCpuMs(p)]));
export function cpuSince(before: CpuSample, pids: number[]): number {
  let total = 0;
  for (const p of new Set([...before.keys(), ...pids])) total += Math.max(0, processCpuMs(p) - (before.get(p) ?? 0));
  return total;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Where a data set lives: a data directory (SQLite's file in it) and, on PostgreSQL, a database of its own. */
export interface DataSet {
  backend: Backend;
  dataDir: string;
  /** postgres://…/<database> on PostgreSQL. */
  databaseUrl?: string;
  database?: string;
  drop(): Promise<void>;
}

export const POSTGRES_URL = process.env.CORRAL_BENCH_POSTGRES_URL ?? process.env.CORRAL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function adminUrl(): string {
  const u = new URL(POSTGRES_URL);
  u.pathname = '/postgres';
  return u.toString();
}

export async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function createDataSet(backend: Backend, dataDir: string, name: string): Promise<DataSet> {
  if (backend === 'sqlite') return { backend, dataDir, async drop() {} };
  const database = `corral_bench_${name}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${database}`);
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${database}`;
  return {
    backend,
    dataDir,
    database,
    databaseUrl: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The PostgreSQL backends connected to the data set's database (their pids, for /proc). */
export class DatabaseProcesses {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}
  static async open(set: DataSet): Promise<DatabaseProcesses | undefined> {
    if (!set.database) return undefined;
    const client = new pg.Client({ connectionString: adminUrl() }); // its own backend is in another database
    await client.connect();
    return new DatabaseProcesses(client, set.database);
  }
  async pids(): Promise<number[]> {
    const r = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    return r.rows.map((row) => Number(row.pid));
  }
  close(): Promise<void> {
    return this.client.end();
  }
}

export interface Server {
  url: string;
  port: number;
  proc: ChildProcess;
  logFile: string;
  /** The primary and its workers (or the one process). */
  pids(): number[];
  stop(): Promise<void>;
}

export async function startServer(set: DataSet, workers: number, opts: { profileDir?: string; logName: string }): Promise<Server> {
  const logFile = join(set.dataDir, `${opts.logName}.log`);
  const out = openSync(logFile, 'w');
  const port = await freePort();
  const args = [...(opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : []), CLI, 'start', '--workers', String(workers)];
  // CORRAL_* variables of the bench's own environment reach the server (e.g. CORRAL_SIGNIN_THROTTLE=off to see what
  // the throttle costs), under those the bench sets.
  const own = new Set(['CORRAL_DATABASE_URL', 'CORRAL_DATABASE_SCHEMA', 'CORRAL_CONFIG']);
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CORRAL_') && !k.startsWith('CORRAL_BENCH_') && !own.has(k)));
  const proc = spawn(process.execPath, args, {
    cwd: set.dataDir, // no corral.config.json here: nothing is provisioned
    env: {
      ...passed,
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      CORRAL_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CORRAL_DATA_DIR: set.dataDir,
      CORRAL_KEY: BENCH_SERVER_KEY,
      CORRAL_ACCESS_KEY_ID: BENCH_ADMIN.accessKeyId,
      CORRAL_SECRET_ACCESS_KEY: BENCH_ADMIN.secretAccessKey,
      // The bench measures what the server can do, not Cognito's quotas (the sign-in throttle stays on: it is on
      // every sign-in's path, and a successful one is never throttled).
      CORRAL_RATE_LIMITS: 'off',
      ...(set.databaseUrl ? { CORRAL_DATABASE_URL: set.databaseUrl } : {}),
      ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`Corral exited (${proc.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    if (/Corral listening on http:\/\/[^:]+:\d+/.test(readFileSync(logFile, 'utf8'))) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`Corral did not start within ${START_TIMEOUT_MS} ms:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = proc.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    logFile,
    pids: () => (workers > 1 ? processTree(pid) : [pid]),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

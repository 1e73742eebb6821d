// The bench (`npm run bench` at the repo root). For each backend (SQLite, PostgreSQL) and pool size (1k, 1M users):
//   1. a fresh data set (a data directory; on PostgreSQL a database of its own), a real Corral on it (dist/cli.js,
//      its own process tree), the pool loaded by user import jobs (bench/seed.ts; the load time printed), a few users
//      with a password (imported users have none), the RSS of the server processes after loading;
//   2. for each worker count (1 and the cores): Corral restarted on that data with `--workers N`, and the load
//      generator (bench/load.ts, a process of its own) runs each operation in turn — SignUp, USER_PASSWORD_AUTH, SRP
//      sign-in, REFRESH_TOKEN_AUTH, GetUser, AdminGetUser, ListUsers `email ^= "user12"` Limit 60 — `concurrency` in
//      flight for `duration` seconds after a warm-up, measuring operations per second, p50/p99 latency, the server's
//      CPU per operation (utime + stime from /proc/<pid>/stat of every server process, over the window only), on
//      PostgreSQL the database backends' CPU per operation too, and the generator's own CPU per operation;
//   3. the crypto floor of each operation (bench/crypto.ts, measured here, in CPU time) beside the server's CPU.
// It prints a table (Markdown) and, with --json, the figures as one JSON document on the last line.
//
// Options: --backends sqlite,postgres  --sizes 1k,1m (1k, 10k, 100k, 1m or a number)  --ops signUp,passwordSignIn,…
// --workers 1,2 (default 1 and the cores)  --duration S (10)  --warmup S (2)  --concurrency N (8)
// --password-users N (64)  --repeat N (1: each worker count runs N times, in turn; the figures are the medians)
// --quick (1k users, SQLite and PostgreSQL, 0.5 s windows: a smoke run)
// --profile (the server under --cpu-prof: the top self-time functions of each operation, per operation)  --json
// --keep (keep the data directories)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCrypto, type CryptoFigures } from './crypto.js';
import { OPS, OP_LABELS, type LoadData, type OpName, type OpResult } from './ops.js';
import { selfTimes, topOf } from './profile.js';
import { importUsers, passwordUsers, poolAndClient, tokensOf, type LoadReport } from './seed.js';
import {
  BENCH_ADMIN,
  DatabaseProcesses,
  cpuSince,
  createDataSet,
  postgresAvailable,
  rssMb,
  sampleCpu,
  startServer,
  type Backend,
  type Server,
} from './server.js';

const { values: opts } = parseArgs({
  options: {
    backends: { type: 'string' },
    sizes: { type: 'string' },
    ops: { type: 'string' },
    workers: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    repeat: { type: 'string', default: '1' },
    'password-users': { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) fail(`--sizes: "${s}" is not a size (1k, 1m, 5000)`);
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 1) fail(`--sizes: "${s}" is not a whole number of users`);
  return n;
}
const sizeLabel = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const cores = availableParallelism();
const backends = (opts.backends ? list(opts.backends) : ['sqlite', 'postgres']) as Backend[];
for (const b of backends) if (b !== 'sqlite' && b !== 'postgres') fail(`--backends: "${b}" is not sqlite or postgres`);
const sizes = (opts.sizes ? list(opts.sizes) : opts.quick ? ['1k'] : ['1k', '1m']).map(parseSize);
const ops = (opts.ops ? list(opts.ops) : [...OPS]) as OpName[];
for (const o of ops) if (!OPS.includes(o)) fail(`--ops: "${o}" is not one of ${OPS.join(', ')}`);
const workerCounts = opts.workers ? list(opts.workers).map(Number) : [...new Set([1, cores])];
for (const w of workerCounts) if (!Number.isInteger(w) || w < 1 || w > 256) fail(`--workers: "${w}" is not a number of workers`);
const durationMs = Number(opts.duration ?? (opts.quick ? 0.5 : 10)) * 1000;
const warmupMs = Number(opts.warmup ?? (opts.quick ? 0.2 : 2)) * 1000;
const concurrency = Number(opts.concurrency);
const repeat = Number(opts.repeat);
if (!Number.isInteger(repeat) || repeat < 1) fail(`--repeat: "${opts.repeat}" is not a number of runs`);
const passwordUserCount = Number(opts['password-users'] ?? (opts.quick ? 8 : 64));
const LIST_FILTER = 'email ^= "user12"';

const LOAD = fileURLToPath(new URL('./load.js', import.meta.url));
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const log = (line: string) => console.log(line);

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  return { nproc: cores, cpu: model, node: process.version, date: new Date().toISOString(), loadAverage: loadavg() };
}

interface OpFigures extends OpResult {
  opsPerSecond: number;
  serverCpuMsPerOp: number;
  /** PostgreSQL's backends, per operation (PostgreSQL only). */
  dbCpuMsPerOp?: number;
  clientCpuMsPerOp: number;
  cryptoFloorMs?: number;
  /** Crypto floor / server CPU per operation. */
  cryptoShare?: number;
  /** With --repeat: each run's main figures (the others are their medians). */
  samples?: { opsPerSecond: number; serverCpuMsPerOp: number; p50Ms: number; p99Ms: number }[];
  /** Top self-time functions in the window (--profile), ms per operation. */
  profile?: { fn: string; msPerOp: number }[];
  /** Top inclusive time of Corral's own functions in the window (--profile), ms per operation. */
  profileInclusive?: { fn: string; msPerOp: number }[];
  /** Self time by module in the window (--profile), ms per operation; `(all)`: everything sampled but idle. */
  profileModules?: { fn: string; msPerOp: number }[];
  error?: string;
}

interface RunFigures {
  backend: Backend;
  users: number;
  workers: number;
  /** RSS of the server processes after the operations ran, MB (sum; per process in `rssByProcessMb`). */
  rssMb: number;
  rssByProcessMb: number[];
  ops: OpFigures[];
}

interface DataSetFigures {
  backend: Backend;
  users: number;
  load: LoadReport & { usersPerSecond: number };
  /** RSS of the server processes right after the import, MB. */
  rssAfterLoadMb: number;
  runs: RunFigures[];
}

/** The load generator process. */
class Generator {
  private constructor(private readonly child: ChildProcess) {}

  static async start(data: LoadData): Promise<Generator> {
    const child = fork(LOAD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const g = new Generator(child);
    child.send({ type: 'init', data });
    await g.next('ready');
    return g;
  }

  private next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type === type || m.type === 'failed') {
          cleanup();
          if (m.type === 'failed') reject(new Error(String(m.error)));
          else resolve(m);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the load generator exited (${code})`));
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  /** Runs `op`: warm-up, then `onWindow` is told when the window starts and ends. */
  async run(op: OpName, onStart: () => void | Promise<void>): Promise<OpResult> {
    this.child.send({ type: 'run', op, warmupMs, durationMs, concurrency });
    await this.next('warm');
    await onStart();
    this.child.send({ type: 'go' });
    return (await this.next('done')).result as OpResult;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ type: 'exit' });
    await exited;
  }
}

const sumRss = (pids: number[]) => pids.map(rssMb);

async function runWorkers(
  backend: Backend,
  size: number,
  workers: number,
  set: Awaited<ReturnType<typeof createDataSet>>,
  seeded: { poolId: string; clientId: string; users: { username: string; password: string }[] },
  crypto: CryptoFigures,
): Promise<RunFigures> {
  const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'corral-bench-prof-')) : undefined;
  const server: Server = await startServer(set, workers, { profileDir, logName: `server-w${workers}` });
  const run: RunFigures = { backend, users: size, workers, rssMb: 0, rssByProcessMb: [], ops: [] };
  const windows = new Map<OpName, [number, number]>();
  let generator: Generator | undefined;
  const dbProcs = await DatabaseProcesses.open(set);
  try {
    const tokens = await tokensOf(server.url, seeded.clientId, seeded.users);
    generator = await Generator.start({
      url: server.url,
      poolId: seeded.poolId,
      clientId: seeded.clientId,
      admin: BENCH_ADMIN,
      users: seeded.users,
      refreshTokens: tokens.refresh,
      accessTokens: tokens.access,
      poolSize: size,
      tag: `${backend[0]}${sizeLabel(size)}w${workers}r${Math.floor(Math.random() * 1e6)}`.toLowerCase(),
      listFilter: LIST_FILTER,
    });
    for (const op of ops) {
      let cpu0 = sampleCpu([]);
      let db0 = sampleCpu([]);
      let t0 = 0;
      let result: OpResult;
      try {
        result = await generator.run(op, async () => {
          db0 = sampleCpu(dbProcs ? await dbProcs.pids() : []);
          cpu0 = sampleCpu(server.pids());
          t0 = nowUs();
        });
      } catch (err) {
        run.ops.push({
          op,
          count: 0,
          failures: 1,
          firstFailure: String(err),
          error: String(err),
          wallMs: 0,
          p50Ms: NaN,
          p99Ms: NaN,
          meanMs: NaN,
          clientCpuMs: 0,
          opsPerSecond: 0,
          serverCpuMsPerOp: NaN,
          clientCpuMsPerOp: NaN,
        });
        log(`    ${OP_LABELS[op]}: ${String(err)}`);
        continue;
      }
      const serverCpu = cpuSince(cpu0, server.pids());
      const dbCpu = dbProcs ? cpuSince(db0, await dbProcs.pids()) : undefined;
      windows.set(op, [t0, nowUs()]);
      const count = result.count || 1;
      const floor = crypto.floors[op];
      const serverCpuMsPerOp = serverCpu / count;
      const f: OpFigures = {
        ...result,
        opsPerSecond: (result.count * 1000) / result.wallMs,
        serverCpuMsPerOp,
        ...(dbCpu !== undefined ? { dbCpuMsPerOp: dbCpu / count } : {}),
        clientCpuMsPerOp: result.clientCpuMs / count,
        ...(floor !== undefined ? { cryptoFloorMs: floor, cryptoShare: floor / serverCpuMsPerOp } : {}),
      };
      run.ops.push(f);
      log(
        `    ${OP_LABELS[op].padEnd(36)} ${f.opsPerSecond.toFixed(0).padStart(6)}/s  p50 ${f.p50Ms.toFixed(2)} ms  p99 ${f.p99Ms.toFixed(2)} ms  ` +
          `server ${f.serverCpuMsPerOp.toFixed(3)} ms/op${f.dbCpuMsPerOp !== undefined ? `  db ${f.dbCpuMsPerOp.toFixed(3)}` : ''}  generator ${f.clientCpuMsPerOp.toFixed(3)}` +
          (result.failures ? `  FAILURES ${result.failures}: ${result.firstFailure}` : ''),
      );
    }
    const rss = sumRss(server.pids());
    run.rssByProcessMb = rss;
    run.rssMb = rss.reduce((a, b) => a + b, 0);
  } finally {
    await generator?.stop().catch(() => undefined);
    await dbProcs?.close().catch(() => undefined);
    await server.stop();
  }
  if (profileDir) {
    const files = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profileDir, f));
    for (const f of run.ops) {
      const window = windows.get(f.op);
      if (!window || !f.count) continue;
      const t = selfTimes(files, window);
      // (idle) is a process waiting for work; what blocks the thread (an fsync, SQLite's busy wait) is time too.
      t.byFunction.delete('(idle)  (idle)');
      f.profile = topOf(t.byFunction, 12).map(([fn, us]) => ({ fn, msPerOp: us / 1000 / f.count }));
      t.byModule.delete('(idle)');
      f.profileModules = [['(all)', [...t.byModule.values()].reduce((a, b) => a + b, 0)] as [string, number], ...topOf(t.byModule, 10)].map(([fn, us]) => ({
        fn,
        msPerOp: us / 1000 / f.count,
      }));
      const own = new Map([...t.inclusive].filter(([fn]) => fn.includes('  corral/')));
      f.profileInclusive = topOf(own, 20).map(([fn, us]) => ({ fn, msPerOp: us / 1000 / f.count }));
    }
    log(`    (profiles: ${profileDir})`);
  }
  return run;
}

const median = (xs: number[]) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/** One run's figures, or the median of each figure over the runs (the runs themselves kept in `samples`). */
function medianRun(runs: RunFigures[]): RunFigures {
  if (runs.length === 1) return runs[0]!;
  const first = runs[0]!;
  const numeric = [
    'count',
    'failures',
    'wallMs',
    'p50Ms',
    'p99Ms',
    'meanMs',
    'clientCpuMs',
    'opsPerSecond',
    'serverCpuMsPerOp',
    'dbCpuMsPerOp',
    'clientCpuMsPerOp',
    'cryptoFloorMs',
    'cryptoShare',
  ] as const;
  const ops = first.ops.map((o, i) => {
    const all = runs.map((r) => r.ops[i]!);
    const m: OpFigures = { ...o, profile: o.profile };
    for (const k of numeric) if (o[k] !== undefined) (m as unknown as Record<string, number>)[k] = median(all.map((x) => x[k] as number));
    m.failures = all.reduce((n, x) => n + x.failures, 0);
    m.error = all.find((x) => x.error)?.error;
    m.firstFailure = all.find((x) => x.firstFailure)?.firstFailure;
    m.samples = all.map((x) => ({ opsPerSecond: x.opsPerSecond, serverCpuMsPerOp: x.serverCpuMsPerOp, p50Ms: x.p50Ms, p99Ms: x.p99Ms }));
    return m;
  });
  return { ...first, rssMb: median(runs.map((r) => r.rssMb)), ops };
}

async function benchDataSet(backend: Backend, size: number, crypto: CryptoFigures): Promise<DataSetFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), `corral-bench-${backend}-${sizeLabel(size)}-`));
  const set = await createDataSet(backend, dataDir, sizeLabel(size));
  log(`\n${backend}, ${size.toLocaleString('en-US')} users (${dataDir}${set.database ? `, database ${set.database}` : ''})`);
  let ok = false;
  try {
    // Loaded by import jobs on a server with the most workers asked for (one of them runs each job).
    const loadWorkers = Math.max(...workerCounts);
    const loader = await startServer(set, loadWorkers, { logName: 'server-load' });
    let load: LoadReport;
    let users: { username: string; password: string }[];
    let poolId: string;
    let clientId: string;
    let rssAfterLoadMb: number;
    try {
      ({ poolId, clientId } = await poolAndClient(loader.url));
      load = await importUsers(loader.url, poolId, size, log);
      log(
        `  loaded ${size.toLocaleString('en-US')} users by ${load.jobs} import job${load.jobs > 1 ? 's' : ''} in ${(load.ms / 1000).toFixed(1)} s ` +
          `(${((size * 1000) / load.ms).toFixed(0)} users/s)`,
      );
      users = await passwordUsers(loader.url, poolId, passwordUserCount);
      rssAfterLoadMb = sumRss(loader.pids()).reduce((a, b) => a + b, 0);
      log(`  RSS after loading: ${rssAfterLoadMb.toFixed(0)} MB (${loader.pids().length} server processes); ${users.length} users with a password`);
    } finally {
      await loader.stop();
    }
    const runs: RunFigures[] = [];
    // With --repeat, the worker counts take turns (1, 2, 1, 2, …), so that what else the machine does falls on both.
    const samples = new Map<number, RunFigures[]>();
    for (let rep = 0; rep < repeat; rep++) {
      for (const workers of workerCounts) {
        log(`  workers ${workers}${repeat > 1 ? ` (run ${rep + 1} of ${repeat})` : ''}:`);
        const run = await runWorkers(backend, size, workers, set, { poolId, clientId, users }, crypto);
        log(`    RSS ${run.rssMb.toFixed(0)} MB (${run.rssByProcessMb.map((m) => m.toFixed(0)).join(' + ')})`);
        samples.set(workers, [...(samples.get(workers) ?? []), run]);
      }
    }
    for (const workers of workerCounts) runs.push(medianRun(samples.get(workers)!));
    ok = true;
    return { backend, users: size, load: { ...load, usersPerSecond: (size * 1000) / load.ms }, rssAfterLoadMb, runs };
  } finally {
    if (!opts.keep && ok) rmSync(dataDir, { recursive: true, force: true });
    else log(`  data kept in ${dataDir}`);
    await set.drop().catch((err: unknown) => log(`  could not drop ${set.database}: ${String(err)}`));
  }
}

const fmt = (n: number | undefined, d: number) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d));

function table(sets: DataSetFigures[]): string {
  const head = [
    'backend',
    'users',
    'workers',
    'operation',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'server CPU ms/op',
    'db CPU ms/op',
    'crypto floor ms',
    'floor / CPU',
    'generator CPU ms/op',
  ];
  const rows = [head, head.map((h, i) => (i < 4 ? '---' : '---:'))];
  for (const s of sets) {
    for (const r of s.runs) {
      for (const o of r.ops) {
        rows.push([
          s.backend,
          sizeLabel(s.users),
          String(r.workers),
          OP_LABELS[o.op],
          o.error ? 'failed' : fmt(o.opsPerSecond, 0),
          fmt(o.p50Ms, 2),
          fmt(o.p99Ms, 2),
          fmt(o.serverCpuMsPerOp, 3),
          fmt(o.dbCpuMsPerOp, 3),
          fmt(o.cryptoFloorMs, 3),
          fmt(o.cryptoShare, 2),
          fmt(o.clientCpuMsPerOp, 3),
        ]);
      }
    }
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function scalingTable(sets: DataSetFigures[]): string | undefined {
  if (workerCounts.length < 2) return undefined;
  const [lo, hi] = [Math.min(...workerCounts), Math.max(...workerCounts)];
  const rows = [
    ['backend', 'users', 'operation', `ops/s, ${lo} worker${lo > 1 ? 's' : ''}`, `ops/s, ${hi} workers`, 'gain'],
    ['---', '---', '---', '---:', '---:', '---:'],
  ];
  for (const s of sets) {
    const a = s.runs.find((r) => r.workers === lo);
    const b = s.runs.find((r) => r.workers === hi);
    if (!a || !b) continue;
    for (const o of a.ops) {
      const p = b.ops.find((x) => x.op === o.op);
      if (!p || o.error || p.error) continue;
      rows.push([
        s.backend,
        sizeLabel(s.users),
        OP_LABELS[o.op],
        fmt(o.opsPerSecond, 0),
        fmt(p.opsPerSecond, 0),
        `×${fmt(p.opsPerSecond / o.opsPerSecond, 2)}`,
      ]);
    }
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

const m = machine();
log(`Corral bench — ${m.nproc} × ${m.cpu}, node ${m.node}, ${m.date}`);
log(`  load average before: ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')} (other processes on the cores skew throughput; CPU per operation is steadier)`);
log(
  `  backends ${backends.join(', ')}; users ${sizes.map(sizeLabel).join(', ')}; workers ${workerCounts.join(', ')}; ${concurrency} in flight; ` +
    `${durationMs / 1000} s per operation after ${warmupMs / 1000} s of warm-up${repeat > 1 ? `; medians of ${repeat} runs each` : ''}`,
);
const crypto = await measureCrypto(opts.quick ? 100 : 300);
log(
  `  crypto (CPU): g^e ${crypto.cpu.powG.toFixed(3)} ms, modexp ${crypto.cpu.modexp.toFixed(3)} ms, RS256 sign ${crypto.cpu.rs256Sign.toFixed(3)} ms, verify ${crypto.cpu.rs256Verify.toFixed(3)} ms`,
);

const results: DataSetFigures[] = [];
const skipped: string[] = [];
let failed = false;
for (const backend of backends) {
  if (backend === 'postgres' && !(await postgresAvailable())) {
    skipped.push('postgres (not reachable)');
    log(`\npostgres: not reachable — skipped`);
    continue;
  }
  for (const size of sizes) {
    try {
      results.push(await benchDataSet(backend, size, crypto));
    } catch (err) {
      failed = true;
      console.error(`\n${backend}, ${size} users: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
}

log('\n' + table(results));
const scaling = scalingTable(results);
if (scaling) log('\n' + scaling);
for (const s of results) {
  log(
    `\n${s.backend}, ${sizeLabel(s.users)} users: loaded by ${s.load.jobs} import job(s) in ${(s.load.ms / 1000).toFixed(1)} s (${s.load.usersPerSecond.toFixed(0)} users/s); ` +
      `RSS after loading ${s.rssAfterLoadMb.toFixed(0)} MB; after the run ${s.runs.map((r) => `${r.rssMb.toFixed(0)} MB with ${r.workers} worker${r.workers > 1 ? 's' : ''}`).join(', ')}`,
  );
}
if (opts.profile) {
  for (const s of results) {
    for (const r of s.runs) {
      for (const o of r.ops) {
        if (!o.profile) continue;
        log(
          `\nprofile: ${s.backend}, ${sizeLabel(s.users)} users, ${r.workers} worker(s), ${OP_LABELS[o.op]} — server ${o.serverCpuMsPerOp.toFixed(3)} ms/op; top self time, ms/op:`,
        );
        for (const p of o.profile) log(`  ${p.msPerOp.toFixed(3).padStart(7)}  ${p.fn}`);
        if (o.profileModules?.length) log(`  by module: ${o.profileModules.map((p) => `${p.fn} ${p.msPerOp.toFixed(3)}`).join(', ')}`);
        if (o.profileInclusive?.length) {
          log(`  Corral's own functions, inclusive (self and callees), ms/op:`);
          for (const p of o.profileInclusive) log(`  ${p.msPerOp.toFixed(3).padStart(7)}  ${p.fn}`);
        }
      }
    }
  }
}
const failures = results.flatMap((s) => s.runs.flatMap((r) => r.ops.filter((o) => o.failures > 0 || o.error)));
if (failures.length) failed = true;
if (opts.json) {
  log(
    JSON.stringify({
      machine: m,
      options: {
        backends,
        sizes,
        ops,
        workers: workerCounts,
        durationMs,
        warmupMs,
        concurrency,
        repeat,
        passwordUsers: passwordUserCount,
        listFilter: LIST_FILTER,
      },
      crypto: { cpu: crypto.cpu, floors: crypto.floors },
      skipped,
      dataSets: results,
    }),
  );
}
process.exit(failed ? 1 : 0);

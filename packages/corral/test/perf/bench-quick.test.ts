// The bench cannot rot: `npm run bench -- --quick --json` (bench/bench.ts, built here with tsconfig.bench.json;
// Corral's dist must be built: `npm run build -w corral`) runs end to end on SQLite and PostgreSQL at 1k users with 1
// and 2 workers, and reports every figure for every operation: users loaded by an import job, no failed operation,
// throughput, latency, the server's CPU from /proc, the database's CPU on PostgreSQL, the crypto floors, RSS. It
// judges no speed (the machine is shared); it checks that each figure is there and means something.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { postgresAvailable } from '../support/corral.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH = fileURLToPath(new URL('../../dist/bench-build/bench/bench.js', import.meta.url));
const OPS = ['signUp', 'passwordSignIn', 'srpSignIn', 'refresh', 'getUser', 'adminGetUser', 'listUsers'];

interface Op {
  op: string;
  count: number;
  failures: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPerOp: number;
  dbCpuMsPerOp?: number;
  clientCpuMsPerOp: number;
  cryptoFloorMs?: number;
  cryptoShare?: number;
}

it('npm run bench -- --quick runs every operation on both backends, 1 and 2 workers, with every figure', async () => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.bench.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH, '--quick', '--workers', '1,2', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench exited ${code}:\n${text}\n${err}`))));
  });
  // The table is printed, with a row per backend × workers × operation.
  expect(out).toMatch(/\| backend \| users \| workers \| operation \| ops\/s \| p50 ms \| p99 ms \| server CPU ms\/op \|/);
  const report = JSON.parse(out.trim().split('\n').pop()!) as {
    machine: { nproc: number; cpu: string; node: string };
    crypto: { floors: Record<string, number | null> };
    dataSets: {
      backend: string;
      users: number;
      load: { jobs: number; imported: number; ms: number };
      rssAfterLoadMb: number;
      runs: { workers: number; rssMb: number; rssByProcessMb: number[]; ops: Op[] }[];
    }[];
  };
  expect(report.machine.nproc).toBeGreaterThan(0);
  expect(report.machine.node).toBe(process.version);
  const backends = (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
  expect(report.dataSets.map((s) => s.backend)).toEqual(backends);
  for (const s of report.dataSets) {
    expect(s.users).toBe(1000);
    expect(s.load).toMatchObject({ jobs: 1, imported: 1000 });
    expect(s.load.ms).toBeGreaterThan(0);
    expect(s.rssAfterLoadMb).toBeGreaterThan(30);
    expect(s.runs.map((r) => r.workers)).toEqual([1, 2]);
    for (const r of s.runs) {
      // One process alone; a primary and two workers.
      expect(r.rssByProcessMb).toHaveLength(r.workers === 1 ? 1 : 3);
      expect(r.rssMb).toBeGreaterThan(30 * r.rssByProcessMb.length);
      expect(r.ops.map((o) => o.op)).toEqual(OPS);
      for (const o of r.ops) {
        const where = `${s.backend} ×${r.workers} ${o.op}`;
        expect(o.failures, where).toBe(0);
        expect(o.count, where).toBeGreaterThan(0);
        expect(o.opsPerSecond, where).toBeGreaterThan(0);
        expect(o.p99Ms, where).toBeGreaterThanOrEqual(o.p50Ms);
        expect(o.serverCpuMsPerOp, where).toBeGreaterThan(0);
        expect(o.clientCpuMsPerOp, where).toBeGreaterThan(0);
        if (s.backend === 'postgres') expect(o.dbCpuMsPerOp, where).toBeGreaterThan(0);
        else expect(o.dbCpuMsPerOp, where).toBeUndefined();
        if (['adminGetUser', 'listUsers'].includes(o.op)) expect(o.cryptoFloorMs, where).toBeUndefined();
        else expect(o.cryptoShare, where).toBeCloseTo(o.cryptoFloorMs! / o.serverCpuMsPerOp, 6);
      }
    }
  }
  // The floors are built from the parts: an SRP sign-in costs more crypto than a password sign-in, which costs more
  // than a refresh.
  const f = report.crypto.floors;
  expect(f.srpSignIn!).toBeGreaterThan(f.passwordSignIn!);
  expect(f.passwordSignIn!).toBeGreaterThan(f.refresh!);
}, 600_000);

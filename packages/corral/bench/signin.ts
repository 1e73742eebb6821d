// The sign-in benchmark (`npm run bench` at the repo root). It starts a real Corral as its own process (dist/cli.js,
// SQLite in a temp data dir, default log level), creates a pool, an app client and confirmed users through the API
// (SignUp + the code from the local mailbox + ConfirmSignUp), then forks the load generator (bench/load.ts) which
// runs full two-step SRP sign-ins over loopback HTTP with a fixed number in flight. It prints:
//   - sign-ins per second and p50/p99 latency of the whole two-call sign-in;
//   - the server's CPU per sign-in, from /proc/<pid>/stat (utime + stime, every thread) over the load window only;
//   - the bare crypto of a sign-in (3 modexps + 2 RS256 signatures, bench/crypto.ts), measured in this run after the
//     load, and the ratio crypto / server CPU per sign-in (the figure we track; 1.0 would mean nothing but crypto).
//
// Options: --signins N (2000) --concurrency N (8) --users N (32) --warmup N (200) --profile (server under
// --cpu-prof; the .cpuprofile's path is printed and a top-functions summary shown) --json (one JSON line at the end).
import {
  ConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCrypto } from './crypto.js';
import type { LoadConfig, LoadResult } from './load.js';
import { summariseProfile } from './profile.js';

// The AWS SDK (used here only to seed) warns on every client that future versions will need Node 22: not news here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (!String(warning).startsWith('NodeVersionSupportWarning')) (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const { values: opts } = parseArgs({
  options: {
    signins: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    users: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const COUNT = Number(opts.signins);
const CONCURRENCY = Number(opts.concurrency);
const USERS = Number(opts.users);
const WARMUP = Number(opts.warmup);

const CLI = fileURLToPath(new URL('../../cli.js', import.meta.url)); // dist/bench-build/bench → dist/cli.js
const LOAD = fileURLToPath(new URL('./load.js', import.meta.url));
const CREDENTIALS = { accessKeyId: 'AKIABENCHCORRAL00001', secretAccessKey: 'bench-secret-key-for-corral-bench' };
const PASSWORD = 'Bench!Passw0rd';
const START_TIMEOUT_MS = 30_000;

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime and stime of every thread of the process, ms (/proc/<pid>/stat fields 14 and 15). */
function processCpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return { user: (Number(fields[11]) * 1000) / clockTicks, system: (Number(fields[12]) * 1000) / clockTicks };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(dataDir: string, profileDir: string | undefined): Promise<{ proc: ChildProcess; url: string; logFile: string }> {
  const logFile = join(dataDir, 'server.log');
  const out = openSync(logFile, 'w');
  const args = [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), CLI, 'start'];
  const proc = spawn(process.execPath, args, {
    cwd: dataDir, // no corral.config.json here: nothing is provisioned
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      CORRAL_DATA_DIR: dataDir,
      CORRAL_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      CORRAL_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`Corral exited (${proc.exitCode}):\n${readFileSync(logFile, 'utf8')}`);
    const port = /Corral listening on http:\/\/[^:]+:(\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (port) return { proc, url: `http://127.0.0.1:${port}`, logFile };
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error(`Corral did not start within ${START_TIMEOUT_MS} ms:\n${readFileSync(logFile, 'utf8')}`);
}

async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function mailboxCode(url: string, to: string): Promise<string> {
  const res = await fetch(`${url}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
  const { messages } = (await res.json()) as { messages: { body: string }[] };
  const code = /\b(\d{6})\b/.exec(messages[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no code in the mailbox for ${to}`);
  return code;
}

/** A pool, a public SRP client and `n` confirmed users, all through the API. */
async function seed(url: string, n: number): Promise<Omit<LoadConfig, 'url' | 'count' | 'warmup' | 'concurrency'>> {
  const clientConfig = { region: 'us-east-1', endpoint: url, maxAttempts: 1 };
  const admin = new CognitoIdentityProviderClient({ ...clientConfig, credentials: CREDENTIALS });
  const pub = new CognitoIdentityProviderClient({ ...clientConfig, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
  try {
    const pool = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'Bench', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF' }),
    );
    const poolId = pool.UserPool!.Id!;
    const client = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bench',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const users = Array.from({ length: n }, (_, i) => ({ username: `rider${String(i).padStart(4, '0')}`, password: PASSWORD }));
    for (const u of users) {
      const email = `${u.username}@example.com`;
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: u.username, Password: u.password, UserAttributes: [{ Name: 'email', Value: email }] }));
      const code = await mailboxCode(url, email);
      await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: u.username, ConfirmationCode: code }));
    }
    return { poolId, clientId, users };
  } finally {
    admin.destroy();
    pub.destroy();
  }
}

function runLoad(cfg: LoadConfig, onWarm: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(LOAD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: { type: string; error?: string } & LoadResult) => {
      if (m.type === 'warm') {
        onWarm();
        child.send({ type: 'go' });
      } else if (m.type === 'done') resolve(m);
      else if (m.type === 'failed') reject(new Error(`warm-up sign-in failed: ${m.error}`));
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send({ type: 'start', ...cfg });
  });
}

/** The monotonic clock in µs, as V8 CPU profiles timestamp their samples. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const profileWindow: [number, number] = [0, Number.MAX_SAFE_INTEGER];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const dataDir = mkdtempSync(join(tmpdir(), 'corral-bench-'));
const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'corral-bench-prof-')) : undefined;
const loadAverageBefore = loadavg();
const server = await startServer(dataDir, profileDir);
let failed = false;
try {
  const seeded = await seed(server.url, USERS);
  const pid = server.proc.pid!;
  let cpuStart = { user: 0, system: 0 };
  const load = await runLoad({ url: server.url, count: COUNT, warmup: WARMUP, concurrency: CONCURRENCY, ...seeded }, () => {
    cpuStart = processCpuMs(pid);
    profileWindow[0] = nowUs();
  });
  const cpuEnd = processCpuMs(pid);
  profileWindow[1] = nowUs();
  const serverUserMs = cpuEnd.user - cpuStart.user;
  const serverSystemMs = cpuEnd.system - cpuStart.system;
  const serverCpuMs = serverUserMs + serverSystemMs;
  if (load.failures) throw new Error(`${load.failures} of ${load.count} sign-ins failed; first: ${load.firstFailure}`);
  const crypto = await measureCrypto(300);

  const perSecond = (load.count * 1000) / load.wallMs;
  const serverMsPerSignIn = serverCpuMs / load.count;
  // CPU time against CPU time: wall-clock crypto timings swell when other processes share the cores, CPU time less so.
  const ratio = crypto.floorCpuMs / serverMsPerSignIn;
  const figures = {
    node: process.version,
    cores: cpus().length,
    signIns: load.count,
    concurrency: CONCURRENCY,
    users: USERS,
    signInsPerSecond: perSecond,
    p50Ms: quantile(load.latencies, 0.5),
    p99Ms: quantile(load.latencies, 0.99),
    serverCpuMsPerSignIn: serverMsPerSignIn,
    serverUserMsPerSignIn: serverUserMs / load.count,
    serverSystemMsPerSignIn: serverSystemMs / load.count,
    serverCpuUtilisation: serverCpuMs / load.wallMs,
    clientCpuMsPerSignIn: load.clientCpuMs / load.count,
    cryptoFloorCpuMs: crypto.floorCpuMs,
    cryptoFloorWallMs: crypto.floorMs,
    cryptoModexpMs: crypto.modexpMs,
    cryptoRs256SignMs: crypto.rs256SignMs,
    ratio,
    loadAverageBefore,
  };
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(`Corral SRP sign-in benchmark — node ${process.version}, ${figures.cores} cores, SQLite, ${USERS} users`);
  console.log(`  load average before the run: ${loadAverageBefore.map((l) => f(l)).join(' ')} (other processes on the cores skew throughput)`);
  console.log(`  ${load.count} sign-ins (InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge), ${CONCURRENCY} in flight, after ${WARMUP} warm-up`);
  console.log(`  throughput                     ${f(perSecond, 0)} sign-ins/s   (${f(load.wallMs / 1000)} s)`);
  console.log(`  latency                        p50 ${f(figures.p50Ms)} ms   p99 ${f(figures.p99Ms)} ms`);
  console.log(
    `  server CPU per sign-in         ${f(serverMsPerSignIn, 3)} ms   (/proc: user ${f(figures.serverUserMsPerSignIn, 3)} + system ${f(figures.serverSystemMsPerSignIn, 3)}; ${f(figures.serverCpuUtilisation * 100, 0)}% of a core)`,
  );
  console.log(`  load generator CPU per sign-in ${f(figures.clientCpuMsPerSignIn, 3)} ms   (its own process)`);
  console.log(
    `  crypto floor (CPU)             ${f(crypto.floorCpuMs, 3)} ms   (g^b + 2 modexp + 2 RS256; wall ${f(crypto.floorMs, 3)} ms: modexp ${f(crypto.modexpMs, 3)}, RS256 ${f(crypto.rs256SignMs, 3)})`,
  );
  console.log(`  crypto / server CPU            ${f(ratio)}   (goal ≥ 0.60)`);
  if (opts.json) console.log(JSON.stringify(figures));
} catch (err) {
  failed = true;
  console.error(err);
  console.error(`server log: ${server.logFile}`);
} finally {
  await stopServer(server.proc);
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      console.log(`\nserver CPU profile: ${join(profileDir, file)} (the summary counts the load window only: ${profileWindow.join('–')} µs)`);
      console.log(summariseProfile(join(profileDir, file), 30, profileWindow));
    }
  }
  if (!failed) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

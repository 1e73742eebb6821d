// `corral start --workers N` (or CORRAL_WORKERS; default: the cores, os.availableParallelism()): N processes serve
// one port and one database (node:cluster). `--workers 1` is the single process `corral start` always was.
//
// The primary supervises and serves nothing: it never opens the database. Node's cluster module makes it accept the
// connections on the shared port and hand them to the workers in turn (round robin), so a keep-alive connection stays
// with one worker.
//
// Start. What a start does once — generate the admin key pair and the server key, run the migrations, check the server
// key against the database, provision the declared resources, write resources.json, print the credentials and the
// scratch pad — is done by the first worker alone (role `first`): the primary forks it and waits for it to listen.
// Only then are the others forked (role `join`): they open the database (already migrated: nothing to do), read the
// provisioning file for its functions and names only (startCorral's `setup: false`) and listen. When all listen, the
// primary prints `Corral listening on <url> (N workers)`. Any worker failing before the service is up fails the start:
// the others are stopped and the primary exits 1 (the worker's own error is on stderr).
//
// Running. A worker that dies (crash, SIGKILL, out of memory) is replaced, as a `join` worker: at once the first time,
// then after a backoff that doubles with each death in a row (250 ms … 30 s) and starts over once a worker has lived
// RESET_AFTER_MS. Nothing a worker keeps in memory is needed by another: the database is the state; the caches (signing
// keys, pool settings) are per process and short-lived. The rate-limit counts (wire/throttle.ts), which one process on
// SQLite keeps in its memory, are shared by the workers: on PostgreSQL in the database, as separate instances share
// them; on SQLite in the primary's memory (`primaryCounters`, over the IPC channel: a round trip costs far less than
// a commit, which on SQLite is an fsync under the one write lock), with the same batching as in the database. They
// outlive a worker that dies, and end with the primary, as one process's counts end with it.
//
// Stop. SIGTERM or SIGINT to the primary is passed to every worker as SIGTERM: each stops accepting, finishes what is
// in flight (up to 10 s, runtime/start.ts) and closes its database connections; the primary exits 0 when all have
// exited cleanly (1 otherwise). A second signal kills the workers (SIGKILL) and exits 1. Workers ignore SIGINT (a
// terminal's Ctrl-C reaches the whole process group: the primary decides); a worker whose primary is gone (killed:
// the IPC channel closes) exits at once (node:cluster does that).
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import pino, { type Logger } from 'pino';
import { servePrimaryMetrics } from '../metrics.js';

/** The most workers `--workers` accepts. */
export const MAX_WORKERS = 256;
const ROLE_ENV = 'CORRAL_CLUSTER_ROLE';
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** A worker that lived this long before dying resets the backoff. */
const RESET_AFTER_MS = 30_000;
/** After SIGTERM, workers are killed if they have not exited within this (their own grace is 10 s). */
const STOP_KILL_AFTER_MS = 15_000;

/** What this process is in a start: the only one (`alone`), a cluster's first worker, or one joining after it. */
export type StartRole = 'alone' | 'first' | 'join';

/**
 * The number of workers: `--workers` (the flag's value), else CORRAL_WORKERS, else the cores. Throws a sentence for a
 * value that is not a whole number from 1 to MAX_WORKERS.
 */
export function workerCount(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const [value, source] = flag !== undefined ? [flag, '--workers'] : env.CORRAL_WORKERS ? [env.CORRAL_WORKERS, 'CORRAL_WORKERS'] : [undefined, ''];
  if (value === undefined) return Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(`${source} must be a whole number from 1 to ${MAX_WORKERS} (the number of processes; default: the number of cores), not "${value}"`);
  }
  return n;
}

/** This process's role: `alone` unless it is a worker forked by runPrimary. */
export function startRole(): StartRole {
  if (!cluster.isWorker) return 'alone';
  return process.env[ROLE_ENV] === 'first' ? 'first' : 'join';
}

/** In a worker: SIGTERM (from the primary) stops it with `stop`, then it exits (0, or 1 when stopping failed); SIGINT
 *  is ignored. */
export function workerSignals(stop: () => Promise<void>, log: Pick<Logger, 'info' | 'error'>): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: reason, worker: cluster.worker?.id }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => undefined);
}

/** What the workers ask the primary to count (`primaryCounters`). */
interface CounterRequest {
  corral: 'counter';
  id: number;
  /** add: `by` to `key`'s count, kept until `expiresAt`; sweep: drop what expired before `now`. */
  op: 'add' | 'sweep';
  key?: string;
  by?: number;
  expiresAt?: number;
  now?: number;
}
interface CounterReply {
  corral: 'counter';
  id: number;
  n: number;
}
const COUNTER_TIMEOUT_MS = 5_000;

/** The counts the primary keeps for its workers: the counters table's semantics (storage/counters.ts), in memory. */
class Counts {
  private readonly counts = new Map<string, { n: number; expiresAt: number }>();
  answer(m: CounterRequest): number {
    if (m.op === 'sweep') {
      let dropped = 0;
      for (const [key, c] of this.counts) if (c.expiresAt < (m.now ?? 0)) dropped += Number(this.counts.delete(key));
      return dropped;
    }
    const c = this.counts.get(m.key!);
    if (c) return (c.n += m.by!);
    this.counts.set(m.key!, { n: m.by!, expiresAt: m.expiresAt! });
    return m.by!;
  }
}

let counterClient: { add(key: string, by: number, expiresAt: number): Promise<number>; deleteExpired(now: number): Promise<number> } | undefined;

/**
 * In a worker: counters shared by every worker of this start, kept by the primary (the counters table's `add` and
 * `deleteExpired`, for wire/throttle.ts's shared counts on SQLite). A call fails when the primary does not answer
 * within COUNTER_TIMEOUT_MS (it is gone: this worker is stopping).
 */
export function primaryCounters(): NonNullable<typeof counterClient> {
  if (counterClient) return counterClient;
  if (!cluster.isWorker || !process.send) throw new Error('primaryCounters: not a worker of corral start --workers');
  let next = 0;
  const waiting = new Map<number, { resolve(n: number): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (m: CounterReply) => {
    if (m?.corral !== 'counter') return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    clearTimeout(w.timer);
    w.resolve(m.n);
  });
  const ask = (request: Omit<CounterRequest, 'corral' | 'id'>) =>
    new Promise<number>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the primary did not answer a counter request within ${COUNTER_TIMEOUT_MS} ms`));
      }, COUNTER_TIMEOUT_MS);
      timer.unref();
      waiting.set(id, { resolve, reject, timer });
      const message: CounterRequest = { corral: 'counter', id, ...request };
      process.send!(message, undefined, {}, (err) => {
        if (!err) return;
        waiting.delete(id);
        clearTimeout(timer);
        reject(err);
      });
    });
  counterClient = {
    add: (key, by, expiresAt) => ask({ op: 'add', key, by, expiresAt }),
    deleteExpired: (now) => ask({ op: 'sweep', now }),
  };
  return counterClient;
}

interface Slot {
  worker?: Worker;
  startedAt: number;
  /** Deaths in a row (backoff). */
  deaths: number;
  timer?: NodeJS.Timeout;
}

/**
 * The primary of `corral start --workers N`: forks the first worker, then the others once it listens, prints the
 * address, keeps N workers alive and stops them on SIGTERM/SIGINT. Resolves never: it exits the process.
 */
export async function runPrimary(workers: number, log: Logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'corral' } })): Promise<void> {
  const slots: Slot[] = Array.from({ length: workers }, () => ({ startedAt: 0, deaths: 0 }));
  let up = false;
  let stopping = false;
  let exitCode = 0;
  const listening = new Set<Worker>();
  let announced = false;

  const alive = () => slots.filter((s) => s.worker && s.worker.process.exitCode === null && s.worker.process.signalCode === null);
  const finishIfDone = () => {
    if (stopping && alive().length === 0 && slots.every((s) => !s.timer)) process.exit(exitCode);
  };

  const fork = (slot: Slot, role: 'first' | 'join') => {
    slot.timer = undefined;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ [ROLE_ENV]: role });
    slot.worker = worker;
    worker.on('listening', (address: { port: number }) => {
      listening.add(worker);
      if (up) log.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening');
      if (role === 'first' && !up) {
        // The first worker has done the start's one-time work: the others may open the database now.
        for (const s of slots) if (s !== slot) fork(s, 'join');
      }
      if (!announced && listening.size === workers) {
        announced = true;
        up = true;
        console.log(`Corral listening on http://localhost:${address.port} (${workers} workers)`);
      }
    });
    worker.on('exit', (code, signal) => {
      const wasListening = listening.delete(worker);
      if (stopping) {
        // Killed by the SIGTERM it was sent before its own handler was in place (still starting): nothing was cut.
        if (code !== 0 && !(code === null && signal === 'SIGTERM' && !wasListening)) {
          exitCode = 1;
          log.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'a worker did not stop cleanly');
        }
        return finishIfDone();
      }
      if (!up) {
        // The start failed (the worker's error is on stderr): nothing is left running.
        log.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'a worker exited during the start: stopping');
        exitCode = 1;
        stopAll('SIGTERM');
        return;
      }
      const lived = Date.now() - slot.startedAt;
      if (lived >= RESET_AFTER_MS) slot.deaths = 0;
      const delay = slot.deaths === 0 ? 0 : Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (slot.deaths - 1));
      slot.deaths++;
      log.error({ worker: worker.id, pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay }, 'worker died: starting another');
      slot.timer = setTimeout(() => fork(slot, 'join'), delay);
    });
  };

  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = undefined;
    }
    for (const s of alive()) s.worker!.process.kill(signal);
    setTimeout(() => {
      for (const s of alive()) s.worker!.process.kill('SIGKILL');
    }, STOP_KILL_AFTER_MS).unref();
    finishIfDone();
  };

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      for (const s of alive()) s.worker!.process.kill('SIGKILL');
      process.exit(1);
    }
    log.info({ signal, workers: alive().length }, 'shutting down');
    stopAll('SIGTERM');
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const counts = new Counts();
  cluster.on('message', (worker, m: CounterRequest) => {
    if (m?.corral !== 'counter') return;
    const reply: CounterReply = { corral: 'counter', id: m.id, n: counts.answer(m) };
    if (worker.isConnected()) worker.send(reply);
  });

  servePrimaryMetrics(workers); // GET /metrics in a worker: the whole server's figures, gathered here
  fork(slots[0]!, 'first');
  await new Promise<never>(() => undefined);
}

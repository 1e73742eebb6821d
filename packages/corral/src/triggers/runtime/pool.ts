// A function's processes, kept warm and reused like Lambda's execution environments.
//
//   new FunctionPool(spec, host).invoke(event, { waitUntil, arn }) → Outcome (never throws)
//   Each process runs one invocation at a time. An invocation takes an idle process (the most recently used), else a
//   new one is started (lazily, on demand) while fewer than `spec.concurrency` are alive, else it queues. It waits
//   until `waitUntil` (Cognito's 5 s): past it the caller has its timeout and the function runs on, as on AWS.
//   Limits: the function's `timeoutMs` from the moment its process takes the invocation (then the process is killed:
//   "Task timed out after N seconds"); memory — Node.js's heap is capped at memoryMb (--max-old-space-size), Python's
//   address space at memoryMb + 512 MB (RLIMIT_AS), and any process whose resident memory passes memoryMb + 128 MB is
//   killed — an out-of-memory process fails its invocation as Lambda's do (Runtime.OutOfMemory). A process that exits
//   or crashes fails its own invocation (Runtime.ExitError) and is replaced by the next invocation's need; nothing
//   else is touched. Idle processes are stopped after `idleMs` (5 minutes). close() kills them all.
//   Output: stdout and stderr are read per process; an invocation's output is what arrived before its end marker (a
//   random string the runtime writes to both streams when it finishes), bounded by LogBuffer. What a process prints
//   between invocations (its init, timers) is given to the next invocation's logs.
//   Processes do not outlive Corral: close() and Corral's exit kill them; where util-linux's `setpriv` exists they are
//   started with a parent-death signal (SIGKILL), so a Corral that is killed takes them along; and the runtimes exit
//   when their channel ends.
//
//   Channel messages (JSON lines on fd 3):
//     → init { file, export, taskRoot, addressSpaceBytes? }      ← ready | init-error { kind, errorType, errorMessage, oom? }
//     → invoke { id, event, deadline, arn, marker }              ← result { id, payload } | error { id, errorType, errorMessage, fatal?, oom? }
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { LogBuffer } from './logs.js';
import { NODE_BOOTSTRAP } from './node-bootstrap.js';
import { PYTHON_BOOTSTRAP } from './python-bootstrap.js';

export interface RunSpec {
  name: string;
  runtime: 'nodejs' | 'python';
  /** The code file, found when a process starts (undefined: there is none; `missing` says so). */
  file: () => string | undefined;
  missing: string;
  exportName: string;
  taskRoot: string;
  timeoutMs: number;
  memoryMb: number;
  concurrency: number;
  /** The process's whole environment, given its log stream name. */
  env: (logStreamName: string) => Record<string, string>;
}

export type Outcome =
  | { ok: true; payload: string; logs: string; requestId: string }
  | {
      ok: false;
      kind: 'error' | 'timeout' | 'unavailable';
      message: string;
      errorType?: string;
      /** The function's own timeout stopped it (kind 'error', Lambda's "Task timed out"). */
      timedOut?: boolean;
      logs: string;
      requestId: string;
    };

export interface PoolHost {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Tunables (tests shorten them). */
export const POOL_SETTINGS = {
  /** An idle process is stopped after this long. */
  idleMs: 5 * 60_000,
  /** Loading a function (its init) may take this long, as on Lambda. */
  initTimeoutMs: 10_000,
  /** How often a busy process's resident memory is read. */
  memoryCheckMs: 100,
  /** Resident memory allowed above memorySize (the runtime itself, Buffers, native memory). */
  rssAllowanceMb: 128,
  /** Python's address space allowed above memorySize (the interpreter, thread stacks, malloc arenas). */
  addressSpaceAllowanceMb: 512,
  /** After a reply, how long to wait for the end markers on stdout and stderr. */
  markerGraceMs: 200,
};

// ---- the runtime files and every live process of this Corral process ----

let runtimeDir: string | undefined;
const live = new Set<ChildProcess>();
let exitHook = false;

/** The directory holding the two bootstraps (made on first use, private to this process, removed at exit). */
function bootstrapFile(runtime: RunSpec['runtime']): string {
  const file = runtimeDir && join(runtimeDir, runtime === 'nodejs' ? 'node-bootstrap.cjs' : 'python-bootstrap.py');
  if (file && existsSync(file)) return file;
  runtimeDir = mkdtempSync(join(tmpdir(), 'corral-runtime-'));
  writeFileSync(join(runtimeDir, 'node-bootstrap.cjs'), NODE_BOOTSTRAP, { mode: 0o600 });
  writeFileSync(join(runtimeDir, 'python-bootstrap.py'), PYTHON_BOOTSTRAP, { mode: 0o600 });
  hookExit();
  return join(runtimeDir, runtime === 'nodejs' ? 'node-bootstrap.cjs' : 'python-bootstrap.py');
}

/** LAMBDA_RUNTIME_DIR. */
export function runtimeDirectory(): string {
  bootstrapFile('nodejs');
  return runtimeDir!;
}

function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    if (runtimeDir) rmSync(runtimeDir, { recursive: true, force: true });
  });
}

let pythonPath: string | undefined;
let pythonLookup = false;
/** The Python interpreter: CORRAL_PYTHON, else `python3` on the PATH — resolved once, in the background, to the file
 *  it runs (sys.executable), so a shim (pyenv) is not run at every start. */
function pythonCommand(): string {
  if (process.env.CORRAL_PYTHON) return process.env.CORRAL_PYTHON;
  if (!pythonLookup) {
    pythonLookup = true;
    execFile('python3', ['-c', 'import sys; print(sys.executable)'], { env: { PATH: process.env.PATH ?? '' }, timeout: 10_000 }, (err, out) => {
      const found = String(out ?? '').trim();
      if (!err && found && existsSync(found)) pythonPath = found;
    });
  }
  return pythonPath ?? 'python3';
}

let setprivPath: string | null | undefined;
/** util-linux's setpriv (Linux), to start a process with a parent-death signal; null when there is none. */
function setpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'setpriv');
    if (dir && existsSync(candidate)) {
      setprivPath = candidate;
      break;
    }
  }
  return setprivPath;
}

/** Resident memory of a process in MB (Linux); undefined where it cannot be read. */
function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function logStreamName(): string {
  const d = new Date();
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

const SIGNAL_WORDS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
};

// ---- one process ----

interface Reply {
  type: 'result' | 'error';
  id: string;
  payload?: string;
  errorType?: string;
  errorMessage?: string;
  fatal?: boolean;
  oom?: boolean;
}

interface Call {
  id: string;
  marker: string;
  logs: LogBuffer;
  markers: Set<'out' | 'err'>;
  reply?: Reply;
  timer?: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
  memory?: NodeJS.Timeout;
  done: (outcome: Outcome) => void;
}

type Death = 'timeout' | 'memory' | 'close' | 'idle' | 'init';

class Worker {
  readonly child: ChildProcess;
  readonly logStream = logStreamName();
  state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  lastUsed = Date.now();
  private channel?: Socket;
  private received = '';
  private call?: Call;
  private between = new LogBuffer();
  private tails = { out: '', err: '' };
  private killedFor?: Death;
  private heapOom = false;
  private exited = false;
  private readonly command: string;
  private initTimer?: NodeJS.Timeout;
  readonly closed: Promise<void>;

  constructor(
    private readonly pool: FunctionPool,
    private readonly spec: RunSpec,
    file: string,
  ) {
    const bootstrap = bootstrapFile(spec.runtime);
    const [command, args]: [string, string[]] =
      spec.runtime === 'nodejs' ? [process.execPath, [`--max-old-space-size=${spec.memoryMb}`, bootstrap]] : [pythonCommand(), ['-u', '-B', bootstrap]];
    this.command = command;
    const wrapper = setpriv();
    const [cmd, argv] = wrapper ? [wrapper, ['--pdeathsig', 'KILL', command, ...args]] : [command, args];
    this.child = spawn(cmd, argv, {
      cwd: existsSync(spec.taskRoot) ? spec.taskRoot : undefined,
      env: spec.env(this.logStream),
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    live.add(this.child);
    hookExit();
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.once('close', (code, signal) => this.onClose(code, signal));
    this.child.once('error', (err) => {
      // The command could not be started (python3 missing): 'close' follows.
      if (this.state === 'starting')
        this.initFailed({ kind: 'unavailable', errorType: 'Runtime.Unavailable', message: `cannot run ${command}: ${err.message}` });
    });
    this.readStream(this.child.stdout!, 'out');
    this.readStream(this.child.stderr!, 'err');
    const channel = this.child.stdio[3] as Socket | null;
    if (channel) {
      this.channel = channel;
      channel.setEncoding('utf8');
      channel.on('data', (chunk: string) => this.onChannel(chunk));
      channel.on('error', () => undefined); // the process's end is handled on 'close'
    }
    this.initTimer = setTimeout(() => this.kill('init'), POOL_SETTINGS.initTimeoutMs);
    const init: Record<string, unknown> = { type: 'init', file, export: spec.exportName, taskRoot: spec.taskRoot };
    if (spec.runtime === 'python') init.addressSpaceBytes = (spec.memoryMb + POOL_SETTINGS.addressSpaceAllowanceMb) * 1024 * 1024;
    this.send(init);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private send(msg: unknown): void {
    if (this.channel && !this.channel.destroyed) this.channel.write(JSON.stringify(msg) + '\n');
  }

  /** What the invocation `id` printed so far, while it runs here. */
  currentLogs(id: string): string | undefined {
    if (this.call?.id !== id) return undefined;
    const snapshot = new LogBuffer();
    snapshot.append(this.call.logs.text());
    snapshot.append(this.tails.out + this.tails.err);
    return snapshot.text();
  }

  kill(reason: Death): void {
    if (this.exited || this.killedFor) return;
    this.killedFor = reason;
    this.child.kill('SIGKILL');
  }

  private readStream(stream: Readable, which: 'out' | 'err'): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.onOutput(which, chunk));
  }

  /** Output goes to the running invocation until its marker, else to what the next invocation will be given. */
  private onOutput(which: 'out' | 'err', chunk: string): void {
    if (which === 'err' && !this.heapOom && (this.tails.err + chunk).includes('JavaScript heap out of memory')) this.heapOom = true;
    const call = this.call;
    if (!call || call.markers.has(which)) {
      this.between.append(chunk);
      return;
    }
    const text = this.tails[which] + chunk;
    const at = text.indexOf(call.marker);
    if (at >= 0) {
      this.tails[which] = '';
      call.logs.append(text.slice(0, at));
      call.markers.add(which);
      this.between.append(text.slice(at + call.marker.length));
      if (call.reply && call.markers.size === 2) this.finish(call);
      return;
    }
    // Hold back only what could be the start of a marker cut between two chunks (from a trailing U+001E on).
    const start = text.lastIndexOf(MARK);
    const keep = start >= 0 && text.length - start < call.marker.length ? text.length - start : 0;
    call.logs.append(text.slice(0, text.length - keep));
    this.tails[which] = text.slice(text.length - keep);
  }

  private onChannel(chunk: string): void {
    this.received += chunk;
    for (let nl = this.received.indexOf('\n'); nl >= 0; nl = this.received.indexOf('\n')) {
      const line = this.received.slice(0, nl);
      this.received = this.received.slice(nl + 1);
      if (!line) continue;
      let msg: { type?: string } & Record<string, unknown>;
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.type === 'ready') this.onReady();
      else if (msg.type === 'init-error') {
        this.initFailed({
          kind: msg.kind === 'unavailable' ? 'unavailable' : 'error',
          errorType: String(msg.errorType ?? 'Runtime.InitError'),
          message: String(msg.errorMessage ?? ''),
          oom: msg.oom === true,
        });
      } else if ((msg.type === 'result' || msg.type === 'error') && this.call && msg.id === this.call.id) {
        const call = this.call;
        call.reply = msg as unknown as Reply;
        if (call.reply.fatal) this.state = 'dead'; // it exits now: never given another invocation
        if (call.markers.size === 2) this.finish(call);
        else call.grace = setTimeout(() => this.finish(call), POOL_SETTINGS.markerGraceMs);
      }
    }
  }

  private onReady(): void {
    if (this.state !== 'starting') return;
    clearTimeout(this.initTimer);
    this.state = 'idle';
    this.pool.ready(this);
  }

  private initFailed(failure: { kind: 'error' | 'unavailable'; errorType: string; message: string; oom?: boolean }): void {
    if (this.state !== 'starting') return;
    clearTimeout(this.initTimer);
    this.state = 'dead';
    const logs = this.between.text();
    this.pool.initFailed(this, failure.oom ? { ...failure, errorType: 'Runtime.OutOfMemory', message: outOfMemory(undefined) } : failure, logs);
    this.kill('init');
  }

  /** Runs one invocation; `done` is called once, with its outcome. */
  run(id: string, event: unknown, arn: string, done: (o: Outcome) => void): void {
    this.state = 'busy';
    const started = Date.now();
    const deadline = started + this.spec.timeoutMs;
    const call: Call = { id, marker: `${MARK}${randomBytes(12).toString('hex')}${MARK}`, logs: new LogBuffer(), markers: new Set(), done };
    // What was printed since the last invocation (the init, timers) is this one's to show.
    if (!this.between.empty) call.logs.append(this.between.text());
    this.between = new LogBuffer();
    this.call = call;
    call.timer = setTimeout(() => this.kill('timeout'), this.spec.timeoutMs);
    const pid = this.child.pid;
    if (pid !== undefined && process.platform === 'linux') {
      const limit = this.spec.memoryMb + POOL_SETTINGS.rssAllowanceMb;
      call.memory = setInterval(() => {
        const rss = rssMb(pid);
        if (rss !== undefined && rss > limit) this.kill('memory');
      }, POOL_SETTINGS.memoryCheckMs);
    }
    this.send({ type: 'invoke', id, event, deadline, arn, marker: call.marker });
  }

  private clearCall(call: Call): void {
    clearTimeout(call.timer);
    clearTimeout(call.grace);
    clearInterval(call.memory);
    if (this.call === call) this.call = undefined;
    for (const which of ['out', 'err'] as const) {
      if (this.tails[which] && !call.markers.has(which)) call.logs.append(this.tails[which]);
      this.tails[which] = '';
    }
  }

  /** The reply (and its markers, or the grace) arrived. */
  private finish(call: Call): void {
    if (this.call !== call) return;
    this.clearCall(call);
    const reply = call.reply!;
    const logs = call.logs.text();
    if (reply.type === 'result') call.done({ ok: true, payload: reply.payload ?? 'null', logs, requestId: call.id });
    else if (reply.oom) call.done({ ok: false, kind: 'error', errorType: 'Runtime.OutOfMemory', message: outOfMemory(call.id), logs, requestId: call.id });
    else call.done({ ok: false, kind: 'error', errorType: reply.errorType, message: reply.errorMessage ?? '', logs, requestId: call.id });
    this.lastUsed = Date.now();
    if (this.state === 'busy') {
      this.state = 'idle';
      this.pool.released(this);
    }
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    live.delete(this.child);
    clearTimeout(this.initTimer);
    const wasStarting = this.state === 'starting';
    this.state = 'dead';
    const call = this.call;
    if (call) {
      if (call.reply) this.finish(call);
      else {
        this.clearCall(call);
        call.done(this.deathOutcome(call, code, signal));
      }
    } else if (wasStarting) {
      const output = this.between.text();
      // 126/127: the runtime itself could not be run (no such interpreter), not the function failing.
      const failure =
        (code === 126 || code === 127) && !this.killedFor
          ? {
              kind: 'unavailable' as const,
              errorType: 'Runtime.Unavailable',
              message: `cannot run ${this.command}: ${output.trim().split('\n').pop() || `exit status ${code}`}`,
            }
          : this.exitFailure(undefined, code, signal);
      this.pool.initFailed(this, failure, output);
    } else if (!this.killedFor) {
      const output = this.between.text().slice(-400);
      this.pool.host.warn({ function: this.spec.name, code, signal, output }, 'an idle function process exited');
    }
    this.pool.removed(this);
  }

  private exitFailure(
    id: string | undefined,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): { kind: 'error' | 'unavailable'; errorType: string; message: string } {
    if (this.killedFor === 'close') return { kind: 'unavailable', errorType: 'Runtime.Unavailable', message: 'Corral is stopping' };
    if (this.killedFor === 'init') {
      return {
        kind: 'error',
        errorType: 'Runtime.InitError',
        message: `${prefix(id)}Error: the function did not start within ${POOL_SETTINGS.initTimeoutMs / 1000} seconds`,
      };
    }
    if (this.killedFor === 'memory' || this.heapOom) return { kind: 'error', errorType: 'Runtime.OutOfMemory', message: outOfMemory(id) };
    const how =
      signal !== null
        ? `Runtime exited with error: signal: ${SIGNAL_WORDS[signal] ?? signal.toLowerCase()}`
        : code === 0
          ? 'Runtime exited without providing a reason'
          : `Runtime exited with error: exit status ${code}`;
    return { kind: 'error', errorType: 'Runtime.ExitError', message: `${prefix(id)}Error: ${how}` };
  }

  private deathOutcome(call: Call, code: number | null, signal: NodeJS.Signals | null): Outcome {
    const logs = call.logs.text();
    if (this.killedFor === 'timeout') {
      const seconds = (this.spec.timeoutMs / 1000).toFixed(2);
      return {
        ok: false,
        kind: 'error',
        errorType: 'Sandbox.Timedout',
        timedOut: true,
        message: `${new Date().toISOString()} ${call.id} Task timed out after ${seconds} seconds`,
        logs,
        requestId: call.id,
      };
    }
    return { ok: false, ...this.exitFailure(call.id, code, signal), logs, requestId: call.id };
  }
}

/** The end markers' first and last character (U+001E, the record separator). */
const MARK = '\u001e';
const prefix = (id: string | undefined) => (id ? `RequestId: ${id} ` : '');
const outOfMemory = (id: string | undefined) => `${prefix(id)}Error: Runtime exited with error: signal: killed`;

// ---- the pool ----

interface Waiter {
  id: string;
  event: unknown;
  arn: string;
  timer: NodeJS.Timeout;
  settled: boolean;
  resolve: (o: Outcome) => void;
  /** The invocation's output so far, once a process runs it (for a caller that stops waiting). */
  logs?: () => string;
}

export class FunctionPool {
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private queue: Waiter[] = [];
  private closing = false;
  private reaper?: NodeJS.Timeout;

  constructor(
    readonly spec: RunSpec,
    readonly host: PoolHost,
  ) {}

  /** Process ids of the pool's live processes (tests). */
  pids(): number[] {
    return [...this.workers].map((w) => w.pid).filter((p): p is number => p !== undefined);
  }

  invoke(event: unknown, opts: { waitUntil: number; arn: string }): Promise<Outcome> {
    const id = randomUUID();
    if (this.closing) return Promise.resolve({ ok: false, kind: 'unavailable', message: 'Corral is stopping', logs: '', requestId: id });
    if (this.spec.concurrency === 0) {
      return Promise.resolve({
        ok: false,
        kind: 'unavailable',
        errorType: 'TooManyRequestsException',
        message: 'TooManyRequestsException: Rate Exceeded.',
        logs: '',
        requestId: id,
      });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        id,
        event,
        arn: opts.arn,
        settled: false,
        resolve,
        timer: setTimeout(() => this.expire(waiter), Math.max(0, opts.waitUntil - Date.now())),
      };
      this.queue.push(waiter);
      this.dispatch();
    });
  }

  private settle(w: Waiter, o: Outcome): void {
    if (w.settled) return;
    w.settled = true;
    clearTimeout(w.timer);
    w.resolve(o);
  }

  /** The caller's wait is over (Cognito's timeout); a running invocation goes on in its process. */
  private expire(w: Waiter): void {
    this.queue = this.queue.filter((q) => q !== w);
    this.settle(w, { ok: false, kind: 'timeout', message: 'Socket timeout while invoking Lambda function.', logs: w.logs?.() ?? '', requestId: w.id });
  }

  private alive(): number {
    let n = 0;
    for (const w of this.workers) if (w.state !== 'dead') n++;
    return n;
  }

  private starting(): number {
    let n = 0;
    for (const w of this.workers) if (w.state === 'starting') n++;
    return n;
  }

  private dispatch(): void {
    while (this.queue.length) {
      const worker = this.idle.pop();
      if (!worker) break;
      if (worker.state !== 'idle') continue;
      this.assign(worker, this.queue.shift()!);
    }
    // Start processes for the invocations still waiting, within the concurrency.
    let needed = this.queue.length - this.starting();
    while (needed > 0 && this.alive() < this.spec.concurrency) {
      if (!this.startWorker()) return;
      needed--;
    }
  }

  private startWorker(): boolean {
    const file = this.spec.file();
    if (!file) {
      this.failQueued({ kind: 'unavailable', errorType: 'Runtime.ImportModuleError', message: this.spec.missing }, '');
      return false;
    }
    const worker = new Worker(this, this.spec, file);
    this.workers.add(worker);
    this.reaper ??= setInterval(() => this.reap(), Math.min(30_000, Math.max(50, POOL_SETTINGS.idleMs / 2)));
    this.reaper.unref();
    return true;
  }

  private assign(worker: Worker, w: Waiter): void {
    w.logs = () => worker.currentLogs(w.id) ?? '';
    worker.run(w.id, w.event, w.arn, (o) => this.settle(w, o));
  }

  ready(worker: Worker): void {
    if (this.closing) return worker.kill('close');
    this.released(worker);
  }

  released(worker: Worker): void {
    if (this.closing) return worker.kill('close');
    this.idle.push(worker);
    this.dispatch();
  }

  removed(worker: Worker): void {
    this.workers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (!this.workers.size && this.reaper) {
      clearInterval(this.reaper);
      this.reaper = undefined;
    }
    if (!this.closing) this.dispatch();
  }

  /** A process could not load the function: the invocations waiting fail with why (each later one tries again). */
  initFailed(_worker: Worker, failure: { kind: 'error' | 'unavailable'; errorType: string; message: string }, logs: string): void {
    this.failQueued(failure, logs);
  }

  private failQueued(failure: { kind: 'error' | 'unavailable'; errorType: string; message: string }, logs: string): void {
    const waiting = this.queue;
    this.queue = [];
    for (const w of waiting) this.settle(w, { ok: false, ...failure, logs, requestId: w.id });
  }

  private reap(): void {
    const before = Date.now() - POOL_SETTINGS.idleMs;
    for (const w of [...this.idle]) {
      if (w.state === 'idle' && w.lastUsed < before) {
        this.idle.splice(this.idle.indexOf(w), 1);
        w.kill('idle');
      }
    }
  }

  /** Kills every process; invocations waiting or running fail ("Corral is stopping"). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.reaper);
    this.failQueued({ kind: 'unavailable', errorType: 'Runtime.Unavailable', message: 'Corral is stopping' }, '');
    const workers = [...this.workers];
    for (const w of workers) w.kill('close');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(workers.map((w) => w.closed)), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }
}

// The functions registry: what a LambdaConfig ARN names, and how one is run.
//
//   ARN `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]` → `<name>` → a function from
//     1. the provisioning file's `functions` (config.functions, runtime/provision.ts): code (`module` or `handler`,
//        with Lambda's settings) or `{ url }`;
//     2. CORRAL_FUNCTIONS_DIR (config.functionsDir): `<name>.mjs`, else `.js`, `.cjs` (Node.js, export `handler`),
//        else `<name>.py` (Python, `lambda_handler`).
//   Region, account and qualifier are not used to find the function (one Corral is one region and account).
//
//   runFunction(app, fn, event, waitMs, arn?) → { answer, logs } (answer unknown: the caller checks its shape), or
//     throws FunctionError { kind: 'error' (the handler failed: `message` is its errorMessage), 'timeout' (no answer
//     within waitMs), 'unavailable' (no code to run, no endpoint), logs?, timedOut? }.
//   Code runs in child processes (triggers/runtime/pool.ts: one pool per function and Corral, warm and reused, with
//   the function's timeout, memory and concurrency), never in Corral's own: a function that loops, exits or runs out
//   of memory fails its own invocation. The runtimes (runtime/node-bootstrap.ts, runtime/python-bootstrap.ts) call the
//   handler as Lambda does and give it Lambda's context and environment (runtime/environment.ts).
//   URLs receive the event as a JSON POST and answer the event (200); a non-2xx answer with `{ errorMessage }`
//   (Lambda's error shape) is the handler failing with that message.
//   closeFunctions(app) stops every process of the app's functions (app.close() calls it).
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Corral } from '../runtime/app.js';
import type { CodeFunctionSource, Config, FunctionSource } from '../runtime/config.js';
import { functionCredentials, functionSessionToken } from './function-credentials.js';
import { functionEnvironment } from './runtime/environment.js';
import { FunctionPool, runtimeDirectory, type RunSpec } from './runtime/pool.js';

export interface ResolvedFunction {
  name: string;
  source: FunctionSource;
}

export class FunctionError extends Error {
  constructor(
    readonly kind: 'error' | 'timeout' | 'unavailable',
    message: string,
    readonly details: { logs?: string; timedOut?: boolean; errorType?: string } = {},
  ) {
    super(message);
  }
}

/** Cognito waits 5 seconds; a function's own timeout defaults to the same. */
export const DEFAULT_TIMEOUT_SECONDS = 5;
/** Lambda's default memory size. */
export const DEFAULT_MEMORY_MB = 128;
/** Invocations of one function running at once, unless its reservedConcurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 10;

const ARN = /^arn:[\w+=/,.@-]+:lambda:[\w+=/,.@-]*:[\w+=/,.@-]*:function:([\w-]{1,64})(?::[\w$-]+)?$/;
const NAME = /^[\w-]{1,64}$/;
/** CORRAL_FUNCTIONS_DIR's files, in the order a name is looked for. */
const DIRECTORY_EXTENSIONS = ['.mjs', '.js', '.cjs', '.py'];

/** `<name>` of a Lambda function ARN (a bare name is taken as is), or undefined when it is neither. */
export function functionName(arn: string): string | undefined {
  const m = ARN.exec(arn);
  if (m) return m[1];
  return NAME.test(arn) ? arn : undefined;
}

export function resolveFunction(config: Pick<Config, 'functions' | 'functionsDir'>, name: string): ResolvedFunction | undefined {
  const declared = config.functions?.[name];
  if (declared) return { name, source: declared };
  if (config.functionsDir) {
    for (const ext of DIRECTORY_EXTENSIONS) {
      const file = join(config.functionsDir, name + ext);
      if (existsSync(file)) return { name, source: { module: file } };
    }
  }
  return undefined;
}

export interface FunctionListing {
  name: string;
  runtime: 'nodejs' | 'python' | 'http';
  /** `<module>.<export>` for code, the URL for endpoints. */
  handler: string;
  from: 'config' | 'directory';
}

/** Every function a trigger can name: the provisioning file's, then CORRAL_FUNCTIONS_DIR's that the file does not
 *  name (the first extension of DIRECTORY_EXTENSIONS wins, as when a name is resolved). Sorted by name. */
export function listFunctions(config: Pick<Config, 'functions' | 'functionsDir'>): FunctionListing[] {
  const found = new Map<string, FunctionListing>();
  const listing = (name: string, source: FunctionSource, from: FunctionListing['from']): FunctionListing =>
    'url' in source
      ? { name, runtime: 'http', handler: source.url, from }
      : { name, runtime: runtimeOf(source), handler: `${source.module}.${exportOf(source)}`, from };
  for (const [name, source] of Object.entries(config.functions ?? {})) found.set(name, listing(name, source, 'config'));
  const dir = config.functionsDir;
  if (dir && existsSync(dir)) {
    const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() || f.isSymbolicLink());
    for (const ext of DIRECTORY_EXTENSIONS) {
      for (const f of files) {
        if (!f.name.endsWith(ext)) continue;
        const name = f.name.slice(0, -ext.length);
        if (!NAME.test(name) || found.has(name)) continue;
        found.set(name, listing(name, { module: join(dir, f.name) }, 'directory'));
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function runtimeOf(source: CodeFunctionSource): 'nodejs' | 'python' {
  if (source.runtime) return source.runtime.startsWith('python') ? 'python' : 'nodejs';
  return source.module.endsWith('.py') ? 'python' : 'nodejs';
}

function exportOf(source: CodeFunctionSource): string {
  return source.exportName ?? (runtimeOf(source) === 'python' ? 'lambda_handler' : 'handler');
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

// ---- code functions: a pool of processes per function and Corral ----

const pools = new WeakMap<Corral, Map<string, FunctionPool>>();

/** What a process of this function runs: the file (found when a process starts), its limits and environment. */
function runSpec(app: Corral, name: string, source: CodeFunctionSource): RunSpec {
  const runtime = runtimeOf(source);
  const exportName = exportOf(source);
  const candidates = source.handler ? (runtime === 'python' ? ['.py'] : ['.js', '.mjs', '.cjs']).map((ext) => source.module + ext) : [source.module];
  const taskRoot = source.taskRoot ?? dirname(source.module);
  const handler = source.handler ?? `${basename(source.module).replace(/\.(mjs|cjs|js|py)$/, '')}.${exportName}`;
  const runtimeLabel =
    source.runtime && /\d/.test(source.runtime) ? source.runtime : runtime === 'python' ? 'python3' : `nodejs${process.versions.node.split('.')[0]}.x`;
  const memoryMb = source.memorySize ?? DEFAULT_MEMORY_MB;
  return {
    name,
    runtime,
    file: () => candidates.find((f) => existsSync(f)),
    missing: source.handler
      ? `the module ${source.module}${runtime === 'python' ? '.py' : ' (.js, .mjs or .cjs)'} of the handler ${source.handler} does not exist`
      : `the module ${source.module} does not exist`,
    exportName,
    taskRoot,
    timeoutMs: (source.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    memoryMb,
    concurrency: source.reservedConcurrency ?? DEFAULT_CONCURRENCY,
    env: (logStreamName) =>
      functionEnvironment({
        functionName: name,
        runtimeLabel,
        memoryMb,
        handler,
        taskRoot,
        runtimeDir: runtimeDirectory(),
        logStreamName,
        region: app.config.region,
        credentials: { ...functionCredentials(app), sessionToken: functionSessionToken(app) },
        publicUrl: app.config.publicUrl,
        ...(source.environment ? { environment: source.environment } : {}),
      }),
  };
}

function poolFor(app: Corral, name: string, source: CodeFunctionSource): FunctionPool {
  let byKey = pools.get(app);
  if (!byKey) pools.set(app, (byKey = new Map()));
  const key = `${name}\u0000${JSON.stringify(source)}`;
  let pool = byKey.get(key);
  if (!pool) {
    pool = new FunctionPool(runSpec(app, name, source), { warn: (details, message) => app.log.warn(details, message) });
    byKey.set(key, pool);
  }
  return pool;
}

/** Stops every process of the app's functions (invocations still running fail as "Corral is stopping"). */
export async function closeFunctions(app: Corral): Promise<void> {
  const byKey = pools.get(app);
  if (!byKey) return;
  pools.delete(app);
  await Promise.all([...byKey.values()].map((p) => p.close()));
}

/** Process ids of the app's function processes (tests). */
export function functionProcessIds(app: Corral): number[] {
  return [...(pools.get(app)?.values() ?? [])].flatMap((p) => p.pids());
}

async function runCode(app: Corral, fn: ResolvedFunction, source: CodeFunctionSource, event: object, waitMs: number, arn: string) {
  const outcome = await poolFor(app, fn.name, source).invoke(event, { waitUntil: Date.now() + waitMs, arn });
  if (!outcome.ok) {
    throw new FunctionError(outcome.kind, outcome.message, {
      logs: outcome.logs,
      ...(outcome.timedOut ? { timedOut: true } : {}),
      ...(outcome.errorType ? { errorType: outcome.errorType } : {}),
    });
  }
  let answer: unknown;
  try {
    answer = JSON.parse(outcome.payload);
  } catch {
    answer = outcome.payload; // the caller reports an unrecognizable answer
  }
  return { answer, logs: outcome.logs };
}

// ---- URL functions ----

async function runUrl(url: string, event: unknown, waitMs: number): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), waitMs);
  const signal = controller.signal;
  try {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal });
    } catch (err) {
      if (signal.aborted) throw new FunctionError('timeout', 'timed out');
      throw new FunctionError('unavailable', `POST ${url} failed: ${messageOf((err as { cause?: unknown }).cause ?? err)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw signal.aborted ? new FunctionError('timeout', 'timed out') : new FunctionError('unavailable', `POST ${url}: the answer was cut`);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      if (!res.ok) throw new FunctionError('unavailable', `POST ${url} answered ${res.status}`);
      return text; // not JSON: the caller reports an unrecognizable answer
    }
    if (!res.ok) {
      const errorMessage = (body as { errorMessage?: unknown } | undefined)?.errorMessage;
      if (typeof errorMessage === 'string') throw new FunctionError('error', errorMessage);
      throw new FunctionError('unavailable', `POST ${url} answered ${res.status}`);
    }
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a function, waiting at most `waitMs` for its answer; the function sees a copy of the event. `arn` is the ARN it
 *  was invoked by (context.invokedFunctionArn). */
export async function runFunction(app: Corral, fn: ResolvedFunction, event: object, waitMs: number, arn?: string): Promise<{ answer: unknown; logs?: string }> {
  if ('url' in fn.source) return { answer: await runUrl(fn.source.url, structuredClone(event), waitMs) };
  return runCode(app, fn, fn.source, event, waitMs, arn ?? `arn:aws:lambda:${app.config.region}:${app.config.accountId}:function:${fn.name}`);
}

// The functions registry: what a LambdaConfig ARN names, and how one is run.
//
//   ARN `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]` → `<name>` → a function from
//     1. the provisioning file's `functions` (config.functions): `{ module }` (absolute path) or `{ url }`;
//     2. CORRAL_FUNCTIONS_DIR (config.functionsDir): `<name>.mjs`, else `<name>.js`.
//   Region, account and qualifier are not used to find the function (one Corral is one region and account).
//
//   runFunction(fn, event, timeoutMs) → the function's answer (unknown: the caller checks its shape), or throws
//     FunctionError { kind: 'error' (the handler failed, `message` is its message), 'timeout', 'unavailable' }.
//   Modules export `handler(event, context)` returning the event (or a promise of it); a handler declared with a
//   third parameter gets a Lambda-style `callback(err, result)` instead. Modules run in-process, loaded once by
//   dynamic import. URLs receive the event as a JSON POST and answer the event (200); a non-2xx answer with
//   `{ errorMessage }` (Lambda's error shape) is the handler failing with that message.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Config, FunctionSource } from '../runtime/config.js';

export interface ResolvedFunction {
  name: string;
  source: FunctionSource;
}

export class FunctionError extends Error {
  constructor(
    readonly kind: 'error' | 'timeout' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

const ARN = /^arn:[\w+=/,.@-]+:lambda:[\w+=/,.@-]*:[\w+=/,.@-]*:function:([\w-]{1,64})(?::[\w$-]+)?$/;

/** `<name>` of a Lambda function ARN (a bare name is taken as is), or undefined when it is neither. */
export function functionName(arn: string): string | undefined {
  const m = ARN.exec(arn);
  if (m) return m[1];
  return /^[\w-]{1,64}$/.test(arn) ? arn : undefined;
}

export function resolveFunction(config: Pick<Config, 'functions' | 'functionsDir'>, name: string): ResolvedFunction | undefined {
  const declared = config.functions?.[name];
  if (declared) return { name, source: declared };
  if (config.functionsDir) {
    for (const ext of ['.mjs', '.js']) {
      const file = join(config.functionsDir, name + ext);
      if (existsSync(file)) return { name, source: { module: file } };
    }
  }
  return undefined;
}

type Handler = (event: unknown, context: unknown, callback?: (err: unknown, result?: unknown) => void) => unknown;
const modules = new Map<string, Promise<Handler>>();

async function loadHandler(file: string): Promise<Handler> {
  let loading = modules.get(file);
  if (!loading) {
    loading = (async () => {
      if (!existsSync(file)) throw new FunctionError('unavailable', `the module ${file} does not exist`);
      const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown; default?: { handler?: unknown } };
      const handler = mod.handler ?? mod.default?.handler;
      if (typeof handler !== 'function') throw new FunctionError('unavailable', `the module ${file} does not export a handler function`);
      return handler as Handler;
    })();
    modules.set(file, loading);
    loading.catch(() => modules.delete(file));
  }
  return loading;
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

async function runModule(fn: ResolvedFunction, file: string, event: unknown, deadline: number): Promise<unknown> {
  const handler = await loadHandler(file);
  const context = {
    functionName: fn.name,
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => reject(err instanceof FunctionError ? err : new FunctionError('error', messageOf(err)));
    try {
      if (handler.length >= 3) {
        handler(event, context, (err, result) => (err ? fail(err) : resolve(result)));
      } else {
        Promise.resolve(handler(event, context)).then(resolve, fail);
      }
    } catch (err) {
      fail(err);
    }
  });
}

async function runUrl(url: string, event: unknown, signal: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal });
  } catch (err) {
    if (signal.aborted) throw new FunctionError('timeout', 'timed out');
    throw new FunctionError('unavailable', `POST ${url} failed: ${messageOf((err as { cause?: unknown }).cause ?? err)}`);
  }
  const text = await res.text();
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
}

/** Runs a function with a deadline; the event is a copy the function may change freely. */
export async function runFunction(fn: ResolvedFunction, event: object, timeoutMs: number): Promise<unknown> {
  const copy = structuredClone(event);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new FunctionError('timeout', 'timed out'));
    }, timeoutMs);
  });
  const run = 'module' in fn.source ? runModule(fn, fn.source.module, copy, Date.now() + timeoutMs) : runUrl(fn.source.url, copy, controller.signal);
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    run.catch(() => undefined); // a late failure after the deadline is not an unhandled rejection
  }
}

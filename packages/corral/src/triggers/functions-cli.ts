// `corral functions logs [name] [--last N]`: the recent invocations of the trigger functions (all, or one's), oldest
// first — when, which trigger source and pool, how long, how it ended, the error, and what the function printed —
// read from the database the server uses (same environment: CORRAL_DATA_DIR / CORRAL_DATABASE_URL), as `corral mail`
// does. `corral functions list` prints the registry: the provisioning file's functions (CORRAL_CONFIG, else
// ./corral.config.json) and CORRAL_FUNCTIONS_DIR's.
import { createCorral } from '../runtime/app.js';
import { configFromEnv, type Config } from '../runtime/config.js';
import type { Invocation } from '../storage/invocations.js';
import { listFunctions } from './functions.js';

export const FUNCTIONS_USAGE = 'usage: corral functions logs [NAME] [--last N]  |  corral functions list';

export interface LogsQuery {
  name?: string;
  last: number;
}

export function parseLogsArgs(args: string[]): LogsQuery {
  const q: LogsQuery = { last: 20 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--last') {
      const v = inline ?? args[++i];
      const n = Number(v);
      if (v === undefined || v === '' || !Number.isInteger(n) || n < 1 || n > 1000)
        throw new Error(`--last needs a whole number from 1 to 1000\n${FUNCTIONS_USAGE}`);
      q.last = n;
    } else if (flag.startsWith('-')) throw new Error(`unknown option ${arg}\n${FUNCTIONS_USAGE}`);
    else if (q.name === undefined) q.name = arg;
    else throw new Error(`one function name at most\n${FUNCTIONS_USAGE}`);
  }
  return q;
}

export function formatInvocation(i: Invocation): string {
  const head = `${new Date(i.startedAt).toISOString()}  ${i.functionName}  ${i.triggerSource}  pool ${i.poolId}  ${i.durationMs} ms  ${i.outcome}`;
  const lines = [head];
  if (i.errorMessage !== undefined) lines.push(`  error: ${i.errorMessage}`);
  if (i.logs) for (const line of i.logs.replace(/\n$/, '').split('\n')) lines.push(`  | ${line}`);
  return lines.join('\n');
}

export async function functionsCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  write: (s: string) => void = (s) => process.stdout.write(s),
  registry?: () => Pick<Config, 'functions' | 'functionsDir'>,
): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    if (rest.length) throw new Error(FUNCTIONS_USAGE);
    const fns = listFunctions(registry ? registry() : configFromEnv(env));
    if (!fns.length) write('No functions.\n');
    for (const f of fns) write(`${f.name}  ${f.runtime}  ${f.handler}  (${f.from})\n`);
    return;
  }
  if (sub !== 'logs') throw new Error(FUNCTIONS_USAGE);
  const q = parseLogsArgs(rest);
  const app = await createCorral(configFromEnv(env, { logLevel: 'warn' }));
  try {
    const rows = await app.store.invocations.list({ ...(q.name !== undefined ? { functionName: q.name } : {}), limit: q.last });
    if (rows.length === 0) write(q.name ? `No invocations of ${q.name}.\n` : 'No invocations.\n');
    for (const r of rows.reverse()) write(formatInvocation(r) + '\n');
  } finally {
    await app.close();
  }
}

// The cost of running a trigger function in its own process (triggers/runtime/pool.ts), for Node.js and Python, with
// a PreSignUp that does nothing (returns the event):
//   - cold: the first invocation of a function — a process started, the runtime and the module loaded, the event
//     sent and answered — measured on `--cold N` distinct functions of the same file (each its own pool);
//   - warm: invocations taken by a process already running (`--warm N` in a row), p50 / p99;
//   - SignUp: the whole request over HTTP with the warm trigger, against the same pool without one (p50 of `--signups
//     N` each): what a client sees the trigger add.
// One in-process Corral on SQLite in a temp directory. Standalone: `npm run build -w corral && tsc -p
// packages/corral/tsconfig.bench.json && node packages/corral/dist/bench-build/bench/functions.js [--json]`.
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import type * as ConfigModule from '../src/runtime/config.js';
import type * as StartModule from '../src/runtime/start.js';
import type * as FunctionsModule from '../src/triggers/functions.js';

// The built server (dist/, as `corral start` runs it: its actions are found on disk there), not a copy compiled here.
const dist = (path: string) => new URL(`../../${path}`, import.meta.url).href; // dist/bench-build/bench → dist
const { configFromEnv } = (await import(dist('runtime/config.js'))) as typeof ConfigModule;
const { startCorral } = (await import(dist('runtime/start.js'))) as typeof StartModule;
const { runFunction } = (await import(dist('triggers/functions.js'))) as typeof FunctionsModule;

const { values: opts } = parseArgs({
  options: {
    cold: { type: 'string', default: '5' },
    warm: { type: 'string', default: '300' },
    signups: { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});
const COLD = Number(opts.cold);
const WARM = Number(opts.warm);
const SIGNUPS = Number(opts.signups);
const ADMIN = { accessKeyId: 'AKIABENCHFUNCTIONS01', secretAccessKey: 'bench-secret-key-for-functions-bench' };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

interface RuntimeFigures {
  runtime: string;
  coldMs: { p50: number; max: number };
  warmMs: { p50: number; p99: number };
  signUpMs: { withTrigger: number; without: number; added: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-bench-functions-'));
  writeFileSync(join(dir, 'noop.mjs'), 'export const handler = async (event) => event;\n');
  writeFileSync(join(dir, 'noop.py'), 'def lambda_handler(event, context):\n    return event\n');
  const functions: Record<string, { module: string }> = {};
  for (const [runtime, file] of [
    ['nodejs', 'noop.mjs'],
    ['python', 'noop.py'],
  ] as const) {
    functions[`${runtime}-warm`] = { module: join(dir, file) };
    for (let i = 0; i < COLD; i++) functions[`${runtime}-cold-${i}`] = { module: join(dir, file) };
  }
  const config = configFromEnv(
    { CORRAL_ACCESS_KEY_ID: ADMIN.accessKeyId, CORRAL_SECRET_ACCESS_KEY: ADMIN.secretAccessKey, LOG_LEVEL: 'warn', CORRAL_RATE_LIMITS: 'off' },
    { port: 0, dataDir: join(dir, 'data'), host: '127.0.0.1', functions },
  );
  const running = await startCorral(config);
  const { app } = running;
  const client = { region: 'us-east-1', endpoint: running.url, maxAttempts: 1 };
  const admin = new CognitoIdentityProviderClient({ ...client, credentials: ADMIN });
  const pub = new CognitoIdentityProviderClient({ ...client, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const pool = async (name: string, preSignUp?: string) => {
    const p = await admin.send(
      new CreateUserPoolCommand({
        PoolName: name,
        ...(preSignUp ? { LambdaConfig: { PreSignUp: `arn:aws:lambda:us-east-1:000000000000:function:${preSignUp}` } } : {}),
      }),
    );
    const c = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: p.UserPool!.Id!, ClientName: 'bench' }));
    return c.UserPoolClient!.ClientId!;
  };
  const event = {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_bench0000',
    userName: 'rider',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'bench' },
    request: { userAttributes: { email: 'rider@example.com' }, validationData: {}, clientMetadata: {} },
    response: {},
  };
  let user = 0;
  const signUpMs = async (clientId: string) => {
    const t = performance.now();
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: `rider${++user}`, Password: 'Unicorn!Ride42' }));
    return performance.now() - t;
  };
  const plainClient = await pool('plain');
  const figures: RuntimeFigures[] = [];
  try {
    for (let i = 0; i < 10; i++) await signUpMs(plainClient); // warm the server and the connections
    for (const runtime of ['nodejs', 'python']) {
      const cold: number[] = [];
      for (let i = 0; i < COLD; i++) {
        const t = performance.now();
        await runFunction(app, { name: `${runtime}-cold-${i}`, source: functions[`${runtime}-cold-${i}`]! }, event, 10_000);
        cold.push(performance.now() - t);
      }
      const fn = { name: `${runtime}-warm`, source: functions[`${runtime}-warm`]! };
      await runFunction(app, fn, event, 10_000);
      const warm: number[] = [];
      for (let i = 0; i < WARM; i++) {
        const t = performance.now();
        await runFunction(app, fn, event, 10_000);
        warm.push(performance.now() - t);
      }
      const triggered = await pool(`with-${runtime}`, `${runtime}-warm`);
      const withTrigger: number[] = [];
      const without: number[] = [];
      for (let i = 0; i < SIGNUPS; i++) {
        withTrigger.push(await signUpMs(triggered));
        without.push(await signUpMs(plainClient));
      }
      const w = quantile(withTrigger, 0.5);
      const wo = quantile(without, 0.5);
      figures.push({
        runtime,
        coldMs: { p50: quantile(cold, 0.5), max: Math.max(...cold) },
        warmMs: { p50: quantile(warm, 0.5), p99: quantile(warm, 0.99) },
        signUpMs: { withTrigger: w, without: wo, added: w - wo },
      });
    }
  } finally {
    admin.destroy();
    pub.destroy();
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Trigger function overhead (no-op PreSignUp; ${COLD} cold starts, ${WARM} warm invocations, ${SIGNUPS} SignUps each)`);
  console.log('');
  console.log('| runtime | cold p50 (ms) | cold max (ms) | warm p50 (ms) | warm p99 (ms) | SignUp p50 with / without (ms) | added by the trigger (ms) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of figures) {
    console.log(
      `| ${f.runtime} | ${ms(f.coldMs.p50)} | ${ms(f.coldMs.max)} | ${ms(f.warmMs.p50)} | ${ms(f.warmMs.p99)} | ${ms(f.signUpMs.withTrigger)} / ${ms(f.signUpMs.without)} | ${ms(f.signUpMs.added)} |`,
    );
  }
  if (opts.json) console.log(JSON.stringify({ functions: figures }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

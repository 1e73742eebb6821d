// Runtime configuration from the environment (documented in the README).
import { resolve } from 'node:path';
import { parseIamProviders, type IamProviders } from '../identity/iam-providers.js';
import { AWS_DEFAULT_RPS, CORRAL_DEFAULT_RPS, QUOTA_CATEGORIES, QUOTAS_DOC, type QuotaCategory } from '../wire/quotas.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** SQLite file path or postgres URL. */
  databaseUrl: string;
  /** PostgreSQL schema to use (tests isolate themselves with one). */
  databaseSchema?: string;
  /** CORRAL_SQLITE_SYNCHRONOUS (SQLite only): `full` (the default: every commit synced before it is
   *  acknowledged) or `normal` (WAL synced at checkpoints); storage/db.ts. */
  sqliteSynchronous?: string;
  publicUrl: string;
  region: string;
  accountId: string;
  logLevel: string;
  /** Provisioning file (resources declared in the repo), or undefined for none. */
  provisionFile?: string;
  smtpUrl?: string;
  smsWebhookUrl?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Base64 32-byte server key for sealing sessions and encrypting secrets at rest. */
  serverKey?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** A request's headers and body must have arrived within this many ms (else 408 and the connection is closed). */
  requestTimeoutMs: number;
  /** A connection on which nothing moves for this many ms is closed (a stalled body, an unread answer). */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /** Connections open at once from one source address; more are closed as they arrive (0: no cap). */
  maxConnectionsPerSource: number;
  /** Serve the outbox at GET /_corral/mail (CORRAL_MAILBOX on/off); undefined: only when listening on loopback (http/mailbox.ts). */
  mailbox?: boolean;
  /** CORRAL_METRICS as given: off, loopback (undefined: the default) or on (src/metrics.ts, http/metrics.ts). */
  metrics?: string;
  /** CORRAL_OUTBOX_RETENTION_HOURS: the longest an outbox message is kept (at most 24; messaging/outbox.ts). */
  outboxRetentionHours?: number;
  /**
   * CORRAL_RATE_LIMITS: requests per second per user pool of each Cognito quota category (wire/quotas.ts; 0: that
   * category unlimited); undefined: off.
   */
  rateLimits?: Record<QuotaCategory, number>;
  /** CORRAL_RATE_WINDOW_SECONDS: quotas are counted over windows this long (a quota of r RPS allows r × this). */
  rateWindowSeconds: number;
  /** CORRAL_SIGNIN_THROTTLE: unsuccessful sign-in / code attempts allowed per source address, pool and user; undefined: off. */
  signInThrottle?: { attempts: number; windowSeconds: number };
  /** Check every answer against the model's output shape (a development aid; the tests turn it on). */
  checkOutput: boolean;
  /** Lambda-style trigger functions by name (triggers/functions.ts): the provisioning file's `functions`. */
  functions?: Record<string, FunctionSource>;
  /** The names of the resources the provisioning file declares (set at start): what GET /_corral/resources lists to
   *  anyone; the full listing is its owner's (http/resources.ts). */
  declaredNames?: { userPools: string[]; identityPools: string[] };
  /** CORRAL_FUNCTIONS_DIR: every `<name>.mjs` / `.js` / `.cjs` / `.py` in it is a function. */
  functionsDir?: string;
  /** CORRAL_CONSOLE: serve the console at /console and its two routes under /_corral (http/console.ts); off: 404. */
  console: boolean;
  /** CORRAL_CONSOLE_DIR: the built console; undefined: apps/console/dist beside the corral package. */
  consoleDir?: string;
  /** CORRAL_CONSOLE_PASSWORD: a password the console trades for the admin key pair; undefined: key sign-in only. */
  consolePassword?: string;
  /** CORRAL_CONSOLE_IDLE_MINUTES: a console session idle this long ends. */
  consoleIdleMinutes: number;
  /** CORRAL_IMPORT_MAX_BYTES: the largest user import CSV file accepted; undefined: 100 MB, Cognito's (domain/user-import.ts). */
  importMaxBytes?: number;
  /** CORRAL_IMPORT_MAX_ROWS: the most users an import file may hold; undefined: 500,000, Cognito's. */
  importMaxRows?: number;
  /** CORRAL_IMPORT_LEASE_SECONDS: an import job whose instance has not written progress for this long is taken over
   *  by another (domain/user-import-runner.ts); undefined: 30. */
  importLeaseSeconds?: number;
  /** CORRAL_IAM_PROVIDERS: the OpenID Connect and SAML providers identity pools may name (identity/iam-providers.ts). */
  iamProviders?: IamProviders;
}

/** A trigger function's code, run in a pool of child processes (triggers/runtime/): a Node.js module (ESM or CommonJS)
 *  or a Python file. Only `module` is always there; the rest is what the provisioning file said. */
export interface CodeFunctionSource {
  /** The code file (absolute); with `handler`, the module's path without its extension (`.js`, `.mjs`, `.cjs` or
   *  `.py` is found at run time, as Lambda does). */
  module: string;
  /** `nodejs`, `nodejs<N>.x`, `python3`, `python3.<N>`; undefined: by the file's extension (`.py`: Python, else Node.js). */
  runtime?: string;
  /** The function the module exports; undefined: `handler` (Node.js), `lambda_handler` (Python). */
  exportName?: string;
  /** Lambda's handler string as declared (`triggers/cjs/pre-signup.handler`), relative to `taskRoot`. */
  handler?: string;
  /** The function's directory (LAMBDA_TASK_ROOT and its working directory); undefined: the module's directory. */
  taskRoot?: string;
  /** Seconds the function may run before it is stopped; undefined: 5 (Cognito's limit). */
  timeout?: number;
  /** MB of memory; undefined: 128 (Lambda's default). */
  memorySize?: number;
  /** The function's own environment variables; `${NAME}` in a value is Corral's NAME. */
  environment?: Record<string, string>;
  /** The most invocations running at once; undefined: 10. 0 refuses every invocation (Lambda's throttle). */
  reservedConcurrency?: number;
}

/** A trigger function: code run in child processes, or an HTTP endpoint that is POSTed the event. */
export type FunctionSource = CodeFunctionSource | { url: string };

/** A non-negative integer setting (0 turns the limit off); anything else stops the start. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0 (0 turns it off), not ${JSON.stringify(raw)}`);
  return n;
}

/** A window length in whole seconds ≥ 1. */
function positiveSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of seconds ≥ 1, not ${JSON.stringify(raw)}`);
  return n;
}

/** A duration in whole minutes ≥ 1. */
function positiveMinutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of minutes ≥ 1, not ${JSON.stringify(raw)}`);
  return n;
}

/** A whole number ≥ 1 when set; undefined when not (the default is the reader's). */
function optionalPositive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1, not ${JSON.stringify(raw)}`);
  return n;
}

/** CORRAL_RATE_LIMITS: `off`, `aws` (AWS's default quotas), or a JSON object of categories over Corral's defaults. */
function rateLimits(raw: string | undefined): Record<QuotaCategory, number> | undefined {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(on|default)$/i.test(value)) return { ...CORRAL_DEFAULT_RPS };
  if (/^(off|false|0|no)$/i.test(value)) return undefined;
  if (/^aws$/i.test(value)) return { ...AWS_DEFAULT_RPS };
  let given: unknown;
  try {
    given = JSON.parse(value);
  } catch {
    given = undefined;
  }
  if (!given || typeof given !== 'object' || Array.isArray(given)) {
    throw new Error(`CORRAL_RATE_LIMITS must be off, aws, or a JSON object such as {"UserAuthentication": 1200}, not ${JSON.stringify(raw)}`);
  }
  const limits = { ...CORRAL_DEFAULT_RPS };
  for (const [name, rps] of Object.entries(given)) {
    if (!QUOTA_CATEGORIES.includes(name as QuotaCategory)) {
      throw new Error(`CORRAL_RATE_LIMITS: ${JSON.stringify(name)} is not a Cognito quota category (${QUOTA_CATEGORIES.join(', ')}; ${QUOTAS_DOC})`);
    }
    if (typeof rps !== 'number' || !Number.isFinite(rps) || rps < 0)
      throw new Error(`CORRAL_RATE_LIMITS: ${name} must be a number ≥ 0 (requests per second; 0: unlimited)`);
    limits[name as QuotaCategory] = rps;
  }
  return limits;
}

/** CORRAL_SIGNIN_THROTTLE: `off`, or `<attempts>/<seconds>` (default 100/60). */
function signInThrottle(raw: string | undefined): { attempts: number; windowSeconds: number } | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return { attempts: 100, windowSeconds: 60 };
  if (/^(off|false|0|no)$/i.test(value)) return undefined;
  const m = /^(\d+)\s*\/\s*(\d+)\s*s?$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`CORRAL_SIGNIN_THROTTLE must be off or <attempts>/<seconds> such as 100/60, not ${JSON.stringify(raw)}`);
  return { attempts: Number(m[1]), windowSeconds: Number(m[2]) };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = overrides.port ?? Number(env.PORT ?? 9229);
  const dataDir = resolve(overrides.dataDir ?? env.CORRAL_DATA_DIR ?? '.corral');
  return {
    port,
    host: env.HOST ?? 'localhost',
    dataDir,
    databaseUrl: env.CORRAL_DATABASE_URL ?? resolve(dataDir, 'corral.sqlite'),
    databaseSchema: env.CORRAL_DATABASE_SCHEMA,
    sqliteSynchronous: env.CORRAL_SQLITE_SYNCHRONOUS,
    publicUrl: (env.CORRAL_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    region: env.CORRAL_REGION ?? 'us-east-1',
    accountId: env.CORRAL_ACCOUNT_ID ?? '000000000000',
    logLevel: env.LOG_LEVEL ?? 'info',
    provisionFile: env.CORRAL_CONFIG,
    smtpUrl: env.CORRAL_SMTP_URL,
    smsWebhookUrl: env.CORRAL_SMS_WEBHOOK_URL,
    accessKeyId: env.CORRAL_ACCESS_KEY_ID,
    secretAccessKey: env.CORRAL_SECRET_ACCESS_KEY,
    serverKey: env.CORRAL_KEY,
    bodyLimit: Number(env.CORRAL_BODY_LIMIT ?? 1024 * 1024),
    requestTimeoutMs: wholeNumber(env, 'CORRAL_REQUEST_TIMEOUT_MS', 30_000),
    connectionTimeoutMs: wholeNumber(env, 'CORRAL_CONNECTION_TIMEOUT_MS', 120_000),
    keepAliveTimeoutMs: wholeNumber(env, 'CORRAL_KEEP_ALIVE_TIMEOUT_MS', 72_000),
    maxConnectionsPerSource: wholeNumber(env, 'CORRAL_MAX_CONNECTIONS_PER_SOURCE', 256),
    mailbox: env.CORRAL_MAILBOX ? !/^(off|false|0|no)$/i.test(env.CORRAL_MAILBOX) : undefined,
    metrics: env.CORRAL_METRICS,
    outboxRetentionHours: env.CORRAL_OUTBOX_RETENTION_HOURS ? Number(env.CORRAL_OUTBOX_RETENTION_HOURS) : undefined,
    checkOutput: /^(on|true|1|yes)$/i.test(env.CORRAL_CHECK_OUTPUT ?? 'off'),
    rateLimits: rateLimits(env.CORRAL_RATE_LIMITS),
    rateWindowSeconds: positiveSeconds(env, 'CORRAL_RATE_WINDOW_SECONDS', 1),
    signInThrottle: signInThrottle(env.CORRAL_SIGNIN_THROTTLE),
    functionsDir: env.CORRAL_FUNCTIONS_DIR ? resolve(env.CORRAL_FUNCTIONS_DIR) : undefined,
    console: !/^(off|false|0|no)$/i.test(env.CORRAL_CONSOLE ?? 'on'),
    consoleDir: env.CORRAL_CONSOLE_DIR ? resolve(env.CORRAL_CONSOLE_DIR) : undefined,
    consolePassword: env.CORRAL_CONSOLE_PASSWORD || undefined,
    consoleIdleMinutes: positiveMinutes(env, 'CORRAL_CONSOLE_IDLE_MINUTES', 15),
    importMaxBytes: optionalPositive(env, 'CORRAL_IMPORT_MAX_BYTES'),
    importMaxRows: optionalPositive(env, 'CORRAL_IMPORT_MAX_ROWS'),
    importLeaseSeconds: optionalPositive(env, 'CORRAL_IMPORT_LEASE_SECONDS'),
    iamProviders: parseIamProviders(env.CORRAL_IAM_PROVIDERS),
    ...overrides,
  };
}

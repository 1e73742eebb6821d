// The two set-ups the concurrency tests run on, behind one interface (`Doors`):
//
//   A. `startTwoProcesses()` — two Corral PROCESSES (the built CLI, packages/corral/dist/cli.js) on one PostgreSQL
//      schema, sharing the server key (CORRAL_KEY), the admin key pair and the public URL (the tokens' issuer), as
//      behind one load balancer. Run `npm run build -w corral` first (`npm test` does).
//   B. `startSlowTriggerSqlite()` — one in-process Corral on SQLite whose pools get a PreAuthentication function that
//      awaits 20 ms before answering (a module in CORRAL_FUNCTIONS_DIR), so sign-ins interleave across `await`s.
// Pools made with `doors.createPool` also get a PostConfirmation function (both set-ups) that logs each event to a
// file, read back with `doors.postConfirmations()`.
//
//   const doors = await startTwoProcesses();
//   const seed = await doors.createPool({ …CreateUserPool input… }, { …client… });  // B adds the slow trigger
//   await Promise.all(xs.map((x, i) => doors.pub(i).send(…)));                      // request i goes to door i % n
//   await doors.stop();
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CreateUserPoolClientCommandInput, CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, freePort, runCli, type CliProcess } from './cli.js';
import { POSTGRES_URL, TEST_CREDENTIALS, startTestCorral } from './corral.js';
import type { SeedPool } from './pools.js';

export const SLOW_PRE_AUTH = 'corral-test-slow-pre-auth';
export const SLOW_PRE_AUTH_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${SLOW_PRE_AUTH}`;
/** A PostConfirmation function (both set-ups) that appends each event to a log file: `doors.postConfirmations()`. */
export const POST_CONFIRMATION = 'corral-test-post-confirmation';
export const POST_CONFIRMATION_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${POST_CONFIRMATION}`;
/** How long the PreAuthentication function of set-up B waits before it answers. */
export const TRIGGER_DELAY_MS = 20;

export interface Doors {
  /** For test names: which set-up this is. */
  name: string;
  urls: string[];
  /** Unsigned (public) SDK client of door `i % n`. */
  pub(i: number): CognitoIdentityProviderClient;
  /** Admin (SigV4-signed) SDK client of door `i % n`. */
  admin(i: number): CognitoIdentityProviderClient;
  /**
   * Opens `sockets` keep-alive connections from every public client (and 10 from every admin client) with cheap
   * requests, so a burst that follows leaves at once instead of waiting on TCP connects.
   */
  warm(sockets?: number): Promise<void>;
  /** The walkthrough's pool and client (pools.ts createWildRydesPool's defaults), with set-up B's slow trigger. */
  createPool(pool?: Partial<CreateUserPoolCommandInput>, client?: Partial<CreateUserPoolClientCommandInput>): Promise<SeedPool>;
  /** Every PostConfirmation event so far (all pools), in the order the function ran. */
  postConfirmations(): { userPoolId: string; userName: string; triggerSource: string }[];
  /** The newest 6-digit code sent to `to` (the local mailbox; both processes share it through the database). */
  latestCode(to: string): Promise<string>;
  stop(): Promise<void>;
}

function sdkClients(url: string): { pub: CognitoIdentityProviderClient; admin: CognitoIdentityProviderClient } {
  const base = { region: 'us-east-1', endpoint: url, maxAttempts: 1 };
  return {
    pub: new CognitoIdentityProviderClient({ ...base, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } }),
    admin: new CognitoIdentityProviderClient({ ...base, credentials: TEST_CREDENTIALS }),
  };
}

/** A temp functions directory with the test functions; `log` is where PostConfirmation writes. */
function functionsDir(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'corral-fns-'));
  const log = join(dir, 'post-confirmation.log');
  writeFileSync(
    join(dir, `${SLOW_PRE_AUTH}.mjs`),
    `export async function handler(event) {\n  await new Promise((r) => setTimeout(r, ${TRIGGER_DELAY_MS}));\n  return event;\n}\n`,
  );
  writeFileSync(
    join(dir, `${POST_CONFIRMATION}.mjs`),
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function handler(event) {\n` +
      `  appendFileSync(${JSON.stringify(log)}, JSON.stringify({ userPoolId: event.userPoolId, userName: event.userName, triggerSource: event.triggerSource }) + '\\n');\n` +
      `  return event;\n}\n`,
  );
  writeFileSync(log, '');
  return { dir, log };
}

function doorsOver(
  name: string,
  urls: string[],
  opts: { lambda: CreateUserPoolCommandInput['LambdaConfig']; log: string },
  stopServers: () => Promise<void>,
): Doors {
  const clients = urls.map(sdkClients);
  const at = (i: number) => clients[((i % clients.length) + clients.length) % clients.length]!;
  return {
    name,
    urls,
    pub: (i) => at(i).pub,
    admin: (i) => at(i).admin,
    async warm(sockets = 50) {
      await Promise.all(
        clients.flatMap((c) => [
          ...Array.from({ length: sockets }, () => c.pub.send(new GetUserCommand({ AccessToken: 'warm-up' })).catch(() => undefined)),
          ...Array.from({ length: 10 }, () => c.admin.send(new ListUserPoolsCommand({ MaxResults: 1 })).catch(() => undefined)),
        ]),
      );
    },
    async createPool(pool = {}, client = {}) {
      const idp = at(0).admin;
      const created = await idp.send(
        new CreateUserPoolCommand({
          PoolName: 'WildRydes',
          AliasAttributes: ['email', 'phone_number'],
          AutoVerifiedAttributes: ['email'],
          Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
          MfaConfiguration: 'OFF',
          ...pool,
          LambdaConfig: { ...opts.lambda, ...pool.LambdaConfig },
        }),
      );
      const poolId = created.UserPool!.Id!;
      const c = await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'wildrydes-web-app',
          GenerateSecret: false,
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          PreventUserExistenceErrors: 'ENABLED',
          ...client,
        }),
      );
      return { poolId, clientId: c.UserPoolClient!.ClientId! };
    },
    postConfirmations() {
      return readFileSync(opts.log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { userPoolId: string; userName: string; triggerSource: string });
    },
    async latestCode(to) {
      const res = await fetch(`${urls[0]}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
      const { messages } = (await res.json()) as { messages: { body: string }[] };
      const code = /\b(\d{6})\b/.exec(messages[0]?.body ?? '')?.[1];
      if (!code) throw new Error(`no code in the mailbox for ${to}`);
      return code;
    },
    async stop() {
      for (const c of clients) {
        c.pub.destroy();
        c.admin.destroy();
      }
      await stopServers();
    },
  };
}

/** Set-up A: two CLI processes on one PostgreSQL schema (fresh), one server key, one public URL. */
export async function startTwoProcesses(): Promise<Doors> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w corral\` first`);
  // cwd and data dir: an empty temp dir, so no corral.config.json is provisioned.
  const dir = mkdtempSync(join(tmpdir(), 'corral-two-procs-'));
  const fns = functionsDir();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const ports = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${ports[0]}`;
  const env = {
    CORRAL_DATA_DIR: dir,
    CORRAL_KEY: randomBytes(32).toString('base64'),
    CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    CORRAL_DATABASE_URL: POSTGRES_URL,
    CORRAL_DATABASE_SCHEMA: schema,
    CORRAL_PUBLIC_URL: publicUrl,
    CORRAL_CHECK_OUTPUT: 'on',
    CORRAL_FUNCTIONS_DIR: fns.dir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const procs: CliProcess[] = [];
  const stopAll = async () => {
    await Promise.all(
      procs.map(async (p) => {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
    rmSync(fns.dir, { recursive: true, force: true });
  };
  try {
    // Started together: the migration runner's advisory lock makes them migrate once.
    for (const port of ports) procs.push(runCli(['start'], { ...env, PORT: String(port) }, dir));
    await Promise.all(procs.map((p) => p.waitFor(/Corral listening on /, 30_000)));
  } catch (err) {
    await stopAll();
    throw err;
  }
  return doorsOver(
    'two processes on one PostgreSQL schema',
    ports.map((p) => `http://127.0.0.1:${p}`),
    { lambda: { PostConfirmation: POST_CONFIRMATION_ARN }, log: fns.log },
    stopAll,
  );
}

/** Set-up B: one in-process Corral on SQLite; every pool created through it has the 20 ms PreAuthentication. */
export async function startSlowTriggerSqlite(): Promise<Doors> {
  const fns = functionsDir();
  const corral = await startTestCorral({ backend: 'sqlite', config: { functionsDir: fns.dir } });
  return doorsOver(
    `one SQLite process with a ${TRIGGER_DELAY_MS} ms PreAuthentication`,
    [corral.url],
    { lambda: { PreAuthentication: SLOW_PRE_AUTH_ARN, PostConfirmation: POST_CONFIRMATION_ARN }, log: fns.log },
    async () => {
      await corral.stop();
      rmSync(fns.dir, { recursive: true, force: true });
    },
  );
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

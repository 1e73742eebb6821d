// GET /metrics (src/metrics.ts, http/metrics.ts): the figures move after real SDK calls — requests by action and
// outcome, latency, sign-ins and failures by flow, a lockout, throttles, a code sent, a trigger run, the database's
// statements — with no user, pool or address in any label; loopback-only by default (a connection from another
// address, or a foreign Host, is refused), `on` serves anyone, `off` is 404; and `corral start --workers 2` shows the
// whole server, whichever worker answers the scrape (run `npm run build -w corral` first).
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsMode } from '../../src/metrics.js';
import { configFromEnv } from '../../src/runtime/config.js';
import { startCorral, type Running } from '../../src/runtime/start.js';
import { freePort, runCli, type CliProcess } from '../support/cli.js';
import { describeOnPostgres, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { publicClient } from '../support/users.js';

/** A GET to `host:port` (a connection of its own) with exactly the headers given. */
function get(host: string, port: number, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return rawRequest({ host, port, path, headers: { host: `localhost:${port}`, ...headers }, agent: false });
}

/** The samples of an exposition text: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** A sample's value (0 when absent), its labels given in any order. */
function value(s: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const [key, v] of s) {
    const brace = key.indexOf('{');
    const n = brace < 0 ? key : key.slice(0, brace);
    if (n !== name) continue;
    const have = brace < 0 ? [] : key.slice(brace + 1, -1).split(/,(?=[a-z_]+=")/);
    if (want.every((w) => have.includes(w)) && have.length === want.length) total += v;
  }
  return total;
}

const portOf = (url: string) => Number(new URL(url).port);
/** This machine's first non-loopback IPv4 address (a client "from elsewhere"). */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('metricsMode (CORRAL_METRICS)', () => {
  it('defaults to loopback, takes off / loopback / on, refuses anything else', () => {
    expect(metricsMode(undefined)).toBe('loopback');
    expect(metricsMode('')).toBe('loopback');
    expect(metricsMode('off')).toBe('off');
    expect(metricsMode('ON')).toBe('on');
    expect(metricsMode('loopback')).toBe('loopback');
    expect(() => metricsMode('public')).toThrow(/CORRAL_METRICS must be off, loopback/);
  });
});

describe('GET /metrics after real SDK calls', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let port: number;
  let fnDir: string;
  const password = 'Metrics-Passw0rd!';
  const scrape = async () => {
    const res = await get('127.0.0.1', port, '/metrics');
    expect(res.status).toBe(200);
    return res;
  };

  beforeAll(async () => {
    fnDir = mkdtempSync(join(tmpdir(), 'corral-metrics-fn-'));
    writeFileSync(join(fnDir, 'metrics-pre-signup.mjs'), 'export const handler = async (event) => event;\n');
    corral = await startTestCorral({
      env: {
        CORRAL_FUNCTIONS_DIR: fnDir,
        // A small quota for ListUsers (UserList) so a burst meets it; the sign-in throttle above the lockout's 5.
        CORRAL_RATE_LIMITS: JSON.stringify({ UserList: 1 }),
        CORRAL_SIGNIN_THROTTLE: '8/3600', // windows of an hour: the guesses never straddle two
      },
    });
    port = portOf(corral.url);
    seed = await createWildRydesPool(corral);
  });
  afterAll(async () => {
    await corral?.stop();
    rmSync(fnDir, { recursive: true, force: true });
  });

  it('counts requests by action and outcome, with latency, in the Prometheus text format', async () => {
    const before = samples((await scrape()).body);
    await corral.idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    await expect(corral.idp.send(new AdminCreateUserCommand({ UserPoolId: 'us-east-1_nope', Username: 'x' }))).rejects.toThrow();
    const res = await scrape();
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const after = samples(res.body);
    const d = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(d('corral_requests_total', { service: 'idp', action: 'ListUserPools', outcome: 'success' })).toBe(1);
    expect(d('corral_requests_total', { service: 'idp', action: 'AdminCreateUser', outcome: 'ResourceNotFoundException' })).toBe(1);
    expect(d('corral_request_duration_seconds_count', { service: 'idp', action: 'ListUserPools' })).toBe(1);
    expect(d('corral_request_duration_seconds_bucket', { service: 'idp', action: 'ListUserPools', le: '+Inf' })).toBe(1);
    expect(value(after, 'corral_request_duration_seconds_sum', { service: 'idp', action: 'ListUserPools' })).toBeGreaterThan(0);
    // The scrapes themselves, by route pattern.
    expect(d('corral_http_requests_total', { route: '/metrics', method: 'GET', status: '200' })).toBe(1);
    // The database's statements and Node's default metrics; one process.
    expect(value(after, 'corral_db_query_duration_seconds_count', { backend: 'sqlite', kind: 'select' })).toBeGreaterThan(0);
    expect(value(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(res.body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(value(after, 'corral_workers')).toBe(1);
  });

  it('counts sign-ins and failures by flow, a lockout, a code sent and a trigger run — no user or pool in a label', async () => {
    const pub = publicClient(corral);
    try {
      await corral.idp.send(
        new UpdateUserPoolCommand({
          UserPoolId: seed.poolId,
          AutoVerifiedAttributes: ['email'],
          LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:metrics-pre-signup' },
        }),
      );
      const before = samples((await scrape()).body);
      await pub.send(
        new SignUpCommand({
          ClientId: seed.clientId,
          Username: 'metrics-rider',
          Password: password,
          UserAttributes: [{ Name: 'email', Value: 'metrics-rider@example.com' }],
        }),
      );
      await corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'metrics-rider' }));
      const signIn = (pw: string) =>
        pub.send(
          new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'metrics-rider', PASSWORD: pw } }),
        );
      await signIn(password);
      // USER_SRP_AUTH answers a challenge (PASSWORD_VERIFIER): a step, not a sign-in.
      await pub.send(
        new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'metrics-rider', SRP_A: 'a'.repeat(256) } }),
      );
      // Five wrong passwords are "Incorrect username or password."; the sixth, at once, is the lockout.
      const errors: string[] = [];
      for (let i = 0; i < 6; i++)
        errors.push(
          await signIn('Wrong-Passw0rd!').then(
            () => 'ok',
            (e: Error) => e.message,
          ),
        );
      expect(errors.at(-1)).toBe('Password attempts exceeded');

      const res = await scrape();
      const after = samples(res.body);
      const d = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
      expect(d('corral_codes_sent_total', { medium: 'EMAIL', kind: 'SignUp', via: 'outbox' })).toBe(1);
      expect(d('corral_trigger_invocations_total', { trigger_source: 'PreSignUp_SignUp', outcome: 'Succeeded' })).toBe(1);
      expect(d('corral_trigger_duration_seconds_count', { trigger_source: 'PreSignUp_SignUp', outcome: 'Succeeded' })).toBe(1);
      expect(d('corral_sign_ins_total', { action: 'InitiateAuth', flow: 'USER_PASSWORD_AUTH', outcome: 'success' })).toBe(1);
      expect(d('corral_sign_ins_total', { action: 'InitiateAuth', flow: 'USER_PASSWORD_AUTH', outcome: 'NotAuthorizedException' })).toBe(6);
      expect(d('corral_requests_total', { service: 'idp', action: 'InitiateAuth', outcome: 'NotAuthorizedException' })).toBe(6);
      expect(d('corral_lockouts_total', { action: 'InitiateAuth' })).toBe(1);
      expect(d('corral_sign_ins_total', { action: 'InitiateAuth', flow: 'USER_SRP_AUTH', outcome: 'challenge' })).toBe(1);
      // Bounded labels: neither the username, the email, the pool id nor the client id appears.
      for (const secret of ['metrics-rider', seed.poolId, seed.clientId]) expect(res.body).not.toContain(secret);
    } finally {
      pub.destroy();
    }
  });

  it('counts throttles: a quota met (by category) and the sign-in throttle', async () => {
    const pub = publicClient(corral);
    try {
      const before = samples((await scrape()).body);
      // Three ListUsers within a second against a quota of 1 per second: at least one is refused.
      const answers = await Promise.all(
        [1, 2, 3].map(() =>
          corral.idp.send(new ListUsersCommand({ UserPoolId: seed.poolId })).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        ),
      );
      const refused = answers.filter((a) => a === 'TooManyRequestsException').length;
      expect(refused).toBeGreaterThanOrEqual(1);
      // Nine wrong guesses at one user within the window of 8: the ninth is throttled before its password is checked.
      const guesses: string[] = [];
      for (let i = 0; i < 9; i++) {
        guesses.push(
          await pub
            .send(
              new InitiateAuthCommand({
                ClientId: seed.clientId,
                AuthFlow: 'USER_PASSWORD_AUTH',
                AuthParameters: { USERNAME: 'guessed', PASSWORD: `Wrong-${i}` },
              }),
            )
            .then(
              () => 'ok',
              (e: Error) => e.name,
            ),
        );
      }
      expect(guesses.at(-1)).toBe('TooManyRequestsException');
      const after = samples((await scrape()).body);
      const d = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
      expect(d('corral_throttled_total', { kind: 'quota', category: 'UserList' })).toBe(refused);
      expect(d('corral_throttled_total', { kind: 'sign_in', category: '' })).toBe(1);
      expect(d('corral_requests_total', { service: 'idp', action: 'ListUsers', outcome: 'TooManyRequestsException' })).toBe(refused);
      expect(d('corral_sign_ins_total', { action: 'InitiateAuth', flow: 'USER_PASSWORD_AUTH', outcome: 'TooManyRequestsException' })).toBe(1);
    } finally {
      pub.destroy();
    }
  });

  it('answers this machine only: a foreign Host or Origin-less rebinding is refused, without CORS', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `192.168.1.20:${port}`, '']) {
      const res = await get('127.0.0.1', port, '/metrics', { host });
      expect(res.status, `Host: ${host}`).toBe(403);
      expect(res.body).not.toContain('corral_requests_total');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const res = await get('127.0.0.1', port, '/metrics', { host: `localhost:${port}`, origin: 'https://evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describeOnPostgres('GET /metrics: the PostgreSQL pool and its statements', () => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ backend: 'postgres' });
  });
  afterAll(() => corral?.stop());

  it('shows the pool’s connections and size, and times the statements', async () => {
    await corral.idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    const s = samples((await get('127.0.0.1', portOf(corral.url), '/metrics')).body);
    expect(value(s, 'corral_db_pool_max')).toBeGreaterThanOrEqual(10);
    expect(value(s, 'corral_db_pool_connections', { state: 'idle' }) + value(s, 'corral_db_pool_connections', { state: 'busy' })).toBeGreaterThanOrEqual(1);
    expect(value(s, 'corral_db_pool_waiting')).toBe(0);
    expect(value(s, 'corral_db_query_duration_seconds_count', { backend: 'postgres', kind: 'select' })).toBeGreaterThan(0);
  });
});

/** A Corral listening on every interface (HOST 0.0.0.0), with CORRAL_METRICS as given. */
async function listeningEverywhere(metrics: string | undefined): Promise<{ running: Running; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-metrics-'));
  const config = configFromEnv(
    {
      CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      LOG_LEVEL: 'warn',
      HOST: '0.0.0.0',
      ...(metrics !== undefined ? { CORRAL_METRICS: metrics } : {}),
    },
    { port: 0, dataDir: dir },
  );
  const running = await startCorral(config);
  return { running, port: portOf(running.url), dir };
}

describe('CORRAL_METRICS on a server listening on every interface', () => {
  if (!outside && !process.env.CI) {
    it.skip('needs a non-loopback network interface');
    return;
  }
  const address = outside!;

  it('loopback (the default): a connection from another address is refused, one from this machine served', async () => {
    const { running, port, dir } = await listeningEverywhere(undefined);
    try {
      const far = await get(address, port, '/metrics', { host: `localhost:${port}` });
      expect(far.status).toBe(403);
      expect(far.body).not.toContain('corral_requests_total');
      const farNamed = await get(address, port, '/metrics', { host: `${address}:${port}` });
      expect(farNamed.status).toBe(403);
      // The rest of the server answers there as before.
      expect((await get(address, port, '/health', { host: `${address}:${port}` })).status).toBe(200);
      const near = await get('127.0.0.1', port, '/metrics');
      expect(near.status).toBe(200);
      expect(near.body).toContain('corral_http_requests_total');
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on: served to anyone', async () => {
    const { running, port, dir } = await listeningEverywhere('on');
    try {
      const far = await get(address, port, '/metrics', { host: `${address}:${port}` });
      expect(far.status).toBe(200);
      expect(far.body).toContain('# TYPE corral_requests_total counter');
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('off: no route (404), from anywhere', async () => {
    const { running, port, dir } = await listeningEverywhere('off');
    try {
      expect((await get('127.0.0.1', port, '/metrics')).status).toBe(404);
      expect((await get(address, port, '/metrics', { host: `${address}:${port}` })).status).toBe(404);
    } finally {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('corral start --workers 2: GET /metrics shows the whole server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-metrics-cluster-'));
  let cli: CliProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    cli = runCli(
      ['start', '--workers', '2'],
      {
        CORRAL_DATA_DIR: join(dir, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        CORRAL_CONSOLE: 'off',
        CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      },
      dir,
    );
    await cli.waitFor(/Corral listening on http:\/\/localhost:\d+ \(2 workers\)/, 60_000);
  }, 90_000);

  afterAll(async () => {
    if (cli && cli.child.exitCode === null) {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums every worker’s figures, whichever worker answers the scrape', async () => {
    // Each request on a connection of its own: the primary hands connections to the workers in turn.
    const N = 12;
    for (let i = 0; i < N; i++) expect((await get('127.0.0.1', port, '/health')).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const res = await get('127.0.0.1', port, '/metrics');
      expect(res.status).toBe(200);
      const s = samples(res.body);
      expect(value(s, 'corral_http_requests_total', { route: '/health', method: 'GET', status: '200' })).toBe(N);
      expect(value(s, 'corral_workers')).toBe(2);
      expect(value(s, 'corral_workers_configured')).toBe(2);
      expect(value(s, 'corral_metrics_workers_reporting')).toBe(2);
      // Each earlier scrape is counted once, whichever worker it reached.
      expect(value(s, 'corral_http_requests_total', { route: '/metrics', method: 'GET', status: '200' })).toBe(i);
      // Node's default metrics, summed over the workers.
      expect(value(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    }
    // A scrape from another Host is refused by the worker as it is by a single process.
    expect((await get('127.0.0.1', port, '/metrics', { host: 'evil.example' })).status).toBe(403);
  });
});

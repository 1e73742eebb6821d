// `corral start --workers 2` (runtime/cluster.ts), the built CLI on SQLite and on PostgreSQL: the start's one-time work
// (provisioning, the scratch pad) happens once; 200 concurrent sign-ups, confirmations and sign-ins across the two
// workers all succeed (no SQLITE_BUSY, no 500) and both workers serve them; a worker killed with SIGKILL is replaced
// while the service keeps answering; SIGTERM stops every process cleanly. Run `npm run build -w corral` first.
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerCount } from '../../src/runtime/cluster.js';
import { AWS_DEFAULT_RPS, QUOTA_CATEGORIES } from '../../src/wire/quotas.js';
import { freePort, runCli, type CliProcess } from '../support/cli.js';
import { POSTGRES_URL, TEST_CREDENTIALS, describeEachBackend, type Backend } from '../support/corral.js';

const FLOWS = 200;
const PASSWORD = 'Cluster-Passw0rd!';

/** The pids whose parent is `pid` (scanning /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => a - b);
}

/** utime + stime of a process, clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One call of the user-pool API over plain HTTP (`agent: false`: a connection of its own). */
function call(url: string, agent: Agent | false, operation: string, input: unknown): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(input));
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
          'content-length': payload.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function mailCode(url: string, agent: Agent, to: string): Promise<string> {
  const u = new URL(`${url}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
  return new Promise((resolve, reject) => {
    request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { host: `localhost:${u.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { body: string }[] };
        const code = /\b(\d{6})\b/.exec(messages[0]?.body ?? '')?.[1];
        if (code) resolve(code);
        else reject(new Error(`no code for ${to}`));
      });
    })
      .on('error', reject)
      .end();
  });
}

/** The sign-in throttle's window in these tests: fixed windows of an hour (wire/throttle.ts). */
const THROTTLE_WINDOW_MS = 3600_000;
describe('workerCount', () => {
  it('takes --workers, then CORRAL_WORKERS, then the cores; refuses what is not 1–256', () => {
    expect(workerCount('3', { CORRAL_WORKERS: '5' })).toBe(3);
    expect(workerCount(undefined, { CORRAL_WORKERS: '5' })).toBe(5);
    expect(workerCount(undefined, {})).toBeGreaterThanOrEqual(1);
    expect(workerCount('1', {})).toBe(1);
    for (const bad of ['0', '-1', '1.5', 'two', '', '257']) expect(() => workerCount(bad, {})).toThrow(/--workers must be a whole number from 1 to 256/);
    expect(() => workerCount(undefined, { CORRAL_WORKERS: 'x' })).toThrow(/CORRAL_WORKERS must be/);
  });
});

describeEachBackend('corral start --workers 2', (backend: Backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-cluster-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let cli: CliProcess;
  let url: string;
  let admin: CognitoIdentityProviderClient;
  let clientId: string;
  let primary: number;
  /** A user the throttle test guessed at (the counts must outlive the workers). */
  let guessed: string | undefined;

  beforeAll(async () => {
    const config = join(dir, 'corral.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        userPools: [
          {
            PoolName: 'ClusterPool',
            AutoVerifiedAttributes: ['email'],
            AliasAttributes: ['email'],
            Clients: [{ ClientName: 'cluster-app', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
          },
        ],
      }),
    );
    const port = await freePort();
    cli = runCli(
      ['start', '--workers', '2'],
      {
        CORRAL_DATA_DIR: join(dir, 'data'),
        CORRAL_CONFIG: config,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        // The tests' quotas (100 × AWS's): on, so the workers' shared counting runs, but out of a burst's way.
        CORRAL_RATE_LIMITS: JSON.stringify(Object.fromEntries(QUOTA_CATEGORIES.map((c) => [c, AWS_DEFAULT_RPS[c] * 100]))),
        CORRAL_CHECK_OUTPUT: 'on',
        // Low, so that a test can see it counted across the workers (below the lockout's 5 failures); windows of an
        // hour, so that the guesses and the later check after the workers died fall in one (THROTTLE_WINDOW_MS).
        CORRAL_SIGNIN_THROTTLE: `2/${THROTTLE_WINDOW_MS / 1000}`,
        ...(backend === 'postgres' ? { CORRAL_DATABASE_URL: POSTGRES_URL, CORRAL_DATABASE_SCHEMA: schema } : {}),
      },
      dir,
    );
    await cli.waitFor(/Corral listening on http:\/\/localhost:\d+ \(2 workers\)/, 60_000);
    url = `http://127.0.0.1:${port}`;
    primary = cli.child.pid!;
    admin = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    clientId = /App Client Id \(cluster-app\):\s+(\S+)/.exec(cli.stdout())![1]!;
  }, 90_000);

  afterAll(async () => {
    admin?.destroy();
    if (cli && cli.child.exitCode === null) {
      cli.child.kill('SIGKILL');
      for (const pid of childPids(cli.child.pid!)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });

  it('runs a primary and two workers, and does the start once: one pool provisioned, one scratch pad', async () => {
    expect(childPids(primary)).toHaveLength(2);
    const out = cli.stdout();
    expect(out.match(/User Pool Id \(ClusterPool\)/g)).toHaveLength(1);
    expect(out.match(/Corral listening on /g)).toHaveLength(1);
    expect(out.match(/"msg":"server key"/g)).toHaveLength(1);
    const pools = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools!.filter((p) => p.Name === 'ClusterPool')).toHaveLength(1);
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
  });

  it(`serves ${FLOWS} concurrent sign-ups, confirmations and sign-ins on both workers without an error`, async () => {
    const workers = childPids(primary);
    const before = workers.map(cpuTicks);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const tag = randomBytes(3).toString('hex');
    const failures: string[] = [];
    const check = (what: string, a: Answer) => {
      if (a.status !== 200) failures.push(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
      return a.status === 200;
    };
    await Promise.all(
      Array.from({ length: FLOWS }, async (_, i) => {
        const username = `rider-${tag}-${i}`;
        const email = `${username}@example.com`;
        const signUp = await call(url, agent, 'SignUp', {
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: email }],
        });
        if (!check('SignUp', signUp)) return;
        const code = await mailCode(url, agent, email);
        if (!check('ConfirmSignUp', await call(url, agent, 'ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: code }))) return;
        const auth = await call(url, agent, 'InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD },
        });
        if (check('InitiateAuth', auth) && !(auth.body.AuthenticationResult as { AccessToken?: string } | undefined)?.AccessToken)
          failures.push('InitiateAuth: no tokens');
      }),
    );
    agent.destroy();
    expect(failures).toEqual([]);
    // Both workers did a fair part of the work (round robin over the connections).
    const used = workers.map((pid, i) => cpuTicks(pid) - before[i]!);
    for (const ticks of used) expect(ticks).toBeGreaterThan(Math.max(...used) / 5);
    expect(cli.stdout() + cli.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|"statusCode":5\d\d/);
  }, 180_000);

  it('counts wrong passwords across the workers (the sign-in throttle is not per process)', async () => {
    // This test and the next (whose last check still sees these guesses counted) in one throttle window.
    const left = THROTTLE_WINDOW_MS - (Date.now() % THROTTLE_WINDOW_MS);
    if (left < 120_000) await new Promise((r) => setTimeout(r, left + 100));
    const username = `guessed-${randomBytes(3).toString('hex')}`;
    guessed = username;
    const email = `${username}@example.com`;
    const agent = new Agent({ keepAlive: false });
    expect(
      (await call(url, agent, 'SignUp', { ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }))
        .status,
    ).toBe(200);
    // Each guess on a connection of its own: the primary hands them to the workers in turn.
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await call(url, false, 'InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: `Wrong-${i}-Passw0rd!` },
      });
      answers.push(String(a.body.__type).replace(/^.*#/, ''));
    }
    agent.destroy();
    // 2 per window in all, whichever worker answered (each counting alone would have allowed 4).
    expect(answers).toEqual([
      'NotAuthorizedException',
      'NotAuthorizedException',
      'TooManyRequestsException',
      'TooManyRequestsException',
      'TooManyRequestsException',
      'TooManyRequestsException',
    ]);
  }, 150_000);

  it('replaces a worker killed with SIGKILL, and keeps answering meanwhile', async () => {
    const [victim, survivor] = childPids(primary);
    process.kill(victim!, 'SIGKILL');
    await until('the victim to die', () => !alive(victim!) || undefined);
    // New connections go to the live worker at once.
    for (let i = 0; i < 6; i++) {
      const a = await call(url, false, 'InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: `nobody-${randomBytes(4).toString('hex')}`, PASSWORD },
      });
      expect(a.status).toBe(400); // answered (NotAuthorizedException), not refused
      expect(a.body.__type).toMatch(/NotAuthorizedException|UserNotFoundException/);
    }
    const replaced = await until('a replacement worker', () => {
      const now = childPids(primary);
      return now.length === 2 && !now.includes(victim!) && now.includes(survivor!) ? now : undefined;
    });
    const fresh = replaced.find((p) => p !== survivor)!;
    await until('the replacement to listen', () => cli.stdout().includes(`"pid":${fresh},"msg":"worker listening"`) || undefined);
    expect(cli.stdout()).toMatch(new RegExp(`"pid":${victim},"code":null,"signal":"SIGKILL".*"msg":"worker died: starting another"`));
    // The replacement did not provision again.
    expect(cli.stdout().match(/User Pool Id \(ClusterPool\)/g)).toHaveLength(1);
    const pools = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools!.filter((p) => p.Name === 'ClusterPool')).toHaveLength(1);
    // The replacement serves: with the survivor killed in turn, it alone answers until the next one is up.
    process.kill(survivor!, 'SIGKILL');
    await until('the survivor to die', () => !alive(survivor!) || undefined);
    const signIn = await call(url, false, 'InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: `nobody-${randomBytes(4).toString('hex')}`, PASSWORD },
    });
    expect(signIn.status).toBe(400);
    expect(
      childPids(primary)
        .filter((p) => p !== fresh)
        .every((p) => !cli.stdout().includes(`"pid":${p},"msg":"worker listening"`)),
    ).toBe(true);
    await until('two workers again', () => (childPids(primary).length === 2 && cli.stdout().match(/"msg":"worker listening"/g)?.length === 2) || undefined);
    // Both workers that counted the guesses are gone; the counts are not (the primary's, or the database's).
    const again = await call(url, false, 'InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: guessed!, PASSWORD: 'Wrong-9-Passw0rd!' },
    });
    expect(again.body.__type).toMatch(/TooManyRequestsException/);
  }, 90_000);

  it('stops every process on SIGTERM, exiting 0', async () => {
    const workers = childPids(primary);
    expect(workers).toHaveLength(2);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    for (const pid of workers) await until(`worker ${pid} to exit`, () => !alive(pid) || undefined, 15_000);
    expect(cli.stdout()).toMatch(/"signal":"SIGTERM","workers":2,"msg":"shutting down"/);
  }, 30_000);
});

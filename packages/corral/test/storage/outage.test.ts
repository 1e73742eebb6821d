// PostgreSQL going away and coming back: two Corral processes on one private cluster (never the shared one) keep
// running, fail only the requests that need the database (InternalErrorException, quickly), log the outage once,
// answer /health 503 while it lasts and 200 after, reconnect by themselves, and lose no acknowledged write.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, type CliProcess } from '../support/cli.js';
import { TEST_CREDENTIALS } from '../support/corral.js';
import { postgresBinDir, startPrivateCluster, type PrivateCluster } from '../support/private-postgres.js';

const bin = postgresBinDir();
if (!bin) {
  if (process.env.CI === 'true') throw new Error('PostgreSQL binaries (/usr/lib/postgresql/<version>/bin) are required in CI for the outage test');
  console.warn('\n!!! PostgreSQL binaries not found under /usr/lib/postgresql/<version>/bin: the database OUTAGE test is SKIPPED !!!\n');
}

/** How long a request may take while the database is down (Corral's connect timeout is 5 s; refusals are immediate). */
const FAIL_FAST_MS = 3_000;
/** No request may ever take longer than this, outage or not. */
const REQUEST_BOUND_MS = 12_000;

interface Instance {
  name: string;
  cli: CliProcess;
  url: string;
  idp: CognitoIdentityProviderClient;
}

function alive(i: Instance): boolean {
  return i.cli.child.exitCode === null && i.cli.child.signalCode === null;
}

function outageLogs(i: Instance): number {
  return databaseLines(i).filter((l) => l.includes('"msg":"database unreachable')).length;
}

/** Requests' internal errors logged at error level (a database outage must not log one per request). */
function internalErrorLogs(i: Instance): string[] {
  return i.cli
    .stdout()
    .split('\n')
    .filter((l) => l.includes('"level":50') && l.includes('"msg":"internal error"'));
}

/** What storage logged about the database (outage start / end), for counting and for failure messages. */
function databaseLines(i: Instance): string[] {
  return i.cli
    .stdout()
    .split('\n')
    .filter((l) => l.includes('"msg":"database '));
}

async function health(i: Instance): Promise<{ status: number; body: unknown; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${i.url}/health`, { signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* kept as text */
  }
  return { status: res.status, body, ms: Date.now() - t0 };
}

async function waitHealthy(i: Instance, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const h = await health(i).catch(() => undefined);
    if (h?.status === 200) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${i.name}: /health not 200 after ${timeoutMs} ms (last: ${JSON.stringify(h)})\n${tail(i)}`);
    await sleep(100);
  }
}

function tail(i: Instance): string {
  return `--- ${i.name} stdout (tail) ---\n${i.cli.stdout().slice(-3000)}\n--- ${i.name} stderr (head) ---\n${i.cli.stderr().slice(0, 3000)}`;
}

/** A request's outcome: ok, or the error name and HTTP status the SDK saw, and how long it took. */
async function timed(p: () => Promise<unknown>): Promise<{ ok: boolean; name?: string; status?: number; ms: number }> {
  const t0 = Date.now();
  try {
    await p();
    return { ok: true, ms: Date.now() - t0 };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { ok: false, name: e.name, status: e.$metadata?.httpStatusCode, ms: Date.now() - t0 };
  }
}

(bin ? describe : describe.skip)('PostgreSQL outages: two Corral processes on a private cluster', () => {
  let cluster: PrivateCluster;
  let dataDir: string;
  const instances: Instance[] = [];
  let poolId: string;

  async function startInstance(name: string): Promise<Instance> {
    const port = await freePort();
    const cli = runCli(
      ['start'],
      {
        CORRAL_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        CORRAL_DATABASE_URL: cluster.url,
        CORRAL_DATABASE_SCHEMA: 'corral',
        CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        CORRAL_CHECK_OUTPUT: 'on',
        LOG_LEVEL: 'info',
        // One process per instance: the assertions follow each process's pool (its log, its cut connections).
        CORRAL_WORKERS: '1',
      },
      dataDir, // no corral.config.json here: nothing is provisioned
    );
    const url = `http://127.0.0.1:${port}`;
    const inst: Instance = {
      name,
      cli,
      url,
      idp: new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
    };
    instances.push(inst);
    await cli.waitFor(/Corral listening on /, 30_000);
    return inst;
  }

  beforeAll(async () => {
    cluster = await startPrivateCluster(bin);
    dataDir = mkdtempSync(join(tmpdir(), 'corral-outage-'));
    await startInstance('A');
    await startInstance('B');
    const created = await instances[0]!.idp.send(new CreateUserPoolCommand({ PoolName: 'outage' }));
    poolId = created.UserPool!.Id!;
  }, 90_000);

  afterAll(async () => {
    for (const i of instances) {
      i.idp.destroy();
      if (alive(i)) {
        i.cli.child.kill('SIGTERM');
        const exited = await Promise.race([i.cli.exited.then(() => true), sleep(5_000).then(() => false)]);
        if (!exited) i.cli.child.kill('SIGKILL');
      }
    }
    await cluster?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  /** Several requests at once on each instance, so each pool holds several (then idle) connections. */
  async function fillPools(): Promise<void> {
    await Promise.all(instances.flatMap((i) => Array.from({ length: 6 }, () => i.idp.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 1 })))));
  }

  /** While the cluster is stopped: /health 503 with a JSON body, and a request fails fast with InternalErrorException. */
  async function expectDownAnswers(): Promise<void> {
    for (const i of instances) {
      const h = await health(i);
      expect(h.status, `${i.name} /health while the database is down`).toBe(503);
      expect(h.body).toMatchObject({ status: 'unavailable' });
      expect(h.ms).toBeLessThan(FAIL_FAST_MS);
      const r = await timed(() => i.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })));
      expect(r, `${i.name} AdminGetUser while the database is down`).toMatchObject({ ok: false, name: 'InternalErrorException', status: 500 });
      expect(r.ms).toBeLessThan(FAIL_FAST_MS);
    }
  }

  it('survives its idle pooled connections being terminated (no load)', async () => {
    await fillPools();
    await sleep(200); // every connection back in the pool, idle
    const before = instances.map(outageLogs);
    await cluster.stop('fast'); // each idle backend sends 57P01 and closes
    await sleep(1_500);
    for (const i of instances) expect(alive(i), `${i.name} exited when its idle connections were terminated\n${tail(i)}`).toBe(true);
    await expectDownAnswers();
    await cluster.start();
    for (const i of instances) await waitHealthy(i);
    for (const i of instances) {
      await i.idp.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 1 }));
      expect(alive(i)).toBe(true);
    }
    // Logged once per outage per instance, however many requests failed meanwhile.
    for (const i of instances) expect(internalErrorLogs(i).slice(0, 3)).toEqual([]);
    expect(instances.map(outageLogs), instances.map((i) => `${i.name}:\n${databaseLines(i).join('\n')}`).join('\n')).toEqual(before.map((n) => n + 1));
  }, 60_000);

  it('a request whose query is cut mid-way (the server stops while it waits) answers InternalErrorException at once', async () => {
    const before = instances.map(outageLogs);
    // Hold a lock on the users table from outside, so each instance's AdminGetUser is stuck inside its query.
    const holder = new pg.Client({ connectionString: cluster.url, options: '-c search_path=corral' });
    holder.on('error', () => undefined); // it is terminated by the stop too
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    let stoppedAt = 0;
    const stuck = instances.map((i) =>
      timed(() => i.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' }))).then((r) => ({ ...r, afterStopMs: Date.now() - stoppedAt })),
    );
    await sleep(500);
    const settled = await Promise.race([Promise.all(stuck).then(() => true), sleep(0).then(() => false)]);
    expect(settled, 'the requests wait on the lock').toBe(false);
    stoppedAt = Date.now();
    await cluster.stop('fast');
    for (const r of await Promise.all(stuck)) {
      expect(r).toMatchObject({ ok: false, name: 'InternalErrorException', status: 500 });
      expect(r.afterStopMs).toBeLessThan(FAIL_FAST_MS);
    }
    await holder.end().catch(() => undefined);
    for (const i of instances) expect(alive(i), tail(i)).toBe(true);
    await cluster.start();
    for (const i of instances) await waitHealthy(i);
    for (const i of instances) expect(internalErrorLogs(i).slice(0, 3)).toEqual([]);
    expect(instances.map(outageLogs)).toEqual(before.map((n) => n + 1));
  }, 60_000);

  it('a server that stops answering (frozen) fails requests within the bounded timeouts, and is used again once it answers', async () => {
    await fillPools();
    const before = instances.map(outageLogs);
    await cluster.freeze();
    try {
      // Idle pooled connections now lead nowhere, and new ones are never answered: each wait is bounded.
      const calls = instances.flatMap((i) => [
        timed(() => i.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' }))),
        timed(() => i.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `frozen-${i.name}`, MessageAction: 'SUPPRESS' }))),
        timed(() => i.idp.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 1 }))),
      ]);
      const h = await Promise.all(instances.map(health));
      for (const x of h) {
        expect(x.status).toBe(503);
        expect(x.ms).toBeLessThan(5_000); // /health gives up after 3 s
      }
      for (const r of await Promise.all(calls)) {
        expect(r).toMatchObject({ ok: false, name: 'InternalErrorException', status: 500 });
        expect(r.ms).toBeLessThan(REQUEST_BOUND_MS);
      }
      for (const i of instances) expect(alive(i), tail(i)).toBe(true);
    } finally {
      cluster.thaw();
    }
    for (const i of instances) await waitHealthy(i);
    for (const i of instances) await i.idp.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 1 }));
    for (const i of instances) expect(internalErrorLogs(i).slice(0, 3)).toEqual([]);
    expect(instances.map(outageLogs), instances.map((i) => `${i.name}:\n${databaseLines(i).join('\n')}`).join('\n')).toEqual(before.map((n) => n + 1));
  }, 60_000);

  it('survives a 5 s stop under load: only requests needing the database fail, fast, and no acknowledged write is lost', async () => {
    await fillPools();
    const before = instances.map(outageLogs);
    const acknowledged: string[] = [];
    const failures: { op: string; name?: string; status?: number; ms: number }[] = [];
    const durations: number[] = [];
    let writesAfterRestart = 0;
    let restarted = false;
    let stopping = false;

    const worker = async (inst: Instance, id: string) => {
      for (let n = 0; !stopping; n++) {
        const username = `${id}-${n}`;
        const w = await timed(() => inst.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' })));
        durations.push(w.ms);
        if (w.ok) {
          acknowledged.push(username);
          if (restarted) writesAfterRestart++;
        } else failures.push({ op: 'AdminCreateUser', ...w });
        const known = acknowledged[Math.floor(Math.random() * acknowledged.length)];
        if (known) {
          const r = await timed(() => inst.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: known })));
          durations.push(r.ms);
          if (!r.ok) failures.push({ op: 'AdminGetUser', ...r });
        }
        if (!w.ok) await sleep(20); // while the database is down, do not spin
      }
    };
    const workers = instances.flatMap((i) => [worker(i, `${i.name}1`), worker(i, `${i.name}2`)]);

    await sleep(1_500);
    const beforeOutage = acknowledged.length;
    await cluster.stop('fast'); // active queries and idle connections get 57P01; new connections are refused
    const downAt = Date.now();
    await sleep(1_000);
    for (const i of instances) expect(alive(i), `${i.name} exited when PostgreSQL stopped under load\n${tail(i)}`).toBe(true);
    await expectDownAnswers();
    await sleep(Math.max(0, 5_000 - (Date.now() - downAt)));
    for (const i of instances) expect(alive(i), `${i.name} exited during the outage\n${tail(i)}`).toBe(true);
    await cluster.start();
    restarted = true;
    for (const i of instances) await waitHealthy(i);
    const healthyAt = acknowledged.length;
    await sleep(2_000);
    stopping = true;
    await Promise.all(workers);

    console.info(
      `outage under load: ${acknowledged.length} writes acknowledged (${beforeOutage} before the stop, ${writesAfterRestart} after the restart), ` +
        `${failures.length} requests failed (all InternalErrorException: ${failures.every((f) => f.name === 'InternalErrorException')}), ` +
        `slowest failure ${Math.max(0, ...failures.map((f) => f.ms))} ms, slowest request ${Math.max(...durations)} ms`,
    );
    expect(beforeOutage).toBeGreaterThan(0);
    expect(acknowledged.length, 'writes acknowledged after the database came back').toBeGreaterThan(healthyAt);
    expect(writesAfterRestart).toBeGreaterThan(0);
    expect(failures.length, 'some requests failed during the outage').toBeGreaterThan(0);
    // Every failure is Cognito's InternalErrorException (HTTP 500); nothing hung.
    const wrong = failures.filter((f) => f.name !== 'InternalErrorException' || f.status !== 500);
    expect(wrong).toEqual([]);
    expect(Math.max(...durations)).toBeLessThan(REQUEST_BOUND_MS);
    for (const i of instances) expect(alive(i), tail(i)).toBe(true);
    for (const i of instances) expect(internalErrorLogs(i).slice(0, 3)).toEqual([]);
    expect(instances.map(outageLogs), instances.map((i) => `${i.name}:\n${databaseLines(i).join('\n')}`).join('\n')).toEqual(before.map((n) => n + 1));

    // Every acknowledged write is there, read through either instance.
    const missing: string[] = [];
    for (let k = 0; k < acknowledged.length; k += 8) {
      await Promise.all(
        acknowledged.slice(k, k + 8).map(async (username, j) => {
          const inst = instances[(k + j) % instances.length]!;
          const got = await inst.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })).catch(() => undefined);
          if (got?.Username !== username) missing.push(username);
        }),
      );
    }
    expect(missing).toEqual([]);
  }, 90_000);
});

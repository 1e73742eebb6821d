// User import jobs on two Corral processes sharing one PostgreSQL schema (the built CLI; `npm run build -w corral`
// first): both look for the started job every ~second, one runs it, every row is imported once; and when the process
// running a job is killed mid-job, the other takes it over once its lease has run out and imports the rest — once.
import { CognitoIdentityProviderClient, StartUserImportJobCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, runCli, type CliProcess } from '../support/cli.js';
import { describeOnPostgres, POSTGRES_URL, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { createJob, csvOf, header, rider, upload, waitForJob } from '../support/user-imports.js';
import { label, race } from '../support/race.js';

const LEASE_SECONDS = 2;

interface Instance {
  url: string;
  proc: CliProcess;
  idp: CognitoIdentityProviderClient;
}

describeOnPostgres('user import jobs on two instances of one PostgreSQL schema', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'corral-import-two-'));
  const key = randomBytes(32).toString('base64');
  let a: Instance;
  let b: Instance;
  let db: pg.Client;

  async function start(): Promise<Instance> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = runCli(['start', '--workers', '1'], {
      CORRAL_DATA_DIR: dir,
      CORRAL_KEY: key,
      CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      CORRAL_DATABASE_URL: POSTGRES_URL,
      CORRAL_DATABASE_SCHEMA: schema,
      CORRAL_PUBLIC_URL: url,
      CORRAL_CHECK_OUTPUT: 'on',
      CORRAL_RATE_LIMITS: 'off',
      CORRAL_IMPORT_LEASE_SECONDS: String(LEASE_SECONDS),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    await proc.waitFor(/Corral listening on /, 30_000);
    const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    return { url, proc, idp };
  }

  /** The log lines (pino JSON) an instance wrote about a job. */
  const logged = (i: Instance, jobId: string): { msg: string }[] =>
    i.proc
      .stdout()
      .split('\n')
      .filter((l) => l.includes(`"job":"${jobId}"`))
      .map((l) => JSON.parse(l) as { msg: string });

  const usersOf = async (poolId: string): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM "${schema}".users WHERE pool_id = $1`, [poolId])).rows[0].n);

  beforeAll(async () => {
    [a, b] = await Promise.all([start(), start()]);
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
  });

  afterAll(async () => {
    for (const i of [a, b]) {
      if (!i) continue;
      i.idp.destroy();
      if (i.proc.child.exitCode === null && i.proc.child.signalCode === null) i.proc.child.kill('SIGTERM');
      await i.proc.exited;
    }
    await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both instances look for the job, one runs it, every row is imported once', { timeout: 120_000 }, async () => {
    const seed = await createWildRydesPool({ idp: a.idp } as TestCorral);
    const cols = await header(a.idp, seed.poolId);
    const job = await createJob(a.idp, seed.poolId);
    expect(
      (
        await upload(
          job.PreSignedUrl!,
          csvOf(
            cols,
            Array.from({ length: 20_000 }, (_, i) => rider(`two${i}`)),
          ),
        )
      ).status,
    ).toBe(200);
    await b.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
    const done = await waitForJob(a.idp, seed.poolId, job.JobId!, undefined, 100_000);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 20_000, SkippedUsers: 0, FailedUsers: 0 });
    expect(await usersOf(seed.poolId)).toBe(20_000);
    const started = [...logged(a, job.JobId!), ...logged(b, job.JobId!)].filter((l) => /^user import job (started|taken over)$/.test(l.msg));
    expect(started).toHaveLength(1);
    // The upload's credential is not in the request log.
    const signature = new URL(job.PreSignedUrl!).searchParams.get('X-Amz-Signature')!;
    expect(a.proc.stdout()).toContain('X-Amz-Signature=REDACTED');
    expect(a.proc.stdout() + b.proc.stdout()).not.toContain(signature);
  });

  it('50 uploads and starts racing on both instances: one start wins, and the job imports exactly one whole file', { timeout: 120_000 }, async () => {
    const seed = await createWildRydesPool({ idp: a.idp } as TestCorral, { PoolName: 'Racing' });
    const cols = await header(a.idp, seed.poolId);
    const job = await createJob(a.idp, seed.poolId);
    const ROWS = 1500;
    const file = (k: number) =>
      csvOf(
        cols,
        Array.from({ length: ROWS }, (_, i) => rider(`race${k}x${i}`)),
      );
    expect((await upload(job.PreSignedUrl!, file(0))).status).toBe(200);
    // The URL's signature covers the job and its date, not the host: the same URL is served by either instance.
    const at = (i: Instance) => i.url + job.PreSignedUrl!.slice(new URL(job.PreSignedUrl!).origin.length);
    const uploads = Array.from({ length: 40 }, (_, n) => n + 1).map((k) => async () => {
      const res = await upload(at(k % 2 ? a : b), file(k));
      const body = await res.text();
      if (res.status !== 200) throw Object.assign(new Error(body.match(/<Code>(\w+)<\/Code>/)?.[1] ?? body), { name: `S3 ${res.status}` });
      return k;
    });
    const starts = Array.from({ length: 10 }, (_, n) => async () => {
      await new Promise((r) => setTimeout(r, 20 * n)); // in the middle of the uploads
      await (n % 2 ? a : b).idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
      return -1;
    });
    const burst = await race([...uploads, ...starts], 60_000);
    const startOutcomes = burst.outcomes.slice(uploads.length);
    expect(startOutcomes.filter((o) => o.ok)).toHaveLength(1);
    for (const o of startOutcomes.filter((o) => !o.ok))
      expect(label(o)).toMatch(/^PreconditionNotMetException: Import job .* cannot be started: its status is /);
    for (const o of burst.outcomes.slice(0, uploads.length)) if (!o.ok) expect(label(o)).toBe('S3 403: AccessDenied');

    const done = await waitForJob(a.idp, seed.poolId, job.JobId!, undefined, 100_000);
    expect(done, done.CompletionMessage).toMatchObject({ Status: 'Succeeded', ImportedUsers: ROWS, SkippedUsers: 0, FailedUsers: 0 });
    const names = (await db.query(`SELECT username FROM "${schema}".users WHERE pool_id = $1`, [seed.poolId])).rows.map(
      (r: { username: string }) => r.username,
    );
    const files = new Set(names.map((n: string) => n.replace(/^rider(race\d+)x\d+$/, '$1')));
    expect(names).toHaveLength(ROWS);
    expect(files.size).toBe(1);
    // That file was uploaded whole by a request that was answered 200 (or it is the first one).
    const k = Number([...files][0]!.slice('race'.length));
    expect(k === 0 || burst.outcomes[k - 1]!.ok).toBe(true);
  });

  it('the instance running a job is killed mid-job: the other takes it over after the lease and imports the rest once', { timeout: 180_000 }, async () => {
    const seed = await createWildRydesPool({ idp: a.idp } as TestCorral, { PoolName: 'Handover' });
    const cols = await header(a.idp, seed.poolId);
    const rows = 60_000;
    const job = await createJob(a.idp, seed.poolId);
    expect(
      (
        await upload(
          job.PreSignedUrl!,
          csvOf(
            cols,
            Array.from({ length: rows }, (_, i) => rider(`handover${i}`)),
          ),
        )
      ).status,
    ).toBe(200);
    await a.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
    const midway = await waitForJob(
      a.idp,
      seed.poolId,
      job.JobId!,
      (j) => (j.ImportedUsers ?? 0) >= 2000 || !['Pending', 'InProgress'].includes(j.Status!),
      60_000,
    );
    expect(midway.Status).toBe('InProgress');
    const [owner, other] = logged(a, job.JobId!).some((l) => l.msg === 'user import job started') ? [a, b] : [b, a];
    // The owner's lease holds it: the other instance leaves it alone (it may have served the upload, nothing more).
    expect(logged(other, job.JobId!).filter((l) => l.msg !== 'user import file uploaded')).toEqual([]);
    owner.proc.child.kill('SIGKILL');
    await owner.proc.exited;
    const killedAt = Date.now();

    const done = await waitForJob(other.idp, seed.poolId, job.JobId!, undefined, 150_000);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: rows, SkippedUsers: 0, FailedUsers: 0 });
    expect(await usersOf(seed.poolId)).toBe(rows);
    const tookOver = logged(other, job.JobId!).find((l) => l.msg === 'user import job taken over') as { msg: string; time: number; at: number } | undefined;
    expect(tookOver, other.proc.stdout().slice(-2000)).toBeDefined();
    expect(tookOver!.at).toBeGreaterThanOrEqual(2000); // where the killed instance's last batch ended
    expect(tookOver!.time).toBeGreaterThanOrEqual(killedAt - 50);
  });
});

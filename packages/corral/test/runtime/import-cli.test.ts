// `corral import users.csv --pool NAME --endpoint URL`, the built CLI against a running Corral: the job is created,
// the file uploaded and the job started and followed to its end with a progress bar; the users are there.
// Run `npm run build -w corral` first.
import { AdminGetUserCommand, ListUserImportJobsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { csvOf, header, rider } from '../support/user-imports.js';

describe('corral import', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let dir: string;
  const env = () => ({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, CORRAL_URL: corral.url });

  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    dir = mkdtempSync(join(tmpdir(), 'corral-import-cli-'));
  });
  afterAll(async () => {
    await corral?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file into the pool named, printing progress and the counts; exit code 0', async () => {
    const cols = await header(corral.idp, seed.poolId);
    const file = join(dir, 'riders.csv');
    const rows = Array.from({ length: 3000 }, (_, i) => rider(`cli${i}`));
    rows.push(rider('cli-bad', { email_verified: 'false' }));
    writeFileSync(file, csvOf(cols, rows));
    const cli = runCli(['import', file, '--pool', 'WildRydes'], env(), dir);
    const code = await cli.exited;
    const out = cli.stdout();
    expect(code, out + cli.stderr()).toBe(0);
    expect(out).toMatch(/^Uploaded riders\.csv \(0\.\d MB, 3,001 users\) to import-\w+ of user pool WildRydes \(us-east-1_\w+\)$/m);
    expect(out).toMatch(/^\[#{30}\] 100% 3,001\/3,001 · imported 3,000 · skipped 0 · failed 1 · [\d,]+\/s · Succeeded$/m);
    expect(out).toMatch(/^Succeeded: 3,000 imported, 0 skipped, 1 failed in [\d.]+ s — Import Job Completed Successfully\.$/m);
    expect(out).toContain("in the server's log, by line number");
    expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'ridercli2999' }))).UserStatus).toBe('RESET_REQUIRED');
    const jobs = await corral.idp.send(new ListUserImportJobsCommand({ UserPoolId: seed.poolId, MaxResults: 1 }));
    expect(jobs.UserImportJobs?.[0]).toMatchObject({ JobName: 'corral import riders.csv', Status: 'Succeeded', ImportedUsers: 3000 });
  });

  it('exits 1 with the reason: a job that fails, a pool that does not exist, a missing file, a wrong key pair', async () => {
    const cols = await header(corral.idp, seed.poolId);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, csvOf(cols, [rider('cli0')])); // exists already: skipped, nothing imported
    const failed = runCli(['import', bad, '--pool', seed.poolId, '--endpoint', corral.url], env(), dir);
    expect(await failed.exited).toBe(1);
    expect(failed.stdout()).toMatch(/^Failed: 0 imported, 1 skipped, 0 failed in [\d.]+ s — Too many users have failed or been skipped during the import\.$/m);

    const noPool = runCli(['import', bad, '--pool', 'Nope'], env(), dir);
    expect(await noPool.exited).toBe(1);
    expect(noPool.stderr()).toContain('no user pool named or with the id "Nope"');

    const noFile = runCli(['import', join(dir, 'missing.csv'), '--pool', 'WildRydes'], env(), dir);
    expect(await noFile.exited).toBe(1);
    expect(noFile.stderr()).toMatch(/missing\.csv is not a file/);

    const wrongKey = runCli(['import', bad, '--pool', 'WildRydes'], { ...env(), AWS_SECRET_ACCESS_KEY: 'not-the-secret' }, dir);
    expect(await wrongKey.exited).toBe(1);
    expect(wrongKey.stderr()).toMatch(/refused the admin credentials from AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY: InvalidSignatureException/);

    const usage = runCli(['import', bad], env(), dir);
    expect(await usage.exited).toBe(1);
    expect(usage.stderr()).toContain('usage: corral import FILE --pool NAME');
  });
});

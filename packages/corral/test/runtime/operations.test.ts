// Operating Corral: health, graceful shutdown that finishes in-flight requests, `npx corral credentials`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadActions } from '../../src/wire/actions.js';
import { startTestCorral } from '../support/corral.js';
import { REPO_ROOT } from '../support/cli.js';
import { rawCall } from '../support/wire.js';

const exec = promisify(execFile);

describe('GET /health', () => {
  it('answers ok while the database answers, 503 when it does not', async () => {
    const corral = await startTestCorral();
    try {
      const res = await fetch(`${corral.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      await corral.app.db.destroy();
      const down = await fetch(`${corral.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    } finally {
      await corral.stop().catch(() => undefined);
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const corral = await startTestCorral();
    const actions = await loadActions();
    // A slow action: ListIdentities (not implemented) stands in for any request that takes a while.
    const key = 'identity:ListIdentities';
    const original = actions.get(key);
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    actions.set(key, async () => {
      entered();
      await new Promise((r) => setTimeout(r, 400));
      return { IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', Identities: [] };
    });
    try {
      const slow = rawCall(corral.url, {
        target: 'AWSCognitoIdentityService.ListIdentities',
        body: JSON.stringify({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', MaxResults: 1 }),
        signingName: 'cognito-identity',
      });
      const early = await Promise.race([inHandler.then(() => undefined), slow]);
      expect(early, 'the slow action was not reached').toBeUndefined();
      const stopped = corral.stop();
      const res = await slow;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', Identities: [] });
      await stopped;
      await expect(fetch(`${corral.url}/health`)).rejects.toThrow();
    } finally {
      if (original) actions.set(key, original);
      else actions.delete(key);
    }
  });
});

describe('npx corral credentials', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'corral-cred-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const run = () =>
    exec('npx', ['--no-install', 'corral', 'credentials'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CORRAL_DATA_DIR: dataDir, CORRAL_ACCESS_KEY_ID: '', CORRAL_SECRET_ACCESS_KEY: '' },
    });

  it('prints the generated key pair, the same every time, the one stored in the data dir', async () => {
    const first = await run();
    const m = first.stdout.match(/^AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})\nAWS_SECRET_ACCESS_KEY=(\S+)\n$/);
    expect(m, first.stdout).not.toBeNull();
    expect((await run()).stdout).toBe(first.stdout);
    const stored = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8'));
    expect(stored).toEqual({ accessKeyId: m![1], secretAccessKey: m![2] });
  });
});

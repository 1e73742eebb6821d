// The function processes never outlive Corral: stop() kills them (idle or running), idle ones are stopped after a
// while, and a Corral that is killed outright (SIGKILL: no handler runs) takes them along — a looping one included,
// which cannot notice anything itself. The last case runs the built CLI (`npm run build -w corral`).
import { SignUpCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, freePort, runCli } from '../support/cli.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { functionProcessIds } from '../../src/triggers/functions.js';
import { POOL_SETTINGS } from '../../src/triggers/runtime/pool.js';
import { arnOf, childPids, functionFiles, provisioningFile, running, trySignUp, waitUntil } from './runtime-support.js';

const FILES = {
  'ok.mjs': 'export const handler = async (event) => event;\n',
  'ok.py': 'def lambda_handler(event, context):\n    return event\n',
  'loop.mjs': 'export const handler = () => { while (true) {} };\n',
  'loop.py': 'def lambda_handler(event, context):\n    while True:\n        pass\n',
  'pyloop.py': 'def lambda_handler(event, context):\n    while True:\n        pass\n',
};

describe('function processes and the life of Corral', () => {
  let corral: TestCorral | undefined;
  const idleMs = POOL_SETTINGS.idleMs;
  afterEach(async () => {
    POOL_SETTINGS.idleMs = idleMs;
    await corral?.stop();
    corral = undefined;
  });

  it('stop() kills every function process, idle or still running after Cognito stopped waiting', async () => {
    const dir = functionFiles(FILES);
    const fn = (file: string, extra: object = {}) => ({ module: `./${file}`, ...extra });
    corral = await startTestCorral({
      provisionFile: provisioningFile(dir, {
        'ok-node': fn('ok.mjs'),
        'ok-python': fn('ok.py'),
        'loop-node': fn('loop.mjs', { timeout: 60 }),
        'loop-python': fn('loop.py', { timeout: 60 }),
      }),
    });
    const pub = publicClient(corral);
    for (const name of ['ok-node', 'ok-python']) {
      const seed = await createWildRydesPool(corral, { PoolName: name, LambdaConfig: { PreSignUp: arnOf(name) } });
      expect(await trySignUp(pub, seed, `${name}-user`)).toMatchObject({ ok: true });
    }
    for (const name of ['loop-node', 'loop-python']) {
      const seed = await createWildRydesPool(corral, { PoolName: name, LambdaConfig: { PreSignUp: arnOf(name) } });
      // Cognito gives up after 5 s; the functions' own timeout (60 s) keeps them running.
      expect(await trySignUp(pub, seed, `${name}-user`)).toMatchObject({ ok: false, name: 'UnexpectedLambdaException' });
    }
    const pids = functionProcessIds(corral.app);
    expect(pids).toHaveLength(4);
    expect(pids.every(running)).toBe(true);
    expect(pids.every((pid) => childPids(process.pid).includes(pid))).toBe(true);
    pub.destroy();
    const t = Date.now();
    await corral.stop();
    corral = undefined;
    expect(Date.now() - t).toBeLessThan(3000);
    expect(pids.filter(running)).toEqual([]);
  }, 30_000);

  it('idle processes are stopped after a while; the next invocation starts a new one', async () => {
    POOL_SETTINGS.idleMs = 300;
    const dir = functionFiles(FILES);
    corral = await startTestCorral({ provisionFile: provisioningFile(dir, { ok: { module: './ok.mjs' } }) });
    const pub = publicClient(corral);
    const seed = await createWildRydesPool(corral, { LambdaConfig: { PreSignUp: arnOf('ok') } });
    expect(await trySignUp(pub, seed, 'first')).toMatchObject({ ok: true });
    const [pid] = functionProcessIds(corral.app);
    expect(pid && running(pid)).toBe(true);
    expect(await waitUntil(() => !running(pid!), 3000)).toBe(true);
    // The pool hears of the exit a moment after the process is gone.
    expect(await waitUntil(() => functionProcessIds(corral!.app).length === 0, 3000)).toBe(true);
    expect(await trySignUp(pub, seed, 'second')).toMatchObject({ ok: true });
    expect(functionProcessIds(corral.app)).toHaveLength(1);
    expect(functionProcessIds(corral.app)[0]).not.toBe(pid);
    pub.destroy();
  });

  (existsSync(CLI) ? it : it.skip)(
    'a Corral killed with SIGKILL takes its function processes along, looping ones included',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'corral-killed-'));
      const fnDir = functionFiles(FILES);
      const port = await freePort();
      const cli = runCli(
        ['start', '--workers', '1'],
        {
          CORRAL_DATA_DIR: dataDir,
          CORRAL_FUNCTIONS_DIR: fnDir,
          CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
        dataDir,
      );
      try {
        await cli.waitFor(/Corral listening on /, 30_000);
        const url = `http://127.0.0.1:${port}`;
        const admin = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
        const fake = { url, idp: admin } as unknown as TestCorral;
        const pub = new CognitoIdentityProviderClient({
          region: 'us-east-1',
          endpoint: url,
          credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
          maxAttempts: 1,
        });
        const ok = await createWildRydesPool(fake, { PoolName: 'ok', LambdaConfig: { PreSignUp: arnOf('ok') } });
        expect(await trySignUp(pub, ok, 'warm')).toMatchObject({ ok: true }); // an idle warm process (ok.mjs)
        const pending: Promise<unknown>[] = [];
        for (const name of ['loop', 'pyloop']) {
          const seed = await createWildRydesPool(fake, { PoolName: name, LambdaConfig: { PreSignUp: arnOf(name) } });
          pending.push(
            pub
              .send(
                new SignUpCommand({
                  ClientId: seed.clientId,
                  Username: `${name}-user`,
                  Password: 'Unicorn!Ride42',
                  UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
                }),
              )
              .catch((e: unknown) => e),
          );
        }
        const cliPid = cli.child.pid!;
        expect(await waitUntil(() => childPids(cliPid).length >= 3, 5000)).toBe(true);
        const children = childPids(cliPid);
        cli.child.kill('SIGKILL');
        await cli.exited;
        await Promise.all(pending);
        expect(await waitUntil(() => children.every((pid) => !running(pid)), 3000)).toBe(true);
        admin.destroy();
        pub.destroy();
      } finally {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(fnDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

// Trigger functions run outside Corral's process (triggers/runtime/pool.ts), in Node.js and in Python: a function
// that loops, exits or eats memory fails its own SignUp in Cognito's words while Corral keeps answering (GET /health
// and a sign-in on another pool, measured while the function misbehaves); warm processes are reused (a module-level
// counter goes on counting, in the same process) and not disturbed by another function's crash; the function's own
// timeout and concurrency from the provisioning file hold; what a function prints is recorded with its invocation.
// Over real HTTP with the AWS SDK.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { functionProcessIds } from '../../src/triggers/functions.js';
import { arnOf, functionFiles, healthWhile, PASSWORD, provisioningFile, running, trySignUp } from './runtime-support.js';

/** The same misbehaving and well-behaved functions in each runtime. */
const RUNTIMES = {
  nodejs: {
    files: {
      'node/loop.mjs': "export const handler = () => {\n  console.log('looping now');\n  while (true) {}\n};\n",
      'node/exit.mjs': "export const handler = () => {\n  console.error('bye');\n  process.exit(1);\n};\n",
      // 2 GiB in 1 MiB arrays: the heap limit (memorySize) stops it long before.
      'node/hog.mjs':
        'export const handler = () => {\n  const keep = [];\n  for (let i = 0; i < 2048; i++) keep.push(new Array(131072).fill(i));\n  return keep.length;\n};\n',
      // 2 GiB of Buffers (outside the heap): the resident-memory watch stops it.
      'node/buffers.mjs':
        'export const handler = () => {\n  const keep = [];\n  for (let i = 0; i < 2048; i++) keep.push(Buffer.alloc(1 << 20, 1));\n  return keep.length;\n};\n',
      'node/counter.mjs': "let calls = 0;\nexport const handler = async () => {\n  calls++;\n  throw new Error('call ' + calls + ' in ' + process.pid);\n};\n",
      'node/slow.mjs':
        "export const handler = async (event) => {\n  console.log('sleeping 3 s');\n  await new Promise((r) => setTimeout(r, 3000));\n  return event;\n};\n",
      'node/overlap.mjs':
        "import { appendFileSync } from 'node:fs';\nexport const handler = async (event) => {\n  const start = Date.now();\n  await new Promise((r) => setTimeout(r, 700));\n  appendFileSync(process.env.OVERLAP_LOG, JSON.stringify({ pid: process.pid, start, end: Date.now() }) + '\\n');\n  return event;\n};\n",
      'node/chatty.mjs':
        "export const handler = async (event) => {\n  console.log('hello from ' + event.userName);\n  console.error('a warning');\n  await new Promise((r) => setTimeout(r, 100));\n  process.stdout.write('x'.repeat(10000) + '\\n');\n  console.log('the end');\n  return event;\n};\n",
    },
    decl: (name: string) => ({ handler: `node/${name}.handler` }),
  },
  python: {
    files: {
      'python/loop.py': "def lambda_handler(event, context):\n    print('looping now')\n    while True:\n        pass\n",
      'python/exit.py': "import sys\n\n\ndef lambda_handler(event, context):\n    print('bye', file=sys.stderr)\n    sys.exit(1)\n",
      'python/hog.py':
        'def lambda_handler(event, context):\n    keep = []\n    for i in range(2048):\n        keep.append(bytearray(1 << 20))\n    return len(keep)\n',
      'python/buffers.py': 'def lambda_handler(event, context):\n    keep = bytearray(2 * 1024 ** 3)\n    return len(keep)\n',
      'python/counter.py':
        "import os\n\ncalls = 0\n\n\ndef lambda_handler(event, context):\n    global calls\n    calls += 1\n    raise Exception('call ' + str(calls) + ' in ' + str(os.getpid()))\n",
      'python/slow.py': "import time\n\n\ndef lambda_handler(event, context):\n    print('sleeping 3 s')\n    time.sleep(3)\n    return event\n",
      'python/overlap.py':
        "import json, os, time\n\n\ndef lambda_handler(event, context):\n    start = int(time.time() * 1000)\n    time.sleep(0.7)\n    with open(os.environ['OVERLAP_LOG'], 'a') as f:\n        f.write(json.dumps({'pid': os.getpid(), 'start': start, 'end': int(time.time() * 1000)}) + '\\n')\n    return event\n",
      'python/chatty.py':
        "import logging, sys, time\n\nlogger = logging.getLogger()\nlogger.setLevel(logging.INFO)\n\n\ndef lambda_handler(event, context):\n    print('hello from ' + event['userName'])\n    print('a warning', file=sys.stderr)\n    time.sleep(0.1)\n    sys.stdout.write('x' * 10000 + '\\n')\n    logger.info('the end')\n    return event\n",
    },
    decl: (name: string) => ({ runtime: 'python3', handler: `python/${name}.lambda_handler` }),
  },
} as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('function isolation (%s)', (runtime) => {
  const rt = RUNTIMES[runtime];
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let dir: string;
  let plain: SeedPool;
  const pools: Record<string, SeedPool> = {};

  beforeAll(async () => {
    dir = functionFiles(rt.files);
    const fn = (name: string, extra: object = {}) => [`${runtime}-${name}`, { ...rt.decl(name), ...extra }];
    const file = provisioningFile(
      dir,
      Object.fromEntries([
        fn('loop'),
        fn('exit'),
        fn('hog'),
        fn('buffers'),
        fn('counter'),
        fn('chatty'),
        fn('slow', { timeout: 1 }),
        fn('overlap', { reservedConcurrency: 2, environment: { OVERLAP_LOG: join(dir, 'overlap.log') } }),
        [`${runtime}-queued`, { ...rt.decl('slow'), reservedConcurrency: 1, timeout: 10 }],
        [`${runtime}-throttled`, { ...rt.decl('counter'), reservedConcurrency: 0 }],
      ]),
    );
    corral = await startTestCorral({ provisionFile: file });
    pub = publicClient(corral);
    for (const name of ['loop', 'exit', 'hog', 'buffers', 'counter', 'chatty', 'slow', 'overlap', 'queued', 'throttled']) {
      pools[name] = await createWildRydesPool(corral, { PoolName: `${runtime}-${name}`, LambdaConfig: { PreSignUp: arnOf(`${runtime}-${name}`) } });
    }
    // A pool without triggers, with a rider who signs in while the functions misbehave.
    plain = await createWildRydesPool(corral, { PoolName: 'plain' });
    await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: plain.poolId, Username: 'steady', MessageAction: 'SUPPRESS' }));
    await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: plain.poolId, Username: 'steady', Password: PASSWORD, Permanent: true }));
  });
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
  });

  const signIn = () =>
    pub.send(new InitiateAuthCommand({ ClientId: plain.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'steady', PASSWORD } }));
  /** Signs `steady` in while `during` runs; → how long it took (ms). */
  const signInWhile = async (during: Promise<unknown>) => {
    await new Promise((r) => setTimeout(r, 300)); // the function is running by now
    const t = performance.now();
    const out = await signIn();
    const ms = performance.now() - t;
    expect(out.AuthenticationResult?.IdToken).toBeTruthy();
    expect(await Promise.race([during.then(() => 'settled'), Promise.resolve('pending')])).toBe('pending');
    return ms;
  };

  const counterCall = async (username: string) => {
    const r = await trySignUp(pub, pools.counter!, username);
    if (r.ok) throw new Error('the counter function always refuses');
    const m = /^PreSignUp failed with error call (\d+) in (\d+)\.$/.exec(r.message);
    expect(m, r.message).not.toBeNull();
    return { call: Number(m![1]), pid: Number(m![2]) };
  };

  it('a looping, an exiting and a memory-hungry PreSignUp each fail their own SignUp; Corral keeps answering; warm processes carry on', async () => {
    await signIn(); // warm: the timed sign-in below is not the first
    const before = await counterCall('count-a');
    expect(before.call).toBe(1);
    expect(await counterCall('count-b')).toEqual({ call: 2, pid: before.pid });

    // The loop: Cognito's 5 s pass (the function's timeout is Cognito's), the process is killed.
    const started = Date.now();
    const looping = trySignUp(pub, pools.loop!, 'looper');
    const [health, signInMs, loop] = await Promise.all([healthWhile(corral.url, looping), signInWhile(looping), looping]);
    expect(loop).toEqual({
      ok: false,
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(health.polls).toBeGreaterThan(40);
    expect(health.slowestMs).toBeLessThan(200);
    expect(signInMs).toBeLessThan(2500); // in-process, the loop held every request for its 5 s

    // process.exit(1) / sys.exit(1): Lambda's Runtime.ExitError, as the handler's failure.
    const exiting = trySignUp(pub, pools.exit!, 'quitter');
    const [exitHealth, exited] = await Promise.all([healthWhile(corral.url, exiting), exiting]);
    expect(exited).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
    expect((exited as { message: string }).message).toMatch(
      new RegExp(`^PreSignUp failed with error RequestId: ${UUID} Error: Runtime exited with error: exit status 1\\.$`),
    );
    expect(exitHealth.slowestMs).toBeLessThan(200);

    // 2 GiB: out of memory, Lambda's words for it.
    for (const name of ['hog', 'buffers']) {
      const hungry = trySignUp(pub, pools[name]!, `hungry-${name}`);
      const [hogHealth, hog] = await Promise.all([healthWhile(corral.url, hungry), hungry]);
      expect(hog, name).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
      expect((hog as { message: string }).message, name).toMatch(
        new RegExp(`^PreSignUp failed with error RequestId: ${UUID} Error: Runtime exited with error: signal: killed\\.$`),
      );
      expect(hogHealth.slowestMs, name).toBeLessThan(200);
    }

    // The counter's warm process saw none of it.
    expect(await counterCall('count-c')).toEqual({ call: 3, pid: before.pid });
    // A crashed function's next invocation gets a new process (and fails the same way, its own way).
    expect(await trySignUp(pub, pools.exit!, 'quitter-again')).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });

    const runs = await corral.app.store.invocations.list({ limit: 50 });
    const of = (name: string) => runs.filter((r) => r.functionName === `${runtime}-${name}`);
    expect(of('loop').map((r) => r.outcome)).toEqual(['TimedOut']);
    expect(of('loop')[0]!.logs).toContain('looping now');
    expect(of('exit').map((r) => r.outcome)).toEqual(['Failed', 'Failed']);
    expect(of('exit')[0]!.logs).toContain('bye');
    expect(of('hog')[0]!.errorMessage).toMatch(/Runtime exited with error: signal: killed$/);
    expect(of('counter').map((r) => r.outcome)).toEqual(['Failed', 'Failed', 'Failed']);
  }, 60_000);

  it('the function\'s own timeout stops it: Lambda\'s "Task timed out after N seconds", recorded TimedOut', async () => {
    const started = Date.now();
    const r = await trySignUp(pub, pools.slow!, 'slowpoke');
    const ms = Date.now() - started;
    expect(r).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
    expect((r as { message: string }).message).toMatch(
      new RegExp(`^PreSignUp failed with error \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${UUID} Task timed out after 1\\.00 seconds\\.$`),
    );
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(2900); // well before the 3 s the function wanted
    const [run] = await corral.app.store.invocations.list({ functionName: `${runtime}-slow`, limit: 1 });
    expect(run).toMatchObject({ outcome: 'TimedOut' });
    expect(run!.logs).toContain('sleeping 3 s');
  });

  it('reservedConcurrency: at most that many processes and invocations at once; the others wait their turn (until Cognito stops waiting)', async () => {
    const log = join(dir, 'overlap.log');
    writeFileSync(log, '');
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => trySignUp(pub, pools.overlap!, `overlap-${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    const spans = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { pid: number; start: number; end: number });
    expect(spans).toHaveLength(5);
    expect(new Set(spans.map((s) => s.pid)).size).toBeLessThanOrEqual(2);
    // The most running at once: a sweep over the starts (+1) and ends (-1), an end before a start at the same ms.
    const edges = spans.flatMap((s) => [[s.start, 1] as const, [s.end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, d] of edges) most = Math.max(most, (now += d));
    expect(most).toBe(2);

    // One at a time, 3 s each (its timeout is 10 s): the second SignUp is still waiting when Cognito's 5 s pass.
    const [first, second] = await Promise.all([trySignUp(pub, pools.queued!, 'queued-1'), trySignUp(pub, pools.queued!, 'queued-2')]);
    expect([first, second].filter((r) => r.ok)).toHaveLength(1);
    expect([first, second].find((r) => !r.ok)).toMatchObject({ name: 'UnexpectedLambdaException', message: expect.stringMatching(/Socket timeout/) });

    // 0: every invocation is throttled.
    expect(await trySignUp(pub, pools.throttled!, 'throttled')).toEqual({
      ok: false,
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error TooManyRequestsException: Rate Exceeded.',
    });
  }, 30_000);

  it("what the function prints is recorded with its invocation (stdout and stderr, bounded), never Corral's markers", async () => {
    expect(await trySignUp(pub, pools.chatty!, 'talker')).toEqual({ ok: true, confirmed: false });
    const [run] = await corral.app.store.invocations.list({ functionName: `${runtime}-chatty`, limit: 1 });
    expect(run!.outcome).toBe('Succeeded');
    const logs = run!.logs!;
    expect(logs).toContain('hello from talker');
    expect(logs).toContain('a warning');
    expect(logs).toMatch(/the end\n$/);
    expect(logs).toMatch(/characters not kept/);
    expect(Buffer.byteLength(logs)).toBeLessThanOrEqual(4096);
    expect(logs).not.toContain('\u001e');
  });

  it("the pool's processes are Corral's children, one per concurrent invocation at most", () => {
    const pids = functionProcessIds(corral.app);
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every(running)).toBe(true);
  });
});

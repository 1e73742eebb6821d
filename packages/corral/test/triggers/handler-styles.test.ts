// Every way a Lambda handler is written runs as on Lambda (triggers/runtime/node-bootstrap.ts, python-bootstrap.ts):
// ES modules and CommonJS (`.mjs`, `.cjs`, `.js` by the nearest package.json's `type`), async, promise, callback,
// `context.succeed/fail/done`, nested exports, the event-loop rules of callbacks; the Lambda context object and
// environment as the function sees them (and none of Corral's own); Python's `lambda_handler(event, context)`.
// Declared the way a provisioning file declares them: Lambda handler strings relative to the file. Over real HTTP.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { functionCredentials } from '../../src/triggers/function-credentials.js';
import { arnOf, functionFiles, provisioningFile, trySignUp } from './runtime-support.js';

/** Confirms the user: what every succeeding style below does. */
const CONFIRM = 'event.response.autoConfirmUser = true;';

const FILES: Record<string, string> = {
  'styles/async.mjs': `export const handler = async (event) => { ${CONFIRM} return event; };\n`,
  'styles/promise.mjs': `export const handler = (event) => new Promise((resolve) => setTimeout(() => { ${CONFIRM} resolve(event); }, 20));\n`,
  'styles/callback.mjs': `export function handler(event, context, callback) { setTimeout(() => { ${CONFIRM} callback(null, event); }, 20); }\n`,
  'styles/callback-error.mjs': `export function handler(event, context, callback) { callback(new Error('callback says no')); }\n`,
  'styles/succeed.cjs': `exports.handler = function (event, context) { ${CONFIRM} context.succeed(event); };\n`,
  'styles/fail.cjs': `exports.handler = function (event, context) { context.fail(new Error('context says no')); };\n`,
  'styles/done.cjs': `module.exports = { handler(event, context) { ${CONFIRM} context.done(null, event); } };\n`,
  'styles/done-error.cjs': `module.exports.handler = (event, context) => context.done('done says no');\n`,
  'styles/nested.cjs': `module.exports = { triggers: { preSignUp: async (event) => { ${CONFIRM} return event; } } };\n`,
  // .js: CommonJS or an ES module by the nearest package.json. `__filename` exists only in CommonJS,
  // `import.meta` only in ES modules: each file fails to load under the other.
  'cjs-pkg/package.json': '{ "type": "commonjs" }\n',
  'cjs-pkg/plain.js': `const file = __filename;\nexports.handler = async (event) => { if (!file.endsWith('plain.js')) throw new Error('no __filename'); ${CONFIRM} return event; };\n`,
  'esm-pkg/package.json': '{ "type": "module" }\n',
  'esm-pkg/plain.js': `const url = import.meta.url;\nexport const handler = async (event) => { if (!url.endsWith('plain.js')) throw new Error('no import.meta'); ${CONFIRM} return event; };\n`,
  // The event loop: a callback waits for it to empty (a 400 ms timer) unless callbackWaitsForEmptyEventLoop is false.
  'styles/waits.mjs': `export function handler(event, context, callback) { setTimeout(() => {}, 400); ${CONFIRM} callback(null, event); }\n`,
  'styles/no-wait.mjs': `export function handler(event, context, callback) { context.callbackWaitsForEmptyEventLoop = false; setTimeout(() => {}, 20000); ${CONFIRM} callback(null, event); }\n`,
  // Neither a promise nor a callback, nothing left to do: Lambda answers null.
  'styles/nothing.mjs': `export function handler(event, context, callback) {}\n`,
  'styles/uncaught.mjs': `export function handler(event, context, callback) { setTimeout(() => { throw new Error('late boom'); }, 10); }\n`,
  'styles/rejection.mjs': `export const handler = (event) => { Promise.reject(new Error('nobody caught me')); return new Promise(() => {}); };\n`,
  'styles/syntax.mjs': `export const handler = (event) => { return event;\n`,
  'styles/no-handler.mjs': `export const other = () => 1;\n`,
  'styles/context.mjs': `import { writeFileSync } from 'node:fs';
export const handler = async (event, context) => {
  writeFileSync(process.env.OUT_FILE, JSON.stringify({ context: { ...context, remaining: context.getRemainingTimeInMillis() }, env: process.env, cwd: process.cwd(), argv: process.argv }));
  return event;
};
`,
  'python/styles.py': `import os


def lambda_handler(event, context):
    event['response']['autoConfirmUser'] = True
    return event


def refuse(event, context):
    raise ValueError('python says no')


def unmarshalable(event, context):
    return {'response': object()}
`,
  'python/pkg/module.py': `def handler(event, context):
    event['response']['autoConfirmUser'] = True
    return event
`,
  'python/context.py': `import json, os


def lambda_handler(event, context):
    fields = ['aws_request_id', 'function_name', 'function_version', 'invoked_function_arn', 'memory_limit_in_mb', 'log_group_name', 'log_stream_name', 'identity', 'client_context']
    with open(os.environ['OUT_FILE'], 'w') as f:
        json.dump({'context': dict((k, getattr(context, k)) for k in fields), 'remaining': context.get_remaining_time_in_millis(), 'env': dict(os.environ), 'cwd': os.getcwd()}, f)
    return event
`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREAM = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

describe('handler styles and the Lambda context (Node.js and Python)', () => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let dir: string;
  const node = (handler: string, extra: object = {}) => ({ runtime: 'nodejs20.x', handler, ...extra });
  const python = (handler: string, extra: object = {}) => ({ runtime: 'python3.12', handler, ...extra });
  const functions: Record<string, object> = {};

  beforeAll(async () => {
    dir = functionFiles(FILES);
    for (const style of [
      'async',
      'promise',
      'callback',
      'callback-error',
      'succeed',
      'fail',
      'done',
      'done-error',
      'waits',
      'no-wait',
      'nothing',
      'uncaught',
      'rejection',
      'syntax',
      'no-handler',
    ]) {
      functions[`node-${style}`] = node(`styles/${style}.handler`);
    }
    functions['node-nested'] = node('styles/nested.triggers.preSignUp');
    functions['node-cjs-js'] = node('cjs-pkg/plain.handler');
    functions['node-esm-js'] = node('esm-pkg/plain.handler');
    functions['node-module-form'] = { module: './styles/async.mjs' };
    functions['node-context'] = node('styles/context.handler', {
      memorySize: 256,
      timeout: 3,
      environment: {
        OUT_FILE: join(dir, 'node-context.json'),
        FROM_CORRAL: '${CORRAL_TEST_PASSED_ON}',
        UNSET: '${CORRAL_TEST_NEVER_SET}',
        LITERAL: '$${HOME}',
      },
    });
    functions['py-styles'] = python('python/styles.lambda_handler');
    functions['py-refuse'] = python('python/styles.refuse');
    functions['py-unmarshalable'] = python('python/styles.unmarshalable');
    functions['py-dotted'] = python('python/pkg.module.handler');
    functions['py-missing'] = python('python/styles.nowhere');
    functions['py-context'] = python('python/context.lambda_handler', { memorySize: 512, environment: { OUT_FILE: join(dir, 'py-context.json') } });
    process.env.CORRAL_TEST_PASSED_ON = 'passed on';
    process.env.CORRAL_TEST_CANARY_SECRET = 'canary-must-not-reach-functions';
    corral = await startTestCorral({ provisionFile: provisioningFile(dir, functions) });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    delete process.env.CORRAL_TEST_PASSED_ON;
    delete process.env.CORRAL_TEST_CANARY_SECRET;
    pub?.destroy();
    await corral?.stop();
  });

  let n = 0;
  const run = async (fn: string, arn = arnOf(fn)) => {
    const seed = await createWildRydesPool(corral, { PoolName: fn, LambdaConfig: { PreSignUp: arn } });
    return trySignUp(pub, seed, `user-${++n}`);
  };
  const refused = (message: string) => ({ ok: false, name: 'UserLambdaValidationException', message: `PreSignUp failed with error ${message}.` });

  it('async, promise, callback, context.succeed / context.done, nested exports, `module` declarations: the answer is used', async () => {
    for (const style of ['async', 'promise', 'callback', 'succeed', 'done', 'nested', 'module-form']) {
      expect(await run(`node-${style}`), style).toEqual({ ok: true, confirmed: true });
    }
  });

  it("callback(err), context.fail, context.done('…'): the handler's failure", async () => {
    expect(await run('node-callback-error')).toEqual(refused('callback says no'));
    expect(await run('node-fail')).toEqual(refused('context says no'));
    expect(await run('node-done-error')).toEqual(refused('done says no'));
  });

  it(".js is CommonJS or an ES module by the nearest package.json's type", async () => {
    expect(await run('node-cjs-js')).toEqual({ ok: true, confirmed: true });
    expect(await run('node-esm-js')).toEqual({ ok: true, confirmed: true });
  });

  it('a callback waits for the event loop to empty, unless callbackWaitsForEmptyEventLoop is false; no answer at all is null', async () => {
    let t = Date.now();
    expect(await run('node-waits')).toEqual({ ok: true, confirmed: true });
    expect(Date.now() - t).toBeGreaterThanOrEqual(400);
    t = Date.now();
    expect(await run('node-no-wait')).toEqual({ ok: true, confirmed: true });
    expect(Date.now() - t).toBeLessThan(4000);
    expect(await run('node-nothing')).toEqual({ ok: false, name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
  });

  it('an uncaught exception or unhandled rejection fails the invocation (and only that process); load and export errors', async () => {
    expect(await run('node-uncaught')).toEqual(refused('late boom'));
    expect(await run('node-rejection')).toEqual(refused('nobody caught me'));
    // The process of each was replaced: they fail again the same way.
    expect(await run('node-uncaught')).toEqual(refused('late boom'));
    const syntax = await run('node-syntax');
    expect(syntax).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
    expect((syntax as { message: string }).message).toMatch(/^PreSignUp failed with error .*(Unexpected end of input|missing \}).*\.$/);
    expect(await run('node-no-handler')).toEqual({
      ok: false,
      name: 'UnexpectedLambdaException',
      message: `PreSignUp invocation failed due to error the module ${join(dir, 'styles/no-handler.mjs')} does not export a handler function`,
    });
  });

  it("the Lambda context and environment, the function's own variables, and nothing of Corral's", async () => {
    const arn = `${arnOf('node-context')}:prod`; // an alias: invokedFunctionArn is the ARN as invoked
    expect(await run('node-context', arn)).toEqual({ ok: true, confirmed: false });
    const seen = JSON.parse(readFileSync(join(dir, 'node-context.json'), 'utf8')) as {
      context: Record<string, unknown>;
      env: Record<string, string>;
      cwd: string;
      argv: string[];
    };
    expect(seen.context).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'node-context',
      functionVersion: '$LATEST',
      invokedFunctionArn: arn,
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/node-context',
    });
    expect(seen.context.awsRequestId).toMatch(UUID);
    expect(seen.context.logStreamName).toMatch(STREAM);
    expect(seen.context.remaining).toBeGreaterThan(1000);
    expect(seen.context.remaining).toBeLessThanOrEqual(3000);
    const credentials = functionCredentials(corral.app);
    expect(seen.env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'node-context',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/node-context',
      AWS_LAMBDA_LOG_STREAM_NAME: seen.context.logStreamName,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'styles/context.handler',
      TZ: ':UTC',
      AWS_ENDPOINT_URL_KMS: corral.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      OUT_FILE: join(dir, 'node-context.json'),
      FROM_CORRAL: 'passed on',
      LITERAL: '${HOME}',
    });
    expect(seen.env.AWS_SESSION_TOKEN).toBeTruthy();
    expect(seen.env).not.toHaveProperty('UNSET');
    expect(seen.cwd).toBe(dir);
    // Nothing of Corral's own environment or secrets.
    const text = JSON.stringify(seen);
    expect(Object.keys(seen.env).filter((k) => k.startsWith('CORRAL_') || k.startsWith('NODE_') || k === 'HOME' || k === 'LOG_LEVEL')).toEqual([]);
    for (const secret of [TEST_CREDENTIALS.secretAccessKey, corral.app.secrets.serverKey.toString('base64'), 'canary-must-not-reach-functions']) {
      expect(text).not.toContain(secret);
    }
    expect(credentials.accessKeyId).not.toBe(TEST_CREDENTIALS.accessKeyId);
  });

  it('Python: lambda_handler(event, context), other function names and dotted modules, exceptions, unmarshalable answers, a missing function', async () => {
    expect(await run('py-styles')).toEqual({ ok: true, confirmed: true });
    expect(await run('py-dotted')).toEqual({ ok: true, confirmed: true });
    expect(await run('py-refuse')).toEqual(refused('python says no'));
    const bad = await run('py-unmarshalable');
    expect(bad).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
    expect((bad as { message: string }).message).toMatch(
      /^PreSignUp failed with error Unable to marshal response: Object of type object is not JSON serializable\.$/,
    );
    expect(await run('py-missing')).toEqual({
      ok: false,
      name: 'UnexpectedLambdaException',
      message: `PreSignUp invocation failed due to error the module ${join(dir, 'python/styles.py')} does not export a function named nowhere`,
    });
    const [failed] = await corral.app.store.invocations.list({ functionName: 'py-refuse', limit: 1 });
    expect(failed!.logs).toMatch(/^\[ERROR\] ValueError: python says no\nTraceback \(most recent call last\):\n/);
  });

  it("Python: Lambda's context object and environment", async () => {
    expect(await run('py-context')).toEqual({ ok: true, confirmed: false });
    const seen = JSON.parse(readFileSync(join(dir, 'py-context.json'), 'utf8')) as {
      context: Record<string, unknown>;
      remaining: number;
      env: Record<string, string>;
      cwd: string;
    };
    expect(seen.context).toMatchObject({
      function_name: 'py-context',
      function_version: '$LATEST',
      invoked_function_arn: arnOf('py-context'),
      memory_limit_in_mb: '512',
      log_group_name: '/aws/lambda/py-context',
      identity: null,
      client_context: null,
    });
    expect(seen.context.aws_request_id).toMatch(UUID);
    expect(seen.context.log_stream_name).toMatch(STREAM);
    expect(seen.remaining).toBeGreaterThan(1000);
    expect(seen.remaining).toBeLessThanOrEqual(5000);
    expect(seen.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'py-context',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      _HANDLER: 'python/context.lambda_handler',
      LAMBDA_TASK_ROOT: dir,
      AWS_ENDPOINT_URL_KMS: corral.url,
    });
    expect(Object.keys(seen.env).filter((k) => k.startsWith('CORRAL_'))).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(seen.cwd).toBe(dir);
  });
});

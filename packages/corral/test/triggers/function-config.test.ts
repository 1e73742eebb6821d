// The provisioning file's `functions` (runtime/provision.ts): `module` and Lambda `handler` strings resolved against
// the file, Lambda's settings and their limits, the reserved environment names refused as Lambda refuses them; the
// environment's `${NAME}` references; the functions' key pair (triggers/function-credentials.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredFunctions, readProvisionFile, splitHandler } from '../../src/runtime/provision.js';
import { functionCredentials, functionSessionToken, isFunctionCredentials } from '../../src/triggers/function-credentials.js';
import { configuredEnvironment } from '../../src/triggers/runtime/environment.js';

function withFunctions(functions: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'corral-fncfg-'));
  const file = join(dir, 'corral.config.json');
  writeFileSync(file, JSON.stringify({ functions }));
  return file;
}

describe("the provisioning file's functions", () => {
  it('module and handler declarations, relative to the file, with their settings', () => {
    const file = withFunctions({
      esm: { module: './triggers/x.mjs' },
      tuned: { module: 'py/app.py', timeout: 3, memorySize: 256, environment: { STAGE: 'test' }, reservedConcurrency: 2 },
      cjs: { runtime: 'nodejs20.x', handler: 'triggers/cjs/pre-signup.handler' },
      nested: { handler: 'lib/index.triggers.preSignUp' },
      python: { runtime: 'python3', handler: 'triggers/python/pre_signup.lambda_handler' },
      dotted: { runtime: 'python3.12', handler: 'src/pkg.module.handler' },
      hook: { url: 'http://127.0.0.1:1/x' },
    });
    const dir = join(file, '..');
    expect(declaredFunctions(file, readProvisionFile(file))).toEqual({
      esm: { module: join(dir, 'triggers/x.mjs') },
      tuned: { module: join(dir, 'py/app.py'), timeout: 3, memorySize: 256, environment: { STAGE: 'test' }, reservedConcurrency: 2 },
      cjs: {
        module: join(dir, 'triggers/cjs/pre-signup'),
        exportName: 'handler',
        handler: 'triggers/cjs/pre-signup.handler',
        taskRoot: dir,
        runtime: 'nodejs20.x',
      },
      nested: { module: join(dir, 'lib/index'), exportName: 'triggers.preSignUp', handler: 'lib/index.triggers.preSignUp', taskRoot: dir },
      python: {
        module: join(dir, 'triggers/python/pre_signup'),
        exportName: 'lambda_handler',
        handler: 'triggers/python/pre_signup.lambda_handler',
        taskRoot: dir,
        runtime: 'python3',
      },
      dotted: { module: join(dir, 'src/pkg/module'), exportName: 'handler', handler: 'src/pkg.module.handler', taskRoot: dir, runtime: 'python3.12' },
      hook: { url: 'http://127.0.0.1:1/x' },
    });
    expect(splitHandler('./a/b.c.d', false)).toEqual({ modulePath: './a/b', exportName: 'c.d' });
    expect(splitHandler('./a/b.c.d', true)).toEqual({ modulePath: './a/b/c', exportName: 'd' });
  });

  it.each([
    [{ module: './x.mjs', handler: 'x.handler' }, /is not a valid Corral configuration/],
    [{ handler: 'index' }, /a Lambda handler string/],
    [{ handler: 'index.' }, /a Lambda handler string/],
    [{ module: './x.mjs', runtime: 'python3' }, /a python runtime runs a \.py module/],
    [{ module: './x.py', runtime: 'nodejs20.x' }, /a python runtime runs a \.py module/],
    [{ module: './x.mjs', runtime: 'java21' }, /nodejs, nodejs<N>\.x, python3 or python3\.<N>/],
    [{ module: './x.mjs', timeout: 0 }, /timeout/],
    [{ module: './x.mjs', timeout: 901 }, /timeout/],
    [{ module: './x.mjs', timeout: 1.5 }, /timeout/],
    [{ module: './x.mjs', memorySize: 64 }, /memorySize/],
    [{ module: './x.mjs', reservedConcurrency: -1 }, /reservedConcurrency/],
    [
      { module: './x.mjs', environment: { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'x' } },
      /Lambda reserves AWS_REGION, AWS_LAMBDA_FUNCTION_NAME: a function's environment cannot set them/,
    ],
    [{ module: './x.mjs', environment: { AWS_SECRET_ACCESS_KEY: 'x' } }, /Lambda reserves AWS_SECRET_ACCESS_KEY/],
    [{ module: './x.mjs', environment: { '1BAD': 'x', _X: 'y' } }, /1BAD, _X: an environment variable name is a letter/],
    [{ module: './x.mjs', environment: { BIG: 'x'.repeat(5000) } }, /5003 bytes: Lambda allows 4096 of variables/],
    [{ module: './x.mjs', environment: { N: 1 } }, /environment/],
  ])('refuses %#: %s', (decl, message) => {
    const file = withFunctions({ f: decl });
    expect(() => readProvisionFile(file)).toThrow(/is not a valid Corral configuration/);
    expect(() => readProvisionFile(file)).toThrow(message);
  });

  it("`${NAME}` in a variable is Corral's NAME; `$${` is a literal; a whole-value reference to an unset one leaves the variable out", () => {
    const env = { SET: 'value', EMPTY: '' };
    expect(configuredEnvironment({ A: '${SET}', B: 'x-${SET}-${NOPE}-y', C: '${NOPE}', D: '$${SET}', E: '${EMPTY}', F: 'plain $SET' }, env)).toEqual({
      A: 'value',
      B: 'x-value--y',
      D: '${SET}',
      E: '',
      F: 'plain $SET',
    });
  });
});

describe("the functions' key pair", () => {
  const app = (byte: number) => ({ secrets: { serverKey: Buffer.alloc(32, byte) } }) as Parameters<typeof functionCredentials>[0];

  it('is derived from the server key: the same on every instance, another for another key, never the admin pair', () => {
    const a = functionCredentials(app(1));
    expect(a).toEqual(functionCredentials(app(1)));
    expect(a.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(a.secretAccessKey).toMatch(/^[\w-]{40}$/);
    const b = functionCredentials(app(2));
    expect(b.accessKeyId).not.toBe(a.accessKeyId);
    expect(b.secretAccessKey).not.toBe(a.secretAccessKey);
    expect(isFunctionCredentials(app(1), a.accessKeyId)).toBe(true);
    expect(isFunctionCredentials(app(2), a.accessKeyId)).toBe(false);
    expect(functionSessionToken(app(1))).toBe(functionSessionToken(app(1)));
    expect(functionSessionToken(app(1))).not.toBe(functionSessionToken(app(2)));
  });
});

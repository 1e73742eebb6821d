// `corral functions logs [NAME] [--last N]` and `corral functions list` (triggers/functions-cli.ts): the recent
// invocations with what the functions printed, read from the server's data directory as `corral mail` reads the
// outbox; the built CLI too.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { functionsCommand, parseLogsArgs } from '../../src/triggers/functions-cli.js';
import { arnOf, functionFiles, provisioningFile, trySignUp } from './runtime-support.js';

describe('corral functions', () => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let dir: string;
  beforeAll(async () => {
    dir = functionFiles({
      'greeter.mjs': "export const handler = async (event) => {\n  console.log('welcome, ' + event.userName);\n  return event;\n};\n",
      'refuser.py': "def lambda_handler(event, context):\n    print('checking ' + event['userName'])\n    raise Exception('not today')\n",
    });
    corral = await startTestCorral({ provisionFile: provisioningFile(dir, { greeter: { module: './greeter.mjs' }, refuser: { module: './refuser.py' } }) });
    pub = publicClient(corral);
    const greeted = await createWildRydesPool(corral, { PoolName: 'greeted', LambdaConfig: { PreSignUp: arnOf('greeter') } });
    const refused = await createWildRydesPool(corral, { PoolName: 'refused', LambdaConfig: { PreSignUp: arnOf('refuser') } });
    expect(await trySignUp(pub, greeted, 'first')).toMatchObject({ ok: true });
    expect(await trySignUp(pub, greeted, 'second')).toMatchObject({ ok: true });
    expect(await trySignUp(pub, refused, 'third')).toMatchObject({ ok: false, name: 'UserLambdaValidationException' });
  });
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
  });

  const output = async (args: string[]) => {
    let out = '';
    await functionsCommand(
      args,
      { CORRAL_DATA_DIR: corral.dataDir, LOG_LEVEL: 'warn' },
      (s) => (out += s),
      () => corral.app.config,
    );
    return out;
  };

  it('logs: oldest first, with the outcome, the error and the output, of one function or all, the last N', async () => {
    const all = await output(['logs']);
    const heads = all.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(heads).toHaveLength(3);
    expect(heads[0]).toMatch(/^\S+Z {2}greeter {2}PreSignUp_SignUp {2}pool us-east-1_\w+ {2}\d+ ms {2}Succeeded$/);
    expect(heads[2]).toMatch(/ {2}refuser {2}.* {2}Failed$/);
    expect(all).toContain('  | welcome, first\n');
    expect(all).toContain('  error: not today\n');
    expect(all).toContain('  | checking third\n');
    expect(all.indexOf('welcome, first')).toBeLessThan(all.indexOf('welcome, second'));

    const last = await output(['logs', 'greeter', '--last', '1']);
    expect(last).toContain('welcome, second');
    expect(last).not.toContain('welcome, first');
    expect(last).not.toContain('refuser');
    expect(await output(['logs', 'nobody'])).toBe('No invocations of nobody.\n');
  });

  it('list: the registry; bad arguments are refused with the usage', async () => {
    const list = await output(['list']);
    expect(list).toBe(`greeter  nodejs  ${join(dir, 'greeter.mjs')}.handler  (config)\nrefuser  python  ${join(dir, 'refuser.py')}.lambda_handler  (config)\n`);
    expect(() => parseLogsArgs(['--last', '0'])).toThrow(/--last needs a whole number/);
    expect(() => parseLogsArgs(['a', 'b'])).toThrow(/one function name at most/);
    expect(() => parseLogsArgs(['--tail'])).toThrow(/unknown option --tail/);
    await expect(output(['tail'])).rejects.toThrow(/^usage: corral functions logs/);
  });

  (existsSync(CLI) ? it : it.skip)('the built CLI prints them from the data directory', async () => {
    const cli = runCli(['functions', 'logs', 'refuser'], { CORRAL_DATA_DIR: corral.dataDir, LOG_LEVEL: 'warn' }, dir);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/refuser {2}PreSignUp_SignUp .* Failed\n {2}error: not today\n {2}\| checking third\n/);
    const bad = runCli(['functions', 'logs', '--last', 'x'], { CORRAL_DATA_DIR: corral.dataDir }, dir);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/^--last needs a whole number/);
  });
});

// The AWS CLI (`aws cognito-idp … --endpoint-url`) run against a test Corral, isolated from the user's own AWS
// configuration. In CI (CI=true) a missing `aws` is a failure; elsewhere suites using it are skipped loudly.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_CREDENTIALS, type TestCorral } from './corral.js';

const run = promisify(execFile);

function findAws(): string | undefined {
  for (const candidate of [process.env.AWS_CLI, '/usr/bin/aws', 'aws']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next
    }
  }
  return undefined;
}

export const aws = findAws();
if (!aws) {
  if (process.env.CI === 'true') throw new Error('The AWS CLI (`aws`) is required in CI but was not found (apt-get install awscli).');
  console.warn('\n!!! The AWS CLI (`aws`) is not installed: the AWS CLI tests are SKIPPED !!!\n');
}

/** Runs `aws <service> <args>` against `corral`, isolated from the user's own AWS configuration (region us-east-1
 *  unless `--region` says otherwise); returns the parsed JSON output ({} when empty). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, whose members each test reads as it expects
export async function awsCli(corral: TestCorral, service: 'cognito-idp' | 'cognito-identity', ...args: string[]): Promise<Record<string, any>> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: corral.dataDir,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  const { stdout } = await run(aws!, [service, ...args, '--endpoint-url', corral.url, '--output', 'json'], { env, timeout: 60_000 });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** `aws cognito-idp <args>` against `corral` (awsCli). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as awsCli
export const awsIdp = (corral: TestCorral, ...args: string[]): Promise<Record<string, any>> => awsCli(corral, 'cognito-idp', ...args);

/** The CLI's stderr for a command expected to fail. */
export async function awsIdpError(corral: TestCorral, ...args: string[]): Promise<string> {
  return awsIdp(corral, ...args).then(
    (out) => {
      throw new Error(`expected aws cognito-idp ${args[0]} to fail, got ${JSON.stringify(out)}`);
    },
    (e: { stderr?: string }) => e.stderr ?? '',
  );
}

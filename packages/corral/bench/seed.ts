// The bench's data: a pool, an app client, `size` users loaded by user import jobs (as an operator loads a pool:
// GetCSVHeader → CreateUserImportJob → PUT the CSV to the PreSignedUrl → StartUserImportJob, polled with
// DescribeUserImportJob; at most 500,000 rows a file, Cognito's limit, so a million users are two jobs), and a few
// users with a password (imported users have none: they are RESET_REQUIRED) for the sign-in operations, made with
// AdminCreateUser + AdminSetUserPassword. The imported users are user0 … user<size-1>, emails user<i>@example.com,
// so ListUsers `email ^= "user12"` matches 11 of 1,000 and 111,111 of a million (and answers the first 60).
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUserPoolClientsCommand,
  StartUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { BENCH_ADMIN } from './server.js';

export const PASSWORD = 'Bench!Passw0rd';
export const POOL_NAME = 'Bench';
/** Cognito's limit on the rows of one import file. */
const ROWS_PER_JOB = 500_000;

// The AWS SDK (used here only to set up) warns on every client that future versions will need Node 22: not news here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (!String(warning).startsWith('NodeVersionSupportWarning')) (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export function adminClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1, credentials: BENCH_ADMIN });
}

function publicClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}

export interface Seeded {
  poolId: string;
  clientId: string;
  users: { username: string; password: string }[];
  poolSize: number;
}

/** The bench pool and client: made on a fresh data set, found on a loaded one. */
export async function poolAndClient(url: string): Promise<{ poolId: string; clientId: string; created: boolean }> {
  const admin = adminClient(url);
  try {
    const pools = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    const found = pools.UserPools?.find((p) => p.Name === POOL_NAME);
    if (found) {
      const clients = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: found.Id!, MaxResults: 60 }));
      return { poolId: found.Id!, clientId: clients.UserPoolClients![0]!.ClientId!, created: false };
    }
    const pool = await admin.send(
      new CreateUserPoolCommand({ PoolName: POOL_NAME, AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF' }),
    );
    const poolId = pool.UserPool!.Id!;
    const client = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bench',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId!, created: true };
  } finally {
    admin.destroy();
  }
}

export interface LoadReport {
  users: number;
  jobs: number;
  ms: number;
  imported: number;
  failed: number;
  skipped: number;
}

/** Loads user0 … user<size-1> through import jobs; `progress` hears how far it got. */
export async function importUsers(url: string, poolId: string, size: number, progress: (line: string) => void): Promise<LoadReport> {
  const admin = adminClient(url);
  const started = performance.now();
  const report: LoadReport = { users: size, jobs: 0, ms: 0, imported: 0, failed: 0, skipped: 0 };
  try {
    const header = (await admin.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
    const fixed: Record<string, string> = { email_verified: 'true', phone_number_verified: 'false', 'cognito:mfa_enabled': 'false' };
    for (let from = 0; from < size; from += ROWS_PER_JOB) {
      const to = Math.min(size, from + ROWS_PER_JOB);
      const lines = [header.join(',')];
      for (let i = from; i < to; i++) {
        lines.push(header.map((col) => (col === 'cognito:username' ? `user${i}` : col === 'email' ? `user${i}@example.com` : (fixed[col] ?? ''))).join(','));
      }
      const csv = Buffer.from(lines.join('\n') + '\n');
      const job = (
        await admin.send(
          new CreateUserImportJobCommand({
            UserPoolId: poolId,
            JobName: `bench-${from}`,
            CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/CognitoImportLogs',
          }),
        )
      ).UserImportJob!;
      const put = await fetch(job.PreSignedUrl!, { method: 'PUT', body: csv, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
      if (put.status !== 200) throw new Error(`PUT ${job.PreSignedUrl}: ${put.status} ${await put.text()}`);
      await admin.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
      report.jobs++;
      let lastLine = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, size > 10_000 ? 2000 : 200));
        const d = (await admin.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }))).UserImportJob!;
        const done = (d.ImportedUsers ?? 0) + (d.FailedUsers ?? 0) + (d.SkippedUsers ?? 0);
        if (performance.now() - lastLine > 10_000) {
          lastLine = performance.now();
          const s = (performance.now() - started) / 1000;
          progress(`    import: ${(from + done).toLocaleString('en-US')} of ${size.toLocaleString('en-US')} rows (${d.Status}), ${s.toFixed(0)} s`);
        }
        if (d.Status === 'Succeeded' || d.Status === 'Failed' || d.Status === 'Stopped' || d.Status === 'Expired') {
          report.imported += d.ImportedUsers ?? 0;
          report.failed += d.FailedUsers ?? 0;
          report.skipped += d.SkippedUsers ?? 0;
          if (d.Status !== 'Succeeded') throw new Error(`import job ${job.JobId} ended ${d.Status}: ${d.CompletionMessage}`);
          break;
        }
      }
    }
    report.ms = performance.now() - started;
    if (report.imported !== size) throw new Error(`imported ${report.imported} of ${size} users (failed ${report.failed}, skipped ${report.skipped})`);
    return report;
  } finally {
    admin.destroy();
  }
}

/** `n` users with a password, confirmed (AdminCreateUser, then AdminSetUserPassword permanent). */
export async function passwordUsers(url: string, poolId: string, n: number): Promise<{ username: string; password: string }[]> {
  const admin = adminClient(url);
  try {
    const users = Array.from({ length: n }, (_, i) => ({ username: `rider${String(i).padStart(3, '0')}`, password: PASSWORD }));
    for (const u of users) {
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: u.username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${u.username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: u.username, Password: u.password, Permanent: true }));
    }
    return users;
  } finally {
    admin.destroy();
  }
}

/** A refresh token and an access token of each user (one USER_PASSWORD_AUTH sign-in each). */
export async function tokensOf(
  url: string,
  clientId: string,
  users: { username: string; password: string }[],
): Promise<{ refresh: string[]; access: string[] }> {
  const pub = publicClient(url);
  try {
    const refresh: string[] = [];
    const access: string[] = [];
    for (const u of users) {
      const r = await pub.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.username, PASSWORD: u.password } }),
      );
      refresh.push(r.AuthenticationResult!.RefreshToken!);
      access.push(r.AuthenticationResult!.AccessToken!);
    }
    return { refresh, access };
  } finally {
    pub.destroy();
  }
}

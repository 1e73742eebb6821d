// User import jobs from a test: the CSV header and rows, the upload to the PreSignedUrl (fetch, as Cognito's
// documented curl does), and a job run to its end over the API.
import {
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  StartUserImportJobCommand,
  type CognitoIdentityProviderClient,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';

export const ROLE = 'arn:aws:iam::000000000000:role/CognitoImportRole';

/** The standard columns of GetCSVHeader, in Cognito's order (its sample response). */
export const STANDARD_COLUMNS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
];

/** A CSV file: the header, then one line per row (values by column; `,` written `\,`). */
export function csvOf(header: string[], rows: Record<string, string>[]): string {
  const esc = (v: string) => v.replace(/,/g, '\\,');
  return [header.join(','), ...rows.map((r) => header.map((c) => esc(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** A user row the walkthrough's pool accepts. */
export function rider(n: number | string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'cognito:username': `rider${n}`,
    'cognito:mfa_enabled': 'false',
    email: `rider${n}@example.com`,
    email_verified: 'TRUE',
    given_name: `Rider ${n}`,
    ...extra,
  };
}

export async function upload(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'PUT',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'text/csv', 'x-amz-server-side-encryption': 'aws:kms', ...headers },
  });
}

export async function header(idp: CognitoIdentityProviderClient, poolId: string): Promise<string[]> {
  return (await idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
}

export async function createJob(idp: CognitoIdentityProviderClient, poolId: string, name = 'riders'): Promise<UserImportJobType> {
  return (await idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
}

export async function describeJob(idp: CognitoIdentityProviderClient, poolId: string, jobId: string): Promise<UserImportJobType> {
  return (await idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob!;
}

export const ENDED = new Set(['Succeeded', 'Failed', 'Stopped', 'Expired']);

export async function waitForJob(
  idp: CognitoIdentityProviderClient,
  poolId: string,
  jobId: string,
  until: (j: UserImportJobType) => boolean = (j) => ENDED.has(j.Status!),
  timeoutMs = 60_000,
): Promise<UserImportJobType> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await describeJob(idp, poolId, jobId);
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.Status} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Create → upload → start → wait for the end. */
export async function runImport(idp: CognitoIdentityProviderClient, poolId: string, csv: string | Buffer): Promise<UserImportJobType> {
  const job = await createJob(idp, poolId);
  const put = await upload(job.PreSignedUrl!, csv);
  expect(put.status, await put.clone().text()).toBe(200);
  await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  return waitForJob(idp, poolId, job.JobId!);
}

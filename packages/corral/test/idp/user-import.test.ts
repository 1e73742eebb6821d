// User import jobs over real HTTP: GetCSVHeader, CreateUserImportJob → PUT of the CSV to the PreSignedUrl (fetch, as
// Cognito's documented curl does) → StartUserImportJob → DescribeUserImportJob until it ends; rows checked as Cognito
// checks them; imported users RESET_REQUIRED until ForgotPassword; the upload URL's signature and expiry; Stop.
import {
  AddCustomAttributesCommand,
  AdminGetUserCommand,
  AdminCreateUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  DescribeUserImportJobCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { createJob, csvOf, describeJob, ENDED, header, rider, ROLE, runImport, STANDARD_COLUMNS, upload, waitForJob } from '../support/user-imports.js';

describeEachBackend('user import jobs', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let cols: string[];

  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    seed = await createWildRydesPool(corral);
    cols = await header(corral.idp, seed.poolId);
  });
  afterAll(async () => corral?.stop());

  it("GetCSVHeader: the schema's attributes but sub and identities, custom ones, then cognito:mfa_enabled and cognito:username", async () => {
    expect(cols).toEqual([...STANDARD_COLUMNS, 'custom:genre', 'cognito:mfa_enabled', 'cognito:username']);
    await expect(corral.idp.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nope does not exist.',
    });
  });

  it('imports a file: Created → Pending → InProgress → Succeeded, with counts, dates and the users RESET_REQUIRED', async () => {
    const job = await createJob(corral.idp, seed.poolId, 'first riders');
    expect(job).toMatchObject({ Status: 'Created', JobName: 'first riders', UserPoolId: seed.poolId, CloudWatchLogsRoleArn: ROLE, ImportedUsers: 0 });
    expect(job.JobId).toMatch(/^import-[0-9a-zA-Z]+$/);
    expect(job.PreSignedUrl).toMatch(new RegExp(`^${corral.url}/_corral/import/${job.JobId}\\?X-Amz-Algorithm=AWS4-HMAC-SHA256&`));
    expect(job.CreationDate).toBeInstanceOf(Date);

    const rows = [1, 2, 3].map((n) => rider(`ok${n}`, { 'custom:genre': 'Rock, Pop', phone_number: `+1206555010${n}` }));
    const put = await upload(job.PreSignedUrl!, csvOf(cols, rows));
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);

    const started = (await corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }))).UserImportJob!;
    expect(['Pending', 'InProgress']).toContain(started.Status);
    expect(started.StartDate).toBeInstanceOf(Date);
    const done = await waitForJob(corral.idp, seed.poolId, job.JobId!);
    expect(done).toMatchObject({
      Status: 'Succeeded',
      ImportedUsers: 3,
      SkippedUsers: 0,
      FailedUsers: 0,
      CompletionMessage: 'Import Job Completed Successfully.',
      PreSignedUrl: job.PreSignedUrl,
    });
    expect(done.CompletionDate!.getTime()).toBeGreaterThanOrEqual(done.StartDate!.getTime());

    const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'riderok2' }));
    expect(user.UserStatus).toBe('RESET_REQUIRED');
    expect(user.Enabled).toBe(true);
    const attrs = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ email: 'riderok2@example.com', email_verified: 'true', given_name: 'Rider ok2', 'custom:genre': 'Rock, Pop' });
    expect(attrs.sub).toMatch(/^[0-9a-f-]{36}$/);
    // Found by ListUsers' indexed filters (the search rows are written with the users).
    const listed = await corral.idp.send(new ListUsersCommand({ UserPoolId: seed.poolId, Filter: 'email = "riderok3@example.com"' }));
    expect(listed.Users?.map((u) => u.Username)).toEqual(['riderok3']);

    const list = await corral.idp.send(new ListUserImportJobsCommand({ UserPoolId: seed.poolId, MaxResults: 10 }));
    expect(list.UserImportJobs?.[0]).toMatchObject({ JobId: job.JobId, Status: 'Succeeded' });
  });

  it('counts bad rows as FailedUsers and existing users as SkippedUsers; the rest is imported and the job Succeeds', async () => {
    await corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: seed.poolId,
        Username: 'rideralready',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'already@example.com' }],
      }),
    );
    const good = [
      rider('g1'),
      rider('g2', { phone_number: '+12065550111', phone_number_verified: 'true' }),
      rider('g3', { birthdate: '02/01/1985', updated_at: '1471453471' }),
    ];
    const bad = [
      rider('b1', { 'cognito:username': '' }), // no username
      rider('b2', { 'cognito:username': 'two words' }), // a space
      rider('b3', { 'cognito:mfa_enabled': '' }), // mfa empty
      rider('b4', { 'cognito:mfa_enabled': 'true', phone_number: '+12065550112' }), // MFA is OFF in the pool
      rider('b5', { email_verified: 'yes' }), // not a boolean
      rider('b6', { email: 'not-an-email' }), // email format
      rider('b7', { phone_number: '555-0100' }), // phone format
      rider('b8', { email_verified: 'false' }), // no auto-verified attribute verified
      rider('b9', { email: '', email_verified: 'true' }), // verified without an email
      rider('b10', { given_name: 'x'.repeat(2049) }), // longer than the schema allows
      rider('b11', { birthdate: '1985-02-01' }), // not mm/dd/yyyy
      rider('b12', { email: 'riderg1@example.com' }), // g1's verified email: an alias another user holds
    ];
    const skipped = [rider('already'), rider('g1', { email: 'other@example.com' })]; // exists; twice in the file
    const csv = csvOf(cols, [...good, ...bad, ...skipped]) + 'rider-short,false\n';
    const done = await runImport(corral.idp, seed.poolId, csv);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: good.length, FailedUsers: bad.length + 1, SkippedUsers: skipped.length });
    for (const r of good) {
      const u = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: r['cognito:username'] }));
      expect(u.UserStatus).toBe('RESET_REQUIRED');
    }
    for (const r of bad.slice(2)) {
      await expect(corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: r['cognito:username'] }))).rejects.toMatchObject({
        name: 'UserNotFoundException',
      });
    }
    // The existing user is untouched; g1 keeps its own email.
    const g1 = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'riderg1' }));
    expect(g1.UserAttributes!.find((a) => a.Name === 'email')?.Value).toBe('riderg1@example.com');
    expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rideralready' }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('reads CRLF line ends, a byte order mark and blank lines', async () => {
    const csv = '\uFEFF' + csvOf(cols, [rider('crlf1'), rider('crlf2')]).replace(/\n/g, '\r\n') + '\r\n\r\n';
    expect(await runImport(corral.idp, seed.poolId, csv)).toMatchObject({ Status: 'Succeeded', ImportedUsers: 2, FailedUsers: 0, SkippedUsers: 0 });
    const u = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'ridercrlf2' }));
    expect(u.UserAttributes!.find((a) => a.Name === 'given_name')?.Value).toBe('Rider crlf2');
  });

  it('in a pool whose usernames are emails, cognito:username is the email; the same email again is skipped', async () => {
    const byEmail = await createWildRydesPool(corral, { PoolName: 'ByEmail', AliasAttributes: undefined, UsernameAttributes: ['email'] });
    const ecols = await header(corral.idp, byEmail.poolId);
    const row = (username: string, extra: Record<string, string> = {}) => ({
      'cognito:username': username,
      'cognito:mfa_enabled': 'false',
      email_verified: 'true',
      ...extra,
    });
    const done = await runImport(
      corral.idp,
      byEmail.poolId,
      csvOf(ecols, [
        row('Ann@Example.com'),
        row('bob@example.com', { email: 'bob@example.com' }),
        row('ann@example.com'),
        row('carol'),
        row('dan@example.com', { email: 'other@example.com' }),
      ]),
    );
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 2, SkippedUsers: 1, FailedUsers: 2 });
    const ann = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: byEmail.poolId, Username: 'ann@example.com' }));
    expect(ann.Username).toMatch(/^[0-9a-f-]{36}$/); // the sub, as for any user of such a pool
    expect(ann.UserAttributes!.find((a) => a.Name === 'email')?.Value).toBe('Ann@Example.com');
  });

  it('fails the job when no user could be imported, and when the file cannot be read', async () => {
    const none = await runImport(
      corral.idp,
      seed.poolId,
      csvOf(cols, [rider('n1', { email_verified: 'false' }), rider('n2', { 'cognito:mfa_enabled': 'maybe' })]),
    );
    expect(none).toMatchObject({
      Status: 'Failed',
      ImportedUsers: 0,
      FailedUsers: 2,
      CompletionMessage: 'Too many users have failed or been skipped during the import.',
    });

    const lacking = await runImport(
      corral.idp,
      seed.poolId,
      csvOf(
        cols.filter((c) => c !== 'cognito:mfa_enabled'),
        [rider('h1')],
      ),
    );
    expect(lacking.Status).toBe('Failed');
    expect(lacking.CompletionMessage).toMatch(/lacks the column cognito:mfa_enabled/);
    const unknown = await runImport(corral.idp, seed.poolId, csvOf([...cols, 'password'], [rider('h2', { password: 'x' })]));
    expect(unknown.CompletionMessage).toMatch(/not an attribute of the user pool: "password"/);
    expect((await runImport(corral.idp, seed.poolId, '')).CompletionMessage).toMatch(/no header row/);
    const latin1 = await runImport(corral.idp, seed.poolId, Buffer.concat([Buffer.from(cols.join(',') + '\n'), Buffer.from([0x52, 0xe9, 0x0a])]));
    expect(latin1).toMatchObject({ Status: 'Failed', CompletionMessage: 'The CSV file is not UTF-8 text.' });

    const never = await createJob(corral.idp, seed.poolId);
    await corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: never.JobId! }));
    expect(await waitForJob(corral.idp, seed.poolId, never.JobId!)).toMatchObject({
      Status: 'Failed',
      CompletionMessage: 'No CSV file was uploaded to the PreSignedUrl of the job.',
    });
  });

  it('an imported user is RESET_REQUIRED until ForgotPassword → ConfirmForgotPassword, then signs in by username and by email', async () => {
    const legacy = await corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: seed.poolId,
        ClientName: 'legacy',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'LEGACY',
      }),
    );
    const clientId = legacy.UserPoolClient!.ClientId!;
    await runImport(corral.idp, seed.poolId, csvOf(cols, [rider('reset', { email: 'Reset.Rider@Example.com' })]));
    const pub = publicClient(corral);
    try {
      const signIn = (USERNAME: string, PASSWORD: string) =>
        pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
      // No password was imported: any password is told to reset (Cognito's answer), by username and by alias.
      await expect(signIn('riderreset', 'Whatever1!')).rejects.toMatchObject({
        name: 'PasswordResetRequiredException',
        message: 'Password reset required for the user',
      });
      await expect(signIn('reset.rider@example.com', 'Other-guess-2')).rejects.toMatchObject({ name: 'PasswordResetRequiredException' });
      const forgot = await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'riderreset' }));
      expect(forgot.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const code = await latestCode(corral, 'Reset.Rider@Example.com');
      await pub.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'riderreset', ConfirmationCode: code, Password: 'Imported-Rider-1' }));
      expect((await signIn('riderreset', 'Imported-Rider-1')).AuthenticationResult?.IdToken).toBeTruthy();
      // The verified email is the user's alias (as the import wrote it), case-insensitively.
      expect((await signIn('reset.rider@example.com', 'Imported-Rider-1')).AuthenticationResult?.AccessToken).toBeTruthy();
      expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'riderreset' }))).UserStatus).toBe('CONFIRMED');
    } finally {
      pub.destroy();
    }
  });

  it('refuses a tampered, expired or incomplete upload URL, an upload once the job has started, and a file over the limit', async () => {
    const job = await createJob(corral.idp, seed.poolId);
    const url = new URL(job.PreSignedUrl!);
    const sig = url.searchParams.get('X-Amz-Signature')!;
    const variant = (edit: (u: URL) => void) => {
      const u = new URL(url);
      edit(u);
      return u.toString();
    };
    const csv = csvOf(cols, [rider('late')]);
    const tampered = [
      variant((u) => u.searchParams.set('X-Amz-Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1))),
      variant((u) => u.searchParams.set('X-Amz-Date', '20990101T000000Z')),
      variant((u) => u.searchParams.set('X-Amz-Expires', '86400')),
      variant((u) => (u.pathname = u.pathname.replace(/[0-9a-zA-Z]$/, (c) => (c === 'x' ? 'y' : 'x')))),
    ];
    for (const t of tampered) {
      const res = await upload(t, csv);
      expect(res.status, t).toBe(403);
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    const bare = await upload(
      variant((u) => u.searchParams.delete('X-Amz-Signature')),
      csv,
    );
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain('<Code>AccessDenied</Code>');

    // 15 minutes later the same URL has expired.
    const realNow = corral.app.now;
    corral.app.now = () => realNow() + 15 * 60 * 1000 + 1000;
    try {
      const expired = await upload(job.PreSignedUrl!, csv);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    } finally {
      corral.app.now = realNow;
    }

    // Accepted with or without the server-side-encryption header (curl -T sends none of Content-Type).
    expect((await fetch(job.PreSignedUrl!, { method: 'PUT', body: csv })).status).toBe(200);
    expect((await upload(job.PreSignedUrl!, csv, { 'x-amz-server-side-encryption': 'aws:kms' })).status).toBe(200);
    await corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
    const after = await upload(job.PreSignedUrl!, csv);
    expect(after.status).toBe(403);
    expect(await after.text()).toContain('The import job has started');
    // Uploaded twice, imported once.
    expect(await waitForJob(corral.idp, seed.poolId, job.JobId!)).toMatchObject({ Status: 'Succeeded', ImportedUsers: 1 });
  });

  it('StartUserImportJob and StopUserImportJob refuse a job in the wrong state; an unknown job is ResourceNotFoundException', async () => {
    const job = await createJob(corral.idp, seed.poolId);
    await expect(corral.idp.send(new StopUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
    });
    await expect(corral.idp.send(new DescribeUserImportJobCommand({ UserPoolId: seed.poolId, JobId: 'import-nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: 'import-nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await upload(job.PreSignedUrl!, csvOf(cols, [rider('state1')]));
    await corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
    await waitForJob(corral.idp, seed.poolId, job.JobId!);
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
      message: `Import job ${job.JobId} cannot be started: its status is Succeeded.`,
    });
  });

  it('a job not started within 24 hours is Expired and cannot be started', async () => {
    // Made 24 hours ago (the clock is moved for the creation only: SigV4 checks the request's time against it).
    const realNow = corral.app.now;
    const job = await corral.app.store.userImports.create({
      id: 'import-expired1',
      poolId: seed.poolId,
      name: 'old',
      roleArn: ROLE,
      now: realNow() - 24 * 60 * 60 * 1000 - 1000,
    });
    expect((await describeJob(corral.idp, seed.poolId, job.id)).Status).toBe('Expired');
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.id }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
      message: `Import job ${job.id} cannot be started: its status is Expired.`,
    });
  });

  it('ListUserImportJobs pages newest first', async () => {
    const other = await createWildRydesPool(corral, { PoolName: 'ListJobs' });
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await createJob(corral.idp, other.poolId, `job ${i}`)).JobId);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await corral.idp.send(new ListUserImportJobsCommand({ UserPoolId: other.poolId, MaxResults: 2, PaginationToken: token }));
      expect(page.UserImportJobs!.length).toBeLessThanOrEqual(2);
      seen.push(...page.UserImportJobs!.map((j) => j.JobId!));
      token = page.PaginationToken;
    } while (token);
    expect(seen).toEqual([...made].reverse());
    await expect(corral.idp.send(new ListUserImportJobsCommand({ UserPoolId: other.poolId, MaxResults: 2, PaginationToken: 'bm9wZQ' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('user import jobs [sqlite]: limits, Stop, and a large file', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let cols: string[];

  beforeAll(async () => {
    corral = await startTestCorral({ backend: 'sqlite', config: { importMaxBytes: 40 * 1024 * 1024 } });
    seed = await createWildRydesPool(corral);
    cols = await header(corral.idp, seed.poolId);
  });
  afterAll(async () => corral?.stop());

  it('refuses a file over CORRAL_IMPORT_MAX_BYTES with EntityTooLarge', async () => {
    const job = await createJob(corral.idp, seed.poolId);
    const res = await upload(job.PreSignedUrl!, Buffer.alloc(40 * 1024 * 1024 + 1, 0x41));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>EntityTooLarge</Code>');
  });

  it('a pool without auto-verified attributes cannot start a job; only one job is active at a time', async () => {
    const bare = await createWildRydesPool(corral, { PoolName: 'NoAutoVerify', AutoVerifiedAttributes: [] });
    const job = await createJob(corral.idp, bare.poolId);
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: bare.poolId, JobId: job.JobId! }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
    });
  });

  it('Stop mid-job: Stopping, then Stopped after the batch in hand, with the users imported so far', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => rider(`stop${i}`));
    const job = await createJob(corral.idp, seed.poolId);
    expect((await upload(job.PreSignedUrl!, csvOf(cols, rows))).status).toBe(200);
    await corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }));
    await waitForJob(corral.idp, seed.poolId, job.JobId!, (j) => (j.ImportedUsers ?? 0) > 0 || ENDED.has(j.Status!));
    // The schema cannot change while a job runs (AddCustomAttributes), nor a second job start.
    await expect(
      corral.idp.send(
        new AddCustomAttributesCommand({ UserPoolId: seed.poolId, CustomAttributes: [{ Name: 'midjob', AttributeDataType: 'String', Mutable: true }] }),
      ),
    ).rejects.toMatchObject({ name: 'UserImportInProgressException' });
    // A second job cannot start while this one runs.
    const second = await createJob(corral.idp, seed.poolId);
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: second.JobId! }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
      message: 'Another import job is in progress: only one import job can be active at a time.',
    });
    const stopping = (await corral.idp.send(new StopUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }))).UserImportJob!;
    expect(stopping.Status).toBe('Stopping');
    const stopped = await waitForJob(corral.idp, seed.poolId, job.JobId!);
    expect(stopped).toMatchObject({ Status: 'Stopped', CompletionMessage: 'The Import Job was stopped by the developer.', FailedUsers: 0, SkippedUsers: 0 });
    expect(stopped.ImportedUsers).toBeGreaterThan(0);
    expect(stopped.ImportedUsers).toBeLessThan(rows.length);
    // Whole batches: the users stored are those counted.
    const stored = await corral.app.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', seed.poolId)
      .where('username', 'like', 'riderstop%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(stopped.ImportedUsers);
    await expect(corral.idp.send(new StartUserImportJobCommand({ UserPoolId: seed.poolId, JobId: job.JobId! }))).rejects.toMatchObject({
      name: 'PreconditionNotMetException',
    });
  });
});

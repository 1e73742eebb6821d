// `corral import users.csv --pool NAME [--endpoint URL] [--job-name NAME] [--role-arn ARN]`: loads a CSV file of
// users into a pool of a running Corral the way Cognito's documentation does it by hand — CreateUserImportJob, a PUT
// of the file to the job's PreSignedUrl, StartUserImportJob, then DescribeUserImportJob until the job ends — over the
// public API, signed with the admin key pair (runtime/remote-api.ts), with a progress bar. Ctrl-C stops the job
// (StopUserImportJob); a second Ctrl-C leaves it running. Exit code 0 when the job Succeeded, 1 otherwise.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { UserImportJobType, UserPoolDescriptionType } from '@aws-sdk/client-cognito-identity-provider';
import type { Api } from './reconcile.js';
import { isCredentialError, remoteApi, resolveCredentials, resolveEndpoint, serverTarget } from './remote-api.js';

export interface ImportOptions {
  file: string;
  pool: string;
  endpoint?: string;
  jobName?: string;
  roleArn?: string;
}

/** A failure the user can act on (cli.ts prints its message and exits 1). */
export class ImportRefused extends Error {}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const POLL_MS = 500;

/** Non-empty lines of the file after the header: what the progress bar counts to. */
async function countRows(file: string): Promise<number> {
  let lines = 0;
  let open = false;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === 0x0a) {
        if (open) lines++;
        open = false;
      } else if (b !== 0x0d) open = true;
    }
  }
  if (open) lines++;
  return Math.max(0, lines - 1);
}

async function findPool(api: Api, wanted: string): Promise<{ id: string; name: string }> {
  if (POOL_ID.test(wanted)) {
    try {
      const d = (await api('idp', 'DescribeUserPool', { UserPoolId: wanted })) as { UserPool?: { Id: string; Name: string } };
      if (d.UserPool) return { id: d.UserPool.Id, name: d.UserPool.Name };
    } catch (err) {
      if (isCredentialError(err)) throw err;
    }
  }
  const named: UserPoolDescriptionType[] = [];
  let token: string | undefined;
  do {
    const page = (await api('idp', 'ListUserPools', { MaxResults: 60, ...(token ? { NextToken: token } : {}) })) as {
      UserPools?: UserPoolDescriptionType[];
      NextToken?: string;
    };
    named.push(...(page.UserPools ?? []).filter((p) => p.Name === wanted));
    token = page.NextToken;
  } while (token);
  if (!named.length) throw new ImportRefused(`no user pool named or with the id ${JSON.stringify(wanted)}`);
  if (named.length > 1) throw new ImportRefused(`${named.length} user pools are named ${wanted} (${named.map((p) => p.Id).join(', ')}): give --pool the id`);
  return { id: named[0]!.Id!, name: named[0]!.Name! };
}

const fmt = (n: number) => n.toLocaleString('en-US');

function bar(done: number, total: number, width = 30): string {
  const f = total ? Math.min(1, done / total) : 1;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** Runs the import; → the job as it ended. Prints to `out` (a TTY gets a bar redrawn in place). */
export async function importUsers(opts: ImportOptions, out: NodeJS.WriteStream = process.stdout): Promise<UserImportJobType> {
  const file = resolve(opts.file);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ImportRefused(`${file} is not a file`);
  const endpoint = resolveEndpoint(opts.endpoint);
  const { key, source } = resolveCredentials();
  const target = await serverTarget(endpoint);
  const api = remoteApi(endpoint, key, target.region);
  const hint = (err: unknown): unknown =>
    isCredentialError(err)
      ? new ImportRefused(
          `Corral at ${endpoint} refused the admin credentials from ${source}: ${err.type}: ${err.message}\n` +
            `Use the server's admin key pair (\`corral credentials\` in its directory prints it).`,
        )
      : err;

  let pool: { id: string; name: string };
  try {
    pool = await findPool(api, opts.pool);
  } catch (err) {
    throw hint(err);
  }
  const total = await countRows(file);
  const bytes = statSync(file).size;
  const jobName = (opts.jobName ?? `corral import ${basename(file)}`).replace(/[^\w\s+=,.@-]/g, '_').slice(0, 128);
  const roleArn = opts.roleArn ?? `arn:aws:iam::${target.accountId}:role/CorralUserImport`;
  let job: UserImportJobType;
  try {
    job = (
      (await api('idp', 'CreateUserImportJob', { UserPoolId: pool.id, JobName: jobName, CloudWatchLogsRoleArn: roleArn })) as {
        UserImportJob: UserImportJobType;
      }
    ).UserImportJob;
  } catch (err) {
    throw hint(err);
  }

  // The PUT Cognito's documentation does with `curl -T file -H "x-amz-server-side-encryption:aws:kms" URL`.
  let put: Response;
  try {
    put = await fetch(job.PreSignedUrl!, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'content-length': String(bytes), 'x-amz-server-side-encryption': 'aws:kms' },
      body: createReadStream(file) as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
  } catch (err) {
    throw new ImportRefused(
      `cannot upload to ${new URL(job.PreSignedUrl!).origin} (the job's PreSignedUrl, from CORRAL_PUBLIC_URL): ${(err as Error).message}`,
    );
  }
  if (!put.ok) {
    const text = await put.text();
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${put.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text;
    throw new ImportRefused(`the upload was refused: ${code}: ${message}`);
  }
  out.write(`Uploaded ${basename(file)} (${(bytes / 1e6).toFixed(1)} MB, ${fmt(total)} users) to ${job.JobId} of user pool ${pool.name} (${pool.id})\n`);
  job = ((await api('idp', 'StartUserImportJob', { UserPoolId: pool.id, JobId: job.JobId })) as { UserImportJob: UserImportJobType }).UserImportJob;

  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      out.write(`\nStopping ${job.JobId} (Ctrl-C again to leave it running)…\n`);
      api('idp', 'StopUserImportJob', { UserPoolId: pool.id, JobId: job.JobId }).catch(() => undefined);
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const tty = out.isTTY === true;
  const started = Date.now();
  let lastLine = 0;
  let lastDecile = -1;
  try {
    for (;;) {
      job = ((await api('idp', 'DescribeUserImportJob', { UserPoolId: pool.id, JobId: job.JobId })) as { UserImportJob: UserImportJobType }).UserImportJob;
      const imported = Number(job.ImportedUsers ?? 0);
      const skipped = Number(job.SkippedUsers ?? 0);
      const failed = Number(job.FailedUsers ?? 0);
      const done = imported + skipped + failed;
      const secs = (Date.now() - started) / 1000;
      const line = `${bar(done, total)} ${fmt(done)}/${fmt(total)} · imported ${fmt(imported)} · skipped ${fmt(skipped)} · failed ${fmt(failed)} · ${fmt(Math.round(secs ? done / secs : 0))}/s · ${job.Status}`;
      const ended = !['Created', 'Pending', 'InProgress', 'Stopping'].includes(job.Status ?? '');
      const decile = Math.floor((total ? done / total : 1) * 10);
      if (tty) out.write(`\r${line}\x1b[K`);
      else if (ended || decile > lastDecile || Date.now() - lastLine > 5000) {
        out.write(`${line}\n`);
        lastLine = Date.now();
      }
      lastDecile = Math.max(lastDecile, decile);
      if (ended) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (tty) out.write('\n');
  const secs = (Date.now() - started) / 1000;
  const counts = `${fmt(Number(job.ImportedUsers ?? 0))} imported, ${fmt(Number(job.SkippedUsers ?? 0))} skipped, ${fmt(Number(job.FailedUsers ?? 0))} failed`;
  out.write(`${job.Status}: ${counts} in ${secs.toFixed(1)} s${job.CompletionMessage ? ` — ${job.CompletionMessage}` : ''}\n`);
  if (Number(job.SkippedUsers ?? 0) + Number(job.FailedUsers ?? 0) > 0) {
    out.write(`Each skipped or failed row is in the server's log, by line number ("user import row", job ${job.JobId}).\n`);
  }
  return job;
}

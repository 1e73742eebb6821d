// User import jobs as Cognito has them (Developer Guide, "Importing users into user pools from a CSV file" and
// "Creating and running the Amazon Cognito user pool import job"): CreateUserImportJob makes a job (Created) with a
// PreSignedUrl valid 15 minutes, to which the CSV file is PUT — served by Corral itself, as S3 would
// (http/import-upload.ts): an expiring HMAC with the server key in the query is the only credential, and the file is
// kept in the database in chunks, so every instance can read it. StartUserImportJob makes it Pending; one instance
// then runs it in the background (domain/user-import-runner.ts): InProgress → Succeeded or Failed, with
// ImportedUsers / SkippedUsers / FailedUsers; StopUserImportJob makes a Pending job Stopped and a running one
// Stopping, then Stopped. A job not started within 24 hours is Expired. One job at a time is active (Cognito: "Only
// one import job can be active at a time per account").
import type { UserImportJobType } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { keyedHash, safeEqual } from '../crypto/box.js';
import { InvalidParameterException, PreconditionNotMetException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { ImportJob } from '../storage/user-imports.js';
import type { Pool } from './pools.js';
import { verificationRule } from './user-import-csv.js';

export type { ImportJob } from '../storage/user-imports.js';

/** How long a PreSignedUrl takes uploads (Cognito: "valid for 15 minutes"). */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** A job not started within this long is Expired (Cognito: 24–48 hours). */
export const CREATED_JOB_TTL_MS = 24 * 60 * 60 * 1000;
export const STOPPED_MESSAGE = 'The Import Job was stopped by the developer.';
export const SUCCEEDED_MESSAGE = 'Import Job Completed Successfully.';
export const TOO_MANY_FAILED_MESSAGE = 'Too many users have failed or been skipped during the import.';
/** The path the PreSignedUrl names, under Corral's public URL. */
export const UPLOAD_PATH = '/_corral/import';
/** Cognito's limits on the file ("The maximum .csv file size is 100 MB", "… rows (users) in the file is 500,000"). */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 500_000;
/** An uploaded file is kept in pieces of about this many bytes. */
const CHUNK_BYTES = 1024 * 1024;
const UPLOAD_PURPOSE = 'user-import-upload';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function maxUploadBytes(app: Corral): number {
  return app.config.importMaxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
}

export function maxRows(app: Corral): number {
  return app.config.importMaxRows ?? DEFAULT_MAX_ROWS;
}

function newJobId(): string {
  return 'import-' + [...randomBytes(10)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** `20240101T000000Z`, as X-Amz-Date writes an instant. */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return amzDate(t) === s ? t : undefined;
}

function uploadSignature(app: Corral, jobId: string, date: string, expires: string): string {
  return keyedHash(app.secrets.serverKey, UPLOAD_PURPOSE, `${jobId}\n${date}\n${expires}`);
}

/** The job's PreSignedUrl: Corral's own upload path, signed for 15 minutes from the job's creation. */
export function presignedUrl(app: Corral, job: Pick<ImportJob, 'id' | 'createdAt'>): string {
  const date = amzDate(job.createdAt);
  const expires = String(UPLOAD_URL_TTL_SECONDS);
  const q = new URLSearchParams({
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Date': date,
    'X-Amz-Expires': expires,
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': uploadSignature(app, job.id, date, expires),
  });
  return `${app.config.publicUrl}${UPLOAD_PATH}/${job.id}?${q.toString()}`;
}

export type UploadRefusal = { status: number; code: string; message: string };

/** Whether an upload's query is a PreSignedUrl this server made for the job, still valid at `now`. */
export function checkUploadUrl(app: Corral, jobId: string, query: Record<string, unknown>, now: number): UploadRefusal | undefined {
  const get = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const date = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  const signature = get('X-Amz-Signature');
  if (get('X-Amz-Algorithm') !== ALGORITHM || !date || !expires || !signature) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters',
    };
  }
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined || !/^[0-9]{1,6}$/.test(expires) || !safeEqual(signature, uploadSignature(app, jobId, date, expires))) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  if (now > signedAt + Number(expires) * 1000) return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
  return undefined;
}

/** The job as the API describes it (UserImportJobType). */
export function describeJob(app: Corral, job: ImportJob): UserImportJobType {
  return {
    JobName: job.name,
    JobId: job.id,
    UserPoolId: job.poolId,
    PreSignedUrl: presignedUrl(app, job),
    CreationDate: new Date(job.createdAt),
    ...(job.startedAt !== undefined ? { StartDate: new Date(job.startedAt) } : {}),
    ...(job.completedAt !== undefined ? { CompletionDate: new Date(job.completedAt) } : {}),
    Status: job.status,
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
    ...(job.completionMessage !== undefined ? { CompletionMessage: job.completionMessage } : {}),
  };
}

/** A Created job past its 24 hours is Expired, even before housekeeping has marked it. */
function asSeen(job: ImportJob, now: number): ImportJob {
  if (job.status === 'Created' && job.createdAt < now - CREATED_JOB_TTL_MS) return { ...job, status: 'Expired' };
  return job;
}

export async function createImportJob(app: Corral, pool: Pool, name: string, roleArn: string): Promise<ImportJob> {
  return app.store.userImports.create({ id: newJobId(), poolId: pool.id, name, roleArn, now: app.now() });
}

function jobNotFound(pool: Pool, jobId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Import job ${jobId} does not exist in user pool ${pool.id}.`);
}

export async function requireImportJob(app: Corral, pool: Pool, jobId: string): Promise<ImportJob> {
  const job = await app.store.userImports.findInPool(pool.id, jobId);
  if (!job) throw jobNotFound(pool, jobId);
  return asSeen(job, app.now());
}

/** StartUserImportJob: Created → Pending; the runner of some instance takes it from there. */
export async function startImportJob(app: Corral, pool: Pool, jobId: string): Promise<ImportJob> {
  const current = await requireImportJob(app, pool, jobId);
  if (current.status === 'Created' && !verificationRule(pool).length) {
    // "If the user pool has no auto-verified attributes, the import job will not start." (Developer Guide)
    throw new PreconditionNotMetException(
      'The user pool has no auto verified attributes (email or phone_number): imported users could not reset their passwords.',
    );
  }
  if (current.status !== 'Created') throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: its status is ${current.status}.`);
  const started = await app.store.userImports.start(pool.id, jobId, app.now());
  if (started.ok) return started.job;
  if (started.reason === 'missing') throw jobNotFound(pool, jobId);
  if (started.reason === 'busy') throw new PreconditionNotMetException('Another import job is in progress: only one import job can be active at a time.');
  throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: its status is ${started.status}.`);
}

/** StopUserImportJob: a Pending job is Stopped; an InProgress one Stopping (Stopped once its current batch is done). */
export async function stopImportJob(app: Corral, pool: Pool, jobId: string): Promise<ImportJob> {
  await requireImportJob(app, pool, jobId);
  const stopped = await app.store.userImports.stop(pool.id, jobId, app.now(), STOPPED_MESSAGE);
  if (stopped.ok) return stopped.job;
  if (stopped.reason === 'missing') throw jobNotFound(pool, jobId);
  throw new PreconditionNotMetException(`Import job ${jobId} cannot be stopped: its status is ${stopped.status}.`);
}

/** The page size ListUserImportJobs answers at most (the model's UserImportJobsListType holds 1 to 50 jobs). */
const LIST_MAX = 50;

export async function listImportJobs(app: Corral, pool: Pool, maxResults: number, token: string | undefined): Promise<{ jobs: ImportJob[]; next?: string }> {
  let after: { createdAt: number; id: string } | undefined;
  if (token !== undefined) {
    const m = /^([0-9]+)\.(import-[0-9a-zA-Z-]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m || Buffer.from(m[0], 'utf8').toString('base64url') !== token) throw new InvalidParameterException('Invalid pagination token.');
    after = { createdAt: Number(m[1]), id: m[2]! };
  }
  const limit = Math.min(maxResults, LIST_MAX);
  const found = await app.store.userImports.list(pool.id, limit + 1, after);
  const now = app.now();
  const jobs = found.slice(0, limit).map((j) => asSeen(j, now));
  const last = jobs[jobs.length - 1];
  return { jobs, ...(found.length > limit && last ? { next: Buffer.from(`${last.createdAt}.${last.id}`, 'utf8').toString('base64url') } : {}) };
}

// ---- The upload (http/import-upload.ts) ----

export type UploadResult = { ok: true; etag: string } | { ok: false; refusal: UploadRefusal };

/**
 * Stores a file PUT to the job's PreSignedUrl, as it arrives: in pieces of about 1 MiB cut between characters, under
 * a new upload id, made the job's file when complete (a second upload replaces the first). A file that is not UTF-8,
 * or holds U+0000, is kept as that error (the job fails with it, as Cognito fails a file it cannot parse); one over
 * the size limit is refused (EntityTooLarge) and nothing is kept; so is any upload once the job has started.
 */
export async function receiveUpload(app: Corral, jobId: string, body: AsyncIterable<Buffer>): Promise<UploadResult> {
  const store = app.store.userImports;
  const limit = maxUploadBytes(app);
  const uploadId = randomUUID();
  const md5 = createHash('md5');
  let held: Buffer[] = [];
  let heldBytes = 0;
  let seq = 0;
  let bytes = 0;
  let error: string | undefined;
  let first = true;
  // Lines: non-empty lines counted across pieces (`open`: the current line has characters).
  let lines = 0;
  let open = false;
  const count = (text: string) => {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const end = nl === -1 ? text.length : nl;
      if (end > from && !(end - from === 1 && text[from] === '\r')) open = true;
      if (nl === -1) return;
      if (open) lines++;
      open = false;
      from = nl + 1;
    }
  };
  const decoder = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const store1 = async (piece: Buffer) => {
    if (error) return;
    let text: string;
    try {
      text = decoder().decode(piece);
    } catch {
      error = 'The CSV file is not UTF-8 text.';
      return;
    }
    if (first) text = text.replace(/^\uFEFF/, '');
    first = false;
    if (text.includes('\u0000')) {
      error = 'The CSV file contains the character U+0000.';
      return;
    }
    count(text);
    await store.addChunk(jobId, uploadId, seq++, text);
  };
  try {
    for await (const data of body) {
      bytes += data.length;
      if (bytes > limit) {
        await store.discardUpload(jobId, uploadId);
        return {
          ok: false,
          refusal: { status: 400, code: 'EntityTooLarge', message: `Your proposed upload exceeds the maximum allowed size (${limit} bytes).` },
        };
      }
      md5.update(data);
      held.push(data);
      heldBytes += data.length;
      if (heldBytes < CHUNK_BYTES) continue;
      let pending = Buffer.concat(held, heldBytes);
      while (pending.length >= CHUNK_BYTES) {
        // Cut before a UTF-8 continuation byte, so each piece is whole characters.
        let cut = CHUNK_BYTES;
        while (cut > CHUNK_BYTES - 4 && (pending[cut]! & 0xc0) === 0x80) cut--;
        await store1(pending.subarray(0, cut));
        pending = pending.subarray(cut);
      }
      held = pending.length ? [pending] : [];
      heldBytes = pending.length;
    }
    if (heldBytes) await store1(Buffer.concat(held, heldBytes));
    if (open) lines++;
  } catch (err) {
    await store.discardUpload(jobId, uploadId).catch(() => undefined);
    throw err;
  }
  if (error) await store.discardUpload(jobId, uploadId);
  const rows = Math.max(0, lines - 1);
  const committed = await store.commitUpload(jobId, uploadId, { bytes, rows, error }, app.now());
  if (!committed)
    return { ok: false, refusal: { status: 403, code: 'AccessDenied', message: 'The import job has started: its file can no longer be replaced.' } };
  return { ok: true, etag: `"${md5.digest('hex')}"` };
}

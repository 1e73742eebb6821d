// The background side of user import jobs: every instance runs one runner (started with the HTTP server,
// http/import-upload.ts), which every second — and at once when StartUserImportJob was answered here — asks the
// database for the active job (storage/user-imports.ts `claim`: one instance gets it), and runs it:
//   - reads the file from the database, a piece at a time, from where the job stands (`next_line`);
//   - checks each row (domain/user-import-csv.ts) and imports the good ones a batch at a time (1,000 rows), in one
//     transaction per batch with the job's progress and counters, under the job's lease (renewed by each batch);
//     between batches it yields to the event loop, so sign-ins keep being answered;
//   - a row refused is FAILED (counted, logged with its line number and reason, never its values), a user that
//     exists already SKIPPED (Cognito: "[SKIPPED] Line Number 5956 - The user already exists.");
//   - sees a Stop between batches (the batch's transaction finds the job Stopping) and ends it Stopped;
//   - at the end: Succeeded, or Failed when no user could be imported ("Too many users have failed or been skipped
//     during the import.", as Cognito reports it); a file that cannot be read fails the job before any user.
// No state another instance needs lives here: an instance that dies leaves the job InProgress under a lease that
// runs out (CORRAL_IMPORT_LEASE_SECONDS), and another instance goes on after the last batch that committed; one that
// stops cleanly lets the job go at once. Imported users are RESET_REQUIRED, without a password: they sign in after
// ForgotPassword → ConfirmForgotPassword (or AdminSetUserPassword), as Cognito's imported users do.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Corral } from '../runtime/app.js';
import type { ImportedUser, ImportJob } from '../storage/user-imports.js';
import { findPool, type Pool } from './pools.js';
import { checkRow, parseHeader, type CsvLayout } from './user-import-csv.js';
import { CREATED_JOB_TTL_MS, maxRows, STOPPED_MESSAGE, SUCCEEDED_MESSAGE, TOO_MANY_FAILED_MESSAGE } from './user-import.js';
import { aliasesFor, usernameKey } from './users.js';

/**
 * Rows per transaction: 1,000 to start with, then as many as fit in about BATCH_TARGET_MS (between 100 and 5,000).
 * On SQLite every other request's queries wait while a batch holds the one connection, so a batch stays short, and
 * after each one the runner lets the requests in flight finish first (`Traffic`), waiting at most as long as the
 * batch took — so under load the import still gets half the time, and a request waits for one batch at most.
 */
export const BATCH_ROWS_START = 1000;
const BATCH_ROWS_MIN = 100;
const BATCH_ROWS_MAX = 5000;
const BATCH_TARGET_MS = 50;

/** What the runner knows of the server's requests: resolves when none is in flight, or after `maxMs`. */
export interface Traffic {
  idle(maxMs: number): Promise<void>;
}

const noTraffic: Traffic = { idle: () => sleep(0) };
const DEFAULT_LEASE_SECONDS = 30;
const POLL_MS = 1000;
const SWEEP_MS = 60_000;
/** Rows logged one by one per run (failures and skips); past that, only the counts. */
const LOGGED_ROWS_MAX = 1000;
const BATCH_TRIES = 3;

/** Lines of the job's file, a chunk at a time: [index among the lines after the header (-1: the header), text]. */
async function* fileLines(app: Corral, job: ImportJob): AsyncGenerator<[number, string]> {
  let carry = '';
  let index = -1;
  for (let seq = 0; ; seq++) {
    const text = await app.store.userImports.chunk(job.id, job.uploadId!, seq);
    if (text === undefined) break;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl === -1) {
        carry += text.slice(from);
        break;
      }
      let line = carry + text.slice(from, nl);
      carry = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      yield [index++, line];
      from = nl + 1;
    }
  }
  if (carry !== '') yield [index, carry.endsWith('\r') ? carry.slice(0, -1) : carry];
}

class ImportRunner {
  readonly id = randomUUID();
  readonly #app: Corral;
  readonly #log: Logger;
  readonly #leaseMs: number;
  readonly #traffic: Traffic;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #lastSweep = 0;

  constructor(app: Corral, traffic: Traffic) {
    this.#app = app;
    this.#traffic = traffic;
    this.#log = app.log.child({ component: 'user-import' });
    this.#leaseMs = (app.config.importLeaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000;
  }

  start(): void {
    this.#timer = setInterval(() => this.kick(), Math.min(POLL_MS, this.#leaseMs / 3));
    this.#timer.unref();
    this.kick();
  }

  /** Looks for a job to run now (a StartUserImportJob answered here); a look already under way looks again after. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Stops looking and lets a job in hand go after its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  async #loop(): Promise<void> {
    const store = this.#app.store.userImports;
    try {
      const now = this.#app.now();
      if (now - this.#lastSweep >= SWEEP_MS) {
        this.#lastSweep = now;
        await store.sweep(now, now - CREATED_JOB_TTL_MS, STOPPED_MESSAGE);
      }
      while (!this.#stopped) {
        const t = this.#app.now();
        const job = await store.claim(this.id, t, t + this.#leaseMs);
        if (!job) break;
        await this.#run(job);
      }
    } catch (err) {
      // The database away, most likely (storage logs an outage once: then this is debug): the next tick tries again,
      // and a job in hand is taken up when its lease ends.
      const outage = (err as { logged?: unknown }).logged === true;
      this.#log[outage ? 'debug' : 'warn']({ err: { message: (err as Error).message } }, 'user import: could not look for jobs');
    }
  }

  async #finish(job: ImportJob, status: 'Succeeded' | 'Failed' | 'Stopped', message: string, log: Logger, counts?: ImportJob): Promise<void> {
    const done = await this.#app.store.userImports.finish(job.id, this.id, status, message, this.#app.now());
    const c = done ?? counts ?? job;
    log.info({ status, imported: c.imported, skipped: c.skipped, failed: c.failed, message }, 'user import job ended');
  }

  async #run(claimed: ImportJob): Promise<void> {
    const app = this.#app;
    const store = app.store.userImports;
    const log = this.#log.child({ job: claimed.id, pool: claimed.poolId });
    const resumed = claimed.nextLine > 0;
    log.info({ resumed, at: claimed.nextLine, rows: claimed.uploadRows }, resumed ? 'user import job taken over' : 'user import job started');
    const pool = await findPool(app, claimed.poolId);
    if (!pool) return this.#finish(claimed, 'Failed', 'The user pool has been deleted.', log);
    if (!claimed.uploadId) return this.#finish(claimed, 'Failed', 'No CSV file was uploaded to the PreSignedUrl of the job.', log);
    if (claimed.uploadError) return this.#finish(claimed, 'Failed', claimed.uploadError, log);
    if (claimed.uploadRows > maxRows(app)) {
      return this.#finish(claimed, 'Failed', `The CSV file has ${claimed.uploadRows} users: at most ${maxRows(app)} can be imported by one job.`, log);
    }

    const started = Date.now();
    let job = claimed;
    let layout: CsvLayout | undefined;
    let logged = 0;
    let batch: { line: number; user: ImportedUser }[] = [];
    let refused = 0;
    let batchRows = BATCH_ROWS_START;
    const resumeAt = claimed.nextLine;
    let consumed = resumeAt;
    let done = 0;
    const note = (line: number, result: 'FAILED' | 'SKIPPED', reason: string) => {
      if (logged++ < LOGGED_ROWS_MAX) log.info({ line, result, reason }, 'user import row');
      else if (logged === LOGGED_ROWS_MAX + 1) log.info('user import: further rows failed or skipped are counted, not logged');
    };

    const flush = async (): Promise<'go' | 'stop' | 'lost'> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const now = app.now();
          const result = await store.importBatch({
            jobId: job.id,
            owner: this.id,
            poolId: pool.id,
            users: batch.map((b) => b.user),
            failed: refused,
            nextLine: consumed,
            takenAliasSkips: !!pool.settings.UsernameAttributes?.length,
            now,
            leaseUntil: now + this.#leaseMs,
          });
          if (!result.ok) return result.status === 'Stopping' ? 'stop' : 'lost';
          result.outcomes.forEach((o, i) => {
            const line = batch[i]!.line;
            if (o === 'exists') note(line, 'SKIPPED', 'The user already exists.');
            else if (o !== 'imported') {
              if (pool.settings.UsernameAttributes?.length) note(line, 'SKIPPED', 'The user already exists.');
              else note(line, 'FAILED', `An account with the given ${o.aliasTaken} already exists.`);
            }
          });
          done += batch.length + refused;
          job = result.job;
          batch = [];
          refused = 0;
          return 'go';
        } catch (err) {
          if (attempt >= BATCH_TRIES) throw err;
          log.warn({ err: { message: (err as Error).message }, attempt }, 'user import batch failed: trying again');
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    };

    try {
      for await (const [index, line] of fileLines(app, job)) {
        if (index === -1) {
          const header = parseHeader(pool, line);
          if (!header.ok) return await this.#finish(job, 'Failed', header.message, log);
          layout = header.layout;
          continue;
        }
        if (index < resumeAt) continue;
        consumed = index + 1;
        if (line.trim() === '') continue;
        const checked = checkRow(pool, layout!, line);
        if (!checked.ok) {
          refused++;
          note(index + 2, 'FAILED', checked.reason);
        } else batch.push({ line: index + 2, user: toStored(pool, checked.row) });
        if (batch.length + refused >= batchRows) {
          const t = performance.now();
          const next = await flush();
          const ms = performance.now() - t;
          log.debug({ rows: batchRows, ms: Math.round(ms) }, 'user import batch');
          batchRows = Math.round(
            Math.min(BATCH_ROWS_MAX, Math.max(BATCH_ROWS_MIN, batchRows * Math.min(1.5, Math.max(0.5, BATCH_TARGET_MS / Math.max(ms, 1))))),
          );
          if (next === 'stop') return await this.#finish(job, 'Stopped', STOPPED_MESSAGE, log);
          if (next === 'lost') return log.info('user import job no longer held here: leaving it');
          if (this.#stopped) {
            await store.release(job.id, this.id);
            return log.info({ at: consumed }, 'user import job let go (this instance is stopping)');
          }
          await this.#traffic.idle(Math.max(1, ms));
        }
      }
      if (!layout) return await this.#finish(job, 'Failed', 'The CSV file is empty: it has no header row.', log);
      if (batch.length || refused || consumed > job.nextLine) {
        const next = await flush();
        if (next === 'stop') return await this.#finish(job, 'Stopped', STOPPED_MESSAGE, log);
        if (next === 'lost') return log.info('user import job no longer held here: leaving it');
      }
      const ms = Date.now() - started;
      log.info({ rows: done, ms, rowsPerSecond: ms ? Math.round((done * 1000) / ms) : undefined }, 'user import: file read');
      const failedAll = job.imported === 0 && job.failed + job.skipped > 0;
      await this.#finish(job, failedAll ? 'Failed' : 'Succeeded', failedAll ? TOO_MANY_FAILED_MESSAGE : SUCCEEDED_MESSAGE, log, job);
    } catch (err) {
      log.error({ err: { message: (err as Error).message }, at: consumed }, 'user import job failed');
      await this.#finish(job, 'Failed', `The import stopped at line ${consumed + 1} on an internal error.`, log).catch(() => undefined);
    }
  }
}

let subCounter = 0;

/**
 * A sub for an imported user: a version-4 UUID (as every Cognito sub) whose first 48 bits are the time in ms and the
 * next 12 a counter, the other 62 random. Users and their aliases and search rows are keyed by sub in several
 * indexes; random keys would put each of a batch's rows on a different page of each (measured on SQLite: 100,000
 * rows 2.5× slower, and slower the larger the pool), time-ordered ones go to the end of them.
 */
export function importedSub(now: number): string {
  subCounter = (subCounter + 1) & 0xfff;
  const time = Math.floor(now).toString(16).padStart(12, '0').slice(-12);
  const r = randomBytes(9);
  const hex = r.toString('hex');
  const variant = (8 + (r[0]! & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-4${subCounter.toString(16).padStart(3, '0')}-${variant}${hex.slice(2, 5)}-${hex.slice(5, 17)}`;
}

/** The user as stored: a new sub, RESET_REQUIRED (storage), its aliases, SMS MFA when cognito:mfa_enabled. */
function toStored(pool: Pool, row: { username?: string; attributes: Record<string, string>; mfaEnabled: boolean }): ImportedUser {
  const sub = importedSub(Date.now());
  const username = row.username ?? sub;
  const attributes = { sub, ...row.attributes };
  return {
    sub,
    username,
    usernameKey: usernameKey(pool, username),
    attributes,
    mfa: row.mfaEnabled ? JSON.stringify({ enabled: ['SMS_MFA'] }) : null,
    aliases: aliasesFor(pool, attributes),
  };
}

const runners = new WeakMap<Corral, ImportRunner>();

/** Starts this instance's runner (once per service); → its stop, which lets a job in hand go after its batch. */
export function startImportRunner(app: Corral, traffic: Traffic = noTraffic): () => Promise<void> {
  let runner = runners.get(app);
  if (!runner) {
    runner = new ImportRunner(app, traffic);
    runners.set(app, runner);
    runner.start();
  }
  const r = runner;
  return async () => {
    runners.delete(app);
    await r.stop();
  };
}

/** Tells this instance's runner a job was just started (it looks at once instead of at its next tick). */
export function kickImportRunner(app: Corral): void {
  runners.get(app)?.kick();
}

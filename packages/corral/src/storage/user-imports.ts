// User import jobs, their uploaded files, and the bulk insert of their users. Every change that could race is one
// conditional statement or one short transaction:
//   - `start` makes a Created job Pending and active in one UPDATE; the unique index on `active` refuses a second
//     active job, whichever instance starts it;
//   - `claim` gives the active job to one instance (`UPDATE … WHERE active = 1 AND (status = 'Pending' OR its lease
//     ran out)`): of instances asking at once, one gets it;
//   - `importBatch` writes a batch's users, their aliases and search rows, and the job's progress and counters in
//     one transaction that first checks (under the job row's lock) that the caller still holds the job and that it
//     is still InProgress — so a batch is imported once, a job taken over goes on after the last batch that
//     committed, and a Stop is seen before the next batch;
//   - an upload's chunks are written under its own id and become the job's file in one UPDATE, only while the job
//     is Created.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { sql as raw, type ExpressionBuilder, type Transaction } from 'kysely';
import { isUniqueViolation } from './db.js';
import type { DB, UserImportJobsTable, UsersTable } from './schema.js';
import { count, forUpdate, type Sql } from './sql.js';
import { searchRows, type Alias, type AliasAttribute, type Attributes } from './users.js';

export type ImportJobStatus = 'Created' | 'Pending' | 'InProgress' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded' | 'Expired';

export interface ImportJob {
  id: string;
  poolId: string;
  name: string;
  roleArn: string;
  status: ImportJobStatus;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  imported: number;
  skipped: number;
  failed: number;
  completionMessage?: string;
  owner?: string;
  leaseUntil?: number;
  /** Data lines of the file done (the header not counted). */
  nextLine: number;
  uploadId?: string;
  uploadedAt?: number;
  uploadBytes: number;
  /** Non-empty lines after the header. */
  uploadRows: number;
  uploadError?: string;
}

export interface NewImportJob {
  id: string;
  poolId: string;
  name: string;
  roleArn: string;
  now: number;
}

/** A user of a batch, ready to store: RESET_REQUIRED, no password. */
export interface ImportedUser {
  sub: string;
  username: string;
  usernameKey: string;
  attributes: Attributes;
  /** The MFA record (domain/user-mfa.ts), or null. */
  mfa: string | null;
  /** The sign-in aliases its attributes call for. */
  aliases: Alias[];
}

/** What became of one user of a batch: stored, its username taken already, or one of its aliases held by another user. */
export type RowOutcome = 'imported' | 'exists' | { aliasTaken: AliasAttribute };

export interface BatchInput {
  jobId: string;
  owner: string;
  poolId: string;
  users: ImportedUser[];
  /** Rows of the batch refused before the database (invalid), counted with the batch. */
  failed: number;
  /** Where the job stands after this batch (data lines done). */
  nextLine: number;
  /** A taken alias means the user exists (a pool whose usernames are emails or phone numbers) rather than a failure. */
  takenAliasSkips: boolean;
  now: number;
  leaseUntil: number;
}

export type BatchResult = { ok: true; outcomes: RowOutcome[]; job: ImportJob } | { ok: false; status?: ImportJobStatus };

export type StartResult =
  { ok: true; job: ImportJob } | { ok: false; reason: 'missing' } | { ok: false; reason: 'busy' } | { ok: false; reason: 'status'; status: ImportJobStatus };
export type StopResult = { ok: true; job: ImportJob } | { ok: false; reason: 'missing' } | { ok: false; reason: 'status'; status: ImportJobStatus };

/** Rows per INSERT on SQLite (users have 16 columns: well under its 32,766 parameters); PostgreSQL takes arrays. */
const ROWS_PER_STATEMENT = 500;
const PG_ROWS_PER_STATEMENT = 5000;
const STATUS: UserStatusType = 'RESET_REQUIRED';

function fromRow(r: UserImportJobsTable): ImportJob {
  const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
  return {
    id: r.id,
    poolId: r.pool_id,
    name: r.name,
    roleArn: r.role_arn,
    status: r.status as ImportJobStatus,
    createdAt: Number(r.created_at),
    startedAt: r.started_at === null ? undefined : Number(r.started_at),
    completedAt: r.completed_at === null ? undefined : Number(r.completed_at),
    imported: Number(r.imported),
    skipped: Number(r.skipped),
    failed: Number(r.failed),
    completionMessage: opt(r.completion_message),
    owner: opt(r.owner),
    leaseUntil: r.lease_until === null ? undefined : Number(r.lease_until),
    nextLine: Number(r.next_line),
    uploadId: opt(r.upload_id),
    uploadedAt: r.uploaded_at === null ? undefined : Number(r.uploaded_at),
    uploadBytes: Number(r.upload_bytes),
    uploadRows: Number(r.upload_rows),
    uploadError: opt(r.upload_error),
  };
}

function parts<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Thrown inside a transaction to roll it back: the job is no longer the caller's to run (its status, if it exists). */
class Lost {
  constructor(readonly status?: ImportJobStatus) {}
}

type Tx = Transaction<DB>;

export function userImportsRepository(sql: Sql) {
  const { db } = sql;

  const dropChunks = (q: Tx | Sql['db'], jobId: string) => q.deleteFrom('user_import_chunks').where('job_id', '=', jobId).execute();

  /**
   * Inserts the users whose username is free: → the subs stored. PostgreSQL gets each column as one array
   * (`unnest`): a few parameters instead of one per value, which parsing and binding 16 × 1,000 of made the slow part.
   */
  async function insertUsers(tx: Tx, poolId: string, users: ImportedUser[], now: number): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const part of parts(users, sql.postgres ? PG_ROWS_PER_STATEMENT : ROWS_PER_STATEMENT)) {
      let got: { id: string }[];
      if (sql.postgres) {
        const col = (f: (u: ImportedUser) => string | null) => part.map(f);
        got = (
          await raw<{ id: string }>`
            INSERT INTO users (id, pool_id, username, username_key, status, enabled, attributes, srp_salt, srp_verifier, mfa,
              tokens_valid_after, failed_attempts, last_failed_at, created_at, updated_at, pending_attributes)
            SELECT u.id, ${poolId}::text, u.username, u.username_key, ${STATUS}::text, 1, u.attributes, NULL, NULL, u.mfa, 0, 0, NULL, ${now}::bigint, ${now}::bigint, NULL
            FROM unnest(${col((u) => u.sub)}::text[], ${col((u) => u.username)}::text[], ${col((u) => u.usernameKey)}::text[],
              ${col((u) => JSON.stringify(u.attributes))}::text[], ${col((u) => u.mfa)}::text[]) AS u(id, username, username_key, attributes, mfa)
            ON CONFLICT DO NOTHING
            RETURNING id`.execute(tx)
        ).rows;
      } else {
        const rows: UsersTable[] = part.map((u) => ({
          id: u.sub,
          pool_id: poolId,
          username: u.username,
          username_key: u.usernameKey,
          status: STATUS,
          enabled: 1,
          attributes: JSON.stringify(u.attributes),
          srp_salt: null,
          srp_verifier: null,
          mfa: u.mfa,
          tokens_valid_after: 0,
          failed_attempts: 0,
          last_failed_at: null,
          created_at: now,
          updated_at: now,
          pending_attributes: null,
        }));
        got = await tx
          .insertInto('users')
          .values(rows)
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .execute();
      }
      for (const r of got) inserted.add(r.id);
    }
    return inserted;
  }

  /** Inserts alias rows whose value is free: → `<user>|<attribute>` of those stored. */
  async function insertAliases(tx: Tx, poolId: string, aliases: (Alias & { userId: string })[]): Promise<Set<string>> {
    const placed = new Set<string>();
    for (const part of parts(aliases, sql.postgres ? PG_ROWS_PER_STATEMENT : ROWS_PER_STATEMENT)) {
      const got = sql.postgres
        ? (
            await raw<{ user_id: string; attribute: string }>`
              INSERT INTO user_aliases (pool_id, attribute, value_key, user_id)
              SELECT ${poolId}::text, a.attribute, a.value_key, a.user_id
              FROM unnest(${part.map((a) => a.attribute)}::text[], ${part.map((a) => a.valueKey)}::text[], ${part.map((a) => a.userId)}::text[])
                AS a(attribute, value_key, user_id)
              ON CONFLICT DO NOTHING
              RETURNING user_id, attribute`.execute(tx)
          ).rows
        : await tx
            .insertInto('user_aliases')
            .values(part.map((a) => ({ pool_id: poolId, attribute: a.attribute, value_key: a.valueKey, user_id: a.userId })))
            .onConflict((oc) => oc.doNothing())
            .returning(['user_id', 'attribute'])
            .execute();
      for (const r of got) placed.add(`${r.user_id}|${r.attribute}`);
    }
    return placed;
  }

  async function insertSearchRows(tx: Tx, rows: ReturnType<typeof searchRows>): Promise<void> {
    for (const part of parts(rows, sql.postgres ? PG_ROWS_PER_STATEMENT : ROWS_PER_STATEMENT)) {
      if (sql.postgres) {
        await raw`
          INSERT INTO user_search (pool_id, attribute, value, user_id)
          SELECT * FROM unnest(${part.map((r) => r.pool_id)}::text[], ${part.map((r) => r.attribute)}::text[], ${part.map((r) => r.value)}::text[],
            ${part.map((r) => r.user_id)}::text[])`.execute(tx);
      } else await tx.insertInto('user_search').values(part).execute();
    }
  }

  async function find(jobId: string): Promise<ImportJob | undefined> {
    const row = await db.selectFrom('user_import_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return row && fromRow(row);
  }

  return {
    async create(j: NewImportJob): Promise<ImportJob> {
      const row: UserImportJobsTable = {
        id: j.id,
        pool_id: j.poolId,
        name: j.name,
        role_arn: j.roleArn,
        status: 'Created',
        active: null,
        created_at: j.now,
        started_at: null,
        completed_at: null,
        imported: 0,
        skipped: 0,
        failed: 0,
        completion_message: null,
        owner: null,
        lease_until: null,
        next_line: 0,
        upload_id: null,
        uploaded_at: null,
        upload_bytes: 0,
        upload_rows: 0,
        upload_error: null,
      };
      await db.insertInto('user_import_jobs').values(row).execute();
      return fromRow(row);
    },

    find,

    /** The job, when it belongs to the pool. */
    async findInPool(poolId: string, jobId: string): Promise<ImportJob | undefined> {
      const job = await find(jobId);
      return job?.poolId === poolId ? job : undefined;
    },

    /** Whether an import job of the pool is active (Pending, InProgress or Stopping). */
    async activeInPool(poolId: string): Promise<boolean> {
      const row = await db.selectFrom('user_import_jobs').select('id').where('pool_id', '=', poolId).where('active', '=', 1).limit(1).executeTakeFirst();
      return !!row;
    },

    /** Up to `limit` jobs of the pool, newest first, after the job `after` (its creation time and id). */
    async list(poolId: string, limit: number, after?: { createdAt: number; id: string }): Promise<ImportJob[]> {
      let q = db.selectFrom('user_import_jobs').selectAll().where('pool_id', '=', poolId);
      if (after) {
        q = q.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(fromRow);
    },

    /** Created → Pending (and active): refused when the job is missing, not Created, or another job is active. */
    async start(poolId: string, jobId: string, now: number): Promise<StartResult> {
      try {
        const row = await db
          .updateTable('user_import_jobs')
          .set({ status: 'Pending', active: 1, started_at: now })
          .where('id', '=', jobId)
          .where('pool_id', '=', poolId)
          .where('status', '=', 'Created')
          .returningAll()
          .executeTakeFirst();
        if (row) return { ok: true, job: fromRow(row) };
      } catch (err) {
        if (isUniqueViolation(err)) return { ok: false, reason: 'busy' };
        throw err;
      }
      const job = await find(jobId);
      if (!job || job.poolId !== poolId) return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'status', status: job.status };
    },

    /** Pending → Stopped at once; InProgress → Stopping (its runner stops it between two batches). */
    async stop(poolId: string, jobId: string, now: number, message: string): Promise<StopResult> {
      const pending = await db
        .updateTable('user_import_jobs')
        .set({ status: 'Stopped', active: null, completed_at: now, completion_message: message, owner: null, lease_until: null })
        .where('id', '=', jobId)
        .where('pool_id', '=', poolId)
        .where('status', '=', 'Pending')
        .returningAll()
        .executeTakeFirst();
      if (pending) {
        await dropChunks(db, jobId);
        return { ok: true, job: fromRow(pending) };
      }
      const running = await db
        .updateTable('user_import_jobs')
        .set({ status: 'Stopping' })
        .where('id', '=', jobId)
        .where('pool_id', '=', poolId)
        .where('status', '=', 'InProgress')
        .returningAll()
        .executeTakeFirst();
      if (running) return { ok: true, job: fromRow(running) };
      const job = await find(jobId);
      if (!job || job.poolId !== poolId) return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'status', status: job.status };
    },

    /**
     * Gives the active job to `owner` until `leaseUntil` when it is Pending, or InProgress with its lease run out
     * (its instance died or let it go): → the job, now InProgress; undefined when there is none to take.
     */
    async claim(owner: string, now: number, leaseUntil: number): Promise<ImportJob | undefined> {
      const takeable = (eb: ExpressionBuilder<DB, 'user_import_jobs'>) =>
        eb.and([
          eb('active', '=', 1),
          eb.or([eb('status', '=', 'Pending'), eb.and([eb('status', '=', 'InProgress'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])])]),
        ]);
      // A read first (every instance asks every second; on SQLite a write would take the database's write lock).
      const candidate = await db.selectFrom('user_import_jobs').select('id').where(takeable).executeTakeFirst();
      if (!candidate) return undefined;
      const row = await db
        .updateTable('user_import_jobs')
        .set({ status: 'InProgress', owner, lease_until: leaseUntil })
        .where('id', '=', candidate.id)
        .where(takeable)
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },

    /** Ends a job the caller holds (Succeeded, Failed, or Stopped after a Stop): its file is deleted. */
    async finish(jobId: string, owner: string, status: ImportJobStatus, message: string, now: number): Promise<ImportJob | undefined> {
      const row = await db
        .updateTable('user_import_jobs')
        .set({ status, active: null, completed_at: now, completion_message: message, owner: null, lease_until: null })
        .where('id', '=', jobId)
        .where('owner', '=', owner)
        .where('status', 'in', ['InProgress', 'Stopping'])
        .returningAll()
        .executeTakeFirst();
      if (row) await dropChunks(db, jobId);
      return row && fromRow(row);
    },

    /** Lets a held job go at once (this instance is stopping): another instance may take it over. */
    async release(jobId: string, owner: string): Promise<void> {
      await db.updateTable('user_import_jobs').set({ lease_until: 0 }).where('id', '=', jobId).where('owner', '=', owner).execute();
    },

    /**
     * Housekeeping any instance may do: a Created job older than `expireBefore` is Expired (its file deleted); a
     * Stopping job whose instance is gone is Stopped. → how many jobs changed.
     */
    async sweep(now: number, expireBefore: number, stoppedMessage: string): Promise<number> {
      const expired = await db
        .updateTable('user_import_jobs')
        .set({ status: 'Expired', completed_at: now })
        .where('status', '=', 'Created')
        .where('created_at', '<', expireBefore)
        .returning('id')
        .execute();
      const stopped = await db
        .updateTable('user_import_jobs')
        .set({ status: 'Stopped', active: null, completed_at: now, completion_message: stoppedMessage, owner: null, lease_until: null })
        .where('active', '=', 1)
        .where('status', '=', 'Stopping')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returning('id')
        .execute();
      for (const { id } of [...expired, ...stopped]) await dropChunks(db, id);
      return expired.length + stopped.length;
    },

    // ---- The uploaded file ----

    async addChunk(jobId: string, uploadId: string, seq: number, data: string): Promise<void> {
      await db.insertInto('user_import_chunks').values({ job_id: jobId, upload_id: uploadId, seq, data }).execute();
    },

    /**
     * Makes a complete upload the job's file, replacing an earlier one (whose chunks are deleted) — only while the job
     * is Created: → false (and the upload's chunks deleted) otherwise. Uploads racing each other: the last to commit
     * is the file, whole; a started job's file can no longer change (its status is checked under the row's lock).
     */
    async commitUpload(jobId: string, uploadId: string, u: { bytes: number; rows: number; error?: string }, now: number): Promise<boolean> {
      const done = await db.transaction().execute(async (tx) => {
        // Only the upload this one replaces is dropped: others may still be streaming in, and may replace it in turn.
        const before = await forUpdate(sql, tx.selectFrom('user_import_jobs').select('upload_id').where('id', '=', jobId)).executeTakeFirst();
        const row = await tx
          .updateTable('user_import_jobs')
          .set({ upload_id: uploadId, uploaded_at: now, upload_bytes: u.bytes, upload_rows: u.rows, upload_error: u.error ?? null, next_line: 0 })
          .where('id', '=', jobId)
          .where('status', '=', 'Created')
          .returning('id')
          .executeTakeFirst();
        if (row && before?.upload_id) await tx.deleteFrom('user_import_chunks').where('job_id', '=', jobId).where('upload_id', '=', before.upload_id).execute();
        return !!row;
      });
      if (!done) await this.discardUpload(jobId, uploadId);
      return done;
    },

    async discardUpload(jobId: string, uploadId: string): Promise<void> {
      await db.deleteFrom('user_import_chunks').where('job_id', '=', jobId).where('upload_id', '=', uploadId).execute();
    },

    /** The text of chunk `seq` of an upload; undefined past its last. */
    async chunk(jobId: string, uploadId: string, seq: number): Promise<string | undefined> {
      const row = await db
        .selectFrom('user_import_chunks')
        .select('data')
        .where('job_id', '=', jobId)
        .where('upload_id', '=', uploadId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return row?.data;
    },

    // ---- The bulk insert ----

    /**
     * Imports a batch in one transaction — its users (RESET_REQUIRED, no password), their aliases and search rows
     * (storage/users.ts `searchRows`, as every user write keeps them), and the job's counters and progress — when
     * the caller still holds the job and it is still InProgress; otherwise nothing is written and the answer says
     * the job's status (Stopping: a Stop came). A username taken already (or earlier in the file) is 'exists'; a user
     * whose alias another user holds is not stored.
     */
    async importBatch(b: BatchInput): Promise<BatchResult> {
      try {
        return await db.transaction().execute(async (tx) => {
          const held = await forUpdate(
            sql,
            tx.selectFrom('user_import_jobs').select('status').where('id', '=', b.jobId).where('owner', '=', b.owner),
          ).executeTakeFirst();
          if (!held || held.status !== 'InProgress') throw new Lost(held?.status as ImportJobStatus | undefined);

          // Within the batch the first of a username, or of an alias value, wins (the database decides against the
          // users stored before).
          const outcomes: RowOutcome[] = [];
          const names = new Set<string>();
          const values = new Set<string>();
          const candidates: ImportedUser[] = [];
          for (const u of b.users) {
            const taken = u.aliases.find((a) => values.has(`${a.attribute}|${a.valueKey}`));
            if (names.has(u.usernameKey)) outcomes.push('exists');
            else if (taken) outcomes.push({ aliasTaken: taken.attribute });
            else {
              outcomes.push('imported');
              candidates.push(u);
              names.add(u.usernameKey);
              for (const a of u.aliases) values.add(`${a.attribute}|${a.valueKey}`);
            }
          }

          const inserted = await insertUsers(tx, b.poolId, candidates, b.now);
          const wanted = candidates.filter((u) => inserted.has(u.sub)).flatMap((u) => u.aliases.map((a) => ({ userId: u.sub, ...a })));
          const placed = await insertAliases(tx, b.poolId, wanted);

          const losers: string[] = [];
          const kept: ImportedUser[] = [];
          let c = 0;
          for (let i = 0; i < b.users.length; i++) {
            if (outcomes[i] !== 'imported') continue;
            const u = candidates[c++]!;
            if (!inserted.has(u.sub)) {
              outcomes[i] = 'exists';
              continue;
            }
            const missing = u.aliases.find((a) => !placed.has(`${u.sub}|${a.attribute}`));
            if (missing) {
              outcomes[i] = { aliasTaken: missing.attribute };
              losers.push(u.sub);
            } else kept.push(u);
          }
          for (const part of parts(losers, ROWS_PER_STATEMENT)) {
            await tx.deleteFrom('user_aliases').where('user_id', 'in', part).execute();
            await tx.deleteFrom('users').where('id', 'in', part).execute();
          }
          await insertSearchRows(
            tx,
            kept.flatMap((u) => searchRows(b.poolId, u.sub, u.attributes)),
          );

          const exists = outcomes.filter((o) => o === 'exists').length;
          const taken = outcomes.filter((o) => typeof o === 'object').length;
          const updated = await tx
            .updateTable('user_import_jobs')
            .set((eb) => ({
              imported: eb('imported', '+', kept.length),
              skipped: eb('skipped', '+', exists + (b.takenAliasSkips ? taken : 0)),
              failed: eb('failed', '+', b.failed + (b.takenAliasSkips ? 0 : taken)),
              next_line: b.nextLine,
              lease_until: b.leaseUntil,
            }))
            .where('id', '=', b.jobId)
            .where('owner', '=', b.owner)
            .returningAll()
            .executeTakeFirstOrThrow();
          return { ok: true as const, outcomes, job: fromRow(updated) };
        });
      } catch (err) {
        if (err instanceof Lost) return { ok: false, status: err.status };
        throw err;
      }
    },

    /** Rows of a table for one job (tests). */
    async chunkCount(jobId: string): Promise<number> {
      const r = await db
        .selectFrom('user_import_chunks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('job_id', '=', jobId)
        .executeTakeFirst();
      return count(r?.n as number | bigint | undefined);
    },
  };
}

export type UserImportsRepository = ReturnType<typeof userImportsRepository>;

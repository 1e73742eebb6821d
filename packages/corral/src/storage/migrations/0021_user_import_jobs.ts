// User import jobs (CreateUserImportJob … StopUserImportJob) and the CSV files uploaded to their PreSignedUrl.
//   - user_import_jobs: one row per job, its status and counters; `active` is 1 while the job is Pending, InProgress
//     or Stopping and NULL otherwise, under a unique index, so at most one job is active at a time (Cognito: "Only
//     one import job can be active at a time per account"), whichever instance starts it. The instance running a job
//     holds it by `owner` and `lease_until` (renewed by every batch); `next_line` is how many data lines of the file
//     are done, written in the same transaction as those lines' users, so a job taken over after its instance died
//     goes on where that instance's last batch ended.
//   - user_import_chunks: the uploaded file, in pieces of about 1 MiB of text (cut between characters), under the
//     upload that wrote them (a second upload replaces the first only when it is complete). Deleted when the job ends.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('active', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_message', 'text')
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('next_line', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upload_id', 'text')
    .addColumn('uploaded_at', 'bigint')
    .addColumn('upload_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('upload_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upload_error', 'text')
    .execute();
  await db.schema.createIndex('user_import_jobs_pool').on('user_import_jobs').columns(['pool_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('user_import_jobs_status').on('user_import_jobs').columns(['status', 'started_at']).execute();
  await db.schema.createIndex('user_import_jobs_active').on('user_import_jobs').column('active').unique().execute();

  await db.schema
    .createTable('user_import_chunks')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.id').onDelete('cascade'))
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_chunks_pk', ['job_id', 'upload_id', 'seq'])
    .execute();
}

// A sign-in's challenge answer spent together with the refresh token it ends in: `spent_session` is the keyed hash
// of the answered sealed token (as spent_sessions keeps it), unique, so a replayed answer cannot insert a second
// refresh token — one write (and, on SQLite with synchronous = FULL, one fsync) where a spent_sessions row and a
// refresh token took two. Null for refresh tokens issued otherwise.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refresh_tokens').addColumn('spent_session', 'text').execute();
  await db.schema.createIndex('refresh_tokens_spent_session').unique().on('refresh_tokens').column('spent_session').execute();
}

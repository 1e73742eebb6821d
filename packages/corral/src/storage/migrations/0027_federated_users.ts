// The federated users of a pool (domain/federation/sign-in.ts): which external identity each user `<ProviderName>_<id>`
// that a federated sign-in made belongs to. The username alone cannot say it: a native user may have been given that
// name, and `_` is ambiguous (provider `A` + id `B_x` and provider `A_B` + id `x` are one username). A sign-in reuses
// a user only through this row. Keyed by the identity (one user per identity); one identity per user; goes with the
// user.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('federated_users')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('federated_users_pk', ['pool_id', 'provider_name', 'user_id'])
    .execute();
}

// Users of user pools, their sign-in aliases, and their failed sign-in counters.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('srp_salt', 'text')
    .addColumn('srp_verifier', 'text')
    .addColumn('mfa', 'text')
    .addColumn('tokens_valid_after', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_pool_username').on('users').columns(['pool_id', 'username_key']).unique().execute();
  await db.schema
    .createTable('user_aliases')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('value_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('user_aliases_unique').on('user_aliases').columns(['pool_id', 'attribute', 'value_key']).unique().execute();
  await db.schema.createIndex('user_aliases_user').on('user_aliases').column('user_id').execute();
}

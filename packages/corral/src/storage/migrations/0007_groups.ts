// User pool groups and their members. A group is named uniquely within its pool; a membership names the group
// and the user. Deleting the pool, the group or the user deletes the memberships (foreign keys cascade).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('role_arn', 'text')
    .addColumn('precedence', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_pool_name').on('groups').columns(['pool_id', 'name']).unique().execute();
  await db.schema
    .createTable('group_members')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addForeignKeyConstraint('group_members_group', ['pool_id', 'group_name'], 'groups', ['pool_id', 'name'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('group_members_unique').on('group_members').columns(['pool_id', 'group_name', 'user_id']).unique().execute();
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();
}

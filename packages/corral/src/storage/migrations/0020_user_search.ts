// Every list an index lookup (issue 11): ListUsers' filters and every List* action page by keyset over an index,
// never reading the pool.
//   - user_search: one row per searchable attribute value of a user (storage/users.ts `searchRows`), under a unique
//     index (pool_id, attribute, value, user_id) that answers `attr = "v"` as one key and `attr ^= "v"` as one range;
//     on PostgreSQL `value` is COLLATE "C" (byte order: a prefix is exactly a range, whatever the database's locale).
//     The users of an earlier version are backfilled here, in batches.
//   - users: (pool_id, id) for the unfiltered list and `sub`, (pool_id, status, id) for `cognito:user_status`,
//     (pool_id, enabled, id) for `status`; on PostgreSQL `id` in them is COLLATE "C" and `username_key` becomes
//     COLLATE "C" (its unique index is the `username` range; equality is unchanged).
//   - group_members carries the member's username_key (usernames never change), so ListUsersInGroup pages in
//     username order by (pool_id, group_name, username_key); (user_id, pool_id, group_name) pages
//     AdminListGroupsForUser (and still serves the cascade from users).
//   - user_pool_clients (pool_id, id) for ListUserPoolClients, devices (user_id, device_key) for ListDevices.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { searchRows } from '../user-search-rows.js';

type Attributes = Record<string, string>;

const BATCH = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const c = postgres ? sql` COLLATE "C"` : sql``;

  await db.schema
    .createTable('user_search')
    .addColumn('pool_id', 'text', (col) => col.notNull())
    .addColumn('attribute', 'text', (col) => col.notNull())
    .addColumn('value', postgres ? sql`text COLLATE "C"` : 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_search_pk', ['user_id', 'attribute'])
    .execute();
  await db.schema.createIndex('user_search_value').on('user_search').columns(['pool_id', 'attribute', 'value', 'user_id']).unique().execute();

  if (postgres) await sql`ALTER TABLE users ALTER COLUMN username_key TYPE text COLLATE "C"`.execute(db);
  await sql`CREATE INDEX users_pool_id ON users (pool_id, id${c})`.execute(db);
  await sql`CREATE INDEX users_pool_status ON users (pool_id, status, id${c})`.execute(db);
  await sql`CREATE INDEX users_pool_enabled ON users (pool_id, enabled, id${c})`.execute(db);

  await db.schema
    .alterTable('group_members')
    .addColumn('username_key', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await sql`UPDATE group_members SET username_key = (SELECT u.username_key FROM users u WHERE u.id = group_members.user_id)`.execute(db);
  await db.schema.createIndex('group_members_by_username').on('group_members').columns(['pool_id', 'group_name', 'username_key']).execute();
  await db.schema.dropIndex('group_members_user').execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'pool_id', 'group_name']).execute();

  await db.schema.createIndex('user_pool_clients_pool_id').on('user_pool_clients').columns(['pool_id', 'id']).execute();
  await db.schema.dropIndex('user_pool_clients_pool').execute();
  await db.schema.createIndex('devices_user_key').on('devices').columns(['user_id', 'device_key']).execute();

  // Backfill: the users there are, BATCH at a time in id order.
  let after = '';
  for (;;) {
    const users = (
      await sql<{ id: string; pool_id: string; attributes: string }>`
        SELECT id, pool_id, attributes FROM users WHERE id > ${after} ORDER BY id LIMIT ${BATCH}`.execute(db)
    ).rows;
    if (!users.length) break;
    const rows = users.flatMap((u) => searchRows(u.pool_id, u.id, JSON.parse(u.attributes) as Attributes));
    if (rows.length) await (db as Kysely<{ user_search: (typeof rows)[number] }>).insertInto('user_search').values(rows).execute();
    after = users[users.length - 1]!.id;
  }
}

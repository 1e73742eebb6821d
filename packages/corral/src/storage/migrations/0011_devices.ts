// Remembered devices (ConfirmDevice and friends): one row per confirmed device of a user. A device is created at
// ConfirmDevice (the key itself was handed out in NewDeviceMetadata and rides in the access token's device_key);
// its SRP verifier is the device's secret, encrypted at rest. Deleting the user or the pool deletes its devices.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('device_key', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('srp_salt', 'text', (c) => c.notNull())
    .addColumn('srp_verifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_authenticated_at', 'bigint')
    .execute();
  await db.schema.createIndex('devices_user').on('devices').columns(['user_id', 'created_at', 'device_key']).execute();
}

// Passkeys (WebAuthn credentials) of user-pool users (issue 13): one row per registered credential, found by its id
// within the pool (the assertion names it) and listed per user. The public key is public (COSE, base64url); the
// sign count is advanced by compare-and-set (storage/webauthn-credentials.ts). Deleting the user or the pool
// deletes its passkeys.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('sign_count', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('attachment', 'text')
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('relying_party_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addPrimaryKeyConstraint('webauthn_credentials_pk', ['pool_id', 'credential_id'])
    .execute();
  await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').columns(['user_id', 'credential_id']).execute();
}

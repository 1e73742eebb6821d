// Identity pool identities, their linked logins, and the key that signs GetOpenIdToken's tokens.
//
// An identity belongs to one identity pool; a linked login names a provider (canonically
// `cognito-idp.<region>.amazonaws.com/<userPoolId>`) and the subject there (the user pool `sub`). The unique index on
// (pool, provider, subject) makes "the same user always gets the same IdentityId" hold across instances: a racing
// GetId loses on it and rereads the winner. Deleting the identity pool deletes its identities, and an identity its logins.
//
// identity_signing_keys has the shape of signing_keys (0003) without the user pool: signing_keys.pool_id references
// user_pools, and the OpenID token key belongs to no user pool. One current key per `use` (partial unique index).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('identity_pools.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identities_pool').on('identities').columns(['pool_id', 'id']).execute();
  await db.schema
    .createTable('identity_logins')
    .addColumn('identity_id', 'text', (c) => c.notNull().references('identities.id').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identity_logins_subject').on('identity_logins').columns(['pool_id', 'provider', 'subject']).unique().execute();
  await db.schema.createIndex('identity_logins_identity').on('identity_logins').column('identity_id').execute();
  await db.schema
    .createTable('identity_signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('identity_signing_keys_current')
    .on('identity_signing_keys')
    .column('use')
    .unique()
    .where(sql.ref('retired_at'), 'is', null)
    .execute();
}

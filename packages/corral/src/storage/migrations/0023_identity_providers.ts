// The identity providers of user pools (CreateIdentityProvider …) and the links of external identities to users
// (AdminLinkProviderForUser).
//   - identity_providers: one row per provider, keyed (pool, name). `details` is ProviderDetails as JSON without its
//     secrets (client_secret, private_key), which are in `secrets`, encrypted at rest (crypto/box.ts).
//   - identity_provider_identifiers: the providers' IdpIdentifiers, unique in their pool by the primary key (so two
//     providers can never claim one identifier, whichever instance writes).
//   - identity_provider_links: an external identity (provider, attribute name, value) linked to a user of the pool:
//     unique per pool (one identity links to one user); at most 5 per user (checked under the user's row lock).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_providers')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('attribute_mapping', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_providers_pk', ['pool_id', 'name'])
    .execute();

  await db.schema
    .createTable('identity_provider_identifiers')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_identifiers_pk', ['pool_id', 'identifier'])
    .addForeignKeyConstraint('identity_provider_identifiers_provider', ['pool_id', 'provider_name'], 'identity_providers', ['pool_id', 'name'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('identity_provider_identifiers_by_provider').on('identity_provider_identifiers').columns(['pool_id', 'provider_name']).execute();

  await db.schema
    .createTable('identity_provider_links')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('attribute_name', 'text', (c) => c.notNull())
    .addColumn('attribute_value', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_links_pk', ['pool_id', 'provider_name', 'attribute_name', 'attribute_value'])
    .execute();
  await db.schema.createIndex('identity_provider_links_user').on('identity_provider_links').columns(['user_sub', 'created_at']).execute();
}

// SAML 2.0 federation (the user pool as service provider):
//   saml_keys      the pool's SAML key pairs: one per (pool, use) — 'signing' signs AuthnRequests (the certificate
//                  GetSigningCertificate answers), 'encryption' decrypts EncryptedResponses. The primary key makes
//                  instances racing to create one agree on the winner; the private key is encrypted (crypto/box.ts).
//   saml_requests  AuthnRequests sent and not yet expired: the response's InResponseTo must name one, for the same
//                  pool and provider, answered in the browser that started it (browser_hash: keyed hash of its cookie).
// Assertion IDs already accepted (replay) are kept in spent_sessions (0010). Everything goes with the pool.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saml_keys')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_keys_pk', ['pool_id', 'use'])
    .execute();

  await db.schema
    .createTable('saml_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saml_requests_expiry').on('saml_requests').column('expires_at').execute();
}

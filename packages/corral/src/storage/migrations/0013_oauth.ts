// The OAuth 2.0 authorization server of a user pool: its domain prefix, resource servers (custom scopes),
// authorization codes (stored only as a keyed hash, single use, short-lived) and the scopes of each OAuth sign-in
// (keyed by origin_jti, so refreshed access tokens keep them). Everything goes with the pool (foreign keys cascade).
import type { Kysely } from 'kysely';

export interface UserPoolDomainsTable {
  /** The prefix (globally unique, like Cognito's `<prefix>.auth.<region>.amazoncognito.com`). */
  domain: string;
  pool_id: string;
  managed_login_version: number;
  created_at: number;
}

export interface ResourceServersTable {
  pool_id: string;
  identifier: string;
  name: string;
  /** JSON: [{ ScopeName, ScopeDescription }]. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface OAuthCodesTable {
  /** keyedHash of the code. */
  code_hash: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  redirect_uri: string;
  /** Space-separated granted scopes. */
  scope: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  /** Epoch ms of the sign-in. */
  auth_time: number;
  expires_at: number;
  /** Set when the code is redeemed (a second redemption is refused). */
  used_at: number | null;
  /** The sign-in the code produced (its tokens are revoked when the code is replayed). */
  origin_jti: string | null;
}

export interface OAuthSessionsTable {
  origin_jti: string;
  pool_id: string;
  scope: string;
  created_at: number;
}

export interface Tables0013 {
  user_pool_domains: UserPoolDomainsTable;
  resource_servers: ResourceServersTable;
  oauth_codes: OAuthCodesTable;
  oauth_sessions: OAuthSessionsTable;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_pool_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('managed_login_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_pool_domains_pool').on('user_pool_domains').column('pool_id').unique().execute();

  await db.schema
    .createTable('resource_servers')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_servers_pool_identifier').on('resource_servers').columns(['pool_id', 'identifier']).unique().execute();

  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text')
    .addColumn('code_challenge_method', 'text')
    .addColumn('nonce', 'text')
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('origin_jti', 'text')
    .execute();
  await db.schema.createIndex('oauth_codes_expiry').on('oauth_codes').column('expires_at').execute();

  await db.schema
    .createTable('oauth_sessions')
    .addColumn('origin_jti', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

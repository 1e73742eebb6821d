// Token signing keys (per pool, one for ID tokens and one for access tokens) and refresh tokens.
import { sql, type Kysely } from 'kysely';

export interface SigningKeysTable {
  kid: string;
  pool_id: string;
  /** 'id' or 'access': Cognito signs the two token types with different keys. */
  use: string;
  /** PKCS#8 PEM of the RSA private key, encrypted at rest (crypto/box.ts, purpose 'signing-key'). */
  private_key: string;
  /** The public JWK as JSON ({kid, alg, kty, use, n, e}). */
  public_jwk: string;
  created_at: number;
  /** When a newer key took over signing (null: the key signs new tokens). */
  retired_at: number | null;
  /** After this instant the key is dropped from the JWKS and verifies nothing (null: no end yet). */
  expires_at: number | null;
}

export interface RefreshTokensTable {
  /** keyedHash of the opaque token (the token itself is never stored). */
  token_hash: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  username: string;
  /** origin_jti of every ID/access token this refresh token yields; revoking it revokes them. */
  origin_jti: string;
  /** Epoch ms of the original authentication (auth_time keeps it across refreshes). */
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  device_key: string | null;
}

export interface Tables0003 {
  signing_keys: SigningKeysTable;
  refresh_tokens: RefreshTokensTable;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('signing_keys_pool').on('signing_keys').columns(['pool_id', 'use']).execute();
  // At most one signing (unretired) key per pool and use: concurrent lazy creation loses on this index and rereads.
  await db.schema
    .createIndex('signing_keys_current')
    .on('signing_keys')
    .columns(['pool_id', 'use'])
    .unique()
    .where(sql.ref('retired_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_sub', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('origin_jti', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('device_key', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').columns(['user_sub']).execute();
  await db.schema.createIndex('refresh_tokens_origin').on('refresh_tokens').columns(['origin_jti']).execute();
}

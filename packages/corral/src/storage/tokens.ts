// Refresh tokens (stored only as a keyed hash) and what the tokens of a sign-in need to know about it: whether it
// was revoked, and when it was issued against the user's tokens_valid_after. (An OAuth sign-in's scopes, and the
// revocation of a replayed authorization code's sign-in, are storage/oauth.ts's.)
//
// Refresh ∥ revoke: redemption is one read of the row (and of the user's tokens_valid_after), revocation one
// conditional UPDATE over every refresh token of the sign-in (origin_jti). Refresh tokens are not rotated, so once
// the revocation is committed every later redemption reads revoked_at, and any ID/access token a racing refresh
// minted carries that origin_jti, which `revocationState` reports as revoked.
import { isUniqueViolation } from './db.js';
import { clientFromRow, poolFromRow, type ClientRecord, type Pool } from './pools.js';
import type { UsersTable } from './schema.js';
import { compiledOnce, count, type Sql } from './sql.js';
import { fromRow as userFromRow, type User } from './users.js';

export interface RefreshTokenRow {
  tokenHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  username: string;
  originJti: string;
  /** Epoch ms of the original authentication. */
  authTime: number;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  deviceKey: string | null;
}

export type NewRefreshToken = Omit<RefreshTokenRow, 'revokedAt'> & {
  /** The keyed hash of the challenge answer spent with this token (single use: storage refuses a second). */
  spentSession?: string | null;
};

/** A refresh token found for redemption, with its user's tokens_valid_after (epoch ms). */
export type RedeemableRefreshToken = RefreshTokenRow & {
  validAfter: number;
  /** The user it was issued to, as stored now (read with it). */
  user: User;
  /** The scopes of its sign-in when that was an OAuth sign-in (storage/oauth.ts recordSession); null otherwise. */
  oauthScope: string | null;
};

export interface RevocationState {
  /** The user's tokens_valid_after (epoch ms). */
  validAfter: number;
  /** Whether any refresh token of the sign-in was revoked. */
  revoked: boolean;
  /** The earliest created_at of the sign-in's refresh tokens (epoch ms); null when it has none (no refresh token). */
  issuedAt: number | null;
}

/** What a call made with an access token reads about it, in one query (`accessContext`). */
export interface AccessContext {
  state: RevocationState;
  user: User;
  pool: Pool;
  /** The token's client (undefined: deleted since). */
  client: ClientRecord | undefined;
}

/** revocationState's answer from its rows (one per refresh token of the sign-in; one with nulls when it has none). */
function stateOf(rows: { tokens_valid_after: number | bigint; created_at: number | bigint | null; revoked_at: number | bigint | null }[]): RevocationState {
  const created = rows.filter((r) => r.created_at !== null).map((r) => Number(r.created_at));
  return {
    validAfter: Number(rows[0]!.tokens_valid_after),
    revoked: rows.some((r) => r.revoked_at !== null),
    issuedAt: created.length ? Math.min(...created) : null,
  };
}

export function tokensRepository({ db }: Sql) {
  // Every sign-in writes one (compiled once: sql.ts; its arguments are the columns, in order).
  const insert = compiledOnce(
    db,
    (
      tokenHash: string,
      poolId: string,
      clientId: string,
      sub: string,
      username: string,
      originJti: string,
      authTime: number,
      createdAt: number,
      expiresAt: number,
      deviceKey: string | null,
      spentSession: string | null,
    ) =>
      db.insertInto('refresh_tokens').values({
        token_hash: tokenHash,
        pool_id: poolId,
        client_id: clientId,
        user_sub: sub,
        username,
        origin_jti: originJti,
        auth_time: authTime,
        created_at: createdAt,
        expires_at: expiresAt,
        revoked_at: null,
        device_key: deviceKey,
        spent_session: spentSession,
      }),
  );
  // Every refresh reads its token; every access-token call its revocation state (compiled once too).
  // (With the user and the sign-in's OAuth scopes: a refresh needs both, and gets them in this one round trip.)
  const byHash = compiledOnce(db, (tokenHash: string) =>
    db
      .selectFrom('refresh_tokens as r')
      .innerJoin('users as u', 'u.id', 'r.user_sub')
      .leftJoin('oauth_sessions as o', 'o.origin_jti', 'r.origin_jti')
      .selectAll('u')
      .select([
        'r.token_hash as r_token_hash',
        'r.pool_id as r_pool_id',
        'r.client_id as r_client_id',
        'r.user_sub as r_user_sub',
        'r.username as r_username',
        'r.origin_jti as r_origin_jti',
        'r.auth_time as r_auth_time',
        'r.created_at as r_created_at',
        'r.expires_at as r_expires_at',
        'r.revoked_at as r_revoked_at',
        'r.device_key as r_device_key',
        'o.scope as o_scope',
      ])
      .where('r.token_hash', '=', tokenHash),
  );
  const revocation = compiledOnce(db, (poolId: string, sub: string, originJti: string) =>
    db
      .selectFrom('users as u')
      .leftJoin('refresh_tokens as r', (j) => j.onRef('r.user_sub', '=', 'u.id').on('r.origin_jti', '=', originJti))
      .select(['u.tokens_valid_after', 'r.created_at', 'r.revoked_at'])
      .where('u.id', '=', sub)
      .where('u.pool_id', '=', poolId),
  );
  // A call with an access token (GetUser, UpdateUserAttributes, …): the revocation state, the user, its pool and the
  // token's client in one round trip instead of four.
  const context = compiledOnce(db, (poolId: string, sub: string, originJti: string, clientId: string) =>
    db
      .selectFrom('users as u')
      .innerJoin('user_pools as p', 'p.id', 'u.pool_id')
      .leftJoin('refresh_tokens as r', (j) => j.onRef('r.user_sub', '=', 'u.id').on('r.origin_jti', '=', originJti))
      .leftJoin('user_pool_clients as c', (j) => j.on('c.id', '=', clientId))
      .selectAll('u')
      .select([
        'r.created_at as r_created_at',
        'r.revoked_at as r_revoked_at',
        'p.name as p_name',
        'p.settings as p_settings',
        'c.id as c_id',
        'c.pool_id as c_pool_id',
        'c.name as c_name',
        'c.secret as c_secret',
        'c.settings as c_settings',
      ])
      .where('u.id', '=', sub)
      .where('u.pool_id', '=', poolId),
  );
  const spentWith = compiledOnce(db, (spentSession: string) =>
    db.selectFrom('refresh_tokens').select('token_hash').where('spent_session', '=', spentSession).limit(1),
  );
  return {
    /** Stores a new refresh token; false when its `spentSession` was already spent with another (a replay). */
    async insert(t: NewRefreshToken): Promise<boolean> {
      try {
        await insert(
          t.tokenHash,
          t.poolId,
          t.clientId,
          t.sub,
          t.username,
          t.originJti,
          t.authTime,
          t.createdAt,
          t.expiresAt,
          t.deviceKey,
          t.spentSession ?? null,
        );
        return true;
      } catch (err) {
        if (t.spentSession && isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** Whether a challenge answer was spent with a refresh token (see `insert`). */
    async spentWithToken(spentSession: string): Promise<boolean> {
      return (await spentWith(spentSession)).rows.length > 0;
    },

    /** The refresh token with this hash, its user (and the user's tokens_valid_after) and its sign-in's OAuth scopes
     *  (undefined: unknown, or the user is gone). */
    async findByHash(tokenHash: string): Promise<RedeemableRefreshToken | undefined> {
      const found = (await byHash(tokenHash)).rows[0];
      if (!found) return undefined;
      const {
        r_token_hash,
        r_pool_id,
        r_client_id,
        r_user_sub,
        r_username,
        r_origin_jti,
        r_auth_time,
        r_created_at,
        r_expires_at,
        r_revoked_at,
        r_device_key,
        o_scope,
        ...user
      } = found;
      return {
        tokenHash: r_token_hash,
        poolId: r_pool_id,
        clientId: r_client_id,
        sub: r_user_sub,
        username: r_username,
        originJti: r_origin_jti,
        authTime: Number(r_auth_time),
        createdAt: Number(r_created_at),
        expiresAt: Number(r_expires_at),
        revokedAt: r_revoked_at === null ? null : Number(r_revoked_at),
        deviceKey: r_device_key,
        validAfter: Number(user.tokens_valid_after),
        user: userFromRow(user as UsersTable),
        oauthScope: o_scope ?? null,
      };
    },

    /** Revokes every unrevoked refresh token of the user's sign-in `originJti` (one statement); → how many. */
    async revokeSignIn(sub: string, originJti: string, now: number): Promise<number> {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('origin_jti', '=', originJti)
        .where('user_sub', '=', sub)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return count(r.numUpdatedRows);
    },

    /** Revokes every unrevoked refresh token of the user (global sign-out); → how many. */
    async revokeAllForUser(poolId: string, sub: string, now: number): Promise<number> {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('pool_id', '=', poolId)
        .where('user_sub', '=', sub)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return count(r.numUpdatedRows);
    },

    /** What an access token of the sign-in `originJti` needs checked; undefined when the user does not exist. */
    async revocationState(poolId: string, sub: string, originJti: string): Promise<RevocationState | undefined> {
      const { rows } = await revocation(poolId, sub, originJti);
      if (rows.length === 0) return undefined;
      return stateOf(rows);
    },

    /** revocationState, with the user, its pool and the client `clientId` read in the same statement; undefined
     *  when the user does not exist. */
    async accessContext(poolId: string, sub: string, originJti: string, clientId: string): Promise<AccessContext | undefined> {
      const { rows } = await context(poolId, sub, originJti, clientId);
      const first = rows[0];
      if (!first) return undefined;
      const { r_created_at, r_revoked_at, p_name, p_settings, c_id, c_pool_id, c_name, c_secret, c_settings, ...user } = first;
      return {
        state: stateOf(rows.map((r) => ({ tokens_valid_after: r.tokens_valid_after, created_at: r.r_created_at, revoked_at: r.r_revoked_at }))),
        user: userFromRow(user as UsersTable),
        pool: poolFromRow({ id: first.pool_id, name: p_name, settings: p_settings }),
        client:
          c_id !== null && c_pool_id !== null && c_name !== null && c_settings !== null
            ? clientFromRow({ id: c_id, pool_id: c_pool_id, name: c_name, secret: c_secret, settings: c_settings })
            : undefined,
      };
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;

// Refresh tokens (stored only as a keyed hash) and what the tokens of a sign-in need to know about it: whether it
// was revoked, and when it was issued against the user's tokens_valid_after. (An OAuth sign-in's scopes, and the
// revocation of a replayed authorization code's sign-in, are storage/oauth.ts's.)
//
// Refresh ∥ revoke: redemption is one read of the row (and of the user's tokens_valid_after), revocation one
// conditional UPDATE over every refresh token of the sign-in (origin_jti). Refresh tokens are not rotated, so once
// the revocation is committed every later redemption reads revoked_at, and any ID/access token a racing refresh
// minted carries that origin_jti, which `revocationState` reports as revoked.
import { isUniqueViolation } from './db.js';
import { compiledOnce, count, type Sql } from './sql.js';

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
export type RedeemableRefreshToken = RefreshTokenRow & { validAfter: number };

export interface RevocationState {
  /** The user's tokens_valid_after (epoch ms). */
  validAfter: number;
  /** Whether any refresh token of the sign-in was revoked. */
  revoked: boolean;
  /** The earliest created_at of the sign-in's refresh tokens (epoch ms); null when it has none (no refresh token). */
  issuedAt: number | null;
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

    /** The refresh token with this hash and its user's tokens_valid_after (undefined: unknown, or the user is gone). */
    async findByHash(tokenHash: string): Promise<RedeemableRefreshToken | undefined> {
      const row = await db
        .selectFrom('refresh_tokens as r')
        .innerJoin('users as u', 'u.id', 'r.user_sub')
        .select([
          'r.token_hash',
          'r.pool_id',
          'r.client_id',
          'r.user_sub',
          'r.username',
          'r.origin_jti',
          'r.auth_time',
          'r.created_at',
          'r.expires_at',
          'r.revoked_at',
          'r.device_key',
          'u.tokens_valid_after',
        ])
        .where('r.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        tokenHash: row.token_hash,
        poolId: row.pool_id,
        clientId: row.client_id,
        sub: row.user_sub,
        username: row.username,
        originJti: row.origin_jti,
        authTime: Number(row.auth_time),
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
        revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
        deviceKey: row.device_key,
        validAfter: Number(row.tokens_valid_after),
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
      const rows = await db
        .selectFrom('users as u')
        .leftJoin('refresh_tokens as r', (j) => j.onRef('r.user_sub', '=', 'u.id').on('r.origin_jti', '=', originJti))
        .select(['u.tokens_valid_after', 'r.created_at', 'r.revoked_at'])
        .where('u.id', '=', sub)
        .where('u.pool_id', '=', poolId)
        .execute();
      if (rows.length === 0) return undefined;
      const created = rows.filter((r) => r.created_at !== null).map((r) => Number(r.created_at));
      return {
        validAfter: Number(rows[0]!.tokens_valid_after),
        revoked: rows.some((r) => r.revoked_at !== null),
        issuedAt: created.length ? Math.min(...created) : null,
      };
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;

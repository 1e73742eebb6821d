// OAuth state of user pools: prefix domains, resource servers, authorization codes and the scopes of OAuth sign-ins
// (user_pool_domains, resource_servers, oauth_codes, oauth_sessions). The rules are in domain/oauth/.
// An authorization code is spent by one conditional UPDATE … RETURNING: of concurrent redemptions exactly one wins.
import type { ResourceServerScopeType } from '@aws-sdk/client-cognito-identity-provider';
import { isUniqueViolation } from './db.js';
import type { OAuthCodesTable, ResourceServersTable, UserPoolDomainsTable } from './schema.js';
import type { QueryResult } from 'kysely';
import { compiledOnce, count, forUpdate, type Sql } from './sql.js';

export interface PoolDomain {
  domain: string;
  poolId: string;
  managedLoginVersion: number;
  createdAt: number;
}

export interface ResourceServer {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
}

/** An authorization code as stored (the code itself only as its keyedHash). */
export interface OAuthCode {
  codeHash: string;
  poolId: string;
  clientId: string;
  userSub: string;
  redirectUri: string;
  /** Space-separated granted scopes. */
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  /** Epoch ms of the sign-in. */
  authTime: number;
  expiresAt: number;
  usedAt: number | null;
  /** The sign-in the code's redemption produced. */
  originJti: string | null;
}

/** The scopes granted to one OAuth sign-in (what its refresh token's refreshes keep). */
export interface OAuthSession {
  originJti: string;
  poolId: string;
  scope: string;
  createdAt: number;
}

function domainFromRow(row: UserPoolDomainsTable): PoolDomain {
  return { domain: row.domain, poolId: row.pool_id, managedLoginVersion: Number(row.managed_login_version), createdAt: Number(row.created_at) };
}

function serverFromRow(r: ResourceServersTable): ResourceServer {
  return { poolId: r.pool_id, identifier: r.identifier, name: r.name, scopes: JSON.parse(r.scopes) as ResourceServerScopeType[] };
}

function codeFromRow(r: OAuthCodesTable): OAuthCode {
  return {
    codeHash: r.code_hash,
    poolId: r.pool_id,
    clientId: r.client_id,
    userSub: r.user_sub,
    redirectUri: r.redirect_uri,
    scope: r.scope,
    codeChallenge: r.code_challenge,
    codeChallengeMethod: r.code_challenge_method,
    nonce: r.nonce,
    authTime: Number(r.auth_time),
    expiresAt: Number(r.expires_at),
    usedAt: r.used_at === null ? null : Number(r.used_at),
    originJti: r.origin_jti,
  };
}

export function oAuthRepository(sql: Sql) {
  const { db } = sql;
  let sessionScopeQuery: ((originJti: string) => Promise<QueryResult<{ scope: string }>>) | undefined;
  return {
    // ---- Domains ----

    async findDomain(domain: string): Promise<PoolDomain | undefined> {
      const row = await db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
      return row && domainFromRow(row);
    },

    async domainOfPool(poolId: string): Promise<PoolDomain | undefined> {
      const row = await db.selectFrom('user_pool_domains').selectAll().where('pool_id', '=', poolId).executeTakeFirst();
      return row && domainFromRow(row);
    },

    /** Stores a domain; false when the prefix is taken or the pool already has a domain (both unique). */
    async createDomain(d: PoolDomain): Promise<boolean> {
      try {
        await db
          .insertInto('user_pool_domains')
          .values({ domain: d.domain, pool_id: d.poolId, managed_login_version: d.managedLoginVersion, created_at: d.createdAt })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async setManagedLoginVersion(domain: string, version: number): Promise<boolean> {
      const r = await db.updateTable('user_pool_domains').set({ managed_login_version: version }).where('domain', '=', domain).executeTakeFirst();
      return count(r.numUpdatedRows) === 1;
    },

    /** Deletes the domain if it is the pool's; false when it is not (or is gone). */
    async deleteDomain(poolId: string, domain: string): Promise<boolean> {
      const r = await db.deleteFrom('user_pool_domains').where('domain', '=', domain).where('pool_id', '=', poolId).executeTakeFirst();
      return count(r.numDeletedRows) === 1;
    },

    // ---- Resource servers ----

    async findResourceServer(poolId: string, identifier: string): Promise<ResourceServer | undefined> {
      const row = await db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
      return row && serverFromRow(row);
    },

    /**
     * Stores a resource server unless the pool has `max` already: 'created', 'limit', or 'exists' (the identifier is
     * taken). The count and the insert are one transaction, so concurrent creations never pass the limit.
     */
    async createResourceServer(s: ResourceServer, max: number, now: number): Promise<'created' | 'limit' | 'exists'> {
      try {
        return await db.transaction().execute(async (tx) => {
          // The pool's row is the lock that serialises creations in one pool (SQLite: the write transaction).
          await forUpdate(sql, tx.selectFrom('user_pools').select('id').where('id', '=', s.poolId)).executeTakeFirst();
          const n = await tx
            .selectFrom('resource_servers')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('pool_id', '=', s.poolId)
            .executeTakeFirst();
          if (Number(n?.n ?? 0) >= max) return 'limit' as const;
          await tx
            .insertInto('resource_servers')
            .values({ pool_id: s.poolId, identifier: s.identifier, name: s.name, scopes: JSON.stringify(s.scopes), created_at: now, updated_at: now })
            .execute();
          return 'created' as const;
        });
      } catch (err) {
        if (isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },

    /** Replaces name and scopes; false when the server is gone. */
    async updateResourceServer(s: ResourceServer, now: number): Promise<boolean> {
      const r = await db
        .updateTable('resource_servers')
        .set({ name: s.name, scopes: JSON.stringify(s.scopes), updated_at: now })
        .where('pool_id', '=', s.poolId)
        .where('identifier', '=', s.identifier)
        .executeTakeFirst();
      return count(r.numUpdatedRows) === 1;
    },

    async deleteResourceServer(poolId: string, identifier: string): Promise<boolean> {
      const r = await db.deleteFrom('resource_servers').where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
      return count(r.numDeletedRows) === 1;
    },

    /** The pool's resource servers by identifier after `after`, at most `limit` (all of them without a limit). */
    async listResourceServers(poolId: string, limit?: number, after?: string): Promise<ResourceServer[]> {
      let q = db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).orderBy('identifier');
      if (limit !== undefined) q = q.limit(limit);
      if (after !== undefined) q = q.where('identifier', '>', after);
      return (await q.execute()).map(serverFromRow);
    },

    // ---- Authorization codes ----

    /** Stores a new code, first dropping codes that expired before `purgeBefore`. */
    async issueCode(code: Omit<OAuthCode, 'usedAt' | 'originJti'>, purgeBefore: number): Promise<void> {
      await db.deleteFrom('oauth_codes').where('expires_at', '<', purgeBefore).execute();
      await db
        .insertInto('oauth_codes')
        .values({
          code_hash: code.codeHash,
          pool_id: code.poolId,
          client_id: code.clientId,
          user_sub: code.userSub,
          redirect_uri: code.redirectUri,
          scope: code.scope,
          code_challenge: code.codeChallenge,
          code_challenge_method: code.codeChallengeMethod,
          nonce: code.nonce,
          auth_time: code.authTime,
          expires_at: code.expiresAt,
          used_at: null,
          origin_jti: null,
        })
        .execute();
    },

    /**
     * Spends the code: its record when this call is the first to redeem it (one conditional UPDATE … RETURNING, so
     * of concurrent redemptions exactly one wins). Undefined when it is unknown or already spent; a spent code's
     * first redemption is then revoked (the refresh tokens of the sign-in it produced), as RFC 6749 §4.1.2 asks.
     */
    async spendCode(codeHash: string, now: number): Promise<OAuthCode | undefined> {
      const row = await db
        .updateTable('oauth_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row) return codeFromRow(row);
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('origin_jti', 'in', (eb) =>
          eb
            .selectFrom('oauth_codes')
            .select('origin_jti')
            .where('code_hash', '=', codeHash)
            .where('origin_jti', 'is not', null)
            .$narrowType<{ origin_jti: string }>(),
        )
        .where('revoked_at', 'is', null)
        .execute();
      return undefined;
    },

    /** Records the sign-in a spent code produced (what a replay revokes). */
    async setCodeOrigin(codeHash: string, originJti: string): Promise<void> {
      await db.updateTable('oauth_codes').set({ origin_jti: originJti }).where('code_hash', '=', codeHash).execute();
    },

    // ---- Sessions ----

    /** The scopes of the OAuth sign-in `originJti` (undefined for a sign-in through the API, which has no record). */
    async sessionScope(originJti: string): Promise<string | undefined> {
      // Every refresh asks (compiled once: sql.ts).
      sessionScopeQuery ??= compiledOnce(db, (jti: string) => db.selectFrom('oauth_sessions').select('scope').where('origin_jti', '=', jti));
      return (await sessionScopeQuery(originJti)).rows[0]?.scope;
    },

    async recordSession(s: OAuthSession): Promise<void> {
      await db.insertInto('oauth_sessions').values({ origin_jti: s.originJti, pool_id: s.poolId, scope: s.scope, created_at: s.createdAt }).execute();
    },
  };
}

export type OAuthRepository = ReturnType<typeof oAuthRepository>;

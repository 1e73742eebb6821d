// Tokens: Cognito's claims, signing keys (lazy, shared between instances, rotation), access-token verification and
// revocation, refresh tokens. On both storage backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { peek, seedPool, type Fixture } from '../support/token-fixtures.js';
import { currentKey, KEY_GRACE_MS, publicJwks, rotateSigningKeys } from '../../src/crypto/signing-keys.js';
import {
  issueRefreshToken,
  mintTokens,
  redeemRefreshToken,
  revokeAllForUser,
  revokeRefreshToken,
  verifyAccessToken,
  verifyIdToken,
} from '../../src/domain/tokens.js';
import { CognitoError } from '../../src/errors.js';
import { isUniqueViolation } from '../../src/storage/db.js';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CognitoError);
    return `${(err as CognitoError).type}: ${(err as Error).message}`;
  }
  throw new Error('expected a refusal');
}

describeEachBackend('tokens', (backend) => {
  let corral: TestCorral;
  let f: Fixture;
  const realNow = () => Date.now();
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    f = await seedPool(corral.app);
  });
  afterAll(async () => {
    corral.app.now = realNow;
    await corral?.stop();
  });

  describe('mintTokens', () => {
    it('issues Cognito’s ID and access token claims', async () => {
      const app = corral.app;
      const authTime = Math.floor(app.now() / 1000) - 5;
      const t = await mintTokens(app, {
        pool: f.pool,
        client: f.client,
        user: f.user,
        groups: ['admins', 'staff'],
        authTime,
        originJti: 'origin-1',
        eventId: 'event-1',
        deviceKey: 'us-east-1_dev',
      });
      expect(t.TokenType).toBe('Bearer');
      expect(t.ExpiresIn).toBe(3600);
      const id = peek(t.IdToken);
      const access = peek(t.AccessToken);
      expect(Object.keys(id.header).sort()).toEqual(['alg', 'kid']);
      expect(id.header.alg).toBe('RS256');
      expect(access.header.kid).not.toBe(id.header.kid); // separate keys per token use
      const iss = `${corral.url}/${f.pool.id}`;
      expect(id.payload).toEqual({
        sub: f.user.sub,
        'cognito:groups': ['admins', 'staff'],
        email: 'ada@example.com',
        email_verified: true,
        'custom:tier': '3',
        iss,
        'cognito:username': 'ada',
        origin_jti: 'origin-1',
        aud: f.client.id,
        event_id: 'event-1',
        token_use: 'id',
        auth_time: authTime,
        exp: (id.payload.iat as number) + 3600,
        iat: expect.any(Number),
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(access.payload).toEqual({
        sub: f.user.sub,
        'cognito:groups': ['admins', 'staff'],
        device_key: 'us-east-1_dev',
        iss,
        client_id: f.client.id,
        origin_jti: 'origin-1',
        event_id: 'event-1',
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        exp: (access.payload.iat as number) + 3600,
        iat: expect.any(Number),
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: 'ada',
      }); // no `version`: that claim is the OAuth endpoints' (an API sign-in's access token has none)
      expect(Math.abs((id.payload.iat as number) - app.now() / 1000)).toBeLessThan(5);
      expect(id.payload.jti).not.toBe(access.payload.jti);
    });

    it('omits empty groups, fills origin_jti/event_id, and follows the client’s validity and ReadAttributes', async () => {
      const g = await seedPool(corral.app, {
        clientSettings: {
          IdTokenValidity: 5,
          AccessTokenValidity: 2,
          TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'hours' },
          ReadAttributes: ['email', 'email_verified'],
        },
        attributes: { email: 'b@example.com', email_verified: 'false', phone_number: '+15550100', phone_number_verified: 'true' },
      });
      const t = await mintTokens(corral.app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
      const id = peek(t.IdToken).payload;
      const access = peek(t.AccessToken).payload;
      expect(t.ExpiresIn).toBe(7200);
      expect((id.exp as number) - (id.iat as number)).toBe(300);
      expect((access.exp as number) - (access.iat as number)).toBe(7200);
      expect(id.email_verified).toBe(false);
      expect(id).not.toHaveProperty('phone_number');
      expect(id).not.toHaveProperty('cognito:groups');
      expect(access).not.toHaveProperty('cognito:groups');
      expect(access).not.toHaveProperty('device_key');
      expect(access).not.toHaveProperty('aud');
      expect(id.origin_jti).toBe(access.origin_jti);
      expect(id.event_id).toBe(access.event_id);
      expect(id.origin_jti).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('verifyAccessToken', () => {
    it('accepts a fresh access token and refuses ID tokens, tampering and other pools', async () => {
      const app = corral.app;
      const t = await mintTokens(app, { pool: f.pool, client: f.client, user: f.user, authTime: 1 });
      const claims = await verifyAccessToken(app, t.AccessToken);
      expect(claims.sub).toBe(f.user.sub);
      expect(claims.client_id).toBe(f.client.id);
      expect(await verifyAccessToken(app, t.AccessToken, { poolId: f.pool.id })).toMatchObject({ username: 'ada' });
      expect((await verifyIdToken(app, t.IdToken, { clientId: f.client.id }))['cognito:username']).toBe('ada');

      expect(await refusal(verifyAccessToken(app, t.IdToken))).toBe('NotAuthorizedException: Invalid Access Token');
      expect(await refusal(verifyIdToken(app, t.AccessToken))).toBe('NotAuthorizedException: Invalid Id Token');
      const [h, p, s] = t.AccessToken.split('.');
      const forged = Buffer.from(JSON.stringify({ ...peek(t.AccessToken).payload, username: 'root' })).toString('base64url');
      expect(await refusal(verifyAccessToken(app, `${h}.${forged}.${s}`))).toBe('NotAuthorizedException: Invalid Access Token');
      expect(await refusal(verifyAccessToken(app, `${h}.${p}.${s!.slice(0, -4)}AAAA`))).toBe('NotAuthorizedException: Invalid Access Token');
      const none = Buffer.from(JSON.stringify({ alg: 'none', kid: peek(t.AccessToken).header.kid })).toString('base64url');
      expect(await refusal(verifyAccessToken(app, `${none}.${p}.`))).toBe('NotAuthorizedException: Invalid Access Token');
      expect(await refusal(verifyAccessToken(app, 'not-a-token'))).toBe('NotAuthorizedException: Invalid Access Token');

      const other = await seedPool(app);
      const theirs = await mintTokens(app, { pool: other.pool, client: other.client, user: other.user, authTime: 1 });
      expect(await refusal(verifyAccessToken(app, theirs.AccessToken, { poolId: f.pool.id }))).toBe('NotAuthorizedException: Invalid Access Token');
      // Another pool's key signing a token that claims this pool's issuer.
      const theirKey = await currentKey(app, other.pool.id, 'access');
      const { signJwt } = await import('../../src/crypto/signing-keys.js');
      const impostor = signJwt(theirKey, { ...peek(t.AccessToken).payload });
      expect(await refusal(verifyAccessToken(app, impostor))).toBe('NotAuthorizedException: Invalid Access Token');
    });

    it('says when an access token has expired', async () => {
      const app = corral.app;
      const t = await mintTokens(app, { pool: f.pool, client: f.client, user: f.user, authTime: 1 });
      const start = Date.now();
      app.now = () => start + 3601_000;
      try {
        expect(await refusal(verifyAccessToken(app, t.AccessToken))).toBe('NotAuthorizedException: Access Token has expired');
      } finally {
        app.now = realNow;
      }
    });
  });

  describe('signing keys', () => {
    it('are created once per pool and use, even by two instances racing', async () => {
      // A second instance of the same deployment: same storage, same public URL.
      const second = await startTestCorral({ backend, dataDir: corral.dataDir, schema: corral.app.config.databaseSchema, config: { publicUrl: corral.url } });
      try {
        const g = await seedPool(corral.app);
        const [a, b, c, d] = await Promise.all([
          currentKey(corral.app, g.pool.id, 'id'),
          currentKey(second.app, g.pool.id, 'id'),
          currentKey(corral.app, g.pool.id, 'access'),
          currentKey(second.app, g.pool.id, 'access'),
        ]);
        expect(a.kid).toBe(b.kid);
        expect(c.kid).toBe(d.kid);
        expect(a.kid).not.toBe(c.kid);
        const rows = await corral.app.db.selectFrom('signing_keys').select(['kid', 'use', 'private_key']).where('pool_id', '=', g.pool.id).execute();
        expect(rows).toHaveLength(2);
        // Private keys are encrypted at rest.
        for (const r of rows) expect(r.private_key).not.toContain('PRIVATE KEY');
        // The database refuses a second current key for the same pool and use (what settles a race).
        const dup = corral.app.db
          .insertInto('signing_keys')
          .values({ kid: 'dup', pool_id: g.pool.id, use: 'id', private_key: 'x', public_jwk: '{}', created_at: 0, retired_at: null, expires_at: null })
          .execute();
        expect(
          isUniqueViolation(
            await dup.then(
              () => undefined,
              (e: unknown) => e,
            ),
          ),
        ).toBe(true);
        // A token minted by one instance verifies on the other.
        const t = await mintTokens(second.app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
        expect((await verifyAccessToken(corral.app, t.AccessToken)).sub).toBe(g.user.sub);
      } finally {
        await second.stop();
      }
    });

    it('rotate: new tokens use new keys, old tokens verify until the old key expires', async () => {
      const app = corral.app;
      const g = await seedPool(app);
      const before = await mintTokens(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
      const oldKid = peek(before.AccessToken).header.kid as string;
      await rotateSigningKeys(app, g.pool.id);
      const after = await mintTokens(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
      expect(peek(after.AccessToken).header.kid).not.toBe(oldKid);
      expect(peek(after.IdToken).header.kid).not.toBe(peek(before.IdToken).header.kid);
      const kids = (await publicJwks(app, g.pool.id)).map((k) => k.kid);
      expect(kids).toHaveLength(4);
      expect(kids).toContain(oldKid);
      expect((await verifyAccessToken(app, before.AccessToken)).sub).toBe(g.user.sub);
      const row = await app.db.selectFrom('signing_keys').select(['retired_at', 'expires_at']).where('kid', '=', oldKid).executeTakeFirstOrThrow();
      expect(Number(row.expires_at) - Number(row.retired_at)).toBe(KEY_GRACE_MS);

      // The grace period is over (the token itself is still within its hour).
      await app.db
        .updateTable('signing_keys')
        .set({ expires_at: app.now() - 1 })
        .where('kid', '=', oldKid)
        .execute();
      const start = Date.now();
      app.now = () => start + 61_000; // past the in-memory key cache
      try {
        expect(await refusal(verifyAccessToken(app, before.AccessToken))).toBe('NotAuthorizedException: Invalid Access Token');
        expect((await publicJwks(app, g.pool.id)).map((k) => k.kid)).not.toContain(oldKid);
        expect((await verifyAccessToken(app, after.AccessToken)).sub).toBe(g.user.sub);
      } finally {
        app.now = realNow;
      }
    });
  });

  describe('refresh tokens', () => {
    it('are opaque, stored hashed, and keep auth_time and origin_jti across refreshes', async () => {
      const app = corral.app;
      const authTime = Math.floor(app.now() / 1000) - 100;
      const first = await mintTokens(app, { pool: f.pool, client: f.client, user: f.user, authTime, originJti: 'sign-in-7' });
      const token = await issueRefreshToken(app, { pool: f.pool, client: f.client, user: f.user, authTime, originJti: 'sign-in-7', deviceKey: 'dk' });
      expect(token).toMatch(/^[A-Za-z0-9_.-]{100,}$/);
      expect(token).not.toContain(f.user.sub); // its owner rides in it encrypted (a deleted user's token is told apart)
      const stored = await app.db.selectFrom('refresh_tokens').selectAll().where('origin_jti', '=', 'sign-in-7').execute();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(token);

      const record = await redeemRefreshToken(app, token, f.client.id);
      expect(record).toMatchObject({
        poolId: f.pool.id,
        clientId: f.client.id,
        sub: f.user.sub,
        username: 'ada',
        originJti: 'sign-in-7',
        authTime,
        revokedAt: null,
        deviceKey: 'dk',
      });
      expect(record.expiresAt - record.createdAt).toBe(30 * 86400_000);
      const again = await mintTokens(app, { pool: f.pool, client: f.client, user: f.user, authTime: record.authTime, originJti: record.originJti });
      for (const k of ['auth_time', 'origin_jti'] as const) {
        expect(peek(again.IdToken).payload[k]).toBe(peek(first.IdToken).payload[k]);
        expect(peek(again.AccessToken).payload[k]).toBe(peek(first.AccessToken).payload[k]);
      }

      expect(await refusal(redeemRefreshToken(app, token, 'another-client'))).toBe('NotAuthorizedException: Invalid Refresh Token');
      expect(await refusal(redeemRefreshToken(app, token + 'x', f.client.id))).toBe('NotAuthorizedException: Invalid Refresh Token');
      expect(await refusal(redeemRefreshToken(app, '', f.client.id))).toBe('NotAuthorizedException: Invalid Refresh Token');
    });

    it('expire with the client’s RefreshTokenValidity', async () => {
      const app = corral.app;
      const g = await seedPool(app, { clientSettings: { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } } });
      const token = await issueRefreshToken(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1, originJti: 'o' });
      expect((await redeemRefreshToken(app, token, g.client.id)).sub).toBe(g.user.sub);
      const start = Date.now();
      app.now = () => start + 3601_000;
      try {
        expect(await refusal(redeemRefreshToken(app, token, g.client.id))).toBe('NotAuthorizedException: Refresh Token has expired');
      } finally {
        app.now = realNow;
      }
    });

    it('RevokeToken revokes the refresh token and the access tokens of its sign-in only', async () => {
      const app = corral.app;
      const g = await seedPool(app);
      const mk = async (originJti: string) => ({
        tokens: await mintTokens(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1, originJti }),
        refresh: await issueRefreshToken(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1, originJti }),
      });
      const one = await mk('one');
      const two = await mk('two');
      expect(await revokeRefreshToken(app, one.refresh, 'someone-else')).toBeUndefined();
      const revoked = await revokeRefreshToken(app, one.refresh, g.client.id);
      expect(revoked?.originJti).toBe('one');
      expect(revoked?.revokedAt).toEqual(expect.any(Number));
      expect(await refusal(redeemRefreshToken(app, one.refresh, g.client.id))).toBe('NotAuthorizedException: Refresh Token has been revoked');
      expect(await refusal(verifyAccessToken(app, one.tokens.AccessToken))).toBe('NotAuthorizedException: Access Token has been revoked');
      expect((await verifyAccessToken(app, two.tokens.AccessToken)).origin_jti).toBe('two');
      expect((await redeemRefreshToken(app, two.refresh, g.client.id)).originJti).toBe('two');
    });

    it('global sign-out: revokeAllForUser and tokens_valid_after', async () => {
      const app = corral.app;
      const g = await seedPool(app);
      const refresh = await issueRefreshToken(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1, originJti: 'gso' });
      const tokens = await mintTokens(app, { pool: g.pool, client: g.client, user: g.user, authTime: 1, originJti: 'gso' });
      expect(await revokeAllForUser(app, g.pool.id, g.user.sub)).toBe(1);
      expect(await refusal(redeemRefreshToken(app, refresh, g.client.id))).toBe('NotAuthorizedException: Refresh Token has been revoked');
      expect(await refusal(verifyAccessToken(app, tokens.AccessToken))).toBe('NotAuthorizedException: Access Token has been revoked');

      // tokens_valid_after alone (set by AdminUserGlobalSignOut) refuses what came before it, to the millisecond for
      // sign-ins with a refresh token, and lets a later sign-in through even within the same second.
      const g2 = await seedPool(app);
      const earlier = await issueRefreshToken(app, { pool: g2.pool, client: g2.client, user: g2.user, authTime: 1, originJti: 'early' });
      const earlierTokens = await mintTokens(app, { pool: g2.pool, client: g2.client, user: g2.user, authTime: 1, originJti: 'early' });
      const cut = app.now() + 1;
      await app.db.updateTable('users').set({ tokens_valid_after: cut }).where('id', '=', g2.user.sub).execute();
      while (app.now() <= cut) await new Promise((r) => setTimeout(r, 2));
      const later = await issueRefreshToken(app, { pool: g2.pool, client: g2.client, user: g2.user, authTime: 1, originJti: 'late' });
      const laterTokens = await mintTokens(app, { pool: g2.pool, client: g2.client, user: g2.user, authTime: 1, originJti: 'late' });
      expect(await refusal(redeemRefreshToken(app, earlier, g2.client.id))).toBe('NotAuthorizedException: Refresh Token has been revoked');
      expect(await refusal(verifyAccessToken(app, earlierTokens.AccessToken))).toBe('NotAuthorizedException: Access Token has been revoked');
      expect((await redeemRefreshToken(app, later, g2.client.id)).originJti).toBe('late');
      expect((await verifyAccessToken(app, laterTokens.AccessToken)).origin_jti).toBe('late');
    });
  });
});

// Contract of storage/tokens.ts (refresh tokens) on both databases, with refresh ∥ revoke.
import { GetUserCommand, InitiateAuthCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NewRefreshToken } from '../../src/storage/tokens.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { race } from '../support/race.js';
import { publicClient, signUpConfirmed } from '../support/users.js';
import { openFreshStore, seedPool, seedUser, type FreshStore } from './fresh-store.js';

describeEachBackend('storage: refresh tokens', (backend) => {
  let s: FreshStore;
  let poolId: string;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    poolId = await seedPool(s.db);
  });
  afterAll(async () => s?.close());

  const token = (sub: string, over: Partial<NewRefreshToken> = {}): NewRefreshToken => ({
    tokenHash: randomBytes(32).toString('hex'),
    poolId,
    clientId: 'client1',
    sub,
    username: 'rider',
    originJti: randomUUID(),
    authTime: 1_700_000_000_000,
    createdAt: 1_700_000_001_000,
    expiresAt: 1_800_000_000_000,
    deviceKey: null,
    ...over,
  });

  it('inserts and finds by hash, with the user’s tokens_valid_after', async () => {
    const sub = await seedUser(s.db, poolId, { tokensValidAfter: 1234 });
    const t = token(sub, { deviceKey: 'us-east-1_dev' });
    await s.store.tokens.insert(t);
    const { user, ...found } = (await s.store.tokens.findByHash(t.tokenHash))!;
    expect(found).toEqual({ ...t, revokedAt: null, validAfter: 1234, oauthScope: null });
    // The user as stored, read with it (a refresh needs nothing else of the user).
    expect(user).toEqual(await s.store.users.findBySub(poolId, sub));
    expect(await s.store.tokens.findByHash('0'.repeat(64))).toBeUndefined();
  });

  it('finds by hash with the OAuth scopes of its sign-in', async () => {
    const sub = await seedUser(s.db, poolId);
    const t = token(sub);
    await s.store.tokens.insert(t);
    await s.store.oauth.recordSession({ originJti: t.originJti, poolId, scope: 'openid email', createdAt: 1 });
    expect((await s.store.tokens.findByHash(t.tokenHash))?.oauthScope).toBe('openid email');
  });

  it('accessContext: revocationState with the user, its pool and the client, in one read', async () => {
    const sub = await seedUser(s.db, poolId, { tokensValidAfter: 55 });
    const clientId = `c${randomBytes(6).toString('hex')}`;
    await s.db
      .insertInto('user_pool_clients')
      .values({ id: clientId, pool_id: poolId, name: 'web', secret: null, settings: JSON.stringify({ ClientName: 'web' }), created_at: 1, updated_at: 1 })
      .execute();
    const first = token(sub, { clientId, createdAt: 3000 });
    await s.store.tokens.insert(first);
    await s.store.tokens.insert(token(sub, { clientId, originJti: first.originJti, createdAt: 2000 }));
    const ctx = (await s.store.tokens.accessContext(poolId, sub, first.originJti, clientId))!;
    expect(ctx.state).toEqual(await s.store.tokens.revocationState(poolId, sub, first.originJti));
    expect(ctx.state).toEqual({ validAfter: 55, revoked: false, issuedAt: 2000 });
    expect(ctx.user).toEqual(await s.store.users.findBySub(poolId, sub));
    expect(ctx.pool).toEqual(await s.store.pools.find(poolId));
    expect(ctx.client).toEqual(await s.store.pools.findClient(clientId));
    // A client deleted since: none; a sign-in without a refresh token: issuedAt null.
    expect((await s.store.tokens.accessContext(poolId, sub, randomUUID(), 'gone'))?.client).toBeUndefined();
    expect((await s.store.tokens.accessContext(poolId, sub, randomUUID(), clientId))?.state).toEqual({ validAfter: 55, revoked: false, issuedAt: null });
    await s.store.tokens.revokeSignIn(sub, first.originJti, 9);
    expect((await s.store.tokens.accessContext(poolId, sub, first.originJti, clientId))?.state.revoked).toBe(true);
    // No such user (or another pool's): undefined.
    expect(await s.store.tokens.accessContext(poolId, randomUUID(), first.originJti, clientId)).toBeUndefined();
    expect(await s.store.tokens.accessContext('us-east-1_other', sub, first.originJti, clientId)).toBeUndefined();
  });

  it('revokeSignIn revokes every token of the sign-in of that user, once', async () => {
    const sub = await seedUser(s.db, poolId);
    const a = token(sub);
    const b = token(sub, { originJti: a.originJti });
    const other = token(sub);
    for (const t of [a, b, other]) await s.store.tokens.insert(t);
    expect(await s.store.tokens.revokeSignIn(sub, a.originJti, 5000)).toBe(2);
    expect(await s.store.tokens.revokeSignIn(sub, a.originJti, 6000)).toBe(0); // already revoked: revoked_at kept
    expect((await s.store.tokens.findByHash(a.tokenHash))?.revokedAt).toBe(5000);
    expect((await s.store.tokens.findByHash(b.tokenHash))?.revokedAt).toBe(5000);
    expect((await s.store.tokens.findByHash(other.tokenHash))?.revokedAt).toBeNull();
    // Another user's sub does not revoke this user's sign-in.
    expect(await s.store.tokens.revokeSignIn(randomUUID(), other.originJti, 7000)).toBe(0);
  });

  it('revokeAllForUser revokes the user’s unrevoked tokens in that pool only', async () => {
    const sub = await seedUser(s.db, poolId);
    const bystander = await seedUser(s.db, poolId);
    const mine = [token(sub), token(sub)];
    const theirs = token(bystander);
    for (const t of [...mine, theirs]) await s.store.tokens.insert(t);
    await s.store.tokens.revokeSignIn(sub, mine[0]!.originJti, 10);
    expect(await s.store.tokens.revokeAllForUser(poolId, sub, 20)).toBe(1);
    expect((await s.store.tokens.findByHash(mine[0]!.tokenHash))?.revokedAt).toBe(10);
    expect((await s.store.tokens.findByHash(mine[1]!.tokenHash))?.revokedAt).toBe(20);
    expect((await s.store.tokens.findByHash(theirs.tokenHash))?.revokedAt).toBeNull();
    expect(await s.store.tokens.revokeAllForUser('us-east-1_other', sub, 30)).toBe(0);
  });

  it('revocationState: the sign-in’s revocation, its first refresh token’s creation and tokens_valid_after', async () => {
    const sub = await seedUser(s.db, poolId, { tokensValidAfter: 77 });
    const first = token(sub, { createdAt: 3000 });
    const second = token(sub, { originJti: first.originJti, createdAt: 2000 });
    await s.store.tokens.insert(first);
    await s.store.tokens.insert(second);
    expect(await s.store.tokens.revocationState(poolId, sub, first.originJti)).toEqual({ validAfter: 77, revoked: false, issuedAt: 2000 });
    // A sign-in without a refresh token (no row): issuedAt null.
    expect(await s.store.tokens.revocationState(poolId, sub, randomUUID())).toEqual({ validAfter: 77, revoked: false, issuedAt: null });
    await s.store.tokens.revokeSignIn(sub, first.originJti, 9);
    expect(await s.store.tokens.revocationState(poolId, sub, first.originJti)).toMatchObject({ revoked: true });
    // No such user (or another pool's): undefined.
    expect(await s.store.tokens.revocationState(poolId, randomUUID(), first.originJti)).toBeUndefined();
    expect(await s.store.tokens.revocationState('us-east-1_other', sub, first.originJti)).toBeUndefined();
  });

  it('refresh ∥ revoke: once a revocation racing redemptions has returned, every redemption reads it revoked', async () => {
    const other = await s.another();
    for (let round = 0; round < 10; round++) {
      const sub = await seedUser(s.db, poolId);
      const t = token(sub);
      await s.store.tokens.insert(t);
      // Redemptions on both instances, with a revocation in the middle of them.
      const reads = Array.from({ length: 8 }, (_, i) => (i % 2 ? other : s.store).tokens.findByHash(t.tokenHash));
      const revoked = await other.tokens.revokeSignIn(sub, t.originJti, 1000 + round);
      const during = await Promise.all(reads);
      expect(revoked).toBe(1);
      for (const r of during) expect(r?.revokedAt === null || r?.revokedAt === 1000 + round).toBe(true);
      // Afterwards: refused on either instance, and the access tokens of the sign-in are revoked.
      for (const store of [s.store, other]) {
        expect((await store.tokens.findByHash(t.tokenHash))?.revokedAt).toBe(1000 + round);
        expect((await store.tokens.revocationState(poolId, sub, t.originJti))?.revoked).toBe(true);
      }
    }
  });
});

describeEachBackend('refresh ∥ revoke over HTTP, two instances on one database', (backend) => {
  let a: TestCorral;
  let b: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    a = await startTestCorral({ backend });
    b = await startTestCorral({ backend, dataDir: a.dataDir, schema: a.schema, config: { publicUrl: a.url } });
    seed = await createWildRydesPool(a);
    await signUpConfirmed(a, seed, 'racer', 'Unicorn!Ride42', { email: 'racer@example.com' });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('a refresh token revoked while it is being redeemed never works again, nor do the tokens those refreshes got', async () => {
    const doors = [publicClient(a), publicClient(b)];
    let redeemedDuring = 0;
    try {
      for (let round = 0; round < 3; round++) {
        const signIn = await doors[0]!.send(
          new InitiateAuthCommand({
            ClientId: seed.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'racer', PASSWORD: 'Unicorn!Ride42' },
          }),
        );
        const refreshToken = signIn.AuthenticationResult!.RefreshToken!;
        const refresh = (i: number) => () =>
          doors[i % 2]!.send(
            new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
          );
        const calls: (() => Promise<unknown>)[] = Array.from({ length: 12 }, (_, i) => refresh(i));
        calls.splice(6, 0, () => doors[round % 2]!.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: refreshToken })));
        const burst = await race(calls);
        for (const outcome of Object.keys(burst.tally)) expect(['ok', 'NotAuthorizedException: Refresh Token has been revoked']).toContain(outcome);
        redeemedDuring += burst.count('ok') - 1; // the RevokeToken answered ok too
        // Afterwards, on either instance: the refresh token is refused, and so is every access token of the sign-in.
        for (const door of doors) {
          await expect(refresh(doors.indexOf(door))()).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
        }
        const accessTokens = [
          signIn.AuthenticationResult!.AccessToken!,
          ...burst.values.flatMap((v) =>
            (v as { AuthenticationResult?: { AccessToken?: string } }).AuthenticationResult?.AccessToken
              ? [(v as { AuthenticationResult: { AccessToken: string } }).AuthenticationResult.AccessToken]
              : [],
          ),
        ];
        for (const [i, AccessToken] of accessTokens.entries()) {
          await expect(doors[i % 2]!.send(new GetUserCommand({ AccessToken }))).rejects.toMatchObject({
            name: 'NotAuthorizedException',
            message: 'Access Token has been revoked',
          });
        }
      }
      // The burst did race: some refreshes were answered with tokens while the revocation was under way.
      expect(redeemedDuring).toBeGreaterThan(0);
    } finally {
      for (const d of doors) d.destroy();
    }
  });
});

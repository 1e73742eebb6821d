// Contract of storage/oauth.ts (domains, resource servers, authorization codes, OAuth sessions) on both databases,
// with the races it guards: concurrent redemptions of one code (exactly one wins, and the replay revokes what it
// issued) and concurrent resource server creations at the pool's limit (never past it).
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { OAuthCode, ResourceServer } from '../../src/storage/oauth.js';
import { describeEachBackend } from '../support/corral.js';
import { seedPool, seedUser, suiteStore } from './fresh-store.js';

describeEachBackend('storage: OAuth state', (backend) => {
  const s = suiteStore(backend);

  const prefix = () => `rides-${randomBytes(4).toString('hex')}`;

  it('creates (a prefix once, one per pool), finds, updates and deletes domains', async () => {
    const p = await seedPool(s.db);
    const d = { domain: prefix(), poolId: p, managedLoginVersion: 1, createdAt: 1_700_000_000_000 };
    expect(await s.store.oauth.createDomain(d)).toBe(true);
    expect(await s.store.oauth.createDomain({ ...d, domain: prefix() })).toBe(false); // the pool has one
    expect(await s.store.oauth.createDomain({ ...d, poolId: await seedPool(s.db) })).toBe(false); // the prefix is taken
    expect(await s.store.oauth.findDomain(d.domain)).toEqual(d);
    expect(await s.store.oauth.findDomain('nothere')).toBeUndefined();
    expect(await s.store.oauth.domainOfPool(p)).toEqual(d);
    expect(await s.store.oauth.domainOfPool(s.poolId)).toBeUndefined();

    expect(await s.store.oauth.setManagedLoginVersion(d.domain, 2)).toBe(true);
    expect(await s.store.oauth.findDomain(d.domain)).toEqual({ ...d, managedLoginVersion: 2 });
    expect(await s.store.oauth.setManagedLoginVersion('nothere', 2)).toBe(false);

    expect(await s.store.oauth.deleteDomain(s.poolId, d.domain)).toBe(false); // not that pool's
    expect(await s.store.oauth.deleteDomain(p, d.domain)).toBe(true);
    expect(await s.store.oauth.deleteDomain(p, d.domain)).toBe(false);
    expect(await s.store.oauth.findDomain(d.domain)).toBeUndefined();
  });

  const server = (pool: string, identifier: string, over: Partial<ResourceServer> = {}): ResourceServer => ({
    poolId: pool,
    identifier,
    name: 'API',
    scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
    ...over,
  });

  it('creates, finds, lists, updates and deletes resource servers', async () => {
    const p = await seedPool(s.db);
    const a = server(p, 'https://api.example.com');
    const b = server(p, 'rides', { scopes: [] });
    expect(await s.store.oauth.createResourceServer(a, 25, 5)).toBe('created');
    expect(await s.store.oauth.createResourceServer(b, 25, 5)).toBe('created');
    expect(await s.store.oauth.createResourceServer({ ...a, name: 'again' }, 25, 5)).toBe('exists');
    expect(await s.store.oauth.createResourceServer(server(p, 'third'), 2, 5)).toBe('limit');
    expect(await s.store.oauth.findResourceServer(p, a.identifier)).toEqual(a);
    expect(await s.store.oauth.findResourceServer(s.poolId, a.identifier)).toBeUndefined();

    expect(await s.store.oauth.listResourceServers(p)).toEqual([a, b]);
    expect(await s.store.oauth.listResourceServers(p, 1)).toEqual([a]);
    expect(await s.store.oauth.listResourceServers(p, 5, a.identifier)).toEqual([b]);

    const changed = { ...a, name: 'Renamed', scopes: [{ ScopeName: 'write', ScopeDescription: 'Write' }] };
    expect(await s.store.oauth.updateResourceServer(changed, 6)).toBe(true);
    expect(await s.store.oauth.findResourceServer(p, a.identifier)).toEqual(changed);
    expect(await s.store.oauth.updateResourceServer(server(p, 'nothere'), 6)).toBe(false);

    expect(await s.store.oauth.deleteResourceServer(p, a.identifier)).toBe(true);
    expect(await s.store.oauth.deleteResourceServer(p, a.identifier)).toBe(false);
    expect(await s.store.oauth.listResourceServers(p)).toEqual([b]);
  });

  it('concurrent creations at the limit never pass it', async () => {
    const other = await s.another();
    const p = await seedPool(s.db);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? other : s.store).oauth.createResourceServer(server(p, `api-${i}`), 5, 5)));
    expect(results.filter((r) => r === 'created')).toHaveLength(5);
    expect(results.filter((r) => r === 'limit')).toHaveLength(7);
    expect(await s.store.oauth.listResourceServers(p)).toHaveLength(5);
  });

  const code = (sub: string): Omit<OAuthCode, 'usedAt' | 'originJti'> => ({
    codeHash: randomBytes(32).toString('hex'),
    poolId: s.poolId,
    clientId: 'client1',
    userSub: sub,
    redirectUri: 'https://rides.example.com/cb',
    scope: 'openid email',
    codeChallenge: 'abc',
    codeChallengeMethod: 'S256',
    nonce: 'n-1',
    authTime: 1_700_000_000_000,
    expiresAt: 1_700_000_300_000,
  });

  const refreshToken = (sub: string, originJti: string) => ({
    token_hash: randomBytes(32).toString('hex'),
    pool_id: s.poolId,
    client_id: 'client1',
    user_sub: sub,
    username: 'rider',
    origin_jti: originJti,
    auth_time: 1,
    created_at: 1,
    expires_at: 9_999_999_999_999,
    revoked_at: null,
    device_key: null,
  });

  it('issues a code (dropping expired ones), spends it once, and a replay revokes what it issued', async () => {
    const sub = await seedUser(s.db, s.poolId);
    const stale = { ...code(sub), expiresAt: 1000 };
    await s.store.oauth.issueCode(stale, 0);
    const c = code(sub);
    await s.store.oauth.issueCode(c, 2000); // drops codes that expired before 2000
    expect(await s.db.selectFrom('oauth_codes').select('code_hash').where('code_hash', '=', stale.codeHash).execute()).toEqual([]);

    expect(await s.store.oauth.spendCode(c.codeHash, 1_700_000_001_000)).toEqual({ ...c, usedAt: 1_700_000_001_000, originJti: null });
    const originJti = randomUUID();
    await s.store.oauth.setCodeOrigin(c.codeHash, originJti);
    const rt = refreshToken(sub, originJti);
    const unrelated = refreshToken(sub, randomUUID());
    await s.db.insertInto('refresh_tokens').values([rt, unrelated]).execute();

    expect(await s.store.oauth.spendCode(c.codeHash, 1_700_000_002_000)).toBeUndefined();
    const revoked = await s.db.selectFrom('refresh_tokens').select(['token_hash', 'revoked_at']).where('user_sub', '=', sub).execute();
    expect(Object.fromEntries(revoked.map((r) => [r.token_hash, r.revoked_at === null ? null : Number(r.revoked_at)]))).toEqual({
      [rt.token_hash]: 1_700_000_002_000,
      [unrelated.token_hash]: null,
    });
    expect(await s.store.oauth.spendCode('f'.repeat(64), 1)).toBeUndefined();
  });

  it('of concurrent redemptions of one code exactly one wins', async () => {
    const other = await s.another();
    const sub = await seedUser(s.db, s.poolId);
    for (let round = 0; round < 5; round++) {
      const c = code(sub);
      await s.store.oauth.issueCode(c, 0);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : s.store).oauth.spendCode(c.codeHash, 1_700_000_001_000 + i)));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    }
  });

  it('records an OAuth sign-in’s scopes', async () => {
    const originJti = randomUUID();
    expect(await s.store.oauth.sessionScope(originJti)).toBeUndefined();
    await s.store.oauth.recordSession({ originJti, poolId: s.poolId, scope: 'openid profile', createdAt: 5 });
    expect(await s.store.oauth.sessionScope(originJti)).toBe('openid profile');
  });
});

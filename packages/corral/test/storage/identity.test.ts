// Contract of storage/identity.ts on both databases: identity pools, identities and their logins, the OpenID key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { fakeSigningKey, openFreshStore, type FreshStore } from './fresh-store.js';

const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc';
const login = (subject: string = randomUUID(), provider = PROVIDER) => ({ provider, subject });
const key = fakeSigningKey;

describeEachBackend('storage: identity pools and identities', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  const newPool = async (name = 'rides', id = `us-east-1:${randomUUID()}`) => {
    const settings = { IdentityPoolName: name, AllowUnauthenticatedIdentities: true, IdentityPoolTags: { team: 'a' } };
    await s.store.identity.createPool({ id, settings, roles: { Roles: {} }, now: 1000 });
    return { id, settings };
  };

  it('createPool / findPool / updatePoolSettings / deletePool', async () => {
    const { id, settings } = await newPool();
    expect(await s.store.identity.findPool(id)).toEqual({ id, settings });
    const next = { ...settings, IdentityPoolName: 'renamed', AllowUnauthenticatedIdentities: false };
    expect(await s.store.identity.updatePoolSettings(id, next, 2000)).toBe(true);
    expect(await s.store.identity.findPool(id)).toEqual({ id, settings: next });
    const row = await s.db.selectFrom('identity_pools').select(['name', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect({ name: row.name, updated: Number(row.updated_at) }).toEqual({ name: 'renamed', updated: 2000 });
    expect(await s.store.identity.deletePool(id)).toBe(true);
    expect(await s.store.identity.deletePool(id)).toBe(false);
    expect(await s.store.identity.findPool(id)).toBeUndefined();
    expect(await s.store.identity.updatePoolSettings(id, next, 3000)).toBe(false);
  });

  it('findRoles / setRoles', async () => {
    const { id } = await newPool();
    expect(await s.store.identity.findRoles(id)).toEqual({ Roles: {} });
    const roles = {
      Roles: { authenticated: 'arn:aws:iam::000000000000:role/Auth' },
      RoleMappings: { [`${PROVIDER}:client`]: { Type: 'Token' as const, AmbiguousRoleResolution: 'Deny' as const } },
    };
    expect(await s.store.identity.setRoles(id, roles, 2000)).toBe(true);
    expect(await s.store.identity.findRoles(id)).toEqual(roles);
    expect(await s.store.identity.findRoles('us-east-1:none')).toBeUndefined();
    expect(await s.store.identity.setRoles('us-east-1:none', roles, 2000)).toBe(false);
  });

  it('listPools pages in id order', async () => {
    const ids = ['us-east-1:zz1', 'us-east-1:zz2', 'us-east-1:zz3'];
    for (const id of ids) await newPool('p', id);
    const all = await s.store.identity.listPools({ limit: 100 });
    expect(all.map((p) => p.id)).toEqual([...all.map((p) => p.id)].sort());
    expect((await s.store.identity.listPools({ after: 'us-east-1:zz1', limit: 1 })).map((p) => p.id)).toEqual(['us-east-1:zz2']);
    expect(await s.store.identity.listPools({ after: 'us-east-1:zz3', limit: 5 })).toEqual([]);
  });

  it('createIdentity with logins; findIdentity, loginsOf and identityIdsForLogins find it', async () => {
    const { id: poolId } = await newPool();
    const id = `us-east-1:${randomUUID()}`;
    const logins = [login('sub-1'), login('sub-1', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_other')];
    expect(await s.store.identity.createIdentity(id, poolId, logins, 1000)).toBe(true);
    const found = await s.store.identity.findIdentity(id);
    expect(found).toMatchObject({ id, poolId, createdAt: 1000, updatedAt: 1000 });
    expect(found!.logins).toHaveLength(2);
    expect(found!.logins).toEqual(expect.arrayContaining(logins));
    expect(await s.store.identity.loginsOf(id)).toEqual(found!.logins);
    expect(await s.store.identity.identityIdsForLogins(poolId, [logins[0]!, login()])).toEqual([id]);
    expect(await s.store.identity.identityIdsForLogins(poolId, [login()])).toEqual([]);
    expect(await s.store.identity.identityIdsForLogins(poolId, [])).toEqual([]);
    expect(await s.store.identity.findIdentity('us-east-1:none')).toBeUndefined();
    // An unauthenticated identity: no logins.
    const guest = `us-east-1:${randomUUID()}`;
    expect(await s.store.identity.createIdentity(guest, poolId, [], 1000)).toBe(true);
    expect(await s.store.identity.findIdentity(guest)).toMatchObject({ logins: [] });
  });

  it('createIdentity with a login linked elsewhere stores nothing and answers false', async () => {
    const { id: poolId } = await newPool();
    const taken = login();
    await s.store.identity.createIdentity(`us-east-1:${randomUUID()}`, poolId, [taken], 1000);
    const loser = `us-east-1:${randomUUID()}`;
    expect(await s.store.identity.createIdentity(loser, poolId, [login(), taken], 1000)).toBe(false);
    expect(await s.store.identity.findIdentity(loser)).toBeUndefined();
  });

  it('two instances creating the identity of one login: one wins, and both then find the winner', async () => {
    const other = await s.another();
    const { id: poolId } = await newPool();
    for (let round = 0; round < 5; round++) {
      const l = login();
      const ids = [0, 1, 2, 3].map(() => `us-east-1:${randomUUID()}`);
      const results = await Promise.all(ids.map((id, i) => (i % 2 ? other : s.store).identity.createIdentity(id, poolId, [l], 1000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ids[results.indexOf(true)]!;
      expect(await other.identity.identityIdsForLogins(poolId, [l])).toEqual([winner]);
      expect(await s.store.identity.identityIdsForLogins(poolId, [l])).toEqual([winner]);
    }
  });

  it('linkLogins links and marks the identity modified; false (nothing stored) when a login is linked already', async () => {
    const { id: poolId } = await newPool();
    const id = `us-east-1:${randomUUID()}`;
    await s.store.identity.createIdentity(id, poolId, [], 1000);
    const l = login();
    expect(await s.store.identity.linkLogins(id, poolId, [l], 2000)).toBe(true);
    expect(await s.store.identity.findIdentity(id)).toMatchObject({ updatedAt: 2000, logins: [l] });
    const elsewhere = `us-east-1:${randomUUID()}`;
    await s.store.identity.createIdentity(elsewhere, poolId, [], 1000);
    expect(await s.store.identity.linkLogins(elsewhere, poolId, [login(), l], 3000)).toBe(false);
    expect(await s.store.identity.findIdentity(elsewhere)).toMatchObject({ updatedAt: 1000, logins: [] });
    expect(await s.store.identity.linkLogins(id, poolId, [], 4000)).toBe(true);
    // Concurrently, two guests linking one login: one wins.
    const other = await s.another();
    const [g1, g2] = [`us-east-1:${randomUUID()}`, `us-east-1:${randomUUID()}`];
    await s.store.identity.createIdentity(g1, poolId, [], 1000);
    await s.store.identity.createIdentity(g2, poolId, [], 1000);
    const fresh = login();
    const results = await Promise.all([s.store.identity.linkLogins(g1, poolId, [fresh], 5000), other.identity.linkLogins(g2, poolId, [fresh], 5000)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('listIdentities pages the pool’s identities with their logins', async () => {
    const { id: poolId } = await newPool();
    const ids = ['us-east-1:a1', 'us-east-1:a2', 'us-east-1:a3'].map((x) => `${x}-${randomUUID()}`);
    const l = login();
    await s.store.identity.createIdentity(ids[0]!, poolId, [l], 1000);
    await s.store.identity.createIdentity(ids[1]!, poolId, [], 1100);
    await s.store.identity.createIdentity(ids[2]!, poolId, [login()], 1200);
    const page = await s.store.identity.listIdentities(poolId, { limit: 2 });
    expect(page).toEqual([
      { id: ids[0], poolId, createdAt: 1000, updatedAt: 1000, logins: [l] },
      { id: ids[1], poolId, createdAt: 1100, updatedAt: 1100, logins: [] },
    ]);
    expect((await s.store.identity.listIdentities(poolId, { after: ids[1], limit: 2 })).map((i) => i.id)).toEqual([ids[2]]);
    expect(await s.store.identity.listIdentities((await newPool()).id, { limit: 2 })).toEqual([]);
  });

  it('deleteIdentities deletes those that exist, with their logins; deleting the pool deletes its identities', async () => {
    const { id: poolId } = await newPool();
    const [a, b] = [`us-east-1:${randomUUID()}`, `us-east-1:${randomUUID()}`];
    const l = login();
    await s.store.identity.createIdentity(a, poolId, [l], 1000);
    await s.store.identity.createIdentity(b, poolId, [], 1000);
    expect(await s.store.identity.deleteIdentities([a, 'us-east-1:none'])).toBe(1);
    expect(await s.store.identity.deleteIdentities([])).toBe(0);
    expect(await s.store.identity.findIdentity(a)).toBeUndefined();
    expect(await s.store.identity.identityIdsForLogins(poolId, [l])).toEqual([]);
    expect(await s.store.identity.deletePool(poolId)).toBe(true);
    expect(await s.store.identity.findIdentity(b)).toBeUndefined();
  });

  it('unlinkProviders removes the logins of those providers and marks the identity modified', async () => {
    const { id: poolId } = await newPool();
    const id = `us-east-1:${randomUUID()}`;
    const keep = login('s', 'accounts.example.com');
    await s.store.identity.createIdentity(id, poolId, [login('s'), keep], 1000);
    await s.store.identity.unlinkProviders(id, [PROVIDER], 2000);
    expect(await s.store.identity.findIdentity(id)).toMatchObject({ updatedAt: 2000, logins: [keep] });
    await s.store.identity.unlinkProviders(id, [], 3000);
    expect(await s.store.identity.findIdentity(id)).toMatchObject({ updatedAt: 2000 });
  });

  it('the OpenID key: one current key per use (two instances racing agree), kept encrypted; public keys newest first', async () => {
    const other = await s.another();
    expect(await s.store.identity.findCurrentKey('openid')).toBeUndefined();
    const [ka, kb] = [key(1000), key(2000)];
    const results = await Promise.all([s.store.identity.insertCurrentKey('openid', ka), other.identity.insertCurrentKey('openid', kb)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? ka : kb;
    expect(await other.identity.findCurrentKey('openid')).toEqual({ kid: winner.kid, sealedPrivateKey: winner.sealedPrivateKey });
    expect(await s.store.identity.listPublicKeys('openid')).toEqual([{ publicJwk: winner.publicJwk, expiresAt: null }]);
    // A retired key (as a rotation would leave it) is listed with its expiry, after the newer one.
    const retired = key(500);
    await s.db
      .insertInto('identity_signing_keys')
      .values({
        kid: retired.kid,
        use: 'openid',
        private_key: 'x',
        public_jwk: JSON.stringify(retired.publicJwk),
        created_at: 500,
        retired_at: 600,
        expires_at: 9000,
      })
      .execute();
    expect(await s.store.identity.listPublicKeys('openid')).toEqual([
      { publicJwk: winner.publicJwk, expiresAt: null },
      { publicJwk: retired.publicJwk, expiresAt: 9000 },
    ]);
    expect(await s.store.identity.listPublicKeys('other')).toEqual([]);
  });
});

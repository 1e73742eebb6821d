// Contract of storage/signing-keys.ts (user pools' token keys) on both databases.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { fakeSigningKey, openFreshStore, seedPool, type FreshStore } from './fresh-store.js';

const key = fakeSigningKey;

describeEachBackend('storage: signing keys', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('insertCurrent / findCurrent: one current key per pool and use, returned still encrypted', async () => {
    const poolId = await seedPool(s.db);
    expect(await s.store.signingKeys.findCurrent(poolId, 'id')).toBeUndefined();
    const k = key();
    expect(await s.store.signingKeys.insertCurrent(poolId, 'id', k)).toBe(true);
    expect(await s.store.signingKeys.findCurrent(poolId, 'id')).toEqual({ kid: k.kid, sealedPrivateKey: k.sealedPrivateKey });
    expect(await s.store.signingKeys.findCurrent(poolId, 'access')).toBeUndefined();
    expect(await s.store.signingKeys.insertCurrent(poolId, 'id', key())).toBe(false);
    expect(await s.store.signingKeys.findCurrent(poolId, 'id')).toMatchObject({ kid: k.kid });
  });

  it('two instances creating the first key: one wins, both then read the winner', async () => {
    const other = await s.another();
    const poolId = await seedPool(s.db);
    const [ka, kb] = [key(), key()];
    const results = await Promise.all([s.store.signingKeys.insertCurrent(poolId, 'access', ka), other.signingKeys.insertCurrent(poolId, 'access', kb)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? ka : kb;
    expect(await other.signingKeys.findCurrent(poolId, 'access')).toMatchObject({ kid: winner.kid });
    expect(await s.store.signingKeys.findCurrent(poolId, 'access')).toMatchObject({ kid: winner.kid });
  });

  it('findPublic and listPublic give the public JWK and expiry', async () => {
    const poolId = await seedPool(s.db);
    const [older, newer] = [key(1000), key(2000)];
    await s.store.signingKeys.insertCurrent(poolId, 'id', older);
    await s.store.signingKeys.insertCurrent(poolId, 'access', newer);
    expect(await s.store.signingKeys.findPublic(older.kid)).toEqual({ kid: older.kid, poolId, use: 'id', publicJwk: older.publicJwk, expiresAt: null });
    expect(await s.store.signingKeys.findPublic('no-such-kid')).toBeUndefined();
    expect(await s.store.signingKeys.listPublic(poolId)).toEqual([
      { publicJwk: newer.publicJwk, expiresAt: null },
      { publicJwk: older.publicJwk, expiresAt: null },
    ]);
    expect(await s.store.signingKeys.listPublic(await seedPool(s.db))).toEqual([]);
  });

  it('rotate retires the current keys (expiring later) and makes the new ones current, in one transaction', async () => {
    const poolId = await seedPool(s.db);
    const [oldId, oldAccess] = [key(1000), key(1000)];
    await s.store.signingKeys.insertCurrent(poolId, 'id', oldId);
    await s.store.signingKeys.insertCurrent(poolId, 'access', oldAccess);
    const fresh = { id: key(5000), access: key(5000) };
    expect(await s.store.signingKeys.rotate(poolId, fresh, 5000, 9000)).toBe(true);
    expect(await s.store.signingKeys.findCurrent(poolId, 'id')).toMatchObject({ kid: fresh.id.kid });
    expect(await s.store.signingKeys.findCurrent(poolId, 'access')).toMatchObject({ kid: fresh.access.kid });
    expect(await s.store.signingKeys.findPublic(oldId.kid)).toMatchObject({ expiresAt: 9000 });
    expect((await s.store.signingKeys.listPublic(poolId)).map((k) => k.expiresAt).sort()).toEqual([9000, 9000, null, null].sort());
    const row = await s.db.selectFrom('signing_keys').select('retired_at').where('kid', '=', oldAccess.kid).executeTakeFirstOrThrow();
    expect(Number(row.retired_at)).toBe(5000);
  });

  it('concurrent rotations leave exactly one current key per use, from a rotation that answered true', async () => {
    const other = await s.another();
    const poolId = await seedPool(s.db);
    await s.store.signingKeys.insertCurrent(poolId, 'id', key());
    await s.store.signingKeys.insertCurrent(poolId, 'access', key());
    const sets = [0, 1, 2, 3].map(() => ({ id: key(3000), access: key(3000) }));
    const results = await Promise.all(sets.map((set, i) => (i % 2 ? other : s.store).signingKeys.rotate(poolId, set, 3000 + i, 9000)));
    expect(results.some(Boolean)).toBe(true);
    const current = await s.db.selectFrom('signing_keys').select(['kid', 'use']).where('pool_id', '=', poolId).where('retired_at', 'is', null).execute();
    expect(current.map((c) => c.use).sort()).toEqual(['access', 'id']);
    const winner = sets.findIndex((set) => set.id.kid === current.find((c) => c.use === 'id')!.kid);
    expect(results[winner]).toBe(true);
    expect(sets[winner]!.access.kid).toBe(current.find((c) => c.use === 'access')!.kid);
    // A rotation that answered false stored nothing.
    for (const [i, ok] of results.entries()) {
      if (!ok) expect(await s.store.signingKeys.findPublic(sets[i]!.id.kid)).toBeUndefined();
    }
  });
});

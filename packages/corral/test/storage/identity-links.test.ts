// Contract of storage/identity.ts's linking on both databases: one login → one identity whoever races for it, a login
// unlinked alone, identities merged in one transaction (and concurrent merges of one pair serialized).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, type FreshStore } from './fresh-store.js';

const OIDC = 'localhost:4000/tenant';
const DEV = 'login.rides';

describeEachBackend('storage: identity logins, unlinking and merging', (backend) => {
  let s: FreshStore;
  let poolId: string;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    poolId = `us-east-1:${randomUUID()}`;
    await s.store.identity.createPool({ id: poolId, settings: { IdentityPoolName: 'p', AllowUnauthenticatedIdentities: false }, roles: { Roles: {} }, now: 1 });
  });
  afterAll(async () => s?.close());
  const newId = () => `us-east-1:${randomUUID()}`;

  it('racing creations of identities for one login: exactly one is stored, on two instances', async () => {
    const other = await s.another();
    const login = { provider: OIDC, subject: `racer-${randomUUID()}` };
    const ids = Array.from({ length: 8 }, newId);
    const results = await Promise.all(ids.map((id, i) => (i % 2 ? other : s.store).identity.createIdentity(id, poolId, [login], 10)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ids[results.indexOf(true)]!;
    expect(await s.store.identity.identityIdsForLogins(poolId, [login])).toEqual([winner]);
    for (const [i, id] of ids.entries()) if (!results[i]) expect(await s.store.identity.findIdentity(id)).toBeUndefined();
  });

  it('unlinkLogin removes that login only, and answers false for a login the identity does not have', async () => {
    const id = newId();
    const dev1 = { provider: DEV, subject: `u1-${randomUUID()}` };
    const dev2 = { provider: DEV, subject: `u2-${randomUUID()}` };
    expect(await s.store.identity.createIdentity(id, poolId, [dev1, dev2], 10)).toBe(true);
    expect(await s.store.identity.unlinkLogin(id, dev1, 20)).toBe(true);
    expect(await s.store.identity.findIdentity(id)).toMatchObject({ updatedAt: 20, logins: [dev2] });
    expect(await s.store.identity.unlinkLogin(id, dev1, 30)).toBe(false);
    expect(await s.store.identity.unlinkLogin(newId(), dev2, 30)).toBe(false);
    expect((await s.store.identity.findIdentity(id))!.updatedAt).toBe(20);
  });

  it('mergeIdentities moves every login and deletes the source; false when either is gone', async () => {
    const into = newId();
    const from = newId();
    const a = { provider: DEV, subject: `a-${randomUUID()}` };
    const b = { provider: DEV, subject: `b-${randomUUID()}` };
    const c = { provider: OIDC, subject: `c-${randomUUID()}` };
    await s.store.identity.createIdentity(into, poolId, [a], 10);
    await s.store.identity.createIdentity(from, poolId, [b, c], 11);
    expect(await s.store.identity.mergeIdentities(poolId, from, into, 50)).toBe(true);
    const merged = await s.store.identity.findIdentity(into);
    expect(merged).toMatchObject({ createdAt: 10, updatedAt: 50 });
    expect(merged!.logins).toEqual(expect.arrayContaining([a, b, c]));
    expect(await s.store.identity.findIdentity(from)).toBeUndefined();
    expect(await s.store.identity.identityIdsForLogins(poolId, [b, c])).toEqual([into]);
    expect(await s.store.identity.mergeIdentities(poolId, from, into, 60)).toBe(false);
    expect(await s.store.identity.mergeIdentities(poolId, into, into, 60)).toBe(false);
    // Another pool's identity is not merged.
    expect(await s.store.identity.mergeIdentities('us-east-1:other', into, newId(), 60)).toBe(false);
  });

  it('concurrent merges of one pair in opposite directions: one wins, one identity keeps both logins', async () => {
    const other = await s.another();
    const x = newId();
    const y = newId();
    const lx = { provider: DEV, subject: `x-${randomUUID()}` };
    const ly = { provider: DEV, subject: `y-${randomUUID()}` };
    await s.store.identity.createIdentity(x, poolId, [lx], 10);
    await s.store.identity.createIdentity(y, poolId, [ly], 10);
    const results = await Promise.all([s.store.identity.mergeIdentities(poolId, x, y, 20), other.identity.mergeIdentities(poolId, y, x, 20)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const owners = await s.store.identity.identityIdsForLogins(poolId, [lx, ly]);
    expect(owners).toHaveLength(1);
    expect(await s.store.identity.findIdentity(owners[0]!)).toBeTruthy();
    expect(await s.store.identity.findIdentity(owners[0] === x ? y : x)).toBeUndefined();
  });
});

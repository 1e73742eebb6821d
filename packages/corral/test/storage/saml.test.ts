// Contract of storage/saml.ts on both databases: one key pair per (pool, use) whoever races to create it, and the
// pending AuthnRequests (found until they expire, swept after).
import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { suiteStore } from './fresh-store.js';

describeEachBackend('storage: SAML keys and requests', (backend) => {
  const s = suiteStore(backend);

  it('insertKey: the first key of (pool, use) wins, on either instance; findKey answers it', async () => {
    const other = await s.another();
    const key = (n: number) => ({ certificate: `cert-${n}`, sealedPrivateKey: `sealed-${n}`, createdAt: n });
    const results = await Promise.all([1, 2, 3, 4].map((n) => (n % 2 ? s.store : other).saml.insertKey(s.poolId, 'signing', key(n))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true) + 1;
    expect(await other.saml.findKey(s.poolId, 'signing')).toEqual(key(winner));
    expect(await s.store.saml.findKey(s.poolId, 'encryption')).toBeUndefined();
    expect(await s.store.saml.insertKey(s.poolId, 'encryption', key(9))).toBe(true);
  });

  it('pending requests are found until they expire, then swept', async () => {
    const r = { id: '_abc', poolId: s.poolId, providerName: 'P', request: '{"x":1}', browserHash: 'h', expiresAt: 5_000 };
    await s.store.saml.insertRequest(r);
    expect(await (await s.another()).saml.findRequest('_abc', 4_999)).toEqual(r);
    expect(await s.store.saml.findRequest('_abc', 5_000)).toBeUndefined();
    expect(await s.store.saml.findRequest('_nope', 0)).toBeUndefined();
    expect(await s.store.saml.deleteExpiredRequests(6_000)).toBe(1);
    expect(await s.store.saml.findRequest('_abc', 0)).toBeUndefined();
  });
});

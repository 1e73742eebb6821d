// Contract of storage/server-key-check.ts on both databases: the first start's key fingerprint is recorded once,
// whichever of several instances starting together gets there first, and one sealed value of each kind is found.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, seedPool, seedUser, type FreshStore } from './fresh-store.js';

describeEachBackend('storage: the server key record', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('records the first fingerprint only; concurrent first starts on two instances agree on one', async () => {
    expect(await s.store.serverKey.recordedFingerprint()).toBeUndefined();
    const other = await s.another();
    const recorded = await Promise.all(['aaaa', 'bbbb', 'cccc', 'dddd'].map((f, i) => (i % 2 ? other : s.store).serverKey.recordFingerprint(f, 1)));
    expect(new Set(recorded).size).toBe(1);
    expect(await s.store.serverKey.recordedFingerprint()).toBe(recorded[0]);
    expect(await s.store.serverKey.recordFingerprint('eeee', 2)).toBe(recorded[0]);
  });

  it('sealedSamples finds one stored value of each kind the server key encrypts (none in an empty database)', async () => {
    expect(await s.store.serverKey.sealedSamples()).toEqual({
      signingKey: undefined,
      identitySigningKey: undefined,
      clientSecret: undefined,
      srpVerifier: undefined,
    });
    const poolId = await seedPool(s.db);
    const sub = await seedUser(s.db, poolId);
    await s.db.updateTable('users').set({ srp_verifier: 'sealed-verifier' }).where('id', '=', sub).execute();
    await s.db
      .insertInto('user_pool_clients')
      .values({ id: 'client-with-secret', pool_id: poolId, name: 'c', secret: 'sealed-secret', settings: '{}', created_at: 1, updated_at: 1 })
      .execute();
    const samples = await s.store.serverKey.sealedSamples();
    expect(samples).toMatchObject({ clientSecret: 'sealed-secret', srpVerifier: 'sealed-verifier' });
  });
});

// Contract of storage/spent-sessions.ts on both databases: single use, across instances.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, type FreshStore } from './fresh-store.js';

const hash = () => randomBytes(32).toString('hex');

describeEachBackend('storage: spent sessions', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('spend is true the first time only', async () => {
    const h = hash();
    expect(await s.store.spentSessions.spend(h, 10_000)).toBe(true);
    expect(await s.store.spentSessions.spend(h, 10_000)).toBe(false);
    expect(await s.store.spentSessions.spend(hash(), 10_000)).toBe(true);
  });

  it('deleteExpired drops only the rows of tokens expired before now', async () => {
    const old = hash();
    const live = hash();
    await s.store.spentSessions.spend(old, 1_000);
    await s.store.spentSessions.spend(live, 3_000);
    expect(await s.store.spentSessions.deleteExpired(2_000)).toBeGreaterThanOrEqual(1);
    expect(await s.store.spentSessions.spend(live, 3_000)).toBe(false); // still spent
    expect(await s.store.spentSessions.spend(old, 1_000)).toBe(true); // its row was swept
  });

  it('two concurrent spends of one session (on two instances): exactly one wins', async () => {
    const other = await s.another();
    for (let round = 0; round < 10; round++) {
      const h = hash();
      const results = await Promise.all([
        s.store.spentSessions.spend(h, 10_000),
        other.spentSessions.spend(h, 10_000),
        s.store.spentSessions.spend(h, 10_000),
        other.spentSessions.spend(h, 10_000),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});

// Contract of storage/counters.ts on both databases: one atomic upsert per add, totals exact when instances add at
// once, expired windows swept.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, type FreshStore } from './fresh-store.js';

const key = () => `k:${randomBytes(8).toString('hex')}`;

describeEachBackend('storage: counters', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('names its backend (SQLite: one instance per file, so callers may count in memory)', () => {
    expect(s.store.counters.backend).toBe(backend);
  });

  it('add creates the counter, adds to it (negative too) and answers the new total; read answers it', async () => {
    const k = key();
    expect(await s.store.counters.read(k)).toBe(0);
    expect(await s.store.counters.add(k, 1, 10_000)).toBe(1);
    expect(await s.store.counters.add(k, 5, 10_000)).toBe(6);
    expect(await s.store.counters.add(k, -2, 10_000)).toBe(4);
    expect(await s.store.counters.read(k)).toBe(4);
  });

  it('adds from two instances at once lose nothing', async () => {
    const other = await s.another();
    const k = key();
    const totals = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : s.store).counters.add(k, 1, 10_000)));
    expect(new Set(totals).size).toBe(40); // each add saw its own total
    expect(Math.max(...totals)).toBe(40);
    expect(await other.counters.read(k)).toBe(40);
  });

  it('deleteExpired drops only the counters of windows that ended before now', async () => {
    const old = key();
    const live = key();
    await s.store.counters.add(old, 3, 1_000);
    await s.store.counters.add(live, 3, 3_000);
    expect(await s.store.counters.deleteExpired(2_000)).toBeGreaterThanOrEqual(1);
    expect(await s.store.counters.read(old)).toBe(0);
    expect(await s.store.counters.read(live)).toBe(3);
  });
});

// Contract of storage/outbox.ts on both databases: opaque rows that expire, deleted on every write and every read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboxRecord } from '../../src/storage/outbox.js';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, type FreshStore } from './fresh-store.js';

describeEachBackend('storage: outbox', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  const T = 1_800_000_000_000;
  let n = 0;
  const record = (over: Partial<OutboxRecord> = {}): OutboxRecord => {
    n++;
    return {
      id: (T + n).toString(16).padStart(12, '0') + n.toString(16).padStart(4, '0') + '000000000000',
      poolId: 'us-east-1_pool1',
      medium: 'EMAIL',
      kind: 'SignUp',
      recipientHash: 'hash-a',
      sealed: `v1.opaque.${n}`,
      createdAt: T + n,
      expiresAt: T + n + 3_600_000,
      ...over,
    };
  };
  const rawCount = async () =>
    Number(
      (
        await s.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('insert and list: newest first, filtered by recipient and pool, limited, as stored', async () => {
    const a1 = record();
    const b1 = record({ recipientHash: 'hash-b', poolId: 'us-east-1_pool2', medium: 'SMS', kind: 'ForgotPassword' });
    const a2 = record();
    for (const r of [a1, b1, a2]) await s.store.outbox.insert(r, T);
    expect(await s.store.outbox.list({ limit: 10, now: T })).toEqual([a2, b1, a1]);
    expect(await s.store.outbox.list({ recipientHash: 'hash-a', limit: 10, now: T })).toEqual([a2, a1]);
    expect(await s.store.outbox.list({ poolId: 'us-east-1_pool2', limit: 10, now: T })).toEqual([b1]);
    expect(await s.store.outbox.list({ recipientHash: 'hash-b', poolId: 'us-east-1_pool1', limit: 10, now: T })).toEqual([]);
    expect(await s.store.outbox.list({ limit: 1, now: T })).toEqual([a2]);
  });

  it('a read deletes the rows past their expiry (not only hides them)', async () => {
    await s.db.deleteFrom('outbox').execute();
    const short = record({ expiresAt: T + 1000 });
    const long = record({ expiresAt: T + 10_000 });
    await s.store.outbox.insert(short, T);
    await s.store.outbox.insert(long, T);
    expect(await s.store.outbox.list({ limit: 10, now: T + 1000 })).toEqual([long]);
    expect(await rawCount()).toBe(1);
    // Back in time, the deleted row does not come back.
    expect(await s.store.outbox.list({ limit: 10, now: T })).toEqual([long]);
  });

  it('a write deletes the rows past their expiry in the same commit', async () => {
    await s.db.deleteFrom('outbox').execute();
    await s.store.outbox.insert(record({ expiresAt: T + 1000 }), T);
    await s.store.outbox.insert(record({ expiresAt: T + 2000 }), T);
    const fresh = record({ expiresAt: T + 50_000 });
    await s.store.outbox.insert(fresh, T + 1500);
    expect(await rawCount()).toBe(2);
    await s.store.outbox.insert(record({ expiresAt: T + 60_000 }), T + 2000);
    expect(await rawCount()).toBe(2);
    expect((await s.store.outbox.list({ limit: 10, now: T })).map((r) => r.expiresAt)).toEqual([T + 60_000, T + 50_000]);
  });

  it('deleteExpired: how many went', async () => {
    await s.db.deleteFrom('outbox').execute();
    await s.store.outbox.insert(record({ expiresAt: T + 10 }), T);
    await s.store.outbox.insert(record({ expiresAt: T + 20 }), T);
    await s.store.outbox.insert(record({ expiresAt: T + 30 }), T);
    expect(await s.store.outbox.deleteExpired(T + 20)).toBe(2);
    expect(await s.store.outbox.deleteExpired(T + 20)).toBe(0);
    expect(await rawCount()).toBe(1);
  });

  it('concurrent inserts all land (each one deleting the expired rows)', async () => {
    await s.db.deleteFrom('outbox').execute();
    for (let i = 0; i < 5; i++) await s.store.outbox.insert(record({ expiresAt: T + 5 }), T);
    const other = await s.another();
    const batch = Array.from({ length: 20 }, () => record({ expiresAt: T + 100_000 }));
    await Promise.all(batch.map((r, i) => (i % 2 ? other : s.store).outbox.insert(r, T + 10)));
    expect(await rawCount()).toBe(20);
  });
});

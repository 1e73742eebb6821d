// Contract of storage/invocations.ts on both databases: records listed newest first (all, or one function's), error
// messages cut to 1 KiB of UTF-8 and made storable, logs cut to 4 KiB and kept on the newest `logsKept` rows only,
// and at most the newest `keep` rows kept per function.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { ERROR_MESSAGE_MAX_BYTES, INVOCATIONS_KEPT, LOGS_KEPT, LOGS_MAX_BYTES, storableText, type NewInvocation } from '../../src/storage/invocations.js';
import { openFreshStore, type FreshStore } from './fresh-store.js';

const run = (functionName: string, startedAt: number, extra: Partial<NewInvocation> = {}): NewInvocation => ({
  functionName,
  triggerSource: 'PreSignUp_SignUp',
  poolId: 'us-east-1_abcDEF123',
  startedAt,
  durationMs: 12,
  outcome: 'Succeeded',
  ...extra,
});

it('storableText cuts at a character boundary and replaces what the databases cannot store', () => {
  expect(storableText('abc', 10)).toBe('abc');
  expect(storableText('é'.repeat(10), 5)).toBe('éé'); // 2 bytes each: 5 bytes hold two
  expect(storableText('a\u0000b', 10)).toBe('a\uFFFDb');
  expect(storableText('x\uD800y', 10)).toBe('x\uFFFDy');
  expect(storableText('😀😀', 7)).toBe('😀');
});

describeEachBackend('storage: invocations', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('records invocations and lists them newest first, all or one function’s', async () => {
    const a1 = await s.store.invocations.record(run('alpha', 1_000));
    const b1 = await s.store.invocations.record(run('beta', 2_000, { outcome: 'Failed', errorMessage: 'boom', durationMs: 7.6 }));
    const a2 = await s.store.invocations.record(run('alpha', 3_000, { outcome: 'TimedOut', errorMessage: 'Socket timeout' }));
    const all = await s.store.invocations.list({ limit: 10 });
    expect(all.map((i) => i.id)).toEqual([a2.id, b1.id, a1.id]);
    expect(all[1]).toEqual({
      id: b1.id,
      functionName: 'beta',
      triggerSource: 'PreSignUp_SignUp',
      poolId: 'us-east-1_abcDEF123',
      startedAt: 2_000,
      durationMs: 8,
      outcome: 'Failed',
      errorMessage: 'boom',
    });
    expect(all[2]!.errorMessage).toBeUndefined();
    expect((await s.store.invocations.list({ functionName: 'alpha', limit: 10 })).map((i) => i.id)).toEqual([a2.id, a1.id]);
    expect((await s.store.invocations.list({ functionName: 'alpha', limit: 1 })).map((i) => i.id)).toEqual([a2.id]);
    expect(await s.store.invocations.list({ functionName: 'nobody', limit: 10 })).toEqual([]);
  });

  it('stores at most 1 KiB of an error message, and messages the database could not store otherwise', async () => {
    const long = 'é'.repeat(2000) + 'tail';
    const r = await s.store.invocations.record(run('gamma', 4_000, { outcome: 'Failed', errorMessage: long }));
    const [stored] = await s.store.invocations.list({ functionName: 'gamma', limit: 1 });
    expect(stored!.id).toBe(r.id);
    expect(Buffer.byteLength(stored!.errorMessage!)).toBe(ERROR_MESSAGE_MAX_BYTES);
    expect(stored!.errorMessage).toBe('é'.repeat(512));
    await s.store.invocations.record(run('gamma', 5_000, { outcome: 'Failed', errorMessage: 'nul \u0000 and \uDC00' }));
    expect((await s.store.invocations.list({ functionName: 'gamma', limit: 1 }))[0]!.errorMessage).toBe('nul \uFFFD and \uFFFD');
  });

  it(`stores what the function printed (cut to ${LOGS_MAX_BYTES} bytes, secrets it echoes blanked) on its newest ${LOGS_KEPT} runs only`, async () => {
    const printed = await s.store.invocations.record(run('printer', 6_000, { logs: 'hello\n{"password":"Hunter2!"}\n' }));
    expect(printed.logs).toBe('hello\n{"password":"[redacted]"}\n');
    const [stored] = await s.store.invocations.list({ functionName: 'printer', limit: 1 });
    expect(stored!.logs).toBe('hello\n{"password":"[redacted]"}\n');
    await s.store.invocations.record(run('printer', 6_001, { logs: '😀'.repeat(2000) }));
    expect(Buffer.byteLength((await s.store.invocations.list({ functionName: 'printer', limit: 1 }))[0]!.logs!)).toBe(LOGS_MAX_BYTES);
    await s.store.invocations.record(run('printer', 6_002, { logs: '' }));
    expect((await s.store.invocations.list({ functionName: 'printer', limit: 1 }))[0]).not.toHaveProperty('logs');

    const logsKept = 3;
    for (let i = 0; i < 8; i++) {
      await s.store.invocations.record(run('chatty', 7_000 + i, { logs: `run ${i}\n` }), INVOCATIONS_KEPT, logsKept);
      if (i === 5) await s.store.invocations.record(run('chatty', 7_100, {}), INVOCATIONS_KEPT, logsKept); // one without logs
    }
    const rows = await s.store.invocations.list({ functionName: 'chatty', limit: 100 });
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r.logs ?? null)).toEqual([null, 'run 7\n', 'run 6\n', 'run 5\n', null, null, null, null, null]);
    expect((await s.store.invocations.list({ functionName: 'printer', limit: 10 })).filter((r) => r.logs)).toHaveLength(2);
  });

  it('keeps only the newest `keep` per function, without touching the others', async () => {
    const keep = 25;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await s.store.invocations.record(run('busy', 10_000 + i), keep)).id);
    expect(await s.store.invocations.countFor('busy')).toBe(keep);
    const kept = await s.store.invocations.list({ functionName: 'busy', limit: 100 });
    expect(kept.map((i) => i.id)).toEqual(ids.slice(-keep).reverse());
    expect(await s.store.invocations.countFor('alpha')).toBe(2);
  });

  it(`keeps ${INVOCATIONS_KEPT} by default, from two instances at once`, async () => {
    const other = await s.another();
    await Promise.all(Array.from({ length: INVOCATIONS_KEPT + 30 }, (_, i) => (i % 2 ? other : s.store).invocations.record(run('flood', 100_000 + i))));
    const n = await s.store.invocations.countFor('flood');
    // Concurrent prunes may each see a different 1,000th row; once writes settle, one more record trims to the bound.
    expect(n).toBeGreaterThanOrEqual(INVOCATIONS_KEPT);
    await s.store.invocations.record(run('flood', 200_000));
    expect(await s.store.invocations.countFor('flood')).toBe(INVOCATIONS_KEPT);
    expect((await s.store.invocations.list({ functionName: 'flood', limit: 1 }))[0]!.startedAt).toBe(200_000);
  });
});

// Contract of storage/codes.ts on both databases, with the races it guards: bounded tries and single use.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { CodeKey } from '../../src/storage/codes.js';
import { describeEachBackend } from '../support/corral.js';
import { seedUser, suiteStore } from './fresh-store.js';

const MAX = 5;
const hash = () => randomBytes(32).toString('hex');

describeEachBackend('storage: one-time codes', (backend) => {
  const s = suiteStore(backend);
  const key = async (purpose = 'signup'): Promise<CodeKey> => ({ poolId: s.poolId, userId: await seedUser(s.db, s.poolId), purpose });

  it('replace stores a code; find reads it without taking a try', async () => {
    const k = await key();
    expect(await s.store.codes.find(k)).toBeUndefined();
    const codeHash = hash();
    await s.store.codes.replace(k, { codeHash, expiresAt: 5000, createdAt: 1000 });
    expect(await s.store.codes.find(k)).toEqual({ codeHash, expiresAt: 5000, tries: 0, createdAt: 1000 });
    expect(await s.store.codes.find(k)).toMatchObject({ tries: 0 });
  });

  it('replace swaps the live code and resets its tries; codes are per (pool, user, purpose)', async () => {
    const k = await key();
    await s.store.codes.replace(k, { codeHash: hash(), expiresAt: 5000, createdAt: 1000 });
    await s.store.codes.takeTry(k, MAX);
    await s.store.codes.takeTry(k, MAX);
    expect(await s.store.codes.find(k)).toMatchObject({ tries: 2 });
    const second = hash();
    await s.store.codes.replace(k, { codeHash: second, expiresAt: 9000, createdAt: 2000 });
    expect(await s.store.codes.find(k)).toEqual({ codeHash: second, expiresAt: 9000, tries: 0, createdAt: 2000 });
    expect(await s.store.codes.find({ ...k, purpose: 'forgot_password' })).toBeUndefined();
  });

  it('takeTry hands out the hash and expiry up to the bound, then says exhausted; none without a code', async () => {
    const k = await key();
    expect(await s.store.codes.takeTry(k, MAX)).toEqual({ taken: false, reason: 'none' });
    const codeHash = hash();
    await s.store.codes.replace(k, { codeHash, expiresAt: 5000, createdAt: 1000 });
    for (let i = 0; i < MAX; i++) expect(await s.store.codes.takeTry(k, MAX)).toEqual({ taken: true, codeHash, expiresAt: 5000 });
    expect(await s.store.codes.takeTry(k, MAX)).toEqual({ taken: false, reason: 'exhausted' });
    expect(await s.store.codes.find(k)).toMatchObject({ tries: MAX });
  });

  it('spend deletes the code only while it is the one with that hash', async () => {
    const k = await key();
    const codeHash = hash();
    await s.store.codes.replace(k, { codeHash, expiresAt: 5000, createdAt: 1000 });
    expect(await s.store.codes.spend(k, hash())).toBe(false);
    expect(await s.store.codes.spend(k, codeHash)).toBe(true);
    expect(await s.store.codes.spend(k, codeHash)).toBe(false);
    expect(await s.store.codes.find(k)).toBeUndefined();
  });

  it('discard drops the live code of that purpose only', async () => {
    const k = await key();
    await s.store.codes.replace(k, { codeHash: hash(), expiresAt: 5000, createdAt: 1000 });
    await s.store.codes.replace({ ...k, purpose: 'verify_email' }, { codeHash: hash(), expiresAt: 5000, createdAt: 1000 });
    await s.store.codes.discard(k);
    await s.store.codes.discard(k); // nothing left: no error
    expect(await s.store.codes.find(k)).toBeUndefined();
    expect(await s.store.codes.find({ ...k, purpose: 'verify_email' })).toBeDefined();
  });

  it(`hands out at most ${MAX} tries to 24 concurrent attempts from two instances`, async () => {
    const other = await s.another();
    for (let round = 0; round < 3; round++) {
      const k = await key();
      await s.store.codes.replace(k, { codeHash: hash(), expiresAt: 5000, createdAt: 1000 });
      const tries = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? other : s.store).codes.takeTry(k, MAX)));
      expect(tries.filter((t) => t.taken)).toHaveLength(MAX);
      expect(tries.filter((t) => !t.taken && t.reason === 'exhausted')).toHaveLength(24 - MAX);
      expect(await s.store.codes.find(k)).toMatchObject({ tries: MAX });
    }
  });

  it('lets one of two concurrent right answers (on two instances) spend the code', async () => {
    const other = await s.another();
    for (let round = 0; round < 5; round++) {
      const k = await key();
      const codeHash = hash();
      await s.store.codes.replace(k, { codeHash, expiresAt: 5000, createdAt: 1000 });
      const answer = async (store: typeof other) => {
        const t = await store.codes.takeTry(k, MAX);
        return t.taken && t.codeHash === codeHash && (await store.codes.spend(k, t.codeHash));
      };
      const results = await Promise.all([answer(s.store), answer(other), answer(s.store), answer(other)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});

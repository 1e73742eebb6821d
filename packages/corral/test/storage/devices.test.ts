// Contract of storage/devices.ts on both databases.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Device } from '../../src/storage/devices.js';
import { describeEachBackend } from '../support/corral.js';
import { seedUser, suiteStore } from './fresh-store.js';

describeEachBackend('storage: remembered devices', (backend) => {
  const s = suiteStore(backend);

  const device = (userId: string, over: Partial<Device> = {}): Device => ({
    key: `us-east-1_${randomUUID()}`,
    poolId: s.poolId,
    userId,
    groupKey: '-AbCdEfGh',
    salt: Buffer.from('00ff10', 'hex'),
    sealedVerifier: 'v1.sealed-verifier-as-given',
    name: 'Pixel',
    attributes: { last_ip_used: '127.0.0.1' },
    status: 'valid',
    createdAt: 1000,
    updatedAt: 1000,
    lastAuthenticatedAt: 1000,
    ...over,
  });

  it('create stores the device as given (the verifier string untouched); findForUser finds it for its owner only', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const d = device(userId);
    expect(await s.store.devices.create(d)).toBe(true);
    expect(await s.store.devices.findForUser(s.poolId, userId, d.key)).toEqual(d);
    const row = await s.db.selectFrom('devices').select(['srp_verifier', 'srp_salt']).where('device_key', '=', d.key).executeTakeFirstOrThrow();
    expect(row).toEqual({ srp_verifier: 'v1.sealed-verifier-as-given', srp_salt: '00ff10' });
    expect(await s.store.devices.findForUser(s.poolId, await seedUser(s.db, s.poolId), d.key)).toBeUndefined();
    expect(await s.store.devices.findForUser('us-east-1_other', userId, d.key)).toBeUndefined();
  });

  it('create answers false for a key that exists (concurrently too: one of two wins)', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const d = device(userId, { name: null, attributes: {}, lastAuthenticatedAt: null });
    const other = await s.another();
    const results = await Promise.all([s.store.devices.create(d), other.devices.create({ ...d, name: 'second' })]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.store.devices.create(d)).toBe(false);
    expect(await s.store.devices.findForUser(s.poolId, userId, d.key)).toMatchObject({ key: d.key, lastAuthenticatedAt: null });
  });

  it('setStatus, touchAuthenticated and delete', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const d = device(userId);
    await s.store.devices.create(d);
    await s.store.devices.setStatus(d.key, 'remembered', 2000);
    expect(await s.store.devices.findForUser(s.poolId, userId, d.key)).toMatchObject({ status: 'remembered', updatedAt: 2000, lastAuthenticatedAt: 1000 });
    await s.store.devices.touchAuthenticated(d.key, 3000);
    expect(await s.store.devices.findForUser(s.poolId, userId, d.key)).toMatchObject({ status: 'remembered', updatedAt: 2000, lastAuthenticatedAt: 3000 });
    await s.store.devices.delete(d.key);
    expect(await s.store.devices.findForUser(s.poolId, userId, d.key)).toBeUndefined();
  });

  it('listForUser pages the user’s devices in key order', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const mine = ['a', 'b', 'c', 'd'].map((c) => device(userId, { key: `us-east-1_${c}${randomUUID().slice(1)}` }));
    for (const d of [...mine].reverse()) await s.store.devices.create(d);
    await s.store.devices.create(device(await seedUser(s.db, s.poolId)));
    const first = await s.store.devices.listForUser(s.poolId, userId, { limit: 3 });
    expect(first.map((d) => d.key)).toEqual(mine.slice(0, 3).map((d) => d.key));
    const rest = await s.store.devices.listForUser(s.poolId, userId, { after: first[2]!.key, limit: 3 });
    expect(rest).toEqual([mine[3]]);
  });
});

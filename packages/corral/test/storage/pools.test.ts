// Contract of storage/pools.ts (user pools and app clients) on both databases.
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClientRecord, Pool } from '../../src/storage/pools.js';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, seedUser, type FreshStore } from './fresh-store.js';

describeEachBackend('storage: pools and clients', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  const newPool = (name = 'WildRydes', over: Partial<UserPoolType> = {}): Pool => {
    const id = `us-east-1_${randomBytes(5).toString('hex')}`;
    const at = new Date(1_700_000_000_000);
    return {
      id,
      name,
      settings: {
        Id: id,
        Name: name,
        CreationDate: at,
        LastModifiedDate: at,
        MfaConfiguration: 'OFF',
        Policies: { PasswordPolicy: { MinimumLength: 8 } },
        ...over,
      },
    };
  };

  const newClient = (poolId: string, over: Partial<ClientRecord> = {}): ClientRecord => ({
    id: randomBytes(13).toString('hex'),
    poolId,
    name: 'web',
    encryptedSecret: null,
    settings: { CreationDate: new Date(1_700_000_000_000), LastModifiedDate: new Date(1_700_000_000_000), ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] },
    ...over,
  });

  it('inserts, finds (dates revived, settings frozen) and changes a pool', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    const found = await s.store.pools.find(pool.id);
    expect(found).toEqual(pool);
    expect(found!.settings.CreationDate).toBeInstanceOf(Date);
    expect(Object.isFrozen(found!.settings.Policies)).toBe(true);
    const row = await s.db.selectFrom('user_pools').select(['created_at', 'updated_at']).where('id', '=', pool.id).executeTakeFirstOrThrow();
    expect([Number(row.created_at), Number(row.updated_at)]).toEqual([1_700_000_000_000, 1_700_000_000_000]);
    expect(await s.store.pools.find('us-east-1_nothere00')).toBeUndefined();

    const changed: Pool = {
      ...pool,
      name: 'Renamed',
      settings: { ...pool.settings, Name: 'Renamed', LastModifiedDate: new Date(1_700_000_009_000), MfaConfiguration: 'OPTIONAL' },
    };
    expect(await s.store.pools.change(pool.id, () => changed, 99)).toEqual(changed);
    expect(await s.store.pools.find(pool.id)).toEqual(changed);
    const saved = await s.db.selectFrom('user_pools').select('updated_at').where('id', '=', pool.id).executeTakeFirstOrThrow();
    expect(Number(saved.updated_at)).toBe(1_700_000_009_000);
    expect(await s.store.pools.change(newPool().id, (p) => p, 99)).toBeUndefined();
  });

  it('concurrent changes on two instances are applied one after the other: none is lost', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    const other = await s.another();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? other : s.store).pools.change(
          pool.id,
          (p) => ({ ...p, settings: { ...p.settings, UserPoolTags: { ...p.settings.UserPoolTags, [`t${i}`]: `v${i}` } } }),
          10,
        ),
      ),
    );
    const tags = (await s.store.pools.find(pool.id))!.settings.UserPoolTags ?? {};
    expect(Object.keys(tags).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `t${i}`).sort());
  });

  it('a save by another instance is read at once (the parse cache follows the stored text)', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    expect((await s.store.pools.find(pool.id))!.settings.MfaConfiguration).toBe('OFF');
    const other = await s.another();
    await other.pools.change(pool.id, (p) => ({ ...p, settings: { ...p.settings, MfaConfiguration: 'ON' } }), 6);
    expect((await s.store.pools.find(pool.id))!.settings.MfaConfiguration).toBe('ON');
  });

  it('lists pools by id, a page at a time', async () => {
    const before = (await s.store.pools.list(1000, undefined)).length;
    for (let i = 0; i < 3; i++) await s.store.pools.insert(newPool(`p${i}`), 5);
    const all = await s.store.pools.list(1000, undefined);
    expect(all).toHaveLength(before + 3);
    expect(all.map((p) => p.id)).toEqual([...all.map((p) => p.id)].sort());
    const first = await s.store.pools.list(2, undefined);
    const next = await s.store.pools.list(2, first[1]!.id);
    expect([...first, ...next].map((p) => p.id)).toEqual(all.slice(0, 4).map((p) => p.id));
  });

  it('sets and removes the Domain member of the settings, keeping the rest; concurrent sets leave one value', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    expect(await s.store.pools.setDomain(pool.id, 'rides')).toBe(true);
    expect((await s.store.pools.find(pool.id))!.settings).toEqual({ ...pool.settings, Domain: 'rides' });
    expect(await s.store.pools.setDomain(pool.id, undefined)).toBe(true);
    expect((await s.store.pools.find(pool.id))!.settings).toEqual(pool.settings);
    expect(await s.store.pools.setDomain('us-east-1_nothere00', 'x')).toBe(false);

    const other = await s.another();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : s.store).pools.setDomain(pool.id, `d${i}`)));
    const after = (await s.store.pools.find(pool.id))!.settings;
    expect(after.Domain).toMatch(/^d[0-9]$/);
    expect({ ...after, Domain: undefined }).toEqual({ ...pool.settings, Domain: undefined });
  });

  it('counts users; deleting a pool takes its clients and users in one go', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    expect(await s.store.pools.countUsers(pool.id)).toBe(0);
    await seedUser(s.db, pool.id);
    await seedUser(s.db, pool.id);
    expect(await s.store.pools.countUsers(pool.id)).toBe(2);
    const client = newClient(pool.id);
    await s.store.pools.insertClient(client, 5);

    await s.store.pools.delete(pool.id);
    expect(await s.store.pools.find(pool.id)).toBeUndefined();
    expect(await s.store.pools.findClient(client.id)).toBeUndefined();
    expect(await s.store.pools.countUsers(pool.id)).toBe(0);
  });

  it('inserts, finds (with and without its pool), lists, updates and deletes clients', async () => {
    const pool = newPool();
    await s.store.pools.insert(pool, 5);
    const plain = newClient(pool.id, { id: 'aaaa' + randomBytes(11).toString('hex') });
    const secret = newClient(pool.id, { id: 'bbbb' + randomBytes(11).toString('hex'), name: 'server', encryptedSecret: 'sealed-secret' });
    await s.store.pools.insertClient(plain, 5);
    await s.store.pools.insertClient(secret, 5);

    expect(await s.store.pools.findClient(plain.id)).toEqual(plain);
    expect(await s.store.pools.findClient(secret.id)).toEqual(secret);
    expect(await s.store.pools.findClient('nothere')).toBeUndefined();
    expect(await s.store.pools.findClientWithPool(secret.id)).toEqual({ client: secret, pool });
    expect(await s.store.pools.findClientWithPool('nothere')).toBeUndefined();

    expect(await s.store.pools.listClients(pool.id, 10, undefined)).toEqual([
      { id: plain.id, name: 'web' },
      { id: secret.id, name: 'server' },
    ]);
    expect(await s.store.pools.listClients(pool.id, 1, undefined)).toEqual([{ id: plain.id, name: 'web' }]);
    expect(await s.store.pools.listClients(pool.id, 10, plain.id)).toEqual([{ id: secret.id, name: 'server' }]);

    const { encryptedSecret: _e, ...rest } = secret;
    const renamed = { ...rest, name: 'backend', settings: { ...secret.settings, LastModifiedDate: new Date(1_700_000_100_000), ExplicitAuthFlows: [] } };
    expect(await s.store.pools.updateClient(renamed, 7)).toBe(true);
    expect(await s.store.pools.findClient(secret.id)).toEqual({ ...renamed, encryptedSecret: 'sealed-secret' }); // the secret stays
    expect(await s.store.pools.updateClient({ ...renamed, poolId: 'us-east-1_other0000' }, 7)).toBe(false);

    expect(await s.store.pools.deleteClient('us-east-1_other0000', plain.id)).toBe(false);
    expect(await s.store.pools.deleteClient(pool.id, plain.id)).toBe(true);
    expect(await s.store.pools.deleteClient(pool.id, plain.id)).toBe(false);
    expect(await s.store.pools.findClient(plain.id)).toBeUndefined();
  });
});

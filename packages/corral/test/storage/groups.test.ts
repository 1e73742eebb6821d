// Contract of storage/groups.ts (groups and memberships) on both databases, with the races it guards:
// AdminAddUserToGroup ∥ DeleteGroup leaves no membership behind, concurrent UpdateGroups of different members keep both.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Group } from '../../src/storage/groups.js';
import { describeEachBackend } from '../support/corral.js';
import { seedPool, seedUser, suiteStore } from './fresh-store.js';

describeEachBackend('storage: groups', (backend) => {
  const s = suiteStore(backend);

  const group = (name: string, over: Partial<Group> = {}): Group => ({
    poolId: s.poolId,
    name,
    description: null,
    roleArn: null,
    precedence: null,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...over,
  });
  const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

  it('creates (once per name, case-sensitive), finds and lists groups by name', async () => {
    const p = await seedPool(s.db);
    const a = { ...group('Riders', { description: 'd', roleArn: 'arn:aws:iam::1:role/r', precedence: 3 }), poolId: p };
    expect(await s.store.groups.create(a)).toBe(true);
    expect(await s.store.groups.create({ ...a, description: 'again' })).toBe(false);
    expect(await s.store.groups.create({ ...a, name: 'riders' })).toBe(true);
    expect(await s.store.groups.create({ ...a, name: 'admins' })).toBe(true);
    expect(await s.store.groups.find(p, 'Riders')).toEqual(a);
    expect(await s.store.groups.find(p, 'nobody')).toBeUndefined();
    expect(await s.store.groups.find(s.poolId, 'Riders')).toBeUndefined();

    expect((await s.store.groups.list(p, { limit: 10 })).map((g) => g.name)).toEqual(['Riders', 'admins', 'riders']);
    expect((await s.store.groups.list(p, { limit: 2 })).map((g) => g.name)).toEqual(['Riders', 'admins']);
    expect((await s.store.groups.list(p, { limit: 2, after: 'admins' })).map((g) => g.name)).toEqual(['riders']);
  });

  it('updates only the members given, and returns the group as it is now', async () => {
    const g = group(unique('upd'), { description: 'old', precedence: 1 });
    await s.store.groups.create(g);
    expect(await s.store.groups.update(s.poolId, g.name, { roleArn: 'arn:aws:iam::1:role/x' }, 42)).toEqual({
      ...g,
      roleArn: 'arn:aws:iam::1:role/x',
      updatedAt: 42,
    });
    expect(await s.store.groups.update(s.poolId, g.name, { description: 'new', precedence: 0 }, 43)).toEqual({
      ...g,
      description: 'new',
      precedence: 0,
      roleArn: 'arn:aws:iam::1:role/x',
      updatedAt: 43,
    });
    expect(await s.store.groups.update(s.poolId, 'nothere', { description: 'x' }, 44)).toBeUndefined();
  });

  it('concurrent updates of different members all survive', async () => {
    const other = await s.another();
    for (let round = 0; round < 5; round++) {
      const g = group(unique('par'));
      await s.store.groups.create(g);
      await Promise.all([
        s.store.groups.update(s.poolId, g.name, { description: `d${round}` }, 50),
        other.groups.update(s.poolId, g.name, { precedence: round }, 51),
        s.store.groups.update(s.poolId, g.name, { roleArn: `arn:aws:iam::1:role/${round}` }, 52),
      ]);
      expect(await s.store.groups.find(s.poolId, g.name)).toMatchObject({
        description: `d${round}`,
        precedence: round,
        roleArn: `arn:aws:iam::1:role/${round}`,
      });
    }
  });

  it('adds and removes members, lists a user’s groups and a group’s members', async () => {
    const [a, b, c] = [group(unique('a')), group(unique('b'), { precedence: 1 }), group(unique('c'))];
    for (const g of [a, b, c]) await s.store.groups.create(g);
    const u1 = await seedUser(s.db, s.poolId);
    const u2 = await seedUser(s.db, s.poolId);

    expect(await s.store.groups.addMember(s.poolId, a.name, u1)).toBe(true);
    expect(await s.store.groups.addMember(s.poolId, a.name, u1)).toBe(true); // twice is fine
    expect(await s.store.groups.addMember(s.poolId, b.name, u1)).toBe(true);
    expect(await s.store.groups.addMember(s.poolId, a.name, u2)).toBe(true);
    expect(await s.store.groups.addMember(s.poolId, 'nothere', u1)).toBe(false);
    expect(await s.store.groups.addMember(s.poolId, a.name, '00000000-0000-4000-8000-000000000000')).toBe(false);
    const otherPool = await seedPool(s.db);
    expect(await s.store.groups.addMember(s.poolId, a.name, await seedUser(s.db, otherPool))).toBe(false); // a user of another pool

    expect(await s.store.groups.ofUser(s.poolId, u1)).toEqual([a, b]);
    expect(await s.store.groups.ofUser(s.poolId, u1, { limit: 1 })).toEqual([a]);
    expect(await s.store.groups.ofUser(s.poolId, u1, { limit: 5, after: a.name })).toEqual([b]);

    const members = await s.store.groups.members(s.poolId, a.name, { limit: 10 });
    const keys = members.map((m) => m.usernameKey);
    expect(keys).toEqual([...keys].sort());
    expect(members.map((m) => m.user.sub).sort()).toEqual([u1, u2].sort());
    expect(members[0]!.user).toMatchObject({ poolId: s.poolId, status: 'CONFIRMED', enabled: true, attributes: {} });
    expect(await s.store.groups.members(s.poolId, a.name, { limit: 1 })).toHaveLength(1);
    expect(await s.store.groups.members(s.poolId, a.name, { limit: 10, after: keys[0] })).toEqual(members.slice(1));

    await s.store.groups.removeMember(s.poolId, a.name, u1);
    await s.store.groups.removeMember(s.poolId, a.name, u1); // not a member: fine
    expect(await s.store.groups.ofUser(s.poolId, u1)).toEqual([b]);
  });

  it('deletes a group with its memberships', async () => {
    const g = group(unique('del'));
    await s.store.groups.create(g);
    const u = await seedUser(s.db, s.poolId);
    await s.store.groups.addMember(s.poolId, g.name, u);
    expect(await s.store.groups.delete(s.poolId, g.name)).toBe(true);
    expect(await s.store.groups.delete(s.poolId, g.name)).toBe(false);
    expect(await s.store.groups.find(s.poolId, g.name)).toBeUndefined();
    expect(await s.db.selectFrom('group_members').selectAll().where('group_name', '=', g.name).execute()).toEqual([]);
  });

  it('adding a member while the group is deleted leaves no membership (and says so)', async () => {
    const other = await s.another();
    const users = await Promise.all(Array.from({ length: 8 }, () => seedUser(s.db, s.poolId)));
    for (let round = 0; round < 10; round++) {
      const g = group(unique('race'));
      await s.store.groups.create(g);
      const added = users.map((u, i) => (i % 2 ? other : s.store).groups.addMember(s.poolId, g.name, u));
      const deleted = other.groups.delete(s.poolId, g.name);
      const results = await Promise.all(added);
      expect(await deleted).toBe(true);
      expect(results.every((r) => typeof r === 'boolean')).toBe(true);
      expect(await s.db.selectFrom('group_members').selectAll().where('group_name', '=', g.name).execute()).toEqual([]);
      expect(await s.store.groups.addMember(s.poolId, g.name, users[0]!)).toBe(false);
    }
  });
});

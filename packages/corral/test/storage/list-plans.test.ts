// Every List* action's storage query is a keyset over an index on both databases (issue 11): ListGroups,
// AdminListGroupsForUser, ListUsersInGroup, ListUserPoolClients, ListIdentities, ListDevices / AdminListDevices —
// the first page and a page after a token. The plans of the queries the repository methods really send (recorded)
// read a range of an index in the list's order: no scan of a table, no sort of what was read (the logins of one page
// of identities excepted: a sort of at most that page's rows).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bulkInsertUsers } from '../support/bulk-users.js';
import { describeEachBackend } from '../support/corral.js';
import { explain, recordingStore, type Recorder } from '../support/query-plans.js';
import { openFreshStore, seedPool, type FreshStore } from './fresh-store.js';

describeEachBackend('storage: the List* queries read index ranges', (backend) => {
  const postgres = backend === 'postgres';
  let s: FreshStore;
  let rec: Recorder;
  let poolId: string;
  let subs: string[];
  let identityPool: string;
  let groupName: string;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    rec = recordingStore(s.db, postgres);
    poolId = await seedPool(s.db);
    const otherPool = await seedPool(s.db);
    subs = await bulkInsertUsers(s.db, poolId, 2000, (i) => ({ username: `user${i}`, attributes: { email: `user${i}@example.com` } }));
    await bulkInsertUsers(s.db, otherPool, 500, (i) => ({ username: `user${i}` }));
    // 300 groups; the first user in 50 of them; the first group has 1,500 members.
    for (let g = 0; g < 300; g++) {
      await s.store.groups.create({
        poolId,
        name: `group${String(g).padStart(3, '0')}`,
        description: null,
        roleArn: null,
        precedence: g,
        createdAt: 1,
        updatedAt: 1,
      });
    }
    groupName = 'group000';
    for (let g = 1; g < 50; g++) await s.store.groups.addMember(poolId, `group${String(g).padStart(3, '0')}`, subs[0]!);
    const members = subs.slice(0, 1500).map((id, i) => ({ pool_id: poolId, group_name: groupName, user_id: id, username_key: `user${i}` }));
    for (let i = 0; i < members.length; i += 500)
      await s.db
        .insertInto('group_members')
        .values(members.slice(i, i + 500))
        .execute();
    // 300 clients here, 300 in the other pool.
    const clients = [poolId, otherPool].flatMap((p) =>
      Array.from({ length: 300 }, () => ({
        id: randomUUID().replace(/-/g, '').slice(0, 26),
        pool_id: p,
        name: 'c',
        secret: null,
        settings: '{}',
        created_at: 1,
        updated_at: 1,
      })),
    );
    await s.db.insertInto('user_pool_clients').values(clients).execute();
    // Two identity pools of 2,000 identities with a login each.
    identityPool = `us-east-1:${randomUUID()}`;
    await s.store.identity.createPool({
      id: identityPool,
      settings: { IdentityPoolName: 'ids', AllowUnauthenticatedIdentities: true },
      roles: { Roles: {} },
      now: 1,
    });
    const otherIdentityPool = `us-east-1:${randomUUID()}`;
    await s.store.identity.createPool({
      id: otherIdentityPool,
      settings: { IdentityPoolName: 'more', AllowUnauthenticatedIdentities: true },
      roles: { Roles: {} },
      now: 1,
    });
    for (const pool of [identityPool, otherIdentityPool]) {
      const ids = Array.from({ length: 2000 }, () => `us-east-1:${randomUUID()}`);
      for (let i = 0; i < ids.length; i += 400) {
        const chunk = ids.slice(i, i + 400);
        await s.db
          .insertInto('identities')
          .values(chunk.map((id) => ({ id, pool_id: pool, created_at: 1, updated_at: 1 })))
          .execute();
        await s.db
          .insertInto('identity_logins')
          .values(chunk.map((id) => ({ identity_id: id, pool_id: pool, provider: 'p', subject: randomUUID(), created_at: 1 })))
          .execute();
      }
    }
    // Devices: 40 of the first user's, one each of the others'.
    const device = (userId: string) => ({
      device_key: `us-east-1_${randomUUID()}`,
      pool_id: poolId,
      user_id: userId,
      group_key: 'g',
      srp_salt: 'aa',
      srp_verifier: 'sealed',
      name: null,
      attributes: '{}',
      status: 'remembered',
      created_at: 1,
      updated_at: 1,
      last_authenticated_at: null,
    });
    const devices = [...Array.from({ length: 40 }, () => device(subs[0]!)), ...subs.slice(1).map(device)];
    for (let i = 0; i < devices.length; i += 500)
      await s.db
        .insertInto('devices')
        .values(devices.slice(i, i + 500))
        .execute();
    if (postgres) await sql`ANALYZE`.execute(s.db);
  }, 120_000);
  afterAll(async () => s?.close());

  /** Runs the call on the recording store and checks the plan of every query it sent. */
  async function plansOf(what: string, call: () => Promise<unknown>, uses: string[], opts: { sortAllowed?: RegExp } = {}) {
    rec.take();
    await call();
    const queries = rec.take();
    expect(queries.length, what).toBe(uses.length);
    for (const [i, q] of queries.entries()) {
      const plan = await explain(s.db, postgres, q);
      if (process.env.SHOW_PLANS) console.log(`${what}\n${q.sql}\n${plan}`);
      const context = `${what}\n${q.sql}\n${plan}`;
      const sortOk = opts.sortAllowed?.test(q.sql) ?? false;
      // The first table read is a range of the list's index.
      const index = uses[i]!;
      if (!postgres) {
        expect(plan.split('\n')[0], context).toMatch(new RegExp(`^SEARCH \\S+ USING (COVERING )?INDEX ${index} \\(`));
        expect(plan, context).not.toMatch(/\bSCAN\b/);
        if (!sortOk) expect(plan, context).not.toMatch(/TEMP B-TREE/);
      } else {
        expect(plan, context).toMatch(new RegExp(`(Index (Only )?Scan using|Bitmap Index Scan on) ${index} `));
        expect(plan, context).not.toMatch(/Seq Scan/);
        if (!sortOk) expect(plan, context).not.toMatch(/Sort/);
      }
    }
    return queries;
  }

  it('ListGroups', async () => {
    const first = await rec.store.groups.list(poolId, { limit: 61 });
    expect(first).toHaveLength(61);
    await plansOf('ListGroups', () => rec.store.groups.list(poolId, { limit: 61 }), ['groups_pool_name']);
    await plansOf('ListGroups after', () => rec.store.groups.list(poolId, { limit: 61, after: first[60]!.name }), ['groups_pool_name']);
  });

  it('AdminListGroupsForUser', async () => {
    const first = await rec.store.groups.ofUser(poolId, subs[0]!, { limit: 11 });
    expect(first.map((g) => g.name)).toEqual(Array.from({ length: 11 }, (_, i) => `group${String(i).padStart(3, '0')}`));
    await plansOf('AdminListGroupsForUser', () => rec.store.groups.ofUser(poolId, subs[0]!, { limit: 11 }), ['group_members_user']);
    await plansOf('AdminListGroupsForUser after', () => rec.store.groups.ofUser(poolId, subs[0]!, { limit: 11, after: first[10]!.name }), [
      'group_members_user',
    ]);
  });

  it('ListUsersInGroup', async () => {
    const first = await rec.store.groups.members(poolId, groupName, { limit: 61 });
    expect(first.map((m) => m.usernameKey)).toEqual(first.map((m) => m.usernameKey).sort());
    await plansOf('ListUsersInGroup', () => rec.store.groups.members(poolId, groupName, { limit: 61 }), ['group_members_by_username']);
    await plansOf('ListUsersInGroup after', () => rec.store.groups.members(poolId, groupName, { limit: 61, after: first[60]!.usernameKey }), [
      'group_members_by_username',
    ]);
  });

  it('ListUserPoolClients', async () => {
    const first = await rec.store.pools.listClients(poolId, 61, undefined);
    expect(first).toHaveLength(61);
    await plansOf('ListUserPoolClients', () => rec.store.pools.listClients(poolId, 61, undefined), ['user_pool_clients_pool_id']);
    await plansOf('ListUserPoolClients after', () => rec.store.pools.listClients(poolId, 61, first[60]!.id), ['user_pool_clients_pool_id']);
  });

  it('ListIdentities', async () => {
    const first = await rec.store.identity.listIdentities(identityPool, { limit: 61 });
    expect(first).toHaveLength(61);
    // The logins of the page's identities are ordered as read: at most the page's rows.
    const logins = /from "identity_logins"/;
    const ids = ['identities_pool', 'identity_logins_identity'];
    await plansOf('ListIdentities', () => rec.store.identity.listIdentities(identityPool, { limit: 61 }), ids, { sortAllowed: logins });
    await plansOf('ListIdentities after', () => rec.store.identity.listIdentities(identityPool, { limit: 61, after: first[60]!.id }), ids, {
      sortAllowed: logins,
    });
  });

  it('ListDevices / AdminListDevices', async () => {
    const first = await rec.store.devices.listForUser(poolId, subs[0]!, { limit: 11 });
    expect(first).toHaveLength(11);
    await plansOf('ListDevices', () => rec.store.devices.listForUser(poolId, subs[0]!, { limit: 11 }), ['devices_user_key']);
    await plansOf('ListDevices after', () => rec.store.devices.listForUser(poolId, subs[0]!, { limit: 11, after: first[10]!.key }), ['devices_user_key']);
  });

  it('ListUsers (no filter, a prefix): the queries ListUsers sends', async () => {
    const first = await rec.store.users.search(poolId, { on: 'sub', match: { prefix: '' } }, undefined, 61);
    await plansOf('ListUsers', () => rec.store.users.search(poolId, { on: 'sub', match: { prefix: '' } }, first[59]!.position, 61), ['users_pool_id']);
    await plansOf('ListUsers email ^= user12', () => rec.store.users.search(poolId, { on: 'email', match: { prefix: 'user12' } }, undefined, 61), [
      'user_search_value',
    ]);
  });
});

// Contract of the users repository's waiting attribute values (migration 0017, `pendingAttributes` /
// UserChanges.pending) on both databases: stored, read back, cleared, kept by updates that do not name them, and
// never mixed into the attributes; two instances updating the same user at once keep both changes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/storage/index.js';
import type { AliasRules, User } from '../../src/storage/users.js';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, seedPool, type FreshStore } from './fresh-store.js';

const emailAlias: AliasRules = {
  derive: (a) => (a.email && a.email_verified === 'true' ? [{ attribute: 'email', valueKey: a.email.toLowerCase() }] : []),
  force: false,
};

describeEachBackend('storage: users, values waiting for verification', (backend) => {
  let s: FreshStore;
  let users: Store['users'];
  let other: Store['users'];
  let poolId: string;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    users = s.store.users;
    other = (await s.another()).users;
    poolId = await seedPool(s.db);
  });
  afterAll(async () => s?.close());

  async function create(): Promise<User> {
    const sub = randomUUID();
    const r = await users.create(
      {
        sub,
        poolId,
        username: `u-${sub.slice(0, 8)}`,
        usernameKey: `u-${sub.slice(0, 8)}`,
        status: 'CONFIRMED',
        enabled: true,
        attributes: { sub, email: 'old@example.com', email_verified: 'true' },
        srpSalt: null,
        srpVerifier: null,
        now: 1000,
      },
      emailAlias,
    );
    if (!r.ok) throw new Error('create failed');
    return r.user;
  }
  const update = async (repo: Store['users'], u: User, change: Parameters<Store['users']['update']>[2], now = 2000) => {
    const r = await repo.update(poolId, u.sub, change, emailAlias, now);
    if (!r.ok) throw new Error('update failed');
    return r.user;
  };

  it('a new user has none; `pending` stores them apart from the attributes; null clears them', async () => {
    const u = await create();
    expect(u.pendingAttributes).toBeUndefined();
    const waiting = await update(users, u, () => ({ pending: { email: 'new@example.com' } }));
    expect(waiting.pendingAttributes).toEqual({ email: 'new@example.com' });
    expect(waiting.attributes).toEqual({ sub: u.sub, email: 'old@example.com', email_verified: 'true' });
    const read = await users.findBySub(poolId, u.sub);
    expect(read?.pendingAttributes).toEqual({ email: 'new@example.com' });
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: 'old@example.com' })).toBe(u.sub);
    // An update that does not name them keeps them.
    expect((await update(users, u, () => ({ set: { given_name: 'Ann' } }))).pendingAttributes).toEqual({ email: 'new@example.com' });
    // Applying the waiting value (what VerifyUserAttribute does) moves the alias and clears them.
    const applied = await update(users, u, (fresh) => ({ set: { email: fresh.pendingAttributes!.email!, email_verified: 'true' }, pending: null }));
    expect(applied.pendingAttributes).toBeUndefined();
    expect((await users.findBySub(poolId, u.sub))?.pendingAttributes).toBeUndefined();
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: 'new@example.com' })).toBe(u.sub);
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: 'old@example.com' })).toBeUndefined();
    // An empty record is stored as none.
    expect((await update(users, u, () => ({ pending: {} }))).pendingAttributes).toBeUndefined();
  });

  it('two instances at once: a waiting value and another attribute change both survive', async () => {
    const u = await create();
    await Promise.all([
      update(users, u, (fresh) => ({ pending: { ...fresh.pendingAttributes, email: 'racer@example.com' } })),
      update(other, u, () => ({ set: { given_name: 'Bo' } })),
      update(other, u, (fresh) => ({ pending: { ...fresh.pendingAttributes, phone_number: '+15555550100' } })),
    ]);
    const read = await users.findBySub(poolId, u.sub);
    expect(read?.pendingAttributes).toEqual({ email: 'racer@example.com', phone_number: '+15555550100' });
    expect(read?.attributes).toMatchObject({ email: 'old@example.com', given_name: 'Bo' });
  });
});

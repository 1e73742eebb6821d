// Contract of storage/users.ts on both databases: lookups, one-transaction creation with aliases, updates applied
// under the row lock (patches, never a rewrite from a stale read), and the lockout reservation — with the races
// each one guards, on two connection pools (two instances) on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/storage/index.js';
import type { Alias, AliasRules, Attributes, NewUserRecord } from '../../src/storage/users.js';
import { LOCKOUT } from '../../src/domain/lockout.js';

const lockoutWaitMs = LOCKOUT.waitMs;
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, seedPool, type FreshStore } from './fresh-store.js';

type Users = Store['users'];

/** Aliases as a pool with AliasAttributes email + preferred_username derives them: verified email, any preferred_username. */
const rules = (force = false): AliasRules => ({
  derive: (a: Attributes) => {
    const out: Alias[] = [];
    if (a.email && a.email_verified === 'true') out.push({ attribute: 'email', valueKey: a.email.toLowerCase() });
    if (a.preferred_username) out.push({ attribute: 'preferred_username', valueKey: a.preferred_username.toLowerCase() });
    return out;
  },
  force,
});
const noAliases: AliasRules = { derive: () => [], force: false };

describeEachBackend('storage: users and aliases', (backend) => {
  let s: FreshStore;
  let users: Users;
  let other: Users;
  let poolId: string;
  beforeAll(async () => {
    s = await openFreshStore(backend);
    users = s.store.users;
    other = (await s.another()).users;
    poolId = await seedPool(s.db);
  });
  afterAll(async () => s?.close());

  const record = (over: Partial<NewUserRecord> = {}): NewUserRecord => {
    const sub = randomUUID();
    const username = `user-${sub.slice(0, 8)}`;
    return {
      sub,
      poolId,
      username,
      usernameKey: username,
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub },
      srpSalt: 'aa',
      srpVerifier: 'sealed',
      now: 1000,
      ...over,
    };
  };
  const create = async (over: Partial<NewUserRecord> = {}, aliasRules = noAliases) => {
    const r = await users.create(record(over), aliasRules);
    if (!r.ok) throw new Error(`create failed: ${r.taken}`);
    return r.user;
  };

  it('create stores the user; findByUsernameKey and findBySub read it back', async () => {
    const u = await create({ attributes: { given_name: 'Ann' } });
    expect(u).toMatchObject({ poolId, status: 'CONFIRMED', enabled: true, failedAttempts: 0, lastFailedAt: null, createdAt: 1000, updatedAt: 1000 });
    expect(await users.findByUsernameKey(poolId, u.username)).toEqual(u);
    expect(await users.findBySub(poolId, u.sub)).toEqual(u);
    expect(await users.findBySub('us-east-1_other', u.sub)).toBeUndefined();
    expect(await users.findByUsernameKey(poolId, 'nobody')).toBeUndefined();
  });

  it('create writes the aliases in the same transaction; a taken alias or username creates nothing', async () => {
    const email = `${randomUUID()}@example.com`;
    const a = await create({ attributes: { email, email_verified: 'true', preferred_username: `p-${randomUUID()}` } }, rules());
    expect(await users.aliasesOf(a.sub)).toHaveLength(2);
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: email })).toBe(a.sub);

    const b = record({ attributes: { email, email_verified: 'true' } });
    expect(await users.create(b, rules())).toEqual({ ok: false, taken: 'email' });
    expect(await users.findBySub(poolId, b.sub)).toBeUndefined();
    expect(await users.create(record({ username: a.username, usernameKey: a.username }), noAliases)).toEqual({ ok: false, taken: 'username' });
  });

  it('findForSignIn: by username first, else by the first alias held, in one query; unknown → undefined', async () => {
    const email = `${randomUUID()}@example.com`;
    const holder = await create({ attributes: { email, email_verified: 'true' } }, rules());
    const named = await create({}, rules());
    const aliases = (value: string) => [
      { attribute: 'preferred_username' as const, valueKey: value.toLowerCase() },
      { attribute: 'email' as const, valueKey: value.toLowerCase() },
    ];
    expect((await users.findForSignIn(poolId, named.username, aliases(named.username)))?.sub).toBe(named.sub);
    expect((await users.findForSignIn(poolId, email, aliases(email)))?.sub).toBe(holder.sub);
    expect((await users.findForSignIn(poolId, email, []))?.sub).toBeUndefined();
    expect(await users.findForSignIn(poolId, 'nobody', aliases('nobody'))).toBeUndefined();
    // A username that is also another user's alias value names the user with that username.
    const clash = await create({ username: email.toLowerCase(), usernameKey: email.toLowerCase() }, rules());
    expect((await users.findForSignIn(poolId, email.toLowerCase(), aliases(email)))?.sub).toBe(clash.sub);
  });

  it('create with force moves a verified alias from its holder, whose value becomes unverified', async () => {
    const email = `${randomUUID()}@example.com`;
    const a = await create({ attributes: { email, email_verified: 'true' } }, rules());
    const b = await create({ attributes: { email, email_verified: 'true' } }, rules(true));
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: email })).toBe(b.sub);
    expect((await users.findBySub(poolId, a.sub))?.attributes.email_verified).toBe('false');
  });

  it('update patches attributes and columns from the row under the lock; aliases follow the attributes', async () => {
    const u = await create({ attributes: { given_name: 'Ann', family_name: 'Lee' } }, rules());
    const email = `${randomUUID()}@example.com`;
    const r = await users.update(
      poolId,
      u.sub,
      () => ({ set: { email, email_verified: 'true' }, remove: ['family_name'], status: 'RESET_REQUIRED', enabled: false, tokensValidAfter: 7 }),
      rules(),
      2000,
    );
    expect(r.ok && r.user).toMatchObject({
      status: 'RESET_REQUIRED',
      enabled: false,
      tokensValidAfter: 7,
      updatedAt: 2000,
      attributes: { given_name: 'Ann', email, email_verified: 'true' },
    });
    expect(r.ok && r.before.attributes.family_name).toBe('Lee');
    const stored = await users.findBySub(poolId, u.sub);
    expect(stored?.attributes).not.toHaveProperty('family_name');
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: email })).toBe(u.sub);
    // Unverified: the alias goes.
    await users.update(poolId, u.sub, () => ({ set: { email_verified: 'false' } }), rules(), 3000);
    expect(await users.aliasHolder(poolId, { attribute: 'email', valueKey: email })).toBeUndefined();
  });

  it('update answers missing for an unknown user, aliasTaken (and rolls back) for a value held by another', async () => {
    expect(await users.update(poolId, randomUUID(), () => ({ set: { x: '1' } }), rules(), 1)).toEqual({ ok: false, missing: true });
    const email = `${randomUUID()}@example.com`;
    await create({ attributes: { email, email_verified: 'true' } }, rules());
    const b = await create({ attributes: { given_name: 'Bo' } }, rules());
    const r = await users.update(poolId, b.sub, () => ({ set: { email, email_verified: 'true', given_name: 'Changed' } }), rules(), 5);
    expect(r).toEqual({ ok: false, aliasTaken: 'email' });
    expect((await users.findBySub(poolId, b.sub))?.attributes.given_name).toBe('Bo');
  });

  it('concurrent updates of different attributes on two instances all survive', async () => {
    const u = await create();
    const names = Array.from({ length: 12 }, (_, i) => `custom:a${i}`);
    await Promise.all(names.map((n, i) => (i % 2 ? other : users).update(poolId, u.sub, () => ({ set: { [n]: `v${i}` } }), noAliases, 10 + i)));
    const stored = await users.findBySub(poolId, u.sub);
    for (const [i, n] of names.entries()) expect(stored?.attributes[n]).toBe(`v${i}`);
  });

  it('a password change racing an attribute update keeps both', async () => {
    for (let round = 0; round < 5; round++) {
      const u = await create({ attributes: { 'custom:genre': 'old' } });
      await Promise.all([
        users.update(poolId, u.sub, () => ({ credentials: { srpSalt: `salt${round}`, srpVerifier: `verifier${round}` }, clearFailures: true }), noAliases, 20),
        other.update(poolId, u.sub, () => ({ set: { 'custom:genre': `new${round}` } }), noAliases, 20),
      ]);
      const stored = await users.findBySub(poolId, u.sub);
      expect(stored).toMatchObject({ srpSalt: `salt${round}`, srpVerifier: `verifier${round}`, attributes: { 'custom:genre': `new${round}` } });
    }
  });

  it('two users claiming one verified alias at once: exactly one holds it', async () => {
    const email = `${randomUUID()}@example.com`;
    const a = await create({}, rules());
    const b = await create({}, rules());
    const results = await Promise.all([
      users.update(poolId, a.sub, () => ({ set: { email, email_verified: 'true' } }), rules(), 30),
      other.update(poolId, b.sub, () => ({ set: { email, email_verified: 'true' } }), rules(), 30),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, aliasTaken: 'email' }]);
    const holder = await users.aliasHolder(poolId, { attribute: 'email', valueKey: email });
    expect([a.sub, b.sub]).toContain(holder);
  });

  it('concurrent creation of one username: exactly one user', async () => {
    const username = `same-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other : users).create(record({ username, usernameKey: username }), noAliases)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.taken === 'username')).toBe(true);
  });

  it('countFailure counts until the free attempts are spent, then refuses until the wait is over', async () => {
    const u = await create();
    const t0 = 1_000_000;
    for (let i = 1; i <= LOCKOUT.freeAttempts; i++) {
      expect(await users.countFailure(poolId, u.sub, t0 + i, LOCKOUT)).toBe('counted');
      expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: i, lastFailedAt: t0 + i });
    }
    const last = t0 + LOCKOUT.freeAttempts;
    expect(await users.countFailure(poolId, u.sub, last + lockoutWaitMs(LOCKOUT.freeAttempts) - 1, LOCKOUT)).toBe('locked');
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: LOCKOUT.freeAttempts, lastFailedAt: last });
    // The wait after 5 failures is 1 s; then one more attempt, after which the wait doubles.
    expect(await users.countFailure(poolId, u.sub, last + 1000, LOCKOUT)).toBe('counted');
    expect(await users.countFailure(poolId, u.sub, last + 1000 + 1999, LOCKOUT)).toBe('locked');
    expect(await users.countFailure(poolId, u.sub, last + 1000 + 2000, LOCKOUT)).toBe('counted');
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: 7 });
    // A quiet 15 minutes: the count starts again.
    expect(await users.countFailure(poolId, u.sub, last + 3000 + LOCKOUT.resetAfterMs + 1, LOCKOUT)).toBe('counted');
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: 1 });
    expect(await users.countFailure(poolId, randomUUID(), t0, LOCKOUT)).toBe('missing');
  });

  it('clearFailures forgets only the failures it saw (a failure counted since stays)', async () => {
    const u = await create();
    await users.countFailure(poolId, u.sub, 100, LOCKOUT);
    await users.countFailure(poolId, u.sub, 200, LOCKOUT);
    const seen = (await users.findBySub(poolId, u.sub))!;
    await users.countFailure(poolId, u.sub, 300, LOCKOUT);
    await users.clearFailures(u.sub, seen);
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: 3, lastFailedAt: 300 });
    await users.clearFailures(u.sub, (await users.findBySub(poolId, u.sub))!);
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: 0, lastFailedAt: null });
  });

  it('the lockout wait is capped at 15 minutes', () => {
    expect(lockoutWaitMs(5)).toBe(1000);
    expect(lockoutWaitMs(14)).toBe(512_000);
    expect(lockoutWaitMs(15)).toBe(LOCKOUT.maxWaitMs);
    expect(lockoutWaitMs(40)).toBe(LOCKOUT.maxWaitMs);
  });

  it('a burst of 40 wrong answers on two instances: exactly the free attempts are counted, the rest refused', async () => {
    const u = await create();
    const now = 5_000_000;
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : users).countFailure(poolId, u.sub, now, LOCKOUT)));
    expect(got.filter((g) => g === 'counted')).toHaveLength(LOCKOUT.freeAttempts);
    expect(got.filter((g) => g === 'locked')).toHaveLength(40 - LOCKOUT.freeAttempts);
    expect(await users.findBySub(poolId, u.sub)).toMatchObject({ failedAttempts: LOCKOUT.freeAttempts });
  });

  it('page lists the pool in sub order after a cursor; delete removes the user and its aliases', async () => {
    const pool2 = await seedPool(s.db);
    const subs = [];
    for (let i = 0; i < 5; i++) {
      const r = await users.create(record({ poolId: pool2, attributes: { preferred_username: `pp${i}-${randomUUID()}` } }), rules());
      if (r.ok) subs.push(r.user.sub);
    }
    subs.sort();
    expect((await users.page(pool2, undefined, 3)).map((u) => u.sub)).toEqual(subs.slice(0, 3));
    expect((await users.page(pool2, subs[2], 10)).map((u) => u.sub)).toEqual(subs.slice(3));
    await users.delete(subs[0]!);
    expect(await users.findBySub(pool2, subs[0]!)).toBeUndefined();
    expect(await users.aliasesOf(subs[0]!)).toEqual([]);
  });
});

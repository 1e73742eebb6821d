// ListUsers answered from the search indexes (issue 11), over real HTTP with the AWS SDK on both databases: every
// filter attribute with `=` and `^=` finds exactly the users Cognito's matching rules name (username
// case-insensitive in a case-insensitive pool and exact in a case-sensitive one, cognito:user_status
// case-insensitive, status Enabled/Disabled, the other attributes exact and case-sensitive), through pages of any
// size; the index follows attribute changes and deletions; paging while users are added meanwhile reads no user twice
// and misses none; a token works only with the filter it was made for.
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';

const PASSWORD = 'Unicorn!Ride42';
const ATTRIBUTES = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;
const FILTERABLE = ['username', ...ATTRIBUTES, 'cognito:user_status', 'status', 'sub'] as const;
type Filterable = (typeof FILTERABLE)[number];

/** A user as ListUsers shows it, with the values each filter attribute compares. */
interface Seen {
  username: string;
  values: Partial<Record<Filterable, string>>;
}

function seen(u: UserType): Seen {
  const a = Object.fromEntries((u.Attributes ?? []).map((x) => [x.Name!, x.Value!]));
  const values: Seen['values'] = { username: u.Username!, 'cognito:user_status': u.UserStatus!, status: u.Enabled ? 'Enabled' : 'Disabled', sub: a.sub };
  for (const name of ATTRIBUTES) if (a[name] !== undefined) values[name] = a[name];
  return { username: u.Username!, values };
}

/** Cognito's rule, written out here on its own: which users `attribute op "value"` names. */
function model(users: Seen[], attribute: Filterable, prefix: boolean, value: string, caseSensitivePool: boolean): string[] {
  const fold = attribute === 'cognito:user_status' || (attribute === 'username' && !caseSensitivePool) ? (s: string) => s.toLowerCase() : (s: string) => s;
  return users
    .filter((u) => {
      const have = u.values[attribute];
      if (have === undefined) return false;
      return prefix ? fold(have).startsWith(fold(value)) : fold(have) === fold(value);
    })
    .map((u) => u.username)
    .sort();
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describeEachBackend('ListUsers from the search indexes', (backend) => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
  });
  afterAll(async () => corral?.stop());

  const create = (UserPoolId: string, Username: string, a: Record<string, string> = {}) =>
    corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username,
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(a).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  /** Every page of a search, `Limit` at a time: the usernames in the order read (none twice), and the page count. */
  const listAll = async (UserPoolId: string, Filter: string | undefined, Limit: number) => {
    const names: string[] = [];
    let PaginationToken: string | undefined;
    let pages = 0;
    do {
      const page = await corral.idp.send(new ListUsersCommand({ UserPoolId, Filter, Limit, PaginationToken }));
      expect(page.Users!.length).toBeLessThanOrEqual(Limit);
      names.push(...page.Users!.map((u) => u.Username!));
      PaginationToken = page.PaginationToken;
      if (PaginationToken) expect(page.Users!.length, `a page before the last is full (${Filter})`).toBe(Limit);
      pages++;
    } while (PaginationToken && pages < 500);
    expect(new Set(names).size, `${Filter}: ${names.join(',')}`).toBe(names.length);
    return { names, pages };
  };

  /** The probes for one attribute: every value the users have, its first one to three characters, and each in another case. */
  function probes(users: Seen[], attribute: Filterable): string[] {
    const out = new Set<string>(['', 'no such value']);
    for (const u of users) {
      const v = u.values[attribute];
      if (v === undefined) continue;
      for (const p of [v, ...[1, 2, 3].map((n) => Array.from(v).slice(0, n).join(''))]) {
        out.add(p);
        out.add(p.toUpperCase());
        out.add(p.toLowerCase());
      }
    }
    return [...out];
  }

  it('every filter attribute, = and ^=, finds exactly the users Cognito’s rules name, a page at a time', async () => {
    const { poolId } = await createWildRydesPool(corral, { UsernameConfiguration: { CaseSensitive: false } });
    await create(poolId, 'Ann.Lee', {
      email: 'ann@example.com',
      given_name: 'Ann',
      family_name: 'Lee',
      name: 'Ann Lee',
      phone_number: '+15550001',
      preferred_username: 'annie',
    });
    await create(poolId, 'ann2', {
      email: 'Ann@Example.com',
      given_name: 'ann',
      family_name: 'Lee-Smith',
      name: 'Ann',
      phone_number: '+15550002',
      preferred_username: 'Annie',
    });
    await create(poolId, 'Andrés', {
      email: 'andres@example.com',
      given_name: 'Andrés',
      family_name: 'Núñez',
      name: 'Andrés Núñez',
      phone_number: '+15550100',
    });
    await create(poolId, 'bob', { email: 'bob@example.org', given_name: 'Bob', family_name: 'Lee', preferred_username: 'bob' });
    await create(poolId, 'zoë', { given_name: 'Zoë "Z"', family_name: 'Ünal', name: 'Zoë \\ Ünal' });
    await create(poolId, 'carl');
    await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann2', Password: PASSWORD, Permanent: true }));
    await corral.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));

    const users = (await corral.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map(seen);
    expect(users.map((u) => u.username).sort()).toEqual(['Andrés', 'Ann.Lee', 'ann2', 'bob', 'carl', 'zoë']);
    let checked = 0;
    for (const attribute of FILTERABLE) {
      const values = [...probes(users, attribute), ...(attribute === 'cognito:user_status' ? ['force_', 'Confirmed', 'UNCONFIRMED', 'c'] : [])];
      for (const value of values) {
        for (const prefix of [false, true]) {
          const Filter = `${attribute} ${prefix ? '^=' : '='} ${quote(value)}`;
          const want = model(users, attribute, prefix, value, false);
          const limit = [1, 2, 60][checked % 3]!;
          const { names } = await listAll(poolId, Filter, limit);
          expect(names.sort(), Filter).toEqual(want);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('username is exact in a case-sensitive pool (the API’s default)', async () => {
    const { poolId } = await createWildRydesPool(corral);
    for (const name of ['Mixed', 'mixed', 'MIXED2', 'other']) await create(poolId, name);
    const users = (await corral.idp.send(new ListUsersCommand({ UserPoolId: poolId }))).Users!.map(seen);
    for (const value of ['Mixed', 'mixed', 'mi', 'Mi', 'MI', 'MIXED2', 'm', 'o', '']) {
      for (const prefix of [false, true]) {
        const Filter = `username ${prefix ? '^=' : '='} ${quote(value)}`;
        expect((await listAll(poolId, Filter, 1)).names.sort(), Filter).toEqual(model(users, 'username', prefix, value, true));
      }
    }
  });

  it('the index follows attribute changes, removals and deletions', async () => {
    const { poolId } = await createWildRydesPool(corral);
    await create(poolId, 'mover', { email: 'old@example.com', given_name: 'Old', family_name: 'Stays' });
    const names = async (Filter: string) => (await listAll(poolId, Filter, 2)).names.sort();
    expect(await names('email = "old@example.com"')).toEqual(['mover']);

    await corral.idp.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'mover', UserAttributes: [{ Name: 'email', Value: 'new@example.com' }] }),
    );
    expect(await names('email = "old@example.com"')).toEqual([]);
    expect(await names('email ^= "o"')).toEqual([]);
    expect(await names('email ^= "new@"')).toEqual(['mover']);

    await corral.idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'mover', UserAttributeNames: ['given_name'] }));
    expect(await names('given_name ^= ""')).toEqual([]);
    expect(await names('family_name = "Stays"')).toEqual(['mover']);

    await corral.idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'mover' }));
    expect(await names('status = "Disabled"')).toEqual(['mover']);
    expect(await names('status = "Enabled"')).toEqual([]);

    await corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'mover' }));
    expect(await names('family_name = "Stays"')).toEqual([]);
    expect(await names('status ^= ""')).toEqual([]);
  });

  it('pages while users are added meanwhile: none twice, none of the first missed, later ones found', async () => {
    const { poolId } = await createWildRydesPool(corral);
    const original: string[] = [];
    for (let i = 0; i < 25; i++) {
      const name = `p${String(i).padStart(2, '0')}`;
      original.push(name);
      await create(poolId, name, { email: `${name}@example.com`, family_name: 'Same' });
    }
    for (const [Filter, before, after] of [
      ['email ^= "p"', (n: number) => ({ email: `p${String(n).padStart(2, '0')}a@example.com` }), (n: number) => ({ email: `p99-${n}@example.com` })],
      [undefined, () => ({}), () => ({})],
      ['family_name = "Same"', () => ({ family_name: 'Same' }), () => ({ family_name: 'Same' })],
    ] as const) {
      const names: string[] = [];
      const addedLater: string[] = [];
      let PaginationToken: string | undefined;
      let n = 0;
      do {
        const page = await corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter, Limit: 4, PaginationToken }));
        names.push(...page.Users!.map((u) => u.Username!));
        PaginationToken = page.PaginationToken;
        // One user whose key is before the page's end (never read: keyset), one after it (for the prefix: read).
        if (PaginationToken && n < 10) {
          await create(poolId, `b${Filter?.length ?? 0}-${n}`, before(n));
          const later = `z${Filter?.length ?? 0}-${n}`;
          await create(poolId, later, after(n));
          addedLater.push(later);
          n++;
        }
      } while (PaginationToken);
      expect(new Set(names).size, names.join(',')).toBe(names.length);
      for (const name of original) expect(names, String(Filter)).toContain(name);
      if (Filter === 'email ^= "p"') for (const name of addedLater) expect(names, Filter).toContain(name);
    }
  });

  it('a token works only with the filter it was read for; bad filters keep their Cognito errors', async () => {
    const { poolId } = await createWildRydesPool(corral);
    for (const name of ['t1', 't2', 't3']) await create(poolId, name, { email: `${name}@example.com` });
    const first = await corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "t"', Limit: 1 }));
    expect(first.PaginationToken).toBeTruthy();
    const again = await corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "t"', Limit: 5, PaginationToken: first.PaginationToken }));
    expect(again.Users!.map((u) => u.Username)).toHaveLength(2);
    for (const Filter of ['email ^= "t1"', undefined, 'username ^= "t"']) {
      await expect(corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter, PaginationToken: first.PaginationToken }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'Invalid pagination token.',
      });
    }
    await expect(corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'custom:genre = "x"' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid search attribute: custom:genre',
    });
    await expect(corral.idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ~ "x"' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Error while parsing filter.',
    });
  });
});

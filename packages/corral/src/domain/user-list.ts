// ListUsers: the search filter (`attr = "value"` exact, `attr ^= "value"` prefix, one attribute, as Cognito
// parses it) and pages of users in a stable order (an index's: storage/users.ts `search`) with an opaque
// PaginationToken that names the last row read (and the filter it was read for).
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { createHash } from 'node:crypto';
import { InvalidParameterException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { searchValue } from '../storage/index.js';
import type { SearchPosition, UserSearch } from '../storage/users.js';
import type { Pool } from './pools.js';
import { caseSensitive, usernameKey, type User } from './users.js';

/** The attributes Cognito lets ListUsers search. */
export const SEARCHABLE = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;
type Searchable = (typeof SEARCHABLE)[number];

export interface UserFilter {
  attribute: Searchable;
  prefix: boolean;
  value: string;
}

const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

/** Parses a Filter; empty or absent means every user. */
export function parseFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = FILTER.exec(filter);
  if (!m) throw new InvalidParameterException('Error while parsing filter.');
  const attribute = m[1]!;
  if (!(SEARCHABLE as readonly string[]).includes(attribute)) throw new InvalidParameterException(`Invalid search attribute: ${attribute}`);
  return { attribute: attribute as Searchable, prefix: m[2] === '^=', value: m[3]!.replace(/\\(.)/gs, '$1') };
}

function matches(pool: Pool, user: User, f: UserFilter): boolean {
  let have: string | undefined;
  let want = f.value;
  switch (f.attribute) {
    case 'username':
      have = user.username;
      if (!caseSensitive(pool)) [have, want] = [have.toLowerCase(), want.toLowerCase()];
      break;
    case 'cognito:user_status':
      [have, want] = [user.status.toLowerCase(), want.toLowerCase()];
      break;
    case 'status':
      have = user.enabled ? 'Enabled' : 'Disabled';
      break;
    case 'sub':
      have = user.sub;
      break;
    default:
      have = user.attributes[f.attribute];
  }
  if (have === undefined) return false;
  return f.prefix ? have.startsWith(want) : have === want;
}

/** Every status a user can have, in the order a `cognito:user_status` search reads them. */
const STATUSES: readonly UserStatusType[] = [
  'ARCHIVED',
  'COMPROMISED',
  'CONFIRMED',
  'EXTERNAL_PROVIDER',
  'FORCE_CHANGE_PASSWORD',
  'RESET_REQUIRED',
  'UNCONFIRMED',
  'UNKNOWN',
];

/** The index search that finds the users `f` matches (and perhaps a few more, which `matches` then drops: values
 *  past the indexed length). Undefined when no user can match. */
function searchFor(pool: Pool, f: UserFilter | undefined): UserSearch | undefined {
  if (!f) return { on: 'sub', match: { prefix: '' } };
  const one = (on: UserSearch['on'], value: string): UserSearch => ({ on, match: f.prefix ? { prefix: value } : { equals: [value] } });
  const among = (on: UserSearch['on'], keys: [shown: string, key: string][], fold: (s: string) => string): UserSearch | undefined => {
    const want = fold(f.value);
    const equals = keys.filter(([shown]) => (f.prefix ? fold(shown).startsWith(want) : fold(shown) === want)).map(([, key]) => key);
    return equals.length ? { on, match: { equals } } : undefined;
  };
  switch (f.attribute) {
    case 'sub':
      return one('sub', f.value);
    case 'username':
      return one('username', usernameKey(pool, f.value));
    case 'cognito:user_status':
      return among(
        'status',
        STATUSES.map((s) => [s, s]),
        (s) => s.toLowerCase(),
      );
    case 'status':
      return among(
        'enabled',
        [
          ['Disabled', '0'],
          ['Enabled', '1'],
        ],
        (s) => s,
      );
    default:
      return one(f.attribute, searchValue(f.value));
  }
}

/** The filter a token was made for, as the token carries it (a token of another filter is refused). */
function filterTag(f: UserFilter | undefined): string {
  if (!f) return '';
  return createHash('sha256')
    .update(`${f.attribute}\0${f.prefix ? '^=' : '='}\0${f.value}`)
    .digest('base64url')
    .slice(0, 12);
}

function positionToken(f: UserFilter | undefined, at: SearchPosition): string {
  return Buffer.from(JSON.stringify({ f: filterTag(f), k: at.key, s: at.sub }), 'utf8').toString('base64url');
}

function tokenPosition(f: UserFilter | undefined, token: string | undefined): SearchPosition | undefined {
  if (token === undefined) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { f?: unknown; k?: unknown; s?: unknown };
    if (t.f === filterTag(f) && typeof t.k === 'string' && typeof t.s === 'string') return { key: t.k, sub: t.s };
  } catch {
    // fall through
  }
  throw new InvalidParameterException('Invalid pagination token.');
}

/**
 * One page of the pool's users matching the filter, and the token of the next page when there is one. The users are
 * read from an index in its order (the sub's without a filter; the value's then the sub's with one), a page past the
 * previous page's last row: the cost is the page's, not the pool's, and a page never reads earlier rows again.
 */
export async function listUsers(
  app: Corral,
  pool: Pool,
  filter: UserFilter | undefined,
  limit: number,
  token: string | undefined,
): Promise<{ users: User[]; next?: string }> {
  let after = tokenPosition(filter, token);
  const search = searchFor(pool, filter);
  if (!search) return { users: [] };
  // One match past the limit tells whether there is a next page.
  const want = limit + 1;
  const found: { user: User; position: SearchPosition }[] = [];
  for (;;) {
    const ask = want - found.length;
    const rows = await app.store.users.search(pool.id, search, after, ask);
    for (const r of rows) if (!filter || matches(pool, r.user, filter)) found.push(r);
    if (rows.length < ask || found.length >= want) break;
    after = rows[rows.length - 1]!.position;
  }
  const page = found.slice(0, limit);
  return found.length > limit
    ? { users: page.map((r) => r.user), next: positionToken(filter, page[page.length - 1]!.position) }
    : { users: page.map((r) => r.user) };
}

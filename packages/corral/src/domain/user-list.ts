// ListUsers: the search filter (`attr = "value"` exact, `attr ^= "value"` prefix, one attribute, as Cognito
// parses it) and pages of users in a stable order (by sub) with an opaque PaginationToken.
import { InvalidParameterException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { afterToken, pageToken, type Pool } from './pools.js';
import { caseSensitive, type User } from './users.js';

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

const BATCH = 200;

/** One page of the pool's users matching the filter, and the token of the next page when there is one. */
export async function listUsers(
  app: Corral,
  pool: Pool,
  filter: UserFilter | undefined,
  limit: number,
  token: string | undefined,
): Promise<{ users: User[]; next?: string }> {
  let after = afterToken(token);
  const found: User[] = [];
  // Users are read in batches of ids and filtered here; a page stops one match past the limit.
  for (;;) {
    const batch = await app.store.users.page(pool.id, after, BATCH);
    for (const user of batch) {
      if (filter && !matches(pool, user, filter)) continue;
      if (found.length === limit) return { users: found, next: pageToken(found[found.length - 1]!.sub) };
      found.push(user);
    }
    if (batch.length < BATCH) return { users: found };
    after = batch[batch.length - 1]!.sub;
  }
}

// The rows of the user_search index (migration 0020) a user's attributes call for: pure, with no database import,
// so every writer — the users repository, the bulk importer, the migration's backfill — computes them the same way.
import type { UserSearchTable } from './schema.js';

import type { Attributes } from './users.js';

/** The attributes ListUsers finds through user_search rows (username, status and sub are columns of users). */
export const SEARCH_ATTRIBUTES = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;
export type SearchAttribute = (typeof SEARCH_ATTRIBUTES)[number];

/** At most this many code points of a value are indexed (a Filter is at most 256 characters, so every value a filter
 *  can name is kept whole; longer values stay findable by their first characters, and PostgreSQL's B-tree row
 *  limit is never reached). The domain checks each row found against the user's full value. */
export const SEARCH_VALUE_MAX = 256;

/** The value as the index keeps it: its first SEARCH_VALUE_MAX code points. */
export function searchValue(value: string): string {
  if (value.length <= SEARCH_VALUE_MAX) return value;
  return Array.from(value).slice(0, SEARCH_VALUE_MAX).join('');
}

/**
 * The user_search rows of a user with these attributes: one per searchable attribute the user has (an empty value
 * included: `name ^= ""` finds it). Every write of a user's attributes replaces the user's rows with these, in the
 * same transaction (create, update, the alias move that edits another user, bulk import): pure, so any writer can
 * compute them.
 */
export function searchRows(poolId: string, userId: string, attributes: Attributes): UserSearchTable[] {
  const rows: UserSearchTable[] = [];
  for (const attribute of SEARCH_ATTRIBUTES) {
    const value = attributes[attribute];
    if (typeof value === 'string') rows.push({ pool_id: poolId, attribute, value: searchValue(value), user_id: userId });
  }
  return rows;
}

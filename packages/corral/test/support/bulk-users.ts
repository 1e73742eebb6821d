// Many users at once, straight into the tables (users and their user_search rows, as storage/users.ts `create`
// writes them), for tests and measurements that need a big pool fast: multi-row INSERTs, a transaction per batch.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/storage/db.js';
import type { UsersTable } from '../../src/storage/schema.js';
import { searchRows, type Attributes } from '../../src/storage/users.js';

export interface BulkUser {
  username: string;
  attributes?: Attributes;
  status?: string;
  enabled?: boolean;
}

/** Inserts `n` users made by `make(i)` into the pool, `batch` a transaction; → their subs, in i order. */
export async function bulkInsertUsers(db: Db, poolId: string, n: number, make: (i: number) => BulkUser, batch = 500): Promise<string[]> {
  const subs: string[] = [];
  for (let start = 0; start < n; start += batch) {
    const users: UsersTable[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const u = make(i);
      const id = randomUUID();
      subs.push(id);
      users.push({
        id,
        pool_id: poolId,
        username: u.username,
        username_key: u.username.toLowerCase(),
        status: u.status ?? 'CONFIRMED',
        enabled: u.enabled === false ? 0 : 1,
        attributes: JSON.stringify({ sub: id, ...u.attributes }),
        srp_salt: null,
        srp_verifier: null,
        mfa: null,
        tokens_valid_after: 0,
        failed_attempts: 0,
        last_failed_at: null,
        created_at: 1,
        updated_at: 1,
        pending_attributes: null,
      });
    }
    const search = users.flatMap((u) => searchRows(poolId, u.id, JSON.parse(u.attributes) as Attributes));
    await db.transaction().execute(async (tx) => {
      // At most 32766 parameters a statement on SQLite: 16 columns × 500 rows, 4 × 4000.
      for (let i = 0; i < users.length; i += 500)
        await tx
          .insertInto('users')
          .values(users.slice(i, i + 500))
          .execute();
      for (let i = 0; i < search.length; i += 4000)
        await tx
          .insertInto('user_search')
          .values(search.slice(i, i + 4000))
          .execute();
    });
  }
  return subs;
}

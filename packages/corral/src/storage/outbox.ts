// Outbox repository: the messages Corral sent (or would have sent), as opaque rows. What a message says is sealed by
// messaging/outbox.ts before it gets here (storage never holds the key); a row lives until `expiresAt`, and every
// write and every read first deletes the rows past it.
import type { Transaction } from 'kysely';
import type { Db } from './db.js';
import type { Sql } from './sql.js';
import { count } from './sql.js';
import type { DB, OutboxTable } from './schema.js';

/** A stored message as messaging/ sees it: everything a reader needs is in `sealed`. */
export interface OutboxRecord {
  id: string;
  poolId: string;
  /** `EMAIL` or `SMS`. */
  medium: string;
  kind: string;
  /** Keyed hash of the destination, for finding one recipient's messages. */
  recipientHash: string;
  /** Encrypted recipient, username, subject and body. */
  sealed: string;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
}

export interface OutboxQuery {
  recipientHash?: string;
  poolId?: string;
  /** Most recent N. */
  limit: number;
  /** Rows with `expiresAt <= now` are deleted, never returned. */
  now: number;
}

function fromRow(r: OutboxTable): OutboxRecord {
  return {
    id: r.id,
    poolId: r.pool_id,
    medium: r.medium,
    kind: r.kind,
    recipientHash: r.recipient_hash,
    sealed: r.sealed,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

export function outboxRepository({ db, postgres }: Sql) {
  /**
   * One statement. On PostgreSQL the rows another transaction is deleting at the same moment are skipped, not waited
   * for (SKIP LOCKED): concurrent senders never queue or deadlock on the sweep. SQLite has one writer at a time.
   */
  const sweep = (q: Db | Transaction<DB>, now: number) =>
    postgres
      ? q.deleteFrom('outbox').where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('expires_at', '<=', now).forUpdate().skipLocked())
      : q.deleteFrom('outbox').where('expires_at', '<=', now);
  const deleteExpired = async (now: number): Promise<number> => count((await sweep(db, now).executeTakeFirst()).numDeletedRows);

  return {
    /** Stores a message, after deleting every row that has expired by `now` (one commit). */
    async insert(m: OutboxRecord, now: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await sweep(tx, now).execute();
        await tx
          .insertInto('outbox')
          .values({
            id: m.id,
            pool_id: m.poolId,
            medium: m.medium,
            kind: m.kind,
            recipient_hash: m.recipientHash,
            sealed: m.sealed,
            created_at: m.createdAt,
            expires_at: m.expiresAt,
          })
          .execute();
      });
    },

    /** Live messages, newest first (expired ones are deleted first). */
    async list(q: OutboxQuery): Promise<OutboxRecord[]> {
      await deleteExpired(q.now);
      let s = db.selectFrom('outbox').selectAll().where('expires_at', '>', q.now);
      if (q.recipientHash !== undefined) s = s.where('recipient_hash', '=', q.recipientHash);
      if (q.poolId !== undefined) s = s.where('pool_id', '=', q.poolId);
      const rows = await s.orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(fromRow);
    },

    /** Deletes the rows that have expired by `now`; how many. */
    deleteExpired,
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;

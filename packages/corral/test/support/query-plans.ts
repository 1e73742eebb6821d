// The query plans of what a repository method runs: a store over a recording Kysely (a plugin keeps each query it
// sends), then EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (PostgreSQL, sequential scans and sorts disabled, so a plan
// that still has one has no index to use) of each recorded query with its own parameters.
import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import type { Db } from '../../src/storage/db.js';
import { createStore, type Store } from '../../src/storage/index.js';

export interface Recorder {
  store: Store;
  /** The queries sent since the last call, compiled. */
  take(): CompiledQuery[];
}

export function recordingStore(db: Db, postgres: boolean): Recorder {
  let seen: { node: RootOperationNode; queryId: QueryId }[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      seen.push({ node: args.node, queryId: args.queryId });
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const recording = db.withPlugin(plugin);
  return {
    store: createStore(recording, postgres),
    take() {
      const out = seen.map((q) => db.getExecutor().compileQuery(q.node, q.queryId));
      seen = [];
      return out;
    },
  };
}

/** The plan of one compiled query, as one string. */
export async function explain(db: Db, postgres: boolean, q: CompiledQuery): Promise<string> {
  if (!postgres) {
    const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]));
    return r.rows.map((row) => row.detail).join('\n');
  }
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    await sql`SET LOCAL enable_sort = off`.execute(tx);
    const r = await tx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
    return r.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

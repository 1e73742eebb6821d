// Trigger invocations: what the console's Functions page and `corral functions logs` list
// (CorralAdmin.ListFunctionInvocations). A row says which function ran for which trigger source and pool, when, for
// how long, how it ended, the failure's message cut to 1 KiB, and what the function printed (its stdout and stderr,
// cut to 4 KiB) — never the event, which carries passwords and codes. A function may still throw what it was given
// (`throw new Error(JSON.stringify(event))`): the message is stored with the values of the event's secret-bearing
// members (password, challengeAnswer, privateChallengeParameters, code, clientMetadata, validationData, …) blanked
// wherever it quotes them as JSON or as Node prints objects (`password: '…'`), before it is cut. A secret the
// function wrote into its message in its own words cannot be told from the rest, and is stored as written. The logs
// get the same blanking; they are the function's own output, so what a function prints in its own words (or its
// environment, which holds the functions' KMS key pair) is stored as printed — for its newest LOGS_KEPT (100)
// invocations only. Retention is bounded: each insert is followed by one statement deleting that function's rows
// older than its newest `keep` (1,000), an index range scan of (function_name, id), so a function never has more,
// and, when it has logs, one clearing the logs of its rows older than its newest LOGS_KEPT with logs, a range of the
// partial index over the rows with logs (0022).
import { randomBytes } from 'node:crypto';
import { compiledOnce, count, type Sql } from './sql.js';
import type { InvocationsTable } from './schema.js';
import { redactSecrets } from '../redact.js';

export type InvocationOutcome = 'Succeeded' | 'Failed' | 'TimedOut' | 'Unavailable';

export interface Invocation {
  id: string;
  functionName: string;
  triggerSource: string;
  poolId: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  outcome: InvocationOutcome;
  errorMessage?: string;
  /** What the function printed, when it printed anything (and the row is among its newest LOGS_KEPT). */
  logs?: string;
}

export type NewInvocation = Omit<Invocation, 'id'>;

/** The newest invocations kept per function. */
export const INVOCATIONS_KEPT = 1000;
/** The longest error message stored, in bytes of UTF-8. */
export const ERROR_MESSAGE_MAX_BYTES = 1024;
/** The most of a function's output stored per invocation, in bytes of UTF-8. */
export const LOGS_MAX_BYTES = 4096;
/** The newest invocations per function whose logs are kept. */
export const LOGS_KEPT = 100;

/** `s` cut to at most `max` bytes of UTF-8 without splitting a character; U+0000 and lone surrogates replaced (the
 *  databases cannot store them). */
export function storableText(s: string, max: number): string {
  const clean = s.replace(/\u0000/g, '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const bytes = Buffer.from(clean, 'utf8');
  if (bytes.length <= max) return clean;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back to the start of a character
  return bytes.subarray(0, end).toString('utf8');
}

/** Event members whose values are secrets (or may be: the client's metadata and validation data are anyone's). */
let counter = 0;
/** Sortable: 12 hex digits of the start (epoch ms), a per-process counter, then randomness. */
function newId(startedAt: number): string {
  counter = (counter + 1) % 0x10000;
  return Math.max(0, Math.floor(startedAt)).toString(16).padStart(12, '0') + counter.toString(16).padStart(4, '0') + randomBytes(6).toString('hex');
}

function fromRow(r: InvocationsTable): Invocation {
  return {
    id: r.id,
    functionName: r.function_name,
    triggerSource: r.trigger_source,
    poolId: r.pool_id,
    startedAt: Number(r.started_at),
    durationMs: Number(r.duration_ms),
    outcome: r.outcome as InvocationOutcome,
    ...(r.error_message !== null ? { errorMessage: r.error_message } : {}),
    ...(r.logs !== null && r.logs !== undefined ? { logs: r.logs } : {}),
  };
}

export function invocationsRepository({ db }: Sql) {
  const insert = compiledOnce(
    db,
    (
      id: string,
      fn: string,
      source: string,
      poolId: string,
      startedAt: number,
      durationMs: number,
      outcome: string,
      error: string | null,
      logs: string | null,
    ) =>
      db.insertInto('invocations').values({
        id,
        function_name: fn,
        trigger_source: source,
        pool_id: poolId,
        started_at: startedAt,
        duration_ms: durationMs,
        outcome,
        error_message: error,
        logs,
      }),
  );
  /** Clears the logs of the function's rows older than its `offset`-th newest with logs, reading only rows that have
   *  logs (the partial index invocations_with_logs). */
  const pruneLogs = compiledOnce(db, (functionName: string, offset: number) =>
    db
      .updateTable('invocations')
      .set({ logs: null })
      .where('function_name', '=', functionName)
      .where('logs', 'is not', null)
      .where('id', '<', (eb) =>
        eb
          .selectFrom('invocations')
          .select('id')
          .where('function_name', '=', functionName)
          .where('logs', 'is not', null)
          .orderBy('id', 'desc')
          .limit(1)
          .offset(offset),
      ),
  );
  /** Deletes the function's rows older than its `keep`-th newest (none while it has fewer: `id < NULL` is not true). */
  const prune = compiledOnce(db, (functionName: string, offset: number) =>
    db
      .deleteFrom('invocations')
      .where('function_name', '=', functionName)
      .where('id', '<', (eb) =>
        eb.selectFrom('invocations').select('id').where('function_name', '=', functionName).orderBy('id', 'desc').limit(1).offset(offset),
      ),
  );

  return {
    /** Stores an invocation, then drops that function's rows beyond its newest `keep`; → the stored record. */
    async record(inv: NewInvocation, keep: number = INVOCATIONS_KEPT, logsKept: number = LOGS_KEPT): Promise<Invocation> {
      const logs = inv.logs ? storableText(redactSecrets(inv.logs), LOGS_MAX_BYTES) : undefined;
      const errorMessage = inv.errorMessage === undefined ? undefined : storableText(redactSecrets(inv.errorMessage), ERROR_MESSAGE_MAX_BYTES);
      const stored: Invocation = {
        ...inv,
        id: newId(inv.startedAt),
        functionName: storableText(inv.functionName, 2048),
        triggerSource: storableText(inv.triggerSource, 256),
        durationMs: Math.max(0, Math.round(inv.durationMs)),
        ...(errorMessage !== undefined ? { errorMessage } : {}),
      };
      delete stored.logs;
      if (logs) stored.logs = logs;
      const { id, functionName, triggerSource, poolId, startedAt, durationMs, outcome } = stored;
      await insert(id, functionName, triggerSource, poolId, startedAt, durationMs, outcome, stored.errorMessage ?? null, logs ?? null);
      await prune(stored.functionName, Math.max(0, keep - 1));
      if (logs) await pruneLogs(stored.functionName, Math.max(0, logsKept - 1));
      return stored;
    },

    /** Newest first; one function's, or every function's. */
    async list(q: { functionName?: string; limit: number }): Promise<Invocation[]> {
      let s = db.selectFrom('invocations').selectAll();
      if (q.functionName !== undefined) s = s.where('function_name', '=', q.functionName);
      const rows = await s
        .orderBy('id', 'desc')
        .limit(Math.max(1, Math.floor(q.limit)))
        .execute();
      return rows.map(fromRow);
    },

    /** How many rows a function has (tests and the retention check). */
    async countFor(functionName: string): Promise<number> {
      const r = await db
        .selectFrom('invocations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('function_name', '=', functionName)
        .executeTakeFirst();
      return count(r?.n as number | bigint | undefined);
    },
  };
}

export type InvocationsRepository = ReturnType<typeof invocationsRepository>;

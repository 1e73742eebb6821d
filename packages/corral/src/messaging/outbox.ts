// The embedded outbox: every message is stored (and logged) before any real transport is tried, so the local
// mailbox, `corral mail` and tests see exactly what a user would have received.
import { randomBytes } from 'node:crypto';
import type { Corral } from '../runtime/app.js';
import type { Medium } from './templates.js';

export interface OutboxMessage {
  id: string;
  poolId: string;
  medium: Medium;
  /** The full destination (address or phone number). */
  to: string;
  subject?: string;
  body: string;
  kind: string;
  username: string;
  createdAt: Date;
}

export interface OutboxFilter {
  /** Exact destination (emails compared case-insensitively). */
  to?: string;
  poolId?: string;
  /** Most recent N (default 50, at most 1000). */
  limit?: number;
}

let counter = 0;
/** Ids sort by creation: 12 hex digits of epoch ms, a per-process counter, then randomness. */
function newId(now: number): string {
  counter = (counter + 1) % 0x10000;
  return now.toString(16).padStart(12, '0') + counter.toString(16).padStart(4, '0') + randomBytes(6).toString('hex');
}

export async function storeMessage(app: Corral, m: Omit<OutboxMessage, 'id' | 'createdAt'>): Promise<OutboxMessage> {
  const now = app.now();
  const message: OutboxMessage = { ...m, id: newId(now), createdAt: new Date(now) };
  await app.db
    .insertInto('outbox')
    .values({
      id: message.id,
      pool_id: m.poolId,
      medium: m.medium,
      destination: m.to,
      subject: m.subject ?? null,
      body: m.body,
      kind: m.kind,
      username: m.username,
      created_at: now,
    })
    .execute();
  app.log.info(
    { outbox: message.id, poolId: m.poolId, medium: m.medium, to: m.to, kind: m.kind, username: m.username, subject: m.subject, body: m.body },
    `${m.medium === 'EMAIL' ? 'email' : 'SMS'} to ${m.to}: ${oneLine(m.subject ? `${m.subject} | ${m.body}` : m.body)}`,
  );
  return message;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Messages, newest first. */
export async function listMessages(app: Corral, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(filter.limit ?? 50) || 50));
  let q = app.db.selectFrom('outbox').selectAll();
  if (filter.to) {
    const to = filter.to.trim();
    q = to.includes('@') ? q.where((eb) => eb(eb.fn('lower', ['destination']), '=', to.toLowerCase())) : q.where('destination', '=', to);
  }
  if (filter.poolId) q = q.where('pool_id', '=', filter.poolId);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    poolId: r.pool_id,
    medium: r.medium as Medium,
    to: r.destination,
    ...(r.subject !== null ? { subject: r.subject } : {}),
    body: r.body,
    kind: r.kind,
    username: r.username,
    createdAt: new Date(Number(r.created_at)),
  }));
}

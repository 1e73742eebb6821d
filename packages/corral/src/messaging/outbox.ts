// The embedded outbox: every message is stored before any real transport is tried, so the local mailbox,
// `corral mail` and tests see exactly what a user would have received. What a message says — recipient, username,
// subject, body (codes, temporary passwords) — is encrypted with the server key before it reaches storage, and the
// destination is kept only as a keyed hash (to find a recipient's messages). A message is deleted when the code it
// carries expires (1 h for ForgotPassword, 3 min for sign-in codes, else 24 h), and never kept longer than the
// retention (CORRAL_OUTBOX_RETENTION_HOURS, default and at most 24). The log line names the message (id, kind,
// masked destination), never what it says.
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, keyedHash } from '../crypto/box.js';
import type { Config } from '../runtime/config.js';
import type { Corral } from '../runtime/app.js';
import { maskDestination, type Medium } from './templates.js';

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
  /** When it is deleted: the code it carries has expired (or the retention has passed). */
  expiresAt: Date;
}

export interface NewOutboxMessage extends Omit<OutboxMessage, 'id' | 'createdAt' | 'expiresAt'> {
  /** How long the code in it is valid; by default from the kind (see `codeValiditySeconds`). */
  validForSeconds?: number;
}

export interface OutboxFilter {
  /** Exact destination (emails compared case-insensitively). */
  to?: string;
  poolId?: string;
  /** Most recent N (default 50, at most 1000). */
  limit?: number;
}

const SEAL_PURPOSE = 'outbox';
const RECIPIENT_PURPOSE = 'outbox-recipient';
const HOUR = 3600;
export const MAX_RETENTION_HOURS = 24;

/** How long the code a message of this kind carries is valid (domain/codes.ts issues them for as long). */
export function codeValiditySeconds(kind: string): number {
  if (kind === 'ForgotPassword') return HOUR;
  if (kind === 'Authentication') return 3 * 60;
  // Sign-up and attribute codes: 24 h. AdminCreateUser's temporary password is valid for days: the retention caps it.
  return 24 * HOUR;
}

/** CORRAL_OUTBOX_RETENTION_HOURS in milliseconds (default 24 h); throws on a value that is not in (0, 24]. */
export function outboxRetentionMs(config: Pick<Config, 'outboxRetentionHours'>): number {
  const hours = config.outboxRetentionHours ?? MAX_RETENTION_HOURS;
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_RETENTION_HOURS) {
    throw new Error(`CORRAL_OUTBOX_RETENTION_HOURS must be a number of hours above 0 and at most ${MAX_RETENTION_HOURS}; got ${hours}`);
  }
  return Math.round(hours * HOUR * 1000);
}

/** The form a destination is looked up by: emails case-insensitively, phone numbers as given. */
function recipientHash(app: Corral, to: string): string {
  const t = to.trim();
  return keyedHash(app.secrets.serverKey, RECIPIENT_PURPOSE, t.includes('@') ? t.toLowerCase() : t);
}

interface Sealed {
  id: string;
  to: string;
  username: string;
  subject?: string;
  body: string;
}

let counter = 0;
/** Ids sort by creation: 12 hex digits of epoch ms, a per-process counter, then randomness. */
function newId(now: number): string {
  counter = (counter + 1) % 0x10000;
  return now.toString(16).padStart(12, '0') + counter.toString(16).padStart(4, '0') + randomBytes(6).toString('hex');
}

export async function storeMessage(app: Corral, m: NewOutboxMessage): Promise<OutboxMessage> {
  const now = app.now();
  const { validForSeconds, ...fields } = m;
  const keepMs = Math.min(outboxRetentionMs(app.config), (validForSeconds ?? codeValiditySeconds(m.kind)) * 1000);
  const message: OutboxMessage = { ...fields, id: newId(now), createdAt: new Date(now), expiresAt: new Date(now + keepMs) };
  const sealed: Sealed = { id: message.id, to: m.to, username: m.username, ...(m.subject !== undefined ? { subject: m.subject } : {}), body: m.body };
  await app.store.outbox.insert(
    {
      id: message.id,
      poolId: m.poolId,
      medium: m.medium,
      kind: m.kind,
      recipientHash: recipientHash(app, m.to),
      sealed: encrypt(app.secrets.serverKey, SEAL_PURPOSE, JSON.stringify(sealed)),
      createdAt: now,
      expiresAt: now + keepMs,
    },
    now,
  );
  const masked = maskDestination(m.medium, m.to);
  app.log.info(
    { outbox: message.id, poolId: m.poolId, medium: m.medium, kind: m.kind, to: masked },
    `${m.medium === 'EMAIL' ? 'email' : 'SMS'} to ${masked} [${m.kind}] in the outbox as ${message.id}`,
  );
  return message;
}

/** Live messages, newest first. Rows sealed with another server key are skipped. */
export async function listMessages(app: Corral, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(filter.limit ?? 50) || 50));
  const to = filter.to?.trim();
  const rows = await app.store.outbox.list({
    ...(to ? { recipientHash: recipientHash(app, to) } : {}),
    ...(filter.poolId ? { poolId: filter.poolId } : {}),
    limit,
    now: app.now(),
  });
  const messages: OutboxMessage[] = [];
  for (const r of rows) {
    const plain = decrypt(app.secrets.serverKey, SEAL_PURPOSE, r.sealed);
    if (!plain) continue;
    const s = JSON.parse(plain.toString('utf8')) as Sealed;
    if (s.id !== r.id) continue;
    messages.push({
      id: r.id,
      poolId: r.poolId,
      medium: r.medium as Medium,
      to: s.to,
      ...(s.subject !== undefined ? { subject: s.subject } : {}),
      body: s.body,
      kind: r.kind,
      username: s.username,
      createdAt: new Date(r.createdAt),
      expiresAt: new Date(r.expiresAt),
    });
  }
  return messages;
}

// GET /_corral/mail?to=&poolId=&limit= — the outbox, newest first, for its owner: the developer on this machine
// (the Wild Rydes site reaches it through its own server, apps/wildrydes/server.mjs) and tests.
// → { messages: [{ id, poolId, medium, to, subject, body, kind, username, createdAt, expiresAt (ISO) }] }
// It shows codes in clear, so:
//   - it is served only when Corral listens on loopback alone (HOST localhost / 127.x / ::1), unless CORRAL_MAILBOX
//     says `on` (or `off`, which always hides it);
//   - it answers only requests whose Host is a loopback name or address (localhost, 127.0.0.0/8, [::1], any port):
//     a page on another site that rebinds its DNS name to 127.0.0.1 gets 403;
//   - it sends no CORS headers (the server's onRequest hook adds them to every route: removed here), so no other
//     origin's script can read it, and its preflight is refused.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../runtime/app.js';
import type { Config } from '../runtime/config.js';
import { listMessages, outboxRetentionMs } from '../messaging/outbox.js';
import { isLoopbackHost, isLoopbackHostHeader, isLoopbackOrigin, withoutCors } from './loopback.js';

interface MailQuery {
  to?: string;
  poolId?: string;
  limit?: string;
}

/** Served when CORRAL_MAILBOX=on, never when off, else only when Corral listens on loopback alone. */
export function mailboxEnabled(config: Pick<Config, 'mailbox' | 'host'>): boolean {
  return config.mailbox ?? isLoopbackHost(config.host);
}

/** Refuses (403) a request not addressed to a loopback name, or sent by a page of a non-loopback origin. */
async function ownerOnly(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  withoutCors(reply);
  reply.header('cache-control', 'no-store');
  if (!isLoopbackHostHeader(req.headers.host) || !isLoopbackOrigin(req.headers.origin)) {
    await reply.status(403).send({ message: 'The local mailbox answers only requests to localhost from this machine.' });
  }
}

export async function mailboxRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  outboxRetentionMs(app.config); // a wrong CORRAL_OUTBOX_RETENTION_HOURS stops the start
  if (!mailboxEnabled(app.config)) return;
  // Its preflight is never granted: only same-origin pages and non-browser clients read the mailbox.
  server.options('/_corral/mail', { onRequest: ownerOnly }, async (_req, reply) =>
    reply.status(403).send({ message: 'The local mailbox does not answer cross-origin requests.' }),
  );
  server.get<{ Querystring: MailQuery }>('/_corral/mail', { onRequest: ownerOnly }, async (req, reply) => {
    const { to, poolId, limit } = req.query;
    const n = limit === undefined || limit === '' ? undefined : Number(limit);
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
      return reply.status(400).send({ message: 'limit must be a positive integer' });
    }
    const messages = await listMessages(app, { to: to || undefined, poolId: poolId || undefined, limit: n });
    return {
      messages: messages.map((m) => ({
        id: m.id,
        poolId: m.poolId,
        medium: m.medium,
        to: m.to,
        subject: m.subject ?? null,
        body: m.body,
        kind: m.kind,
        username: m.username,
        createdAt: m.createdAt.toISOString(),
        expiresAt: m.expiresAt.toISOString(),
      })),
    };
  });
}

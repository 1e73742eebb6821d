// GET /_corral/mail?to=&poolId=&limit= — the outbox, newest first, for the local mailbox page (read from the
// browser: CORS headers come from the server's onRequest hook) and for tests.
// → { messages: [{ id, poolId, medium, to, subject, body, kind, username, createdAt (ISO) }] }
// It shows codes in clear: it is a development aid, like the outbox it reads.
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { listMessages } from '../messaging/outbox.js';

interface MailQuery {
  to?: string;
  poolId?: string;
  limit?: string;
}

export async function mailboxRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  if (!app.config.mailbox) return;
  server.get<{ Querystring: MailQuery }>('/_corral/mail', async (req, reply) => {
    const { to, poolId, limit } = req.query;
    const n = limit === undefined || limit === '' ? undefined : Number(limit);
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
      return reply.status(400).send({ message: 'limit must be a positive integer' });
    }
    const messages = await listMessages(app, { to: to || undefined, poolId: poolId || undefined, limit: n });
    reply.header('cache-control', 'no-store');
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
      })),
    };
  });
}

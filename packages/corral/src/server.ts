// The HTTP server: CORS, request ids, the wire protocol, health, and the routes other modules add.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Corral } from './runtime/app.js';
import { asCognitoError, registerWire, sendError } from './wire/http.js';
import { httpRoutes } from './http/index.js';

const EXPOSED = 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date';

export async function buildServer(app: Corral): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: app.log as FastifyBaseLogger,
    bodyLimit: app.config.bodyLimit,
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });

  server.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    reply.header('x-amzn-requestid', req.id);
    reply.header('access-control-allow-origin', origin ?? '*');
    reply.header('access-control-expose-headers', EXPOSED);
    if (origin) reply.header('vary', 'Origin');
  });
  server.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: req.url, target: req.headers['x-amz-target'], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  server.options('*', async (req, reply) => {
    const asked = req.headers['access-control-request-headers'];
    return reply
      .status(200)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', asked ?? 'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256')
      .header('access-control-max-age', '86400')
      .send();
  });

  server.setErrorHandler((err, req, reply) => sendError(reply, asCognitoError(err, req)));
  server.setNotFoundHandler((req, reply) => reply.status(404).send({ message: `Not found: ${req.method} ${req.url}` }));

  server.get('/health', async () => {
    await app.db.selectFrom('user_pools').select('id').limit(1).execute();
    return { status: 'ok' };
  });

  await registerWire(server, app);
  for (const register of httpRoutes) await register(server, app);
  return server;
}

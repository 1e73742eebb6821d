// The HTTP server: CORS, request ids, the wire protocol, health, and the routes other modules add.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Corral } from './runtime/app.js';
import { asCognitoError, registerWire, sendError } from './wire/http.js';
import { httpRoutes } from './http/index.js';
import { refuseUnstorableInput } from './http/input-guard.js';
import { redactUrl } from './redact.js';

const EXPOSED = 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date';

/**
 * The HTTP server with the timeouts of the configuration: a request (headers and body) must arrive within
 * CORRAL_REQUEST_TIMEOUT_MS (Node answers 408 and closes), a connection silent for CORRAL_CONNECTION_TIMEOUT_MS
 * is closed, an idle keep-alive one after CORRAL_KEEP_ALIVE_TIMEOUT_MS; and at most
 * CORRAL_MAX_CONNECTIONS_PER_SOURCE connections are open at once from one address.
 */
function httpServer(app: Corral, handler: Parameters<typeof createServer>[1]): Server {
  const { requestTimeoutMs, connectionTimeoutMs, keepAliveTimeoutMs, maxConnectionsPerSource } = app.config;
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      // Node requires headersTimeout ≤ requestTimeout; both are then checked every connectionsCheckingInterval.
      ...(requestTimeoutMs > 0
        ? { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 10))) }
        : {}),
    },
    handler,
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.setTimeout(connectionTimeoutMs);
  capConnectionsPerSource(server, maxConnectionsPerSource, app.log);
  return server;
}

/** Closes a connection as it arrives when its source address already has `max` open (0: no cap). */
function capConnectionsPerSource(server: Server, max: number, log: Logger): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  const warned = new Set<string>();
  server.on('connection', (socket) => {
    const source = socket.remoteAddress ?? '';
    const n = open.get(source) ?? 0;
    if (n >= max) {
      if (!warned.has(source)) {
        warned.add(source);
        log.warn({ source, max }, 'connections from one source over CORRAL_MAX_CONNECTIONS_PER_SOURCE: closing the extra ones');
      }
      socket.destroy();
      return;
    }
    open.set(source, n + 1);
    socket.once('close', () => {
      const left = (open.get(source) ?? 1) - 1;
      if (left > 0) open.set(source, left);
      else open.delete(source);
      if (left < max) warned.delete(source);
    });
  });
}

export async function buildServer(app: Corral): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: app.log as FastifyBaseLogger,
    bodyLimit: app.config.bodyLimit,
    serverFactory: (handler) => httpServer(app, handler),
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
  // Strings the databases cannot store (U+0000, unpaired surrogates) in a path, query, form or credentials: bad
  // input, before any handler runs (wire bodies are checked member by member in wire/validate.ts).
  server.addHook('preValidation', refuseUnstorableInput);
  server.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: redactUrl(req.url), target: req.headers['x-amz-target'], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  server.options('*', async (req, reply) => {
    const asked = req.headers['access-control-request-headers'];
    return reply
      .status(200)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header(
        'access-control-allow-headers',
        asked ??
          'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256',
      )
      .header('access-control-max-age', '86400')
      .send();
  });

  server.setErrorHandler((err, req, reply) => sendError(reply, asCognitoError(err, req)));
  server.setNotFoundHandler((req, reply) => reply.status(404).send({ message: `Not found: ${req.method} ${req.url}` }));

  // 200 while the database answers (within a few seconds), 503 while it does not: a load balancer takes the
  // instance out meanwhile. The outage itself is logged once by storage, not at every probe.
  server.get('/health', async (_req, reply) => {
    try {
      await app.store.ping();
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    return { status: 'ok' };
  });

  await registerWire(server, app);
  for (const register of httpRoutes) await register(server, app);
  return server;
}

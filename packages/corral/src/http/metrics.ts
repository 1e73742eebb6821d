// GET /metrics — Prometheus metrics (src/metrics.ts: what is counted), for the operator:
//   - CORRAL_METRICS=loopback (the default): answered only on a connection from this machine (127.0.0.0/8, ::1)
//     that names a loopback Host (localhost, 127.x, [::1]; so a page that rebinds its DNS name to 127.0.0.1 cannot
//     read it, and neither can a client a reverse proxy on this machine relays), else 403;
//   - CORRAL_METRICS=on: answered to anyone (restrict it in the network: a firewall, the proxy's rules);
//   - CORRAL_METRICS=off: no route (404), nothing counted.
// Never with CORS headers. With `corral start --workers N` the figures are the whole server's, summed by the primary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { metricsMode, metricsText, observeResponse } from '../metrics.js';
import { isLoopbackAddress, isLoopbackHostHeader, withoutCors } from './loopback.js';

async function localOnly(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  withoutCors(reply);
  if (!isLoopbackAddress(req.socket.remoteAddress) || !isLoopbackHostHeader(req.headers.host)) {
    await reply
      .status(403)
      .header('cache-control', 'no-store')
      .send({ message: 'Metrics are served to this machine only (CORRAL_METRICS=loopback); CORRAL_METRICS=on serves them to anyone.' });
  }
}

export async function metricsRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  const mode = metricsMode(app.config.metrics);
  if (mode === 'off') return;
  server.decorateRequest('corralSignIn', null); // a sign-in step's flow, noted by wire/http.ts (src/metrics.ts)
  server.addHook('onResponse', (req, reply, done) => {
    observeResponse(req, reply);
    done();
  });
  server.get('/metrics', { onRequest: mode === 'loopback' ? localOnly : [] }, async (_req, reply) => {
    withoutCors(reply);
    reply.header('cache-control', 'no-store');
    try {
      const { contentType, text } = await metricsText();
      return reply.header('content-type', contentType).send(text);
    } catch (err) {
      app.log.warn({ err }, 'metrics: could not gather the workers’ figures');
      return reply.status(503).send({ message: `Metrics unavailable: ${(err as Error).message}` });
    }
  });
}

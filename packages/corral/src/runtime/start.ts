// Starts Corral: storage, provisioning of the declared resources, the HTTP server, graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server.js';
import { createCorral, type Corral } from './app.js';
import { configFromEnv, type Config } from './config.js';

export interface Running {
  app: Corral;
  server: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startCorral(config: Config = configFromEnv()): Promise<Running> {
  const app = await createCorral(config);
  const server = await buildServer(app);
  await server.listen({ port: config.port, host: config.host });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://localhost:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    app,
    server,
    url,
    stop() {
      // fastify.close() stops accepting, waits for in-flight requests, then we close storage.
      stopping ??= server.close().then(() => app.close());
      return stopping;
    },
  };
}

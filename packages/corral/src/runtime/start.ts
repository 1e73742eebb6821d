// Starts Corral: storage, the HTTP server, provisioning of the declared resources, graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server.js';
import { createCorral, type Corral } from './app.js';
import { configFromEnv, type Config } from './config.js';
import { provision, readProvisionFile, writeResources, type Resources } from './provision.js';

export interface Running {
  app: Corral;
  server: FastifyInstance;
  url: string;
  /** The provisioned resources, when a provisioning file was applied. */
  resources?: Resources;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A provisioning file to apply at start (see runtime/provision.ts); none when undefined (tests). */
  provisionFile?: string;
}

export async function startCorral(config: Config = configFromEnv(), opts: StartOptions = {}): Promise<Running> {
  // Read the declarations first: a broken file stops the start before anything listens.
  const declared = opts.provisionFile ? readProvisionFile(opts.provisionFile) : undefined;
  const app = await createCorral(config);
  let server: FastifyInstance | undefined;
  let resources: Resources | undefined;
  try {
    // Provision before listening, so the first request already sees the declared resources.
    if (declared) resources = await provision(app, declared);
    server = await buildServer(app);
    await server.listen({ port: config.port, host: config.host });
  } catch (err) {
    await server?.close();
    await app.close();
    throw err;
  }
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://localhost:${port}`;
  // With PORT=0 the default public URL cannot name the port; now it can.
  if (app.config.publicUrl === 'http://localhost:0') app.config.publicUrl = url;
  if (resources) {
    resources.endpoint = app.config.publicUrl;
    writeResources(app.config, resources);
  }
  let stopping: Promise<void> | undefined;
  const listening = server;
  const stop = () => {
    // fastify.close() stops accepting, waits for in-flight requests, then we close storage.
    stopping ??= listening.close().then(() => app.close());
    return stopping;
  };
  return { app, server, url, resources, stop };
}

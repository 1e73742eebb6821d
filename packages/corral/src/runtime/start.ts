// Starts Corral: storage, the HTTP server, provisioning of the declared resources, graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server.js';
import { createCorral, type OpenedCorral } from './app.js';
import { configFromEnv, type Config } from './config.js';
import { secureDataDir, secureDataFiles } from './file-modes.js';
import { declaredFunctions, provision, readProvisionFile, writeResources, type Resources } from './provision.js';
import { checkServerKey } from './server-key.js';

export interface Running {
  app: OpenedCorral;
  server: FastifyInstance;
  url: string;
  /** The provisioned resources, when a provisioning file was applied. */
  resources?: Resources;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

export interface StartOptions {
  /** A provisioning file to apply at start (see runtime/provision.ts); none when undefined (tests). */
  provisionFile?: string;
  /** false: another process of this start (the first worker of `corral start --workers N`, runtime/cluster.ts) has
   *  done what a start does once — the server-key check, provisioning, resources.json — and this one only serves (it
   *  still reads the provisioning file, for its functions and names). Default true. */
  setup?: boolean;
}

export async function startCorral(config: Config = configFromEnv(), opts: StartOptions = {}): Promise<Running> {
  // Read the declarations first: a broken file stops the start before anything listens.
  const declared = opts.provisionFile ? readProvisionFile(opts.provisionFile) : undefined;
  if (opts.provisionFile && declared) {
    config.functions = { ...declaredFunctions(opts.provisionFile, declared), ...config.functions };
    config.declaredNames = {
      userPools: declared.userPools.filter((p) => !p.Delete).map((p) => p.PoolName),
      identityPools: declared.identityPools.filter((p) => !p.Delete).map((p) => p.IdentityPoolName),
    };
  }
  secureDataDir(config);
  const app = await createCorral(config);
  secureDataFiles(config);
  let stopping: Promise<void> | undefined;
  let server: FastifyInstance | undefined;
  let resources: Resources | undefined;
  try {
    // A server key that cannot open this database's secrets stops the start (naming the key expected).
    if (opts.setup !== false) await checkServerKey(app);
    // Provision before listening, so the first request already sees the declared resources.
    if (declared && opts.setup !== false) resources = await provision(app, declared);
    server = await buildServer(app);
    // While stopping, a response ends its keep-alive connection; otherwise an idle client connection would hold
    // the close open until its keep-alive timeout.
    server.addHook('onSend', async (_req, reply) => {
      if (stopping) reply.header('connection', 'close');
    });
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
  const listening = server;
  const stop = () => {
    // fastify.close() stops accepting, waits for in-flight requests, then we close storage. A request still
    // running after STOP_GRACE_MS has its connection cut.
    stopping ??= (async () => {
      const deadline = setTimeout(() => listening.server.closeAllConnections(), STOP_GRACE_MS);
      try {
        await listening.close();
      } finally {
        clearTimeout(deadline);
      }
      await app.close();
    })();
    return stopping;
  };
  return { app, server, url, resources, stop };
}

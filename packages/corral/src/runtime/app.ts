// The running service: configuration, storage, secrets and logger, shared by every action.
import pino, { type Logger } from 'pino';
import { openStore, type Db, type Store } from '../storage/index.js';
import { configFromEnv, type Config } from './config.js';
import { loadSecrets, type ServerSecrets } from './secrets.js';
import { closeFunctions } from '../triggers/functions.js';
import { enableMetrics } from '../metrics.js';

export interface Corral {
  config: Config;
  /** The repositories (storage/index.ts): the only way to the database. */
  store: Store;
  log: Logger;
  secrets: ServerSecrets;
  /** Milliseconds since the epoch; replaceable in tests. */
  now: () => number;
  close(): Promise<void>;
}

/** The service as the runtime opened it: also the raw database, for the tests' own checks and nobody else (handlers
 *  get a `Corral`, which has no `db`: only storage/ speaks SQL). */
export interface OpenedCorral extends Corral {
  readonly db: Db;
}

export async function createCorral(config: Config = configFromEnv(), log?: Logger): Promise<OpenedCorral> {
  const logger = log ?? pino({ level: config.logLevel, base: { service: 'corral' } });
  const secrets = loadSecrets(config);
  enableMetrics(config); // before the database opens: its statements are timed (a wrong CORRAL_METRICS stops here)
  const { db, store } = await openStore({ url: config.databaseUrl, schema: config.databaseSchema, sqliteSynchronous: config.sqliteSynchronous, log: logger });
  const app: OpenedCorral = {
    config,
    db,
    store,
    log: logger,
    secrets,
    now: () => Date.now(),
    async close() {
      await closeFunctions(app); // the trigger functions' processes (triggers/functions.ts)
      await db.destroy();
    },
  };
  return app;
}

// The running service: configuration, storage, secrets and logger, shared by every action.
import pino, { type Logger } from 'pino';
import { openDatabase, type Db } from '../storage/db.js';
import { configFromEnv, type Config } from './config.js';
import { loadSecrets, type ServerSecrets } from './secrets.js';

export interface Corral {
  config: Config;
  db: Db;
  log: Logger;
  secrets: ServerSecrets;
  /** Milliseconds since the epoch; replaceable in tests. */
  now: () => number;
  close(): Promise<void>;
}

export async function createCorral(config: Config = configFromEnv(), log?: Logger): Promise<Corral> {
  const logger = log ?? pino({ level: config.logLevel, base: { service: 'corral' } });
  const secrets = loadSecrets(config);
  const db = await openDatabase({ url: config.databaseUrl, schema: config.databaseSchema });
  return {
    config,
    db,
    log: logger,
    secrets,
    now: () => Date.now(),
    async close() {
      await db.destroy();
    },
  };
}

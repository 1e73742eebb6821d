// File modes of what Corral keeps on disk, whatever the umask: the data directory 0700 (its credentials, server key,
// resources and database are the owner's alone) and the SQLite database with its -wal / -shm / -journal files 0600.
// SQLite creates later -wal / -shm files with the database file's mode, so once the database is 0600 they are too.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { isPostgresUrl } from '../storage/index.js';
import type { Config } from './config.js';

export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

function chmod(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`cannot make ${path} private (mode ${mode.toString(8)}): ${(err as Error).message}`);
  }
}

/** Creates the data directory if needed and makes it 0700 (before anything is written into it). */
export function secureDataDir(config: Pick<Config, 'dataDir'>): void {
  mkdirSync(config.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  chmod(config.dataDir, DATA_DIR_MODE);
}

/** After the database is open: the data directory 0700, the SQLite file and its companions 0600. */
export function secureDataFiles(config: Pick<Config, 'dataDir' | 'databaseUrl'>): void {
  secureDataDir(config);
  const db = config.databaseUrl;
  if (isPostgresUrl(db) || db === ':memory:' || db.startsWith('file:')) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(db + suffix)) chmod(db + suffix, DATA_FILE_MODE);
  }
}

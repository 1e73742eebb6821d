// The server's own secrets: the admin access key pair and the server key. From the environment when set,
// otherwise generated once into the data directory (mode 0600) and reused on every start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { AccessKey } from '../wire/sigv4.js';

export interface ServerSecrets {
  admin: AccessKey;
  /** True when the admin key pair was generated (and should be printed at start). */
  generated: boolean;
  /** 32-byte key for sealing sessions and encrypting secrets at rest. */
  serverKey: Buffer;
  /** Where the server key came from, for messages: `CORRAL_KEY`, or the data directory's file (and whether it was
   *  generated at this start). */
  serverKeySource: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomKeyId(): string {
  return 'AKIA' + [...randomBytes(16)].map((b) => ALNUM[b % 32]).join('');
}

function readOrCreate<T>(file: string, make: () => T): { value: T; created: boolean } {
  if (existsSync(file)) return { value: JSON.parse(readFileSync(file, 'utf8')) as T, created: false };
  const value = make();
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return { value, created: true };
}

export function loadSecrets(config: Config): ServerSecrets {
  mkdirSync(config.dataDir, { recursive: true });
  let admin: AccessKey;
  let generated = false;
  if (config.accessKeyId && config.secretAccessKey) {
    admin = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
  } else {
    const r = readOrCreate(join(config.dataDir, 'credentials.json'), () => ({
      accessKeyId: randomKeyId(),
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
    }));
    admin = r.value;
    generated = true;
  }
  let serverKey: Buffer;
  let serverKeySource: string;
  if (config.serverKey) {
    serverKey = Buffer.from(config.serverKey, 'base64');
    if (serverKey.length !== 32) throw new Error('CORRAL_KEY must be 32 bytes, base64-encoded');
    serverKeySource = 'CORRAL_KEY';
  } else {
    const file = join(config.dataDir, 'server-key.json');
    const r = readOrCreate(file, () => ({ key: randomBytes(32).toString('base64') }));
    serverKey = Buffer.from(r.value.key, 'base64');
    serverKeySource = r.created ? `${file} (generated at this start: CORRAL_KEY is not set)` : file;
  }
  return { admin, generated, serverKey, serverKeySource };
}

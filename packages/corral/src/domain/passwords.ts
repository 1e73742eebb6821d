// A user's password exists only as an SRP salt and verifier (encrypted at rest); nothing else is ever stored.
import { decrypt, encrypt } from '../crypto/box.js';
import { checkPassword, makeVerifier, type Verifier } from '../crypto/srp.js';
import type { Corral } from '../runtime/app.js';
import type { Pool } from './pools.js';
import { SRP_VERIFIER_PURPOSE, type User } from './users.js';

/** The part of the pool id after `_`, which SRP mixes into x. */
export function srpPoolName(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

export interface StoredCredentials {
  srpSalt: string;
  srpVerifier: string;
}

/** What replaces a user's password (`username` is USER_ID_FOR_SRP: the internal username). */
export function passwordCredentials(app: Corral, pool: Pool, username: string, password: string): StoredCredentials {
  const { salt, verifier } = makeVerifier(srpPoolName(pool.id), username, password);
  return { srpSalt: salt.toString('hex'), srpVerifier: encrypt(app.secrets.serverKey, SRP_VERIFIER_PURPOSE, verifier) };
}

export function userVerifier(app: Corral, user: User): Verifier | undefined {
  if (!user.srpSalt || !user.srpVerifier) return undefined;
  const verifier = decrypt(app.secrets.serverKey, SRP_VERIFIER_PURPOSE, user.srpVerifier);
  return verifier && { salt: Buffer.from(user.srpSalt, 'hex'), verifier };
}

/** Whether `password` is the user's password (constant time). */
export function passwordMatches(app: Corral, pool: Pool, user: User, password: string): boolean {
  const v = userVerifier(app, user);
  return !!v && checkPassword(srpPoolName(pool.id), user.username, password, v.salt, v.verifier);
}

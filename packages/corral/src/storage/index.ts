// The storage layer: one repository per aggregate, over one database (SQLite or PostgreSQL). Only storage/ speaks
// SQL; everything above reaches the database through `app.store`.
import { isPostgresUrl, openDatabase, ping, type Db, type StorageOptions } from './db.js';
import { codesRepository } from './codes.js';
import { countersRepository } from './counters.js';
import { devicesRepository } from './devices.js';
import { groupsRepository } from './groups.js';
import { identityRepository } from './identity.js';
import { identityProvidersRepository } from './identity-providers.js';
import { invocationsRepository } from './invocations.js';
import { oAuthRepository } from './oauth.js';
import { outboxRepository } from './outbox.js';
import { poolsRepository } from './pools.js';
import { serverKeyRepository } from './server-key-check.js';
import { signingKeysRepository } from './signing-keys.js';
import { spentSessionsRepository } from './spent-sessions.js';
import { samlRepository } from './saml.js';
import type { Sql } from './sql.js';
import { tokensRepository } from './tokens.js';
import { usersRepository } from './users.js';
import { userImportsRepository } from './user-imports.js';
import { webAuthnCredentialsRepository } from './webauthn-credentials.js';

export function createStore(db: Db, postgres: boolean) {
  const sql: Sql = { db, postgres };
  return {
    users: usersRepository(sql),
    pools: poolsRepository(sql),
    groups: groupsRepository(sql),
    tokens: tokensRepository(sql),
    codes: codesRepository(sql),
    devices: devicesRepository(sql),
    identity: identityRepository(sql),
    signingKeys: signingKeysRepository(sql),
    oauth: oAuthRepository(sql),
    outbox: outboxRepository(sql),
    spentSessions: spentSessionsRepository(sql),
    serverKey: serverKeyRepository(sql),
    counters: countersRepository(sql),
    invocations: invocationsRepository(sql),
    userImports: userImportsRepository(sql),
    identityProviders: identityProvidersRepository(sql),
    webAuthnCredentials: webAuthnCredentialsRepository(sql),
    saml: samlRepository(sql),
    /** Resolves when the database answers. */
    ping: () => ping(db),
    close: () => db.destroy(),
  };
}

export type Store = ReturnType<typeof createStore>;

export { isPostgresUrl, type Db, type StorageOptions };
/** The value as the user_search index keeps it (a ListUsers filter value is cut the same way). */
export { searchValue } from './user-search-rows.js';

/** Opens the database (running its migrations) and the store over it; `db` is for the runtime and tests only. */
export async function openStore(opts: StorageOptions): Promise<{ store: Store; db: Db }> {
  const db = await openDatabase(opts);
  return { store: createStore(db, isPostgresUrl(opts.url)), db };
}

// Users brought in by the pool's UserMigration function (triggers/user-migration.ts runs it): on a sign-in with the
// password in clear (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) and on ForgotPassword, for a name the pool does
// not know. The user is created with its aliases in one transaction: CONFIRMED with that password, or
// RESET_REQUIRED (no password; ForgotPassword always). A failing function is UserNotFoundException "UserMigration
// failed with error …." (as Cognito reports it); with PreventUserExistenceErrors the usual unknown-user answer.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { NotAuthorizedException, UserNotFoundException, type CognitoError } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { hasUserMigration, userMigration, type MigrationSource } from '../triggers/user-migration.js';
import { passwordCredentials } from './passwords.js';
import type { Client, Pool } from './pools.js';
import type { PublicCall } from './public-call.js';
import { resolveSignUpName } from './signup-rules.js';
import { checkAttributeWrite } from './user-attributes.js';
import { preventsUserExistenceErrors } from './user-existence.js';
import { createUser, findUserForSignIn, type User } from './users.js';

function migrationError(client: Client, message: string): CognitoError {
  if (preventsUserExistenceErrors(client)) return new NotAuthorizedException('Incorrect username or password.');
  return new UserNotFoundException(message);
}

async function migrate(
  app: Corral,
  pool: Pool,
  client: Client,
  identifier: string,
  source: MigrationSource,
  password?: string,
  clientMetadata?: Record<string, string>,
): Promise<User | undefined> {
  const found = await userMigration(app, pool, { source, userName: identifier, clientId: client.id, password, clientMetadata }, (message) =>
    migrationError(client, message),
  );
  if (!found) return undefined;
  const written = checkAttributeWrite(pool, undefined, found.attributes, 'admin');
  const name = resolveSignUpName(pool, identifier, written);
  const finalStatus: UserStatusType = source === 'UserMigration_ForgotPassword' || !password ? 'RESET_REQUIRED' : found.finalUserStatus;
  const sub = randomUUID();
  const username = name.username ?? sub;
  const credentials = finalStatus === 'CONFIRMED' && password ? passwordCredentials(app, pool, username, password) : undefined;
  // The user and its aliases in one transaction (a verified alias held by another account moves only with
  // forceAliasCreation).
  const user = await createUser(
    app,
    pool,
    { sub, username, status: finalStatus, attributes: name.attributes, ...credentials },
    { aliases: true, forceAlias: found.forceAliasCreation },
  );
  app.log.info({ pool: pool.id, username: user.username, source, status: user.status }, 'migrated a user');
  return user;
}

/** InitiateAuth / AdminInitiateAuth with the password: the migrated user, or undefined (no trigger, or not found). */
export async function migrateOnSignIn(app: Corral, pool: Pool, client: Client, identifier: string, password: string): Promise<User | undefined> {
  if (!hasUserMigration(pool)) return undefined;
  return migrate(app, pool, client, identifier, 'UserMigration_Authentication', password);
}

/** ForgotPassword: the migrated user when the name is unknown and the function knows it; else undefined. */
export async function migrateOnForgotPassword(
  app: Corral,
  call: PublicCall,
  identifier: string,
  clientMetadata?: Record<string, string>,
): Promise<User | undefined> {
  if (!hasUserMigration(call.pool)) return undefined;
  if (await findUserForSignIn(app, call.pool, identifier)) return undefined;
  try {
    return await migrate(app, call.pool, call.client, identifier, 'UserMigration_ForgotPassword', undefined, clientMetadata);
  } catch (err) {
    // Hidden users get the simulated delivery (codeFlowUser), failed migrations too.
    if (err instanceof NotAuthorizedException && preventsUserExistenceErrors(call.client)) return undefined;
    throw err;
  }
}

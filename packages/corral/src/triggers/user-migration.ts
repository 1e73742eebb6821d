// UserMigration: a user the pool does not know is looked up in the old directory by the function, and created.
//   UserMigration_Authentication: a sign-in with the password in clear — USER_PASSWORD_AUTH and
//     ADMIN_USER_PASSWORD_AUTH only (SRP never sends the password, so Cognito does not migrate on USER_SRP_AUTH and
//     neither does Corral). request { password, validationData, clientMetadata }. The user is created with that
//     password, CONFIRMED (finalUserStatus CONFIRMED or absent) or RESET_REQUIRED, and the sign-in goes on.
//   UserMigration_ForgotPassword: ForgotPassword for an unknown name; request without password. The user is
//     created RESET_REQUIRED (no password); the code is sent as for any user.
//   response: userAttributes (required: none means "no such user"), finalUserStatus, messageAction (SUPPRESS or
//     RESEND; Corral sends no welcome message either way), desiredDeliveryMediums, forceAliasCreation (a verified
//     email/phone held by another account moves to the new user).
// A failing function answers UserNotFoundException "UserMigration failed with error …." (Cognito reports migration
// failures as UserNotFoundException); with PreventUserExistenceErrors the answer is the usual unknown-user one.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { NotAuthorizedException, UserNotFoundException, type CognitoError } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { passwordCredentials } from '../domain/passwords.js';
import type { Client, Pool } from '../domain/pools.js';
import type { PublicCall } from '../domain/public-call.js';
import { resolveSignUpName } from '../domain/signup-rules.js';
import { checkAttributeWrite } from '../domain/user-attributes.js';
import { preventsUserExistenceErrors } from '../domain/user-existence.js';
import { aliasesFor, createUser, deleteUser, findUserForSignIn, updateUser, type User } from '../domain/users.js';
import { hasTrigger, invokeTrigger } from './invoke.js';

type Source = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

function migrationError(client: Client, message: string): CognitoError {
  if (preventsUserExistenceErrors(client)) return new NotAuthorizedException('Incorrect username or password.');
  return new UserNotFoundException(message);
}

async function migrate(app: Corral, pool: Pool, client: Client, identifier: string, source: Source, password?: string, clientMetadata?: Record<string, string>): Promise<User | undefined> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'UserMigration',
    source,
    userName: identifier,
    clientId: client.id,
    request: { ...(password !== undefined ? { password } : {}), validationData: {}, clientMetadata: clientMetadata ?? {} },
    failure: (kind, message) =>
      migrationError(client, kind === 'error' ? `UserMigration failed with error ${message}.` : `Exception migrating user in app client ${client.id}: ${message}`),
  });
  const given = response?.userAttributes;
  if (!response || !given || typeof given !== 'object' || Array.isArray(given) || Object.keys(given).length === 0) return undefined;

  const invalid = (what: string) => migrationError(client, `Exception migrating user in app client ${client.id}: ${what}`);
  const status = response.finalUserStatus ?? (source === 'UserMigration_Authentication' ? 'CONFIRMED' : 'RESET_REQUIRED');
  if (status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw invalid('invalid finalUserStatus');
  if (response.messageAction !== undefined && response.messageAction !== null && response.messageAction !== 'SUPPRESS' && response.messageAction !== 'RESEND') {
    throw invalid('invalid messageAction');
  }
  const list = Object.entries(given as Record<string, unknown>)
    .filter(([name]) => name !== 'username')
    .map(([Name, Value]) => ({ Name, Value: String(Value) }));
  const written = checkAttributeWrite(pool, undefined, list, 'admin');
  const name = resolveSignUpName(pool, identifier, written);
  const finalStatus: UserStatusType = source === 'UserMigration_ForgotPassword' || !password ? 'RESET_REQUIRED' : status;
  const sub = randomUUID();
  const username = name.username ?? sub;
  const credentials = finalStatus === 'CONFIRMED' && password ? passwordCredentials(app, pool, username, password) : undefined;
  const created = await createUser(app, pool, {
    sub,
    username,
    status: finalStatus,
    attributes: name.attributes,
    ...(credentials ? { srpSalt: credentials.srp_salt, srpVerifier: credentials.srp_verifier } : {}),
  });
  let user = created;
  try {
    if (!pool.settings.UsernameAttributes?.length && aliasesFor(pool, user.attributes).length) {
      user = await updateUser(app, pool, user, { attributes: user.attributes }, response.forceAliasCreation === true);
    }
  } catch (err) {
    await deleteUser(app, created);
    throw err;
  }
  app.log.info({ pool: pool.id, username: user.username, source, status: user.status }, 'migrated a user');
  return user;
}

/** InitiateAuth / AdminInitiateAuth with the password: the migrated user, or undefined (no trigger, or not found). */
export async function migrateOnSignIn(app: Corral, pool: Pool, client: Client, identifier: string, password: string): Promise<User | undefined> {
  if (!hasTrigger(pool, 'UserMigration')) return undefined;
  return migrate(app, pool, client, identifier, 'UserMigration_Authentication', password);
}

/** ForgotPassword: the migrated user when the name is unknown and the function knows it; else undefined. */
export async function migrateOnForgotPassword(app: Corral, call: PublicCall, identifier: string, clientMetadata?: Record<string, string>): Promise<User | undefined> {
  if (!hasTrigger(call.pool, 'UserMigration')) return undefined;
  if (await findUserForSignIn(app, call.pool, identifier)) return undefined;
  try {
    return await migrate(app, call.pool, call.client, identifier, 'UserMigration_ForgotPassword', undefined, clientMetadata);
  } catch (err) {
    // Hidden users get the simulated delivery (codeFlowUser), failed migrations too.
    if (err instanceof NotAuthorizedException && preventsUserExistenceErrors(call.client)) return undefined;
    throw err;
  }
}

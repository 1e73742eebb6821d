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
import type { CognitoError } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Pool } from '../storage/pools.js';
import { hasTrigger, invokeTrigger } from './invoke.js';

export type MigrationSource = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

/** What the function answered for a user it knows, checked as Cognito checks it. */
export interface MigratedUser {
  /** userAttributes as a list (without `username`), values as strings. */
  attributes: { Name: string; Value: string }[];
  finalUserStatus: 'CONFIRMED' | 'RESET_REQUIRED';
  forceAliasCreation: boolean;
}

export function hasUserMigration(pool: Pool): boolean {
  return hasTrigger(pool, 'UserMigration');
}

/**
 * Runs the pool's UserMigration function for a name the pool does not know: the user it describes, or undefined
 * when it knows none. `failure` words the errors (the caller knows whether existence must stay hidden).
 */
export async function userMigration(
  app: Corral,
  pool: Pool,
  input: { source: MigrationSource; userName: string; clientId: string; password?: string; clientMetadata?: Record<string, string> },
  failure: (message: string) => CognitoError,
): Promise<MigratedUser | undefined> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'UserMigration',
    source: input.source,
    userName: input.userName,
    clientId: input.clientId,
    request: { ...(input.password !== undefined ? { password: input.password } : {}), validationData: {}, clientMetadata: input.clientMetadata ?? {} },
    failure: (kind, message) =>
      failure(kind === 'error' ? `UserMigration failed with error ${message}.` : `Exception migrating user in app client ${input.clientId}: ${message}`),
  });
  const given = response?.userAttributes;
  if (!response || !given || typeof given !== 'object' || Array.isArray(given) || Object.keys(given).length === 0) return undefined;

  const invalid = (what: string) => failure(`Exception migrating user in app client ${input.clientId}: ${what}`);
  const status = response.finalUserStatus ?? (input.source === 'UserMigration_Authentication' ? 'CONFIRMED' : 'RESET_REQUIRED');
  if (status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw invalid('invalid finalUserStatus');
  if (response.messageAction !== undefined && response.messageAction !== null && response.messageAction !== 'SUPPRESS' && response.messageAction !== 'RESEND') {
    throw invalid('invalid messageAction');
  }
  const attributes = Object.entries(given as Record<string, unknown>)
    .filter(([name]) => name !== 'username')
    .map(([Name, Value]) => ({ Name, Value: String(Value) }));
  return { attributes, finalUserStatus: status, forceAliasCreation: response.forceAliasCreation === true };
}

// NEW_PASSWORD_REQUIRED: a FORCE_CHANGE_PASSWORD user (AdminCreateUser, AdminSetUserPassword Permanent false)
// who proved the temporary password must choose a new one, and supply the schema's required attributes still
// missing. The answer sets the password, confirms the user, and the sign-in continues (MFA may follow).
import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { openSession, readSession } from '../auth-session.js';
import { checkPassword as checkPasswordPolicy } from '../password-policy.js';
import { completeSignIn } from '../sign-in.js';
import { setPermanentPassword, temporaryPasswordExpired, TEMPORARY_PASSWORD_EXPIRED } from '../temporary-password.js';
import { checkAttributeWrite, checkRequired, type Attributes } from '../user-attributes.js';
import { findUserBySub, findUserForSignIn, updateUser } from '../users.js';
import type { Pool } from '../pools.js';
import type { ChallengeAnswer, PendingChallenge } from './tables.js';

const CHALLENGE = 'NEW_PASSWORD_REQUIRED';
const PREFIX = 'userAttributes.';
/** Never shown in `userAttributes` nor writable through the challenge. */
const HIDDEN = new Set(['sub']);
const SERVER_OWNED = new Set(['sub', 'email_verified', 'phone_number_verified']);

function missingRequired(pool: Pool, attributes: Attributes): string[] {
  return (pool.settings.SchemaAttributes ?? []).filter((d) => d.Required && d.Name && d.Name !== 'sub' && !attributes[d.Name]).map((d) => PREFIX + d.Name);
}

export const newPasswordRequired: PendingChallenge = async (app, pool, client, user) => {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return undefined;
  if (await temporaryPasswordExpired(app, pool, user)) throw new NotAuthorizedException(TEMPORARY_PASSWORD_EXPIRED);
  const shown = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => !HIDDEN.has(name)));
  return {
    ChallengeName: CHALLENGE,
    Session: openSession(app, client, { poolId: pool.id, clientId: client.id, sub: user.sub, username: user.username, challenge: CHALLENGE }),
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missingRequired(pool, user.attributes)),
      userAttributes: JSON.stringify(shown),
    },
  };
};

export const answerNewPassword: ChallengeAnswer = async (app, pool, client, input) => {
  const state = readSession(app, client, input.Session, CHALLENGE);
  const responses = input.ChallengeResponses ?? {};
  const user = state.poolId === pool.id ? await findUserBySub(app, pool.id, state.sub) : undefined;
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException('Invalid session for the user.');
  // USERNAME may be the username or the alias the user signed in with; it must name the session's user.
  const named = responses.USERNAME === user.username ? user : await findUserForSignIn(app, pool, responses.USERNAME ?? '');
  if (named?.sub !== user.sub) throw new NotAuthorizedException('Invalid session for the user.');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');

  const password = responses.NEW_PASSWORD;
  if (!password) throw new InvalidParameterException('Missing required parameter NEW_PASSWORD');
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, password, { wording: 'does' });

  const given: AttributeType[] = Object.entries(responses)
    .filter(([key]) => key.startsWith(PREFIX))
    .map(([key, Value]) => ({ Name: key.slice(PREFIX.length), Value }));
  if (given.some((a) => SERVER_OWNED.has(a.Name!))) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  // Attributes the user already has follow the update rules (immutable stays); missing ones are written as at sign-up.
  const changes = {
    ...checkAttributeWrite(
      pool,
      client,
      given.filter((a) => a.Name! in user.attributes),
      'update',
    ),
    ...checkAttributeWrite(
      pool,
      client,
      given.filter((a) => !(a.Name! in user.attributes)),
      'signup',
    ),
  };
  const set = { ...changes };
  for (const a of ['email', 'phone_number'] as const) {
    if (a in changes && changes[a] !== user.attributes[a]) set[`${a}_verified`] = 'false';
  }
  checkRequired(pool, { ...user.attributes, ...set });

  const withAttributes = given.length ? await updateUser(app, pool, user, { set }) : user;
  const confirmed = await setPermanentPassword(app, pool, withAttributes, password);
  return completeSignIn(app, pool, client, confirmed, 'TokenGeneration_NewPasswordChallenge');
};

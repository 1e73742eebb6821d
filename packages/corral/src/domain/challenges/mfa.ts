// MFA after the password, as Cognito decides it:
//   pool OFF → none. The user's enabled factors that work now (activeFactors) → the preferred one, or the only
//   one, or SELECT_MFA_TYPE (MFAS_CAN_CHOOSE) when several are enabled and none is preferred.
//   Pool OPTIONAL and nothing enabled → tokens.
//   Pool ON and nothing enabled → SMS_MFA when the pool offers SMS and the user has a phone number (verified or
//   not: Cognito marks it verified once the code is right), else SOFTWARE_TOKEN_MFA with an authenticator the user
//   already verified, else EMAIL_OTP when the pool offers email MFA and the user has an email, else MFA_SETUP
//   (MFAS_CAN_SETUP: the factors the pool offers).
// Each challenge carries its state in a sealed Session (auth-session.ts); the answers live beside this file.
import type { CodeDeliveryDetailsType, RespondToAuthChallengeRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Corral } from '../../runtime/app.js';
import { NotAuthorizedException } from '../../errors.js';
import { deliver } from '../../messaging/index.js';
import { openSession, readSession, type ChallengeState } from '../auth-session.js';
import { issueCode, type CodePurpose } from '../codes.js';
import { mfaFactors } from '../pool-mfa.js';
import { poolMfa, type Client, type Pool } from '../pools.js';
import type { SignInStep } from '../sign-in.js';
import { findUserBySub, findUserForSignIn, type User } from '../users.js';
import { activeFactors, DEFAULT_DEVICE_NAME, FACTOR_ORDER, hasDeliveryFor, poolAllows, userMfa, type MfaFactor } from '../user-mfa.js';
import type { PendingChallenge } from './tables.js';

export const mfaRequired: PendingChallenge = async (app, pool, client, user) => {
  const mode = pool.settings.MfaConfiguration ?? 'OFF';
  if (mode === 'OFF') return undefined;
  const m = userMfa(user);
  const active = activeFactors(pool, user, m);
  if (active.length) {
    if (m.preferred && active.includes(m.preferred)) return startMfaChallenge(app, pool, client, user, m.preferred);
    if (active.length === 1) return startMfaChallenge(app, pool, client, user, active[0]!);
    return challengeStep(app, client, user, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(active) });
  }
  if (mode !== 'ON') return undefined;
  const fallback = FACTOR_ORDER.find((f) => poolAllows(pool, f) && hasDeliveryFor(user, m, f));
  if (fallback) return startMfaChallenge(app, pool, client, user, fallback);
  const offered = mfaFactors(pool);
  const canSetUp = FACTOR_ORDER.filter((f) => (f === 'SMS_MFA' ? offered.sms : f === 'SOFTWARE_TOKEN_MFA' ? offered.totp : offered.email));
  return challengeStep(app, client, user, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(canSetUp) });
};

/** A challenge answer with its Session (state sealed for the next step). */
export function challengeStep(
  app: Corral,
  client: Client,
  user: User,
  challenge: string,
  parameters: Record<string, string>,
  data?: Record<string, string>,
): SignInStep {
  const state: ChallengeState = { poolId: user.poolId, clientId: client.id, sub: user.sub, username: user.username, challenge, ...(data ? { data } : {}) };
  return {
    ChallengeName: challenge as SignInStep['ChallengeName'],
    Session: openSession(app, client, state),
    ChallengeParameters: { ...parameters, USER_ID_FOR_SRP: user.username },
  };
}

/**
 * The challenge for one factor: for SMS and email, a fresh code is sent first. `data` rides in the Session (e.g.
 * `{ setup: 'EMAIL_OTP' }` when MFA_SETUP chose email: the right code also turns the factor on).
 */
export async function startMfaChallenge(
  app: Corral,
  pool: Pool,
  client: Client,
  user: User,
  factor: MfaFactor,
  data?: Record<string, string>,
): Promise<SignInStep> {
  if (factor === 'SOFTWARE_TOKEN_MFA') {
    const m = userMfa(user);
    return challengeStep(app, client, user, factor, { FRIENDLY_DEVICE_NAME: m.totp?.deviceName ?? DEFAULT_DEVICE_NAME }, data);
  }
  const details = await sendSignInCode(app, pool, user, factor === 'SMS_MFA' ? 'SMS' : 'EMAIL', factor === 'SMS_MFA' ? 'sms_mfa' : 'email_mfa');
  return challengeStep(
    app,
    client,
    user,
    factor,
    {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
      CODE_DELIVERY_DESTINATION: details.Destination!,
    },
    data,
  );
}

/**
 * Sends a sign-in code (MFA, or a one-time-password first factor) by SMS or email with the pool's authentication
 * message — for email, SetUserPoolMfaConfig's EmailMfaConfiguration texts when set (templates.ts has the defaults).
 */
export async function sendSignInCode(app: Corral, pool: Pool, user: User, medium: 'SMS' | 'EMAIL', purpose: CodePurpose): Promise<CodeDeliveryDetailsType> {
  const code = await issueCode(app, { poolId: pool.id, userId: user.sub, purpose });
  const emailTexts = medium === 'EMAIL' ? poolMfa(pool).email : undefined;
  return deliver(app, {
    pool,
    poolId: pool.id,
    medium,
    to: medium === 'SMS' ? user.attributes.phone_number! : user.attributes.email!,
    kind: 'Authentication',
    username: user.username,
    user,
    code,
    ...(emailTexts?.Message ? { body: emailTexts.Message.split('{####}').join(code).split('{username}').join(user.username) } : {}),
    ...(emailTexts?.Subject ? { subject: emailTexts.Subject } : {}),
  });
}

/**
 * The Session of an MFA answer and the user it names, still allowed to sign in. USERNAME (the username or the
 * alias the user signed in with) must name the same user.
 */
export async function sessionUser(
  app: Corral,
  pool: Pool,
  client: Client,
  input: RespondToAuthChallengeRequest,
  challenge: string,
): Promise<{ state: ChallengeState; user: User }> {
  const state = readSession(app, client, input.Session, challenge);
  if (state.poolId !== pool.id) throw new NotAuthorizedException('Invalid session for the user.');
  const user = await findUserBySub(app, pool.id, state.sub);
  if (!user) throw new NotAuthorizedException('Invalid session for the user.');
  const named = input.ChallengeResponses?.USERNAME;
  if (named !== undefined && named !== user.username && (await findUserForSignIn(app, pool, named))?.sub !== user.sub) {
    throw new NotAuthorizedException('Invalid session for the user.');
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { state, user };
}

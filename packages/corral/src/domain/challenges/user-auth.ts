// Choice-based sign-in (InitiateAuth USER_AUTH), as Cognito does it:
//   USERNAME (+ SECRET_HASH) and optionally PREFERRED_CHALLENGE. A preferred challenge the user can use starts at
//   once: PASSWORD (with PASSWORD in AuthParameters: checked now; without: the PASSWORD challenge), PASSWORD_SRP
//   (with SRP_A: the PASSWORD_VERIFIER step; without: the PASSWORD_SRP challenge), EMAIL_OTP / SMS_OTP (a code is
//   sent: otp-first-factor.ts), WEB_AUTHN (CREDENTIAL_REQUEST_OPTIONS for the user's passkeys: web-authn.ts).
//   Otherwise SELECT_CHALLENGE with AvailableChallenges (select-challenge.ts).
//   A Session from ConfirmSignUp signs the just-confirmed user in: the sign-up code was the first factor.
// What a user may choose: the pool's Policies.SignInPolicy.AllowedFirstAuthFactors (PASSWORD when unset) and what
// the user has — a password for PASSWORD / PASSWORD_SRP, a verified email for EMAIL_OTP, a verified phone number
// (and the pool's SMS configuration) for SMS_OTP, a passkey for the pool's relying party for WEB_AUTHN. Passwordless
// first factors (one-time passwords, passkeys) are not offered while the pool requires MFA (MfaConfiguration ON);
// after one, no MFA is asked. After a password, MFA applies as usual (completeSignIn).
import type { InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { openSession, sessionTtlSeconds, spendOnce, type ChallengeState } from '../auth-session.js';
import { checkSecretHash } from '../client-auth.js';
import { assertNotLocked } from '../lockout.js';
import type { Client, Pool } from '../pools.js';
import { beginSrp, passwordSignIn, type SignInStep } from '../sign-in.js';
import { openSignUpSession } from '../signup-session.js';
import { preAuthentication } from '../../triggers/index.js';
import { findUserForSignIn, type User } from '../users.js';
import { preventsUserExistenceErrors } from '../user-existence.js';
import { finishFirstFactor } from './first-factor.js';
import { startOtpChallenge } from './otp-first-factor.js';
import { startWebAuthnChallenge } from './web-authn.js';
import { usablePasskeys } from '../webauthn/assertion.js';
import { requiredParam as param } from '../auth-params.js';

export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
/** What AvailableChallenges and SELECT_CHALLENGE's ANSWER name. */
export type UserAuthChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** The sealed Session of SELECT_CHALLENGE, PASSWORD and PASSWORD_SRP (all answered from the same state). */
export const USER_AUTH_SESSION = 'USER_AUTH';

/** The pool's AllowedFirstAuthFactors (Cognito's default: PASSWORD only). */
export function allowedFirstFactors(pool: Pool): FirstFactor[] {
  const list = pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors;
  return (list?.length ? list : ['PASSWORD']) as FirstFactor[];
}

/** Whether users may sign up without a password (the pool allows a one-time-password first factor). */
export function allowsPasswordlessSignUp(pool: Pool): boolean {
  const f = allowedFirstFactors(pool);
  return f.includes('EMAIL_OTP') || f.includes('SMS_OTP');
}

function otpAllowed(pool: Pool): boolean {
  return (pool.settings.MfaConfiguration ?? 'OFF') !== 'ON';
}

/** Whether the user has a passkey that works in the pool now (usablePasskeys: none unless the pool allows them). */
export async function hasPasskey(app: Corral, pool: Pool, user: User | undefined): Promise<boolean> {
  return !!user && !!(await usablePasskeys(app, pool, user));
}

/**
 * The first factors a user has set up (GetUserAuthFactors' ConfiguredUserAuthFactors), within the pool's policy;
 * `passkey`: whether they have one (hasPasskey).
 */
export function configuredFactors(pool: Pool, user: User, passkey = false): FirstFactor[] {
  const allowed = allowedFirstFactors(pool);
  const out: FirstFactor[] = [];
  if (allowed.includes('PASSWORD') && user.srpVerifier) out.push('PASSWORD');
  if (allowed.includes('EMAIL_OTP') && user.attributes.email && user.attributes.email_verified === 'true') out.push('EMAIL_OTP');
  if (allowed.includes('SMS_OTP') && user.attributes.phone_number && user.attributes.phone_number_verified === 'true' && pool.settings.SmsConfiguration) {
    out.push('SMS_OTP');
  }
  if (allowed.includes('WEB_AUTHN') && passkey) out.push('WEB_AUTHN');
  return out;
}

/** AvailableChallenges for a user (for an unknown user hidden by PreventUserExistenceErrors: what the pool allows). */
export function availableChallenges(pool: Pool, user: User | undefined, passkey = false): UserAuthChallenge[] {
  const factors = user
    ? configuredFactors(pool, user, passkey)
    : allowedFirstFactors(pool).filter((f) => f !== 'WEB_AUTHN' && (f === 'PASSWORD' || otpAllowed(pool)));
  const out: UserAuthChallenge[] = [];
  for (const f of factors) {
    if (f === 'PASSWORD') out.push('PASSWORD', 'PASSWORD_SRP');
    else if (otpAllowed(pool)) out.push(f);
  }
  return out;
}

/** The USER_AUTH Session: who is signing in (sub empty for an unknown user hidden by PreventUserExistenceErrors). */
function userAuthStep(
  app: Corral,
  pool: Pool,
  client: Client,
  user: User | undefined,
  identifier: string,
  challenge: 'SELECT_CHALLENGE' | 'PASSWORD' | 'PASSWORD_SRP',
  passkey = false,
): InitiateAuthResponse {
  const username = user?.username ?? identifier;
  const state: ChallengeState = { poolId: pool.id, clientId: client.id, sub: user?.sub ?? '', username, challenge: USER_AUTH_SESSION };
  const step: InitiateAuthResponse = { ChallengeName: challenge, Session: openSession(app, client, state), ChallengeParameters: { USERNAME: username } };
  if (challenge === 'SELECT_CHALLENGE') step.AvailableChallenges = availableChallenges(pool, user, passkey);
  return step;
}

/** Checks before a first factor is tried (as for a password sign-in). */
function assertMaySignIn(app: Corral, user: User): void {
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  assertNotLocked(app, user);
}

/** InitiateAuth USER_AUTH. */
export async function beginUserAuth(
  app: Corral,
  pool: Pool,
  client: Client,
  params: Record<string, string>,
  session: string | undefined,
): Promise<InitiateAuthResponse> {
  const identifier = param(params, 'USERNAME');
  checkSecretHash(client, identifier, params.SECRET_HASH);
  if (session) return signInAfterSignUp(app, pool, client, identifier, session);
  const preferred = params.PREFERRED_CHALLENGE;
  // With the password (or SRP_A) in hand, the password flows do all their own checks, unknown users included.
  if (preferred === 'PASSWORD' && params.PASSWORD && allowedFirstFactors(pool).includes('PASSWORD')) {
    return passwordSignIn(app, pool, client, identifier, params.PASSWORD);
  }
  if (preferred === 'PASSWORD_SRP' && params.SRP_A && allowedFirstFactors(pool).includes('PASSWORD')) {
    return beginSrp(app, pool, client, identifier, params.SRP_A);
  }
  const user = await findUserForSignIn(app, pool, identifier);
  if (!user && !preventsUserExistenceErrors(client)) throw new UserNotFoundException('User does not exist.');
  if (user) assertMaySignIn(app, user);
  await preAuthentication(app, pool, client, user, identifier);
  const passkeys = user && (await usablePasskeys(app, pool, user));
  const available = availableChallenges(pool, user, !!passkeys);
  if (preferred && available.includes(preferred as UserAuthChallenge)) {
    if (preferred === 'PASSWORD' || preferred === 'PASSWORD_SRP') return userAuthStep(app, pool, client, user, identifier, preferred);
    if (preferred === 'WEB_AUTHN' && user && passkeys) return startWebAuthnChallenge(app, client, user, passkeys.rp, passkeys.passkeys);
    if (user) return startOtpChallenge(app, pool, client, user, preferred as 'EMAIL_OTP' | 'SMS_OTP');
  }
  return userAuthStep(app, pool, client, user, identifier, 'SELECT_CHALLENGE', !!passkeys);
}

/**
 * A choice made in answer to SELECT_CHALLENGE (or the PASSWORD / PASSWORD_SRP challenge) with its responses.
 * `state` is the opened USER_AUTH Session, already spent.
 */
export async function startChosen(
  app: Corral,
  pool: Pool,
  client: Client,
  state: ChallengeState,
  user: User | undefined,
  choice: string,
  responses: Record<string, string>,
): Promise<SignInStep> {
  const passkeys = user && (await usablePasskeys(app, pool, user));
  const available = availableChallenges(pool, user, !!passkeys);
  if (!available.includes(choice as UserAuthChallenge)) throw new InvalidParameterException(`Invalid challenge ${choice} for the user.`);
  if (choice === 'PASSWORD') return passwordSignIn(app, pool, client, state.username, param(responses, 'PASSWORD'));
  if (choice === 'PASSWORD_SRP') return beginSrp(app, pool, client, state.username, param(responses, 'SRP_A'));
  if (!user) throw new NotAuthorizedException('Incorrect username or password.');
  assertMaySignIn(app, user);
  if (choice === 'WEB_AUTHN' && passkeys) return startWebAuthnChallenge(app, client, user, passkeys.rp, passkeys.passkeys);
  return startOtpChallenge(app, pool, client, user, choice as 'EMAIL_OTP' | 'SMS_OTP');
}

/** InitiateAuth USER_AUTH with ConfirmSignUp's Session: once, for the user just confirmed, within its lifetime. */
async function signInAfterSignUp(app: Corral, pool: Pool, client: Client, identifier: string, session: string): Promise<InitiateAuthResponse> {
  const sub = openSignUpSession(app, pool, client, session);
  const user = await findUserForSignIn(app, pool, identifier);
  if (!user || user.sub !== sub) throw new NotAuthorizedException('Invalid session for the user.');
  await spendOnce(app, session, sessionTtlSeconds(client));
  assertMaySignIn(app, user);
  await preAuthentication(app, pool, client, user, identifier);
  return finishFirstFactor(app, pool, client, user);
}

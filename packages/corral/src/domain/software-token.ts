// Registering a TOTP authenticator (AssociateSoftwareToken → VerifySoftwareToken), either as a signed-in user
// (access token) or during sign-in's MFA_SETUP challenge (its Session, which carries no ClientId).
//   Associate: a new secret, kept encrypted as `pendingTotp`; an authenticator already verified keeps working.
//   Verify: the pending secret's code (±1 step) makes it the user's authenticator (its step counts as used).
//   Through MFA_SETUP the verified factor is also turned on (and preferred if nothing is); through the access
//   token it is only registered: SetUserMFAPreference turns it on, as Amplify's setUpTOTP/verifyTOTPSetup/
//   updateMFAPreference sequence expects.
import { EnableSoftwareTokenMFAException, NotAuthorizedException, SoftwareTokenMFANotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { readSessionWithoutClient, type ChallengeState } from './auth-session.js';
import { mfaFactors } from './pool-mfa.js';
import { findClient, findPool, type Client, type Pool } from './pools.js';
import { findUserBySub, type User } from './users.js';
import { changeUserMfa, FACTOR_ORDER, newTotpSecret, sealTotpSecret, totpStep, type UserMfa } from './user-mfa.js';

function assertPoolOffersTotp(pool: Pool): void {
  if (!mfaFactors(pool).totp) throw new SoftwareTokenMFANotFoundException('Software Token MFA has not been enabled by the userPool.');
}

/** A new secret for the user's authenticator app: the SecretCode to show (base32). */
export async function associateSoftwareToken(app: Corral, pool: Pool, user: User): Promise<string> {
  assertPoolOffersTotp(pool);
  const secret = newTotpSecret();
  const sealed = sealTotpSecret(app, secret);
  await changeUserMfa(app, pool, user, (m) => ({ next: { ...m, pendingTotp: { secret: sealed, createdAt: app.now() } }, result: undefined }));
  return secret;
}

export interface VerifyOptions {
  code: string;
  deviceName?: string;
  /** MFA_SETUP: turn SOFTWARE_TOKEN_MFA on (and prefer it when nothing is preferred). */
  enable: boolean;
}

export async function verifySoftwareToken(app: Corral, pool: Pool, user: User, opts: VerifyOptions): Promise<void> {
  assertPoolOffersTotp(pool);
  const now = app.now();
  await changeUserMfa(app, pool, user, (m) => {
    if (!m.pendingTotp) return { result: new SoftwareTokenMFANotFoundException('Software Token MFA does not exist for the user.') };
    const step = totpStep(app, m.pendingTotp.secret, opts.code, now);
    // AWS's words for a wrong code here (as seen in aws-samples/aws-amplify-auth-starters#15).
    if (step === undefined) return { result: new EnableSoftwareTokenMFAException('Code mismatch and fail enable Software Token MFA') };
    const { pendingTotp, ...rest } = m;
    const next: UserMfa = {
      ...rest,
      totp: { secret: pendingTotp.secret, lastStep: step, verifiedAt: now, ...(opts.deviceName ? { deviceName: opts.deviceName } : {}) },
    };
    if (opts.enable) {
      const on = new Set([...(m.enabled ?? []), 'SOFTWARE_TOKEN_MFA']);
      next.enabled = FACTOR_ORDER.filter((f) => on.has(f));
      next.preferred ??= 'SOFTWARE_TOKEN_MFA';
    }
    return { next, result: undefined };
  });
}

/** The user, pool and client behind an MFA_SETUP Session presented without a ClientId. */
export async function setupSession(app: Corral, session: string): Promise<{ state: ChallengeState; pool: Pool; client: Client; user: User }> {
  const state = readSessionWithoutClient(app, session, 'MFA_SETUP');
  const client = await findClient(app, state.clientId);
  const pool = client && client.poolId === state.poolId ? await findPool(app, state.poolId) : undefined;
  const user = pool ? await findUserBySub(app, pool.id, state.sub) : undefined;
  if (!client || !pool || !user) throw new NotAuthorizedException('Invalid session for the user.');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { state, pool, client, user };
}

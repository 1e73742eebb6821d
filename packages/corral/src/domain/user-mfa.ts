// A user's second factors, kept in the users.mfa JSON column:
//   enabled / preferred — what SetUserMFAPreference sets (GetUser's UserMFASettingList / PreferredMfaSetting);
//   totp — the verified authenticator (secret encrypted at rest, the last accepted time step: a code is used once);
//   pendingTotp — a secret from AssociateSoftwareToken not yet verified (the verified one keeps working meanwhile);
//   failures — wrong MFA codes, counted apart from password failures (a right password does not reset them).
// Every change is applied under the user's row lock, so concurrent answers cannot both pass on one code.
import type { GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { decrypt, encrypt } from '../crypto/box.js';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { lockedUntil } from './lockout.js';
import { mfaFactors } from './pool-mfa.js';
import type { Pool } from './pools.js';
import { updateUser, type User } from './users.js';

export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
/** The order Cognito lists factors in (MFAS_CAN_CHOOSE, MFAS_CAN_SETUP, UserMFASettingList). */
export const FACTOR_ORDER: MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

export interface UserMfa {
  enabled?: MfaFactor[];
  preferred?: MfaFactor;
  totp?: { secret: string; deviceName?: string; lastStep?: number; verifiedAt: number };
  pendingTotp?: { secret: string; createdAt: number };
  failures?: { count: number; lastAt: number };
}

const TOTP_SECRET_PURPOSE = 'totp-secret';
const PERIOD = 30;
/** Cognito's default FRIENDLY_DEVICE_NAME when VerifySoftwareToken named none. */
export const DEFAULT_DEVICE_NAME = 'TOTP device';

export function userMfa(user: Pick<User, 'mfa'>): UserMfa {
  return user.mfa ? (JSON.parse(user.mfa) as UserMfa) : {};
}

/**
 * Applies `change` to the record as stored, under the user's row lock (one transaction: storage/users.ts), so
 * concurrent answers and settings changes are applied one after the other and none is lost. `change` returns the
 * new record (or undefined to write nothing) and a result; a result that is an Error is thrown after the write, so a
 * counted failure is stored before the caller hears of it. `change` must not await.
 */
export async function changeUserMfa<T>(
  app: Corral,
  pool: Pool,
  user: Pick<User, 'sub'>,
  change: (m: UserMfa) => { next?: UserMfa; result: T },
): Promise<Exclude<T, Error>> {
  let result: T | undefined;
  await updateUser(app, pool, user, (fresh) => {
    const applied = change(userMfa(fresh));
    result = applied.result;
    return applied.next ? { mfa: JSON.stringify(applied.next) } : {};
  });
  if (result instanceof Error) throw result;
  return result as Exclude<T, Error>;
}

// ---- TOTP ----

/** A new shared secret as Cognito returns it in SecretCode: 32 random bytes, base32 (52 characters). */
export function newTotpSecret(): string {
  return new Secret({ size: 32 }).base32;
}

export function sealTotpSecret(app: Corral, base32: string): string {
  return encrypt(app.secrets.serverKey, TOTP_SECRET_PURPOSE, base32);
}

function openTotpSecret(app: Corral, sealed: string): string | undefined {
  return decrypt(app.secrets.serverKey, TOTP_SECRET_PURPOSE, sealed)?.toString('utf8');
}

/**
 * The time step a code belongs to, if it is right for the secret at `now` within ±1 step (30 s of clock skew
 * either way, as Cognito accepts); undefined for a wrong code. SHA-1, 6 digits, 30-second steps.
 */
export function totpStep(app: Corral, sealedSecret: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const secret = openTotpSecret(app, sealedSecret);
  if (!secret) return undefined;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / PERIOD) + delta;
}

// ---- wrong-code counting (Cognito's lockout arithmetic, on the MFA counter) ----

export function assertMfaNotLocked(app: Corral, m: UserMfa): void {
  const f = m.failures;
  if (f && app.now() < lockedUntil({ failedAttempts: f.count, lastFailedAt: f.lastAt })) {
    throw new NotAuthorizedException('Password attempts exceeded');
  }
}

const RESET_AFTER_MS = 15 * 60 * 1000;
export function withFailure(app: Corral, m: UserMfa): UserMfa {
  const now = app.now();
  const f = m.failures;
  const count = !f || f.lastAt < now - RESET_AFTER_MS ? 1 : f.count + 1;
  return { ...m, failures: { count, lastAt: now } };
}

export function withoutFailures(m: UserMfa): UserMfa {
  const { failures: _f, ...rest } = m;
  void _f;
  return rest;
}

// ---- which factors a user can use ----

/** Whether the user has what a factor needs: a verified authenticator, a phone number, an email address. */
export function hasDeliveryFor(user: User, m: UserMfa, factor: MfaFactor): boolean {
  if (factor === 'SOFTWARE_TOKEN_MFA') return !!m.totp;
  if (factor === 'SMS_MFA') return !!user.attributes.phone_number;
  return !!user.attributes.email;
}

/**
 * Whether the pool lets a user sign in with a factor. A verified authenticator keeps working after the pool
 * stops offering TOTP (as Cognito documents); SMS and email need the pool to offer them.
 */
export function poolAllows(pool: Pool, factor: MfaFactor): boolean {
  const f = mfaFactors(pool);
  if (factor === 'SOFTWARE_TOKEN_MFA') return (pool.settings.MfaConfiguration ?? 'OFF') !== 'OFF';
  return factor === 'SMS_MFA' ? f.sms : f.email;
}

/** The factors the user turned on that can be used now, in Cognito's order. */
export function activeFactors(pool: Pool, user: User, m: UserMfa): MfaFactor[] {
  const on = new Set(m.enabled ?? []);
  return FACTOR_ORDER.filter((f) => on.has(f) && poolAllows(pool, f) && hasDeliveryFor(user, m, f));
}

// ---- SetUserMFAPreference / AdminSetUserMFAPreference / GetUser ----

export interface FactorSetting {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}
export interface MfaPreferenceInput {
  SMSMfaSettings?: FactorSetting;
  SoftwareTokenMfaSettings?: FactorSetting;
  EmailMfaSettings?: FactorSetting;
}

/** The record after a preference request, checked as Cognito checks it (settings left out stay as they are). */
export function applyMfaPreference(pool: Pool, user: User, m: UserMfa, input: MfaPreferenceInput): UserMfa {
  const requested: [MfaFactor, FactorSetting | undefined][] = [
    ['SMS_MFA', input.SMSMfaSettings],
    ['SOFTWARE_TOKEN_MFA', input.SoftwareTokenMfaSettings],
    ['EMAIL_OTP', input.EmailMfaSettings],
  ];
  const preferring = requested.filter(([, s]) => s?.PreferredMfa === true);
  if (preferring.length > 1) throw new InvalidParameterException('Only one MFA method can be preferred.');
  const enabled = new Set(m.enabled ?? []);
  let preferred = m.preferred;
  for (const [factor, s] of requested) {
    if (!s) continue;
    if (s.Enabled === false) {
      if (s.PreferredMfa) throw new InvalidParameterException(`${factor} cannot be preferred when it is not enabled.`);
      enabled.delete(factor);
      if (preferred === factor) preferred = undefined;
      continue;
    }
    if (s.Enabled === true || s.PreferredMfa === true) {
      if (factor !== 'SOFTWARE_TOKEN_MFA' && !poolAllows(pool, factor)) {
        throw new InvalidParameterException(`${factor} is not enabled for this user pool.`);
      }
      if (!hasDeliveryFor(user, m, factor)) throw new InvalidParameterException(`User does not have delivery config set to turn on ${factor}`);
      enabled.add(factor);
    }
    if (s.PreferredMfa === true) preferred = factor;
    else if (s.PreferredMfa === false && preferred === factor) preferred = undefined;
  }
  const next: UserMfa = { ...m, enabled: FACTOR_ORDER.filter((f) => enabled.has(f)) };
  if (preferred) next.preferred = preferred;
  else delete next.preferred;
  return next;
}

/** GetUser / AdminGetUser: PreferredMfaSetting, UserMFASettingList, and the legacy MFAOptions (SMS only). */
export function mfaSummary(user: User): Pick<GetUserResponse, 'PreferredMfaSetting' | 'UserMFASettingList' | 'MFAOptions'> {
  const m = userMfa(user);
  const out: Pick<GetUserResponse, 'PreferredMfaSetting' | 'UserMFASettingList' | 'MFAOptions'> = {};
  if (m.enabled?.length) out.UserMFASettingList = [...m.enabled];
  if (m.preferred) out.PreferredMfaSetting = m.preferred;
  if (m.enabled?.includes('SMS_MFA')) out.MFAOptions = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
  return out;
}

// A pool's MFA configuration as SetUserPoolMfaConfig sets it and GetUserPoolMfaConfig reports it; other code asks
// `mfaFactors(pool)` which second factors the pool offers.
import type { GetUserPoolMfaConfigResponse, SetUserPoolMfaConfigRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import { poolMfa, withPoolMfa, type Pool, type PoolMfa } from './pools.js';

/** The second factors a pool offers (all false when MfaConfiguration is OFF). */
export function mfaFactors(pool: Pool): { sms: boolean; totp: boolean; email: boolean } {
  const m = poolMfa(pool);
  const on = (pool.settings.MfaConfiguration ?? 'OFF') !== 'OFF';
  return { sms: on && !!m.sms && !!pool.settings.SmsConfiguration, totp: on && !!m.totp, email: on && !!m.email };
}

export function mfaConfigOf(pool: Pool): GetUserPoolMfaConfigResponse {
  const m = poolMfa(pool);
  const out: GetUserPoolMfaConfigResponse = { MfaConfiguration: pool.settings.MfaConfiguration ?? 'OFF' };
  if (m.sms && pool.settings.SmsConfiguration) {
    out.SmsMfaConfiguration = { SmsAuthenticationMessage: pool.settings.SmsAuthenticationMessage, SmsConfiguration: pool.settings.SmsConfiguration };
  }
  out.SoftwareTokenMfaConfiguration = { Enabled: !!m.totp };
  if (m.email) out.EmailMfaConfiguration = m.email;
  if (m.webAuthn) out.WebAuthnConfiguration = m.webAuthn as GetUserPoolMfaConfigResponse['WebAuthnConfiguration'];
  return out;
}

/** The pool settings after a SetUserPoolMfaConfig request, checked as Cognito checks them. */
export function applyMfaConfig(pool: Pool, input: SetUserPoolMfaConfigRequest): UserPoolType {
  const before = poolMfa(pool);
  const smsConfiguration = input.SmsMfaConfiguration?.SmsConfiguration ?? pool.settings.SmsConfiguration;
  if (input.SmsMfaConfiguration && !smsConfiguration) {
    throw new InvalidParameterException('SMS configuration is required to enable SMS MFA.');
  }
  const mfa: PoolMfa = {
    sms: !!input.SmsMfaConfiguration,
    totp: input.SoftwareTokenMfaConfiguration?.Enabled ?? false,
    ...(input.EmailMfaConfiguration ? { email: { ...input.EmailMfaConfiguration } } : {}),
    ...(input.WebAuthnConfiguration ? { webAuthn: { ...input.WebAuthnConfiguration } } : before.webAuthn ? { webAuthn: before.webAuthn } : {}),
  };
  const mode = input.MfaConfiguration ?? pool.settings.MfaConfiguration ?? 'OFF';
  const any = mfa.sms || mfa.totp || !!mfa.email;
  if (mode !== 'OFF' && !any)
    throw new InvalidParameterException("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
  if (mode === 'OFF' && any) throw new InvalidParameterException("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  const settings: UserPoolType = { ...pool.settings, MfaConfiguration: mode };
  if (input.SmsMfaConfiguration) {
    settings.SmsConfiguration = smsConfiguration;
    if (input.SmsMfaConfiguration.SmsAuthenticationMessage) settings.SmsAuthenticationMessage = input.SmsMfaConfiguration.SmsAuthenticationMessage;
  }
  return withPoolMfa(settings, mfa);
}

// A user pool's settings from a CreateUserPool/UpdateUserPool request, with Cognito's defaults filled in and its
// rules checked. What DescribeUserPool returns is exactly what this builds (plus EstimatedNumberOfUsers).
import type { CreateUserPoolRequest, PasswordPolicyType, UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';

/** Cognito's default message texts (used when a pool sets none; messaging reads them from here). */
export { DEFAULT_MESSAGES } from '../messaging/templates.js';

export const DEFAULT_PASSWORD_POLICY: Required<
  Pick<PasswordPolicyType, 'MinimumLength' | 'RequireUppercase' | 'RequireLowercase' | 'RequireNumbers' | 'RequireSymbols' | 'TemporaryPasswordValidityDays'>
> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

type Input = Omit<CreateUserPoolRequest, 'PoolName' | 'Schema' | 'AliasAttributes' | 'UsernameAttributes' | 'UsernameConfiguration'> &
  Omit<UpdateUserPoolRequest, 'UserPoolId' | 'PoolName'>;

const invalid = (m: string): never => {
  throw new InvalidParameterException(m);
};

/** A password policy as given (absent booleans are false), or Cognito's default policy when none is given. */
function passwordPolicy(p: PasswordPolicyType | undefined): PasswordPolicyType {
  if (!p) return { ...DEFAULT_PASSWORD_POLICY };
  const out: PasswordPolicyType = {
    MinimumLength: p.MinimumLength ?? 8,
    RequireUppercase: p.RequireUppercase ?? false,
    RequireLowercase: p.RequireLowercase ?? false,
    RequireNumbers: p.RequireNumbers ?? false,
    RequireSymbols: p.RequireSymbols ?? false,
  };
  if (p.PasswordHistorySize !== undefined) out.PasswordHistorySize = p.PasswordHistorySize;
  out.TemporaryPasswordValidityDays = p.TemporaryPasswordValidityDays || 7;
  return out;
}

/** The verification messages, kept in step between the legacy top-level members and VerificationMessageTemplate. */
function verification(input: Input): Partial<UserPoolType> {
  const t = { ...input.VerificationMessageTemplate };
  t.SmsMessage ??= input.SmsVerificationMessage;
  t.EmailMessage ??= input.EmailVerificationMessage;
  t.EmailSubject ??= input.EmailVerificationSubject;
  t.DefaultEmailOption ??= 'CONFIRM_WITH_CODE';
  if (t.DefaultEmailOption === 'CONFIRM_WITH_LINK' && t.EmailMessageByLink && !/\{##[^]*##\}/.test(t.EmailMessageByLink)) {
    invalid('The verification message by link must contain a {##...##} placeholder.');
  }
  const out: Partial<UserPoolType> = { VerificationMessageTemplate: strip(t) };
  if (t.SmsMessage) out.SmsVerificationMessage = t.SmsMessage;
  if (t.EmailMessage) out.EmailVerificationMessage = t.EmailMessage;
  if (t.EmailSubject) out.EmailVerificationSubject = t.EmailSubject;
  return out;
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Checks that MFA ON/OPTIONAL has a way to deliver codes, as CreateUserPool/UpdateUserPool require. */
export function checkMfaSettings(s: Partial<UserPoolType>, otherFactorEnabled: boolean): void {
  if (s.MfaConfiguration === 'OFF' || otherFactorEnabled) return;
  if (!s.SmsConfiguration || !s.AutoVerifiedAttributes?.includes('phone_number')) {
    invalid('SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  }
}

/**
 * The mutable settings of a pool from a create or update request. Anything the request leaves out takes Cognito's
 * default (UpdateUserPool resets unspecified settings, as its API reference says).
 */
export function mutableSettings(input: Input): Partial<UserPoolType> {
  const s: Partial<UserPoolType> = {
    Policies: strip({ PasswordPolicy: passwordPolicy(input.Policies?.PasswordPolicy), SignInPolicy: input.Policies?.SignInPolicy }),
    DeletionProtection: input.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: input.LambdaConfig ?? {},
    ...verification(input),
    MfaConfiguration: input.MfaConfiguration ?? 'OFF',
    EmailConfiguration: { ...input.EmailConfiguration, EmailSendingAccount: input.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT' },
    UserPoolTags: input.UserPoolTags ?? {},
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: input.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
      UnusedAccountValidityDays: input.AdminCreateUserConfig?.UnusedAccountValidityDays || 7,
      ...(input.AdminCreateUserConfig?.InviteMessageTemplate ? { InviteMessageTemplate: input.AdminCreateUserConfig.InviteMessageTemplate } : {}),
    },
    UserPoolTier: input.UserPoolTier ?? 'ESSENTIALS',
  };
  if (input.AutoVerifiedAttributes) s.AutoVerifiedAttributes = [...new Set(input.AutoVerifiedAttributes)];
  if (input.SmsAuthenticationMessage) s.SmsAuthenticationMessage = input.SmsAuthenticationMessage;
  if (input.UserAttributeUpdateSettings) s.UserAttributeUpdateSettings = input.UserAttributeUpdateSettings;
  if (input.DeviceConfiguration)
    s.DeviceConfiguration = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false, ...input.DeviceConfiguration };
  if (input.SmsConfiguration) s.SmsConfiguration = input.SmsConfiguration;
  if (input.UserPoolAddOns) s.UserPoolAddOns = input.UserPoolAddOns;
  if (input.AccountRecoverySetting) s.AccountRecoverySetting = checkRecovery(input.AccountRecoverySetting);
  const needsVerify = s.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  if (needsVerify.some((a) => !s.AutoVerifiedAttributes?.includes(a))) {
    invalid('All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes');
  }
  return s;
}

function checkRecovery(r: NonNullable<UserPoolType['AccountRecoverySetting']>) {
  const m = r.RecoveryMechanisms ?? [];
  if (new Set(m.map((x) => x.Priority)).size !== m.length || new Set(m.map((x) => x.Name)).size !== m.length) {
    invalid('Recovery mechanisms must have distinct names and priorities.');
  }
  if (m.some((x) => x.Name === 'admin_only') && m.length > 1) invalid('admin_only cannot be combined with other recovery mechanisms.');
  return { RecoveryMechanisms: [...m].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)) };
}

/** Sign-in settings, fixed when the pool is created. */
export function signInSettings(input: Pick<CreateUserPoolRequest, 'AliasAttributes' | 'UsernameAttributes' | 'UsernameConfiguration'>): Partial<UserPoolType> {
  if (input.AliasAttributes?.length && input.UsernameAttributes?.length) {
    invalid('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
  const s: Partial<UserPoolType> = {};
  if (input.AliasAttributes?.length) s.AliasAttributes = [...new Set(input.AliasAttributes)];
  if (input.UsernameAttributes?.length) s.UsernameAttributes = [...new Set(input.UsernameAttributes)];
  if (input.UsernameConfiguration) s.UsernameConfiguration = input.UsernameConfiguration;
  return s;
}

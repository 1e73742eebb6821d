// The create-a-user-pool wizard's choices, their defaults (the old Cognito console's), and the API requests they
// imply. Pure functions only: the wizard's pages render and edit a WizardState, and "Create pool" sends
// createPoolRequest(), then mfaConfigRequest() (only when TOTP is enabled) and clientRequest() for each app client.
import type {
  AccountRecoverySettingType,
  CreateUserPoolClientRequest,
  CreateUserPoolRequest,
  ExplicitAuthFlowsType,
  LambdaConfigType,
  SchemaAttributeType,
  SetUserPoolMfaConfigRequest,
  SmsConfigurationType,
  UsernameAttributeType,
  AliasAttributeType,
  VerifiedAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { TRIGGERS, functionArn, type TriggerKey } from '../../lib/triggers';

/** The wizard's pages, in the old console's order (the side list of steps). */
export const STEPS = [
  'Name',
  'Attributes',
  'Policies',
  'MFA and verifications',
  'Message customizations',
  'Tags',
  'Devices',
  'App clients',
  'Triggers',
  'Review',
];

/** Cognito's default message texts (what DescribeUserPool shows for a pool that sets none). */
export const DEFAULT_TEXTS = {
  emailSubject: 'Your verification code',
  emailMessage: 'Your verification code is {####}. ',
  emailSubjectByLink: 'Your verification link',
  emailMessageByLink: 'Please click the link below to verify your email address. {##Verify Email##} ',
  smsVerification: 'Your verification code is {####}. ',
  inviteSms: 'Your username is {username} and temporary password is {####}. ',
  inviteEmailSubject: 'Your temporary password',
  inviteEmailMessage: 'Your username is {username} and temporary password is {####}. ',
} as const;

/** The OIDC standard attributes a pool can require (sub aside), in the old console's order. */
export const STANDARD_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
] as const;
export type StandardAttribute = (typeof STANDARD_ATTRIBUTES)[number];

export const AUTH_FLOWS: { flow: ExplicitAuthFlowsType; label: string; default: boolean }[] = [
  {
    flow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    label: 'Enable username password auth for admin APIs for authentication (ALLOW_ADMIN_USER_PASSWORD_AUTH)',
    default: false,
  },
  { flow: 'ALLOW_CUSTOM_AUTH', label: 'Enable lambda trigger based custom authentication (ALLOW_CUSTOM_AUTH)', default: true },
  { flow: 'ALLOW_USER_PASSWORD_AUTH', label: 'Enable username password based authentication (ALLOW_USER_PASSWORD_AUTH)', default: false },
  { flow: 'ALLOW_USER_SRP_AUTH', label: 'Enable SRP (secure remote password) protocol based authentication (ALLOW_USER_SRP_AUTH)', default: true },
  { flow: 'ALLOW_REFRESH_TOKEN_AUTH', label: 'Enable refresh token based authentication (ALLOW_REFRESH_TOKEN_AUTH)', default: true },
];

export const RECOVERY_OPTIONS = [
  {
    value: 'email-then-phone',
    label: "Email if available, otherwise phone, but don't allow a user to reset their password via phone if they are also using it for MFA",
    mechanisms: [
      { Name: 'verified_email', Priority: 1 },
      { Name: 'verified_phone_number', Priority: 2 },
    ],
  },
  {
    value: 'phone-then-email',
    label: 'Phone if available, otherwise email, and do allow a user to reset their password via phone if they are also using it for MFA',
    mechanisms: [
      { Name: 'verified_phone_number', Priority: 1 },
      { Name: 'verified_email', Priority: 2 },
    ],
  },
  { value: 'email', label: 'Email only', mechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  {
    value: 'phone',
    label: "Phone only, but don't allow a user to reset their password via phone if they are also using it for MFA",
    mechanisms: [{ Name: 'verified_phone_number', Priority: 1 }],
  },
  { value: 'none', label: 'None – users will have to contact an administrator to reset their passwords', mechanisms: [{ Name: 'admin_only', Priority: 1 }] },
] as const satisfies readonly { value: string; label: string; mechanisms: NonNullable<AccountRecoverySettingType['RecoveryMechanisms']> }[];
export type Recovery = (typeof RECOVERY_OPTIONS)[number]['value'];

export interface CustomAttributeDraft {
  key: number;
  type: 'String' | 'Number';
  name: string;
  /** Min/max length (String) or value (Number); empty = not set. */
  min: string;
  max: string;
  mutable: boolean;
}

export interface TagDraft {
  key: number;
  tagKey: string;
  value: string;
}

export interface ClientDraft {
  key: number;
  name: string;
  refreshDays: number;
  generateSecret: boolean;
  flows: ExplicitAuthFlowsType[];
  preventUserExistenceErrors: 'LEGACY' | 'ENABLED';
}

export interface WizardState {
  poolName: string;
  // Attributes
  signIn: 'username' | 'email-phone';
  aliasEmail: boolean;
  aliasPhone: boolean;
  aliasPreferredUsername: boolean;
  usernameAttributes: 'email' | 'phone' | 'both';
  required: StandardAttribute[];
  caseInsensitive: boolean;
  custom: CustomAttributeDraft[];
  // Policies
  minLength: number;
  requireNumbers: boolean;
  requireSymbols: boolean;
  requireUppercase: boolean;
  requireLowercase: boolean;
  signUp: 'self' | 'admin-only';
  temporaryPasswordDays: number;
  // MFA and verifications
  mfa: 'OFF' | 'OPTIONAL' | 'ON';
  mfaSms: boolean;
  mfaTotp: boolean;
  recovery: Recovery;
  verify: 'email' | 'phone' | 'both' | 'none';
  /** The SMS role's name ('' = `<pool name>-SMS-Role`). */
  smsRoleName: string;
  smsExternalId: string;
  // Message customizations
  verificationType: 'code' | 'link';
  emailSubject: string;
  emailMessage: string;
  emailSubjectByLink: string;
  emailMessageByLink: string;
  smsVerification: string;
  inviteSms: string;
  inviteEmailSubject: string;
  inviteEmailMessage: string;
  // Tags
  tags: TagDraft[];
  // Devices
  devices: 'always' | 'opt-in' | 'no';
  deviceSuppressMfa: boolean;
  // App clients
  clients: ClientDraft[];
  // Triggers (function names; absent = none)
  triggers: Partial<Record<TriggerKey, string>>;
}

/** A random UUID, also where crypto.randomUUID is missing (pages not served from a secure context). */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function defaultState(): WizardState {
  return {
    poolName: '',
    signIn: 'username',
    aliasEmail: false,
    aliasPhone: false,
    aliasPreferredUsername: false,
    usernameAttributes: 'email',
    required: [],
    caseInsensitive: true,
    custom: [],
    minLength: 8,
    requireNumbers: true,
    requireSymbols: true,
    requireUppercase: true,
    requireLowercase: true,
    signUp: 'self',
    temporaryPasswordDays: 7,
    mfa: 'OFF',
    mfaSms: false,
    mfaTotp: false,
    recovery: 'email-then-phone',
    verify: 'email',
    smsRoleName: '',
    smsExternalId: uuid(),
    verificationType: 'code',
    emailSubject: DEFAULT_TEXTS.emailSubject,
    emailMessage: DEFAULT_TEXTS.emailMessage,
    emailSubjectByLink: DEFAULT_TEXTS.emailSubjectByLink,
    emailMessageByLink: DEFAULT_TEXTS.emailMessageByLink,
    smsVerification: DEFAULT_TEXTS.smsVerification,
    inviteSms: DEFAULT_TEXTS.inviteSms,
    inviteEmailSubject: DEFAULT_TEXTS.inviteEmailSubject,
    inviteEmailMessage: DEFAULT_TEXTS.inviteEmailMessage,
    tags: [],
    devices: 'no',
    deviceSuppressMfa: false,
    clients: [],
    triggers: {},
  };
}

export function defaultClient(key: number): ClientDraft {
  return {
    key,
    name: '',
    refreshDays: 30,
    generateSecret: true,
    flows: AUTH_FLOWS.filter((f) => f.default).map((f) => f.flow),
    preventUserExistenceErrors: 'ENABLED',
  };
}

/** Where ARNs the pool names point: the pool's region and Corral's account. */
export interface ArnContext {
  region: string;
  account: string;
}

/** Whether the pool sends SMS (phone verification or SMS MFA), so needs an SMS role. */
export function needsSms(s: WizardState): boolean {
  return s.verify === 'phone' || s.verify === 'both' || (s.mfa !== 'OFF' && s.mfaSms);
}

export function smsRoleName(s: WizardState): string {
  return s.smsRoleName.trim() || `${s.poolName.trim().replace(/[^\w+=,.@-]/g, '-')}-SMS-Role`;
}

function smsConfiguration(s: WizardState, arn: ArnContext): SmsConfigurationType {
  return { SnsCallerArn: `arn:aws:iam::${arn.account}:role/service-role/${smsRoleName(s)}`, ExternalId: s.smsExternalId };
}

function schema(s: WizardState): SchemaAttributeType[] {
  const required: SchemaAttributeType[] = s.required.map((name) => ({
    Name: name,
    AttributeDataType: name === 'updated_at' ? 'Number' : 'String',
    Required: true,
    Mutable: true,
  }));
  const custom: SchemaAttributeType[] = s.custom.map((c) => {
    const a: SchemaAttributeType = { Name: c.name.trim(), AttributeDataType: c.type, Mutable: c.mutable };
    const min = c.min.trim();
    const max = c.max.trim();
    if (c.type === 'String' && (min || max)) a.StringAttributeConstraints = { ...(min ? { MinLength: min } : {}), ...(max ? { MaxLength: max } : {}) };
    if (c.type === 'Number' && (min || max)) a.NumberAttributeConstraints = { ...(min ? { MinValue: min } : {}), ...(max ? { MaxValue: max } : {}) };
    return a;
  });
  return [...required, ...custom];
}

export function aliasAttributes(s: WizardState): AliasAttributeType[] {
  if (s.signIn !== 'username') return [];
  const out: AliasAttributeType[] = [];
  if (s.aliasEmail) out.push('email');
  if (s.aliasPhone) out.push('phone_number');
  if (s.aliasPreferredUsername) out.push('preferred_username');
  return out;
}

export function usernameAttributes(s: WizardState): UsernameAttributeType[] {
  if (s.signIn !== 'email-phone') return [];
  return s.usernameAttributes === 'email' ? ['email'] : s.usernameAttributes === 'phone' ? ['phone_number'] : ['email', 'phone_number'];
}

export function autoVerifiedAttributes(s: WizardState): VerifiedAttributeType[] {
  return { email: ['email'], phone: ['phone_number'], both: ['email', 'phone_number'], none: [] }[s.verify] as VerifiedAttributeType[];
}

/** MfaConfiguration as CreateUserPool sets it: TOTP is enabled afterwards (SetUserPoolMfaConfig), so a TOTP-only pool starts OFF. */
function createMfa(s: WizardState): CreateUserPoolRequest['MfaConfiguration'] {
  return s.mfa !== 'OFF' && s.mfaSms ? s.mfa : 'OFF';
}

/** The CreateUserPool request the choices imply. */
export function createPoolRequest(s: WizardState, arn: ArnContext): CreateUserPoolRequest {
  const req: CreateUserPoolRequest = { PoolName: s.poolName.trim() };
  const aliases = aliasAttributes(s);
  if (aliases.length) req.AliasAttributes = aliases;
  const usernames = usernameAttributes(s);
  if (usernames.length) req.UsernameAttributes = usernames;
  req.UsernameConfiguration = { CaseSensitive: !s.caseInsensitive };
  const attrs = schema(s);
  if (attrs.length) req.Schema = attrs;
  req.Policies = {
    PasswordPolicy: {
      MinimumLength: s.minLength,
      RequireUppercase: s.requireUppercase,
      RequireLowercase: s.requireLowercase,
      RequireNumbers: s.requireNumbers,
      RequireSymbols: s.requireSymbols,
      TemporaryPasswordValidityDays: s.temporaryPasswordDays,
    },
  };
  req.AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: s.signUp === 'admin-only',
    InviteMessageTemplate: { SMSMessage: s.inviteSms, EmailSubject: s.inviteEmailSubject, EmailMessage: s.inviteEmailMessage },
  };
  req.MfaConfiguration = createMfa(s);
  req.AccountRecoverySetting = { RecoveryMechanisms: RECOVERY_OPTIONS.find((o) => o.value === s.recovery)!.mechanisms.map((m) => ({ ...m })) };
  const verified = autoVerifiedAttributes(s);
  if (verified.length) req.AutoVerifiedAttributes = verified;
  if (needsSms(s)) req.SmsConfiguration = smsConfiguration(s, arn);
  req.VerificationMessageTemplate =
    s.verificationType === 'code'
      ? { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: s.emailSubject, EmailMessage: s.emailMessage, SmsMessage: s.smsVerification }
      : {
          DefaultEmailOption: 'CONFIRM_WITH_LINK',
          EmailSubjectByLink: s.emailSubjectByLink,
          EmailMessageByLink: s.emailMessageByLink,
          SmsMessage: s.smsVerification,
        };
  req.UserPoolTags = Object.fromEntries(s.tags.map((t) => [t.tagKey.trim(), t.value]));
  if (s.devices !== 'no') {
    req.DeviceConfiguration = { ChallengeRequiredOnNewDevice: s.deviceSuppressMfa, DeviceOnlyRememberedOnUserPrompt: s.devices === 'opt-in' };
  }
  const lambda: LambdaConfigType = {};
  for (const { key } of TRIGGERS) {
    const name = s.triggers[key];
    if (name) lambda[key] = functionArn(name, arn.region, arn.account);
  }
  if (Object.keys(lambda).length) req.LambdaConfig = lambda;
  return req;
}

/** SetUserPoolMfaConfig after CreateUserPool, when TOTP is one of the second factors (CreateUserPool cannot enable it). */
export function mfaConfigRequest(s: WizardState, poolId: string, arn: ArnContext): SetUserPoolMfaConfigRequest | undefined {
  if (s.mfa === 'OFF' || !s.mfaTotp) return undefined;
  return {
    UserPoolId: poolId,
    MfaConfiguration: s.mfa,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    ...(s.mfaSms ? { SmsMfaConfiguration: { SmsConfiguration: smsConfiguration(s, arn) } } : {}),
  };
}

export function clientRequest(c: ClientDraft, poolId: string): CreateUserPoolClientRequest {
  return {
    UserPoolId: poolId,
    ClientName: c.name.trim(),
    GenerateSecret: c.generateSecret,
    RefreshTokenValidity: c.refreshDays,
    ExplicitAuthFlows: AUTH_FLOWS.map((f) => f.flow).filter((f) => c.flows.includes(f)),
    PreventUserExistenceErrors: c.preventUserExistenceErrors,
  };
}

// ---- checks (what the wizard refuses before sending; the API checks the rest and its errors show on Review) ----

const POOL_NAME = /^[\w\s+=,.@-]+$/u;
const CLIENT_NAME = /^[\w\s+=,.@-]+$/u;
const INTEGER = /^\d+$/;

export function poolNameProblems(s: WizardState): string[] {
  const name = s.poolName.trim();
  if (!name) return ['Enter a pool name.'];
  if (name.length > 128) return ['The pool name can have at most 128 characters.'];
  if (!POOL_NAME.test(name)) return ['The pool name can contain letters, numbers, spaces and + = , . @ - _ only.'];
  return [];
}

export function attributeProblems(s: WizardState): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  s.custom.forEach((c, i) => {
    const n = c.name.trim();
    const which = `Custom attribute ${i + 1}`;
    if (!n) out.push(`${which}: enter a name.`);
    else if (n.length > 20) out.push(`${which}: a name can have at most 20 characters.`);
    else if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(n) || n.includes(':')) out.push(`${which}: the name cannot contain spaces or colons.`);
    else if (seen.has(n)) out.push(`${which}: the name ${n} is used twice.`);
    seen.add(n);
    for (const [label, v] of [
      [c.type === 'String' ? 'Min length' : 'Min value', c.min],
      [c.type === 'String' ? 'Max length' : 'Max value', c.max],
    ] as const) {
      if (v.trim() && !INTEGER.test(v.trim())) out.push(`${which}: ${label} must be a whole number.`);
    }
    if (INTEGER.test(c.min.trim()) && INTEGER.test(c.max.trim()) && Number(c.min) > Number(c.max))
      out.push(`${which}: the minimum is greater than the maximum.`);
    if (c.type === 'String' && [c.min, c.max].some((v) => INTEGER.test(v.trim()) && Number(v) > 2048)) out.push(`${which}: a length can be at most 2048.`);
  });
  return out;
}

export function policyProblems(s: WizardState): string[] {
  const out: string[] = [];
  if (!Number.isInteger(s.minLength) || s.minLength < 6 || s.minLength > 99) out.push('The minimum length must be a whole number from 6 to 99.');
  if (!Number.isInteger(s.temporaryPasswordDays) || s.temporaryPasswordDays < 1 || s.temporaryPasswordDays > 365) {
    out.push('Temporary passwords must expire after 1 to 365 days.');
  }
  return out;
}

export function mfaProblems(s: WizardState): string[] {
  const out: string[] = [];
  if (s.mfa !== 'OFF' && !s.mfaSms && !s.mfaTotp) out.push('Choose at least one second factor (SMS text message or Time-based One-time Password).');
  if (needsSms(s) && !/^[\w+=,.@-]{1,64}$/.test(smsRoleName(s))) out.push('The SMS role name can have 1 to 64 letters, numbers and + = , . @ - _.');
  return out;
}

export function messageProblems(s: WizardState): string[] {
  const out: string[] = [];
  if (s.verificationType === 'code' && !s.emailMessage.includes('{####}')) out.push('The email verification message must contain {####} (the code).');
  if (s.verificationType === 'link' && !/\{##[^]*##\}/.test(s.emailMessageByLink)) out.push('The email verification message must contain a {##…##} link.');
  if (!s.smsVerification.includes('{####}')) out.push('The SMS verification message must contain {####} (the code).');
  for (const [what, text] of [
    ['SMS', s.inviteSms],
    ['email', s.inviteEmailMessage],
  ] as const) {
    if (!text.includes('{####}') || !text.includes('{username}')) out.push(`The ${what} invitation message must contain {username} and {####}.`);
  }
  return out;
}

export function tagProblems(s: WizardState): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  s.tags.forEach((t, i) => {
    const k = t.tagKey.trim();
    if (!k) out.push(`Tag ${i + 1}: enter a key.`);
    else if (seen.has(k)) out.push(`Tag ${i + 1}: the key ${k} is used twice.`);
    else if (k.length > 128 || t.value.length > 256) out.push(`Tag ${i + 1}: keys have at most 128 characters, values 256.`);
    seen.add(k);
  });
  return out;
}

export function clientProblems(c: ClientDraft, others: ClientDraft[]): string[] {
  const out: string[] = [];
  const n = c.name.trim();
  if (!n) out.push('Enter an app client name.');
  else if (n.length > 128 || !CLIENT_NAME.test(n)) out.push('The app client name can have up to 128 letters, numbers, spaces and + = , . @ - _.');
  else if (others.some((o) => o.key !== c.key && o.name.trim() === n)) out.push(`There is already an app client named ${n}.`);
  if (!Number.isInteger(c.refreshDays) || c.refreshDays < 1 || c.refreshDays > 3650) out.push('The refresh token expiration must be 1 to 3650 days.');
  return out;
}

// A user pool's password policy: the check Cognito applies wherever a password is set, and the requirement
// list a UI shows.
//
//   checkPassword(pool.settings.Policies?.PasswordPolicy, input.Password);              // SignUp
//   checkPassword(policy, input.ProposedPassword, { wording: 'does' });                 // ChangePassword & co.
//   describePolicy(policy) → ['At least 8 characters', 'At least 1 number', …]
//
// checkPassword(policy, password, opts?) returns nothing or throws InvalidPasswordException with the first
//   failing rule, checked in this order: length (MinimumLength), uppercase, lowercase, numeric, symbol:
//     "Password did not conform with policy: Password not long enough"
//     "Password did not conform with policy: Password must have uppercase characters"   (… lowercase / numeric /
//      symbol characters)
//   Cognito words it "Password did not conform with policy: …" on SignUp and "Password does not conform to
//   policy: …" where an existing user sets a password (ChangePassword, ConfirmForgotPassword, AdminSetUserPassword,
//   NEW_PASSWORD_REQUIRED): choose with `opts.wording` ('did', the default, or 'does').
// Policy defaults: no policy at all → Cognito's default (8 characters, all four classes); a policy without
//   MinimumLength → 8; a Require* flag left out → false (the API model's default).
// Character classes, as Cognito defines them: uppercase/lowercase are Basic Latin letters (A–Z, a–z), numbers
//   0–9, symbols the PASSWORD_SYMBOLS set (space included). Length counts characters (code points). The overall
//   limits (1–256 characters, no leading/trailing space) are the transport's input validation, not this check.
import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidPasswordException } from '../errors.js';
import { DEFAULT_PASSWORD_POLICY } from './pool-settings.js';

/** The special characters Cognito accepts as symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space. */
export const PASSWORD_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

export interface EffectivePasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
}

export function effectivePolicy(policy: PasswordPolicyType | undefined): EffectivePasswordPolicy {
  if (!policy) {
    const { TemporaryPasswordValidityDays: _days, ...rules } = DEFAULT_PASSWORD_POLICY;
    void _days;
    return rules;
  }
  return {
    MinimumLength: policy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
    RequireUppercase: policy.RequireUppercase ?? false,
    RequireLowercase: policy.RequireLowercase ?? false,
    RequireNumbers: policy.RequireNumbers ?? false,
    RequireSymbols: policy.RequireSymbols ?? false,
  };
}

export interface CheckOptions {
  /** 'did' → "Password did not conform with policy: …" (SignUp, default); 'does' → "Password does not conform to policy: …". */
  wording?: 'did' | 'does';
}

const RULES: { key: keyof Omit<EffectivePasswordPolicy, 'MinimumLength'>; test: (c: string) => boolean; failure: string }[] = [
  { key: 'RequireUppercase', test: (c) => c >= 'A' && c <= 'Z', failure: 'Password must have uppercase characters' },
  { key: 'RequireLowercase', test: (c) => c >= 'a' && c <= 'z', failure: 'Password must have lowercase characters' },
  { key: 'RequireNumbers', test: (c) => c >= '0' && c <= '9', failure: 'Password must have numeric characters' },
  { key: 'RequireSymbols', test: (c) => PASSWORD_SYMBOLS.includes(c), failure: 'Password must have symbol characters' },
];

/** The first rule the password breaks, as Cognito names it, or undefined when it conforms. */
export function passwordFailure(policy: PasswordPolicyType | undefined, password: string): string | undefined {
  const p = effectivePolicy(policy);
  const chars = [...password];
  if (chars.length < p.MinimumLength) return 'Password not long enough';
  for (const rule of RULES) if (p[rule.key] && !chars.some(rule.test)) return rule.failure;
  return undefined;
}

export function checkPassword(policy: PasswordPolicyType | undefined, password: string, opts: CheckOptions = {}): void {
  const failure = passwordFailure(policy, password);
  if (failure === undefined) return;
  const prefix = opts.wording === 'does' ? 'Password does not conform to policy' : 'Password did not conform with policy';
  throw new InvalidPasswordException(`${prefix}: ${failure}`);
}

/** The policy's requirements as short sentences for a UI, in the order they are checked. */
export function describePolicy(policy: PasswordPolicyType | undefined): string[] {
  const p = effectivePolicy(policy);
  const lines = [`At least ${p.MinimumLength} characters`];
  if (p.RequireUppercase) lines.push('At least 1 uppercase letter (A–Z)');
  if (p.RequireLowercase) lines.push('At least 1 lowercase letter (a–z)');
  if (p.RequireNumbers) lines.push('At least 1 number (0–9)');
  if (p.RequireSymbols) lines.push(`At least 1 special character or space: ${PASSWORD_SYMBOLS.trim().split('').join(' ')}`);
  return lines;
}

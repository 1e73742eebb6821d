// Who may sign up under which name: UsernameAttributes pools (email/phone is the name, the username is the sub)
// and AliasAttributes pools (the username may not look like an alias).
import { InvalidParameterException } from '../errors.js';
import { isEmail, isPhoneNumber, type Attributes } from './user-attributes.js';
import type { Pool } from './pools.js';

export interface SignUpName {
  /** The internal username (the sub in UsernameAttributes pools, chosen by the caller otherwise). */
  username?: string;
  attributes: Attributes;
}

export function resolveSignUpName(pool: Pool, given: string, attributes: Attributes): SignUpName {
  const usernameAttrs = pool.settings.UsernameAttributes ?? [];
  if (usernameAttrs.length) {
    if (usernameAttrs.includes('email') && isEmail(given)) return { attributes: { ...attributes, email: given } };
    if (usernameAttrs.includes('phone_number') && isPhoneNumber(given)) return { attributes: { ...attributes, phone_number: given } };
    throw new InvalidParameterException(
      usernameAttrs.length > 1
        ? 'Username should be either an email or a phone number.'
        : usernameAttrs[0] === 'email'
          ? 'Username should be an email.'
          : 'Username should be a phone number.',
    );
  }
  const aliases = pool.settings.AliasAttributes ?? [];
  if (aliases.includes('email') && isEmail(given)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && isPhoneNumber(given)) {
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return { username: given, attributes };
}

/** The attribute a sign-up code goes to: the phone when both are auto-verified (as Cognito prefers SMS), else the email. */
export function verificationTarget(pool: Pool, attributes: Attributes): 'email' | 'phone_number' | undefined {
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number') && attributes.phone_number) return 'phone_number';
  if (auto.includes('email') && attributes.email) return 'email';
  return undefined;
}

// Sending a code to a user's email or phone: issue it (stored hashed), render and deliver the message, and
// answer with the CodeDeliveryDetails clients show. One path for sign-up, resend, forgot password and attributes.
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import { deliver, type MessageKind } from '../messaging/index.js';
import type { Corral } from '../runtime/app.js';
import { issueCode, type CodePurpose } from './codes.js';
import type { Pool } from './pools.js';
import type { User } from './users.js';

export type CodeAttribute = 'email' | 'phone_number';

/**
 * GetUserAttributeVerificationCode / VerifyUserAttribute for any other attribute: AWS's answer (quoted from AWS in
 * aws-amplify/amplify-js#3652; floci-io/floci#2018, checked against Cognito).
 */
export const INVALID_VERIFY_ATTRIBUTE = 'Invalid attribute name. Only phone_number and email can be verified.';

export async function sendCode(
  app: Corral,
  pool: Pool,
  user: User,
  attribute: CodeAttribute,
  purpose: CodePurpose,
  kind: MessageKind,
): Promise<CodeDeliveryDetailsType> {
  const to = user.attributes[attribute];
  if (!to) throw new InvalidParameterException(`No ${attribute} attribute to send the code to.`);
  const code = await issueCode(app, { poolId: pool.id, userId: user.sub, purpose });
  return deliver(app, {
    pool,
    poolId: pool.id,
    medium: attribute === 'email' ? 'EMAIL' : 'SMS',
    to,
    kind,
    username: user.username,
    user,
    code,
    attributeName: attribute,
  });
}

/**
 * Whether the pool's AccountRecoverySetting is `admin_only` (no self-service recovery): ForgotPassword is then
 * refused with NotAuthorizedException "Contact administrator to reset password." (moto records this answer:
 * test_forgot_password_admin_only_recovery).
 */
export function adminOnlyRecovery(pool: Pool): boolean {
  return (pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? []).some((m) => m.Name === 'admin_only');
}

/** Where a forgot-password code goes: per AccountRecoverySetting (verified email/phone), as Cognito chooses. */
export function recoveryAttribute(pool: Pool, user: User): CodeAttribute | undefined {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? [
    { Name: 'verified_phone_number', Priority: 1 },
    { Name: 'verified_email', Priority: 2 },
  ];
  const ordered = [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  for (const m of ordered) {
    if (m.Name === 'verified_email' && user.attributes.email && user.attributes.email_verified === 'true') return 'email';
    if (m.Name === 'verified_phone_number' && user.attributes.phone_number && user.attributes.phone_number_verified === 'true') return 'phone_number';
  }
  return undefined;
}

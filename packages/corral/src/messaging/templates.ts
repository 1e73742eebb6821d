// What a message says: the pool's templates (or Cognito's defaults) with `{####}` and `{username}` filled in,
// and the destination masked the way Cognito shows it in CodeDeliveryDetails.
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

/** Cognito's texts where the pool sets none (DescribeUserPool shows them for a new pool too). */
export const DEFAULT_MESSAGES = {
  verificationEmailMessage: 'Your verification code is {####}. ',
  verificationEmailSubject: 'Your verification code',
  verificationSms: 'Your verification code is {####}. ',
  verificationEmailByLink: 'Please click the link below to verify your email address. {##Verify Email##} ',
  verificationEmailSubjectByLink: 'Your verification link',
  authenticationSms: 'Your authentication code is {####}. ',
  authenticationEmailSubject: 'Your authentication code',
  authenticationEmailMessage: 'Your authentication code is {####}. ',
  inviteEmailMessage: 'Your username is {username} and temporary password is {####}. ',
  inviteEmailSubject: 'Your temporary password',
  inviteSms: 'Your username is {username} and temporary password is {####}. ',
} as const;

export type Medium = 'EMAIL' | 'SMS';

/** Why a message is sent. Verification kinds share the verification templates, as in Cognito. */
export type MessageKind = 'SignUp' | 'ResendCode' | 'ForgotPassword' | 'UpdateUserAttribute' | 'VerifyUserAttribute' | 'AdminCreateUser' | 'Authentication';

export interface RenderInput {
  medium: Medium;
  kind: MessageKind;
  /** Replaces `{####}` (the code, or the temporary password for AdminCreateUser). */
  code: string;
  /** Replaces `{username}`. */
  username: string;
  /**
   * Where `{##text##}` links point when the pool verifies email by link (DefaultEmailOption CONFIRM_WITH_LINK,
   * SignUp/ResendCode only). Without it, link-style pools get the code template, as if CONFIRM_WITH_CODE.
   */
  confirmLink?: string;
}

export interface Rendered {
  /** Email subject; undefined for SMS. */
  subject?: string;
  body: string;
}

/** Renders a message from the pool's settings. */
export function renderMessage(settings: UserPoolType, input: RenderInput): Rendered {
  const t = pickTemplate(settings, input);
  const fill = (s: string) => s.split('{####}').join(input.code).split('{username}').join(input.username);
  let body = fill(t.body);
  if (t.byLink && input.confirmLink) {
    const href = escapeHtml(input.confirmLink);
    body = body.replace(/\{##([\s\S]*?)##\}/g, (_m, text: string) => `<a href="${href}">${text}</a>`);
  }
  return input.medium === 'EMAIL' ? { subject: fill(t.subject ?? DEFAULT_MESSAGES.verificationEmailSubject), body } : { body };
}

function pickTemplate(s: UserPoolType, { medium, kind, confirmLink }: RenderInput): { subject?: string; body: string; byLink?: boolean } {
  const vmt = s.VerificationMessageTemplate ?? {};
  if (kind === 'AdminCreateUser') {
    const invite = s.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
    return medium === 'EMAIL'
      ? { subject: invite.EmailSubject ?? DEFAULT_MESSAGES.inviteEmailSubject, body: invite.EmailMessage ?? DEFAULT_MESSAGES.inviteEmailMessage }
      : { body: invite.SMSMessage ?? DEFAULT_MESSAGES.inviteSms };
  }
  if (kind === 'Authentication') {
    // Email MFA texts live in the pool's MFA configuration (SetUserPoolMfaConfig): callers pass them as subject/body.
    return medium === 'EMAIL'
      ? { subject: DEFAULT_MESSAGES.authenticationEmailSubject, body: DEFAULT_MESSAGES.authenticationEmailMessage }
      : { body: s.SmsAuthenticationMessage ?? DEFAULT_MESSAGES.authenticationSms };
  }
  if (medium === 'SMS') return { body: vmt.SmsMessage ?? s.SmsVerificationMessage ?? DEFAULT_MESSAGES.verificationSms };
  const byLink = vmt.DefaultEmailOption === 'CONFIRM_WITH_LINK' && (kind === 'SignUp' || kind === 'ResendCode') && !!confirmLink;
  if (byLink) {
    return {
      subject: vmt.EmailSubjectByLink ?? DEFAULT_MESSAGES.verificationEmailSubjectByLink,
      body: vmt.EmailMessageByLink ?? DEFAULT_MESSAGES.verificationEmailByLink,
      byLink: true,
    };
  }
  return {
    subject: vmt.EmailSubject ?? s.EmailVerificationSubject ?? DEFAULT_MESSAGES.verificationEmailSubject,
    body: vmt.EmailMessage ?? s.EmailVerificationMessage ?? DEFAULT_MESSAGES.verificationEmailMessage,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The destination as Cognito reports it: `alice@example.com` → `a***@e***` (the first character of the local part
 * and of the domain, nothing after: AWS's answers captured in the wild read `"Destination": "t***@e***"` for
 * test@example.com, e.g. a SignUp through the CLI and one through API Gateway); `+15555550123` → `+*******0123`
 * (every digit but the last four starred).
 */
export function maskDestination(medium: Medium, to: string): string {
  if (medium === 'SMS') {
    const digits = to.replace(/^\+/, '');
    const keep = Math.min(4, digits.length);
    return (to.startsWith('+') ? '+' : '') + '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
  }
  const at = to.lastIndexOf('@');
  const first = (t: string) => [...t].slice(0, 1).join('');
  if (at < 0) return `${first(to)}***`;
  return `${first(to)}***@${first(to.slice(at + 1))}***`;
}

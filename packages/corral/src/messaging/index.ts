// Message delivery: the one entry point the actions use to send a code by email or SMS.
//
//   const details = await deliver(app, {
//     poolId, medium: 'EMAIL', to: 'alice@example.com', kind: 'SignUp', username: 'alice', code,
//   });
//   return { UserConfirmed: false, CodeDeliveryDetails: details, UserSub: sub };
//
// `deliver(app, message)` → CodeDeliveryDetailsType `{ Destination (masked as Cognito masks it),
// DeliveryMedium, AttributeName }`.
//   - Text: pass `code` and the body/subject come from the pool's settings — VerificationMessageTemplate, then
//     EmailVerificationMessage/EmailVerificationSubject/SmsVerificationMessage, then Cognito's defaults — for the
//     verification kinds (SignUp, ResendCode, ForgotPassword, UpdateUserAttribute, VerifyUserAttribute);
//     AdminCreateUserConfig.InviteMessageTemplate for AdminCreateUser (`code` = the temporary password);
//     SmsAuthenticationMessage for Authentication. `{####}` ← code, `{username}` ← username. Or pass `body`
//     (and `subject`) already written; they win over the templates.
//   - Transports: the outbox always (a row in `outbox`, sealed with the server key and deleted when the code expires,
//     + one info log line naming the message, never its text: outbox.ts); then SMTP when CORRAL_SMTP_URL is
//     set (From: the pool's EmailConfiguration.From, else no-reply@verificationemail.com), or for SMS a JSON
//     POST to CORRAL_SMS_WEBHOOK_URL when set. A failing transport throws CodeDeliveryFailureException; the
//     outbox row is kept either way.
//   - Custom senders: with a CustomEmailSender / CustomSMSSender for the medium, the pool's function gets the code
//     (encrypted: triggers/custom-sender.ts) instead — no template, CustomMessage or transport — and the outbox
//     keeps a note saying so, without the code.
// Reading the outbox: `listMessages(app, { to?, poolId?, limit? })` (newest first), `GET /_corral/mail`
// (http/mailbox.ts) and `corral mail` (messaging/mail-cli.ts). Lower-level pieces: `renderMessage`,
// `maskDestination` (templates.ts).
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { CodeDeliveryFailureException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { User } from '../storage/users.js';
import type { Pool } from '../storage/pools.js';
import { customizeMessage } from '../triggers/custom-message.js';
import { customSenderFor, sendWithCustomSender, type CustomSender } from '../triggers/custom-sender.js';
import { storeMessage } from './outbox.js';
import { maskDestination, renderMessage, type MessageKind, type Medium } from './templates.js';
import { postSms, sendEmail } from './transports.js';
import { countCodeSent, countDeliveryFailure } from '../metrics.js';

export { listMessages, outboxRetentionMs, type OutboxMessage, type OutboxFilter } from './outbox.js';
export { maskDestination, renderMessage, type MessageKind, type Medium } from './templates.js';

export interface Message {
  poolId: string;
  medium: Medium;
  /** Full email address or E.164 phone number. */
  to: string;
  kind: MessageKind;
  /** The user's username (fills `{username}`, recorded in the outbox). */
  username: string;
  /** Fills `{####}`; required unless `body` is given. */
  code?: string;
  /** Pre-written text; when absent, rendered from the pool's templates. */
  subject?: string;
  body?: string;
  /** For email verification by link (DefaultEmailOption CONFIRM_WITH_LINK): the confirmation URL. */
  confirmLink?: string;
  /** CodeDeliveryDetails.AttributeName; defaults to `email` / `phone_number` by medium. */
  attributeName?: string;
  /** The recipient, as stored (the CustomMessage trigger sees its attributes). */
  user?: User;
  /** The pool, when the caller already has it (saves a lookup). */
  pool?: Pool;
  /** How long the code is valid, when not the kind's default (the outbox keeps the message no longer). */
  validForSeconds?: number;
}

export async function deliver(app: Corral, message: Message): Promise<CodeDeliveryDetailsType> {
  const pool = message.pool ?? (await app.store.pools.find(message.poolId));
  const sender = pool && message.code !== undefined ? customSenderFor(pool, message.medium) : undefined;
  if (sender) return deliverBySender(app, pool!, sender, message);
  const settings = pool?.settings ?? {};
  let subject = message.subject;
  let body = message.body;
  if (body === undefined) {
    if (message.code === undefined) throw new Error('deliver: a message needs a code or a body');
    const rendered = renderMessage(settings, {
      medium: message.medium,
      kind: message.kind,
      code: message.code,
      username: message.username,
      confirmLink: message.confirmLink,
    });
    body = rendered.body;
    subject ??= rendered.subject;
  }
  // The pool's CustomMessage trigger may rewrite it.
  ({ subject, body } = await customizeMessage(app, pool, message, { subject, body }));
  const stored = await storeMessage(app, {
    poolId: message.poolId,
    medium: message.medium,
    to: message.to,
    ...(message.medium === 'EMAIL' ? { subject: subject ?? '' } : {}),
    body,
    kind: message.kind,
    username: message.username,
    ...(message.validForSeconds !== undefined ? { validForSeconds: message.validForSeconds } : {}),
  });

  const masked = maskDestination(message.medium, message.to);
  try {
    if (message.medium === 'EMAIL' && app.config.smtpUrl) {
      const ec = settings.EmailConfiguration;
      await sendEmail(app.config.smtpUrl, stored, { from: ec?.From, replyTo: ec?.ReplyToEmailAddress });
    } else if (message.medium === 'SMS' && app.config.smsWebhookUrl) {
      await postSms(app.config.smsWebhookUrl, stored);
    }
  } catch (err) {
    app.log.error({ err, outbox: stored.id, kind: message.kind, medium: message.medium, to: masked }, 'message delivery failed');
    countDeliveryFailure(message.medium, message.kind); // metrics
    throw new CodeDeliveryFailureException(`Unable to deliver the message to ${masked}.`);
  }
  countCodeSent(app.config, message.medium, message.kind); // metrics

  return {
    Destination: masked,
    DeliveryMedium: message.medium,
    AttributeName: message.attributeName ?? (message.medium === 'EMAIL' ? 'email' : 'phone_number'),
  };
}

/** The pool's CustomEmailSender / CustomSMSSender sends the message (triggers/custom-sender.ts: the code goes to the
 *  function encrypted, no transport is used); the outbox keeps a note that it did, without the code. */
async function deliverBySender(app: Corral, pool: Pool, sender: CustomSender, message: Message): Promise<CodeDeliveryDetailsType> {
  await sendWithCustomSender(app, pool, sender, {
    medium: message.medium,
    kind: message.kind,
    username: message.username,
    code: message.code!,
    ...(message.user ? { user: message.user } : {}),
  });
  await storeMessage(app, {
    poolId: message.poolId,
    medium: message.medium,
    to: message.to,
    ...(message.medium === 'EMAIL' ? { subject: `Sent by the pool's ${sender} function` } : {}),
    body: `The user pool's ${sender} function was given this message's code, encrypted with the pool's KMS key, to send itself. Corral sent nothing and keeps no copy of the code.`,
    kind: message.kind,
    username: message.username,
    ...(message.validForSeconds !== undefined ? { validForSeconds: message.validForSeconds } : {}),
  });
  countCodeSent(app.config, message.medium, message.kind, 'custom_sender'); // metrics
  return {
    Destination: maskDestination(message.medium, message.to),
    DeliveryMedium: message.medium,
    AttributeName: message.attributeName ?? (message.medium === 'EMAIL' ? 'email' : 'phone_number'),
  };
}

// Real transports beside the outbox: SMTP (CORRAL_SMTP_URL) for email, a JSON webhook (CORRAL_SMS_WEBHOOK_URL)
// for SMS. Each throws on failure; `deliver` turns that into CodeDeliveryFailureException.
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxMessage } from './outbox.js';

export const DEFAULT_FROM = 'no-reply@verificationemail.com';

const transporters = new Map<string, Transporter>();

function transporter(smtpUrl: string): Transporter {
  let t = transporters.get(smtpUrl);
  if (!t) {
    // Bounded waits: a request that sends a code must not hang on a dead mail server. (Query parameters in the
    // URL, e.g. `?connectionTimeout=30000`, override these.)
    t = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transporters.set(smtpUrl, t);
  }
  return t;
}

export interface EmailEnvelope {
  from?: string;
  replyTo?: string;
}

/** Sends an email by SMTP. Bodies that contain HTML go out as HTML with a plain-text part. */
export async function sendEmail(smtpUrl: string, m: OutboxMessage, env: EmailEnvelope): Promise<void> {
  const looksHtml = /<[a-z][^>]*>/i.test(m.body);
  await transporter(smtpUrl).sendMail({
    from: env.from || DEFAULT_FROM,
    ...(env.replyTo ? { replyTo: env.replyTo } : {}),
    to: m.to,
    subject: m.subject ?? '',
    text: looksHtml ? m.body.replace(/<[^>]+>/g, '') : m.body,
    ...(looksHtml ? { html: m.body } : {}),
    headers: { 'X-Corral-Message-Id': m.id, 'X-Corral-Kind': m.kind },
  });
}

/** Posts an SMS as JSON to the webhook; anything but a 2xx answer within 10 s is a failure. */
export async function postSms(webhookUrl: string, m: OutboxMessage): Promise<void> {
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: m.id,
      poolId: m.poolId,
      to: m.to,
      body: m.body,
      kind: m.kind,
      username: m.username,
      createdAt: m.createdAt.toISOString(),
    }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`SMS webhook answered HTTP ${res.status}`);
}

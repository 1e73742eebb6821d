// Real transports: an in-process SMTP server receives the email; an in-process HTTP server receives the SMS.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CodeDeliveryFailureException } from '../../src/errors.js';
import { deliver, listMessages } from '../../src/messaging/index.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { insertPool } from '../support/rows.js';

interface Received {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

async function startSmtp(opts: { reject?: boolean } = {}): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'mailer' && auth.password === 's3cret') cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.reject) return cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://mailer:s3cret@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SMTP delivery', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let corral: TestCorral;
  beforeAll(async () => {
    smtp = await startSmtp();
    corral = await startTestCorral({ env: { CORRAL_SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await corral?.stop();
    await smtp?.close();
  });

  it("sends the rendered email from the pool's From address, and keeps it in the outbox", async () => {
    const poolId = await insertPool(corral.app, {
      EmailConfiguration: { From: 'Wild Rydes <rides@wildrydes.example>', ReplyToEmailAddress: 'help@wildrydes.example' },
      VerificationMessageTemplate: { EmailSubject: 'Confirm your Wild Rydes account', EmailMessage: 'Hello {username}, your code is {####}.' },
    });
    const details = await deliver(corral.app, { poolId, medium: 'EMAIL', to: 'rider@example.com', kind: 'SignUp', username: 'rider', code: '314159' });
    expect(details).toEqual({ Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.user).toBe('mailer');
    expect(mail.from).toBe('rides@wildrydes.example');
    expect(mail.to).toEqual(['rider@example.com']);
    const raw = decodeQuotedPrintable(mail.raw);
    expect(raw).toMatch(/^From: Wild Rydes <rides@wildrydes\.example>\r?$/m);
    expect(raw).toMatch(/^Reply-To: help@wildrydes\.example\r?$/m);
    expect(raw).toMatch(/^To: rider@example\.com\r?$/m);
    expect(raw).toMatch(/^Subject: Confirm your Wild Rydes account\r?$/m);
    expect(raw).toContain('Hello rider, your code is 314159.');

    const [stored] = await listMessages(corral.app, { to: 'rider@example.com' });
    expect(stored).toMatchObject({ subject: 'Confirm your Wild Rydes account', body: 'Hello rider, your code is 314159.' });
  });

  it('defaults the sender to no-reply@verificationemail.com', async () => {
    const poolId = await insertPool(corral.app);
    await deliver(corral.app, { poolId, medium: 'EMAIL', to: 'second@example.com', kind: 'ForgotPassword', username: 'second', code: '271828' });
    const mail = smtp.received.at(-1)!;
    expect(mail.from).toBe('no-reply@verificationemail.com');
    const raw = decodeQuotedPrintable(mail.raw);
    expect(raw).toMatch(/^Subject: Your verification code\r?$/m);
    expect(raw).toContain('Your verification code is 271828.');
  });

  it('does not use SMTP for SMS', async () => {
    const poolId = await insertPool(corral.app);
    const before = smtp.received.length;
    await deliver(corral.app, { poolId, medium: 'SMS', to: '+15555550100', kind: 'SignUp', username: 'sms', code: '111111' });
    expect(smtp.received.length).toBe(before);
  });
});

describe('SMTP failures', () => {
  let corral: TestCorral | undefined;
  afterEach(async () => {
    await corral?.stop();
    corral = undefined;
  });

  it('answers CodeDeliveryFailureException when the server refuses the message, and keeps the outbox row', async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      corral = await startTestCorral({ env: { CORRAL_SMTP_URL: smtp.url, LOG_LEVEL: 'fatal' } });
      const poolId = await insertPool(corral.app);
      const err = await deliver(corral.app, { poolId, medium: 'EMAIL', to: 'refused@example.com', kind: 'SignUp', username: 'refused', code: '123123' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CodeDeliveryFailureException);
      expect((err as CodeDeliveryFailureException).message).toBe('Unable to deliver the message to r***@e***.');
      expect(await listMessages(corral.app, { to: 'refused@example.com' })).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('answers CodeDeliveryFailureException when nothing listens', async () => {
    const smtp = await startSmtp();
    const deadUrl = smtp.url;
    await smtp.close();
    corral = await startTestCorral({ env: { CORRAL_SMTP_URL: deadUrl, LOG_LEVEL: 'fatal' } });
    const poolId = await insertPool(corral.app);
    await expect(
      deliver(corral.app, { poolId, medium: 'EMAIL', to: 'dead@example.com', kind: 'SignUp', username: 'dead', code: '123123' }),
    ).rejects.toBeInstanceOf(CodeDeliveryFailureException);
    expect(await listMessages(corral.app, { to: 'dead@example.com' })).toHaveLength(1);
  });

  it('answers CodeDeliveryFailureException when SMTP authentication fails', async () => {
    const smtp = await startSmtp();
    try {
      corral = await startTestCorral({ env: { CORRAL_SMTP_URL: smtp.url.replace('s3cret', 'wrong'), LOG_LEVEL: 'fatal' } });
      const poolId = await insertPool(corral.app);
      await expect(
        deliver(corral.app, { poolId, medium: 'EMAIL', to: 'auth@example.com', kind: 'SignUp', username: 'auth', code: '1' }),
      ).rejects.toBeInstanceOf(CodeDeliveryFailureException);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });
});

describe('SMS webhook delivery', () => {
  let hook: Server;
  let hookUrl: string;
  const posts: { headers: IncomingMessage['headers']; body: unknown; path: string }[] = [];
  let status = 200;
  beforeAll(async () => {
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push({ headers: req.headers, path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.statusCode = status;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('posts the SMS as JSON, answers the masked phone, and fails with CodeDeliveryFailureException on a non-2xx', async () => {
    const corral = await startTestCorral({ env: { CORRAL_SMS_WEBHOOK_URL: hookUrl, LOG_LEVEL: 'fatal' } });
    try {
      const poolId = await insertPool(corral.app, { SmsVerificationMessage: 'Wild Rydes code: {####}' });
      const details = await deliver(corral.app, { poolId, medium: 'SMS', to: '+15555550123', kind: 'SignUp', username: 'rider', code: '424242' });
      expect(details).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
      expect(posts).toHaveLength(1);
      const post = posts[0]!;
      expect(post.path).toBe('/sms');
      expect(post.headers['content-type']).toBe('application/json');
      const [stored] = await listMessages(corral.app, { to: '+15555550123' });
      expect(post.body).toEqual({
        id: stored!.id,
        poolId,
        to: '+15555550123',
        body: 'Wild Rydes code: 424242',
        kind: 'SignUp',
        username: 'rider',
        createdAt: stored!.createdAt.toISOString(),
      });

      // Email does not go to the SMS webhook.
      await deliver(corral.app, { poolId, medium: 'EMAIL', to: 'rider@example.com', kind: 'SignUp', username: 'rider', code: '1' });
      expect(posts).toHaveLength(1);

      status = 500;
      await expect(deliver(corral.app, { poolId, medium: 'SMS', to: '+15555550124', kind: 'ResendCode', username: 'rider', code: '2' })).rejects.toBeInstanceOf(
        CodeDeliveryFailureException,
      );
      expect(await listMessages(corral.app, { to: '+15555550124' })).toHaveLength(1);
    } finally {
      status = 200;
      await corral.stop();
    }
  });
});

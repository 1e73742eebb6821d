import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliver, listMessages } from '../../src/messaging/index.js';
import { mailCommand, parseMailArgs } from '../../src/messaging/mail-cli.js';
import { describeEachBackend, POSTGRES_URL, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { insertPool } from '../support/rows.js';

interface MailJson {
  messages: {
    id: string;
    poolId: string;
    medium: string;
    to: string;
    subject: string | null;
    body: string;
    kind: string;
    username: string;
    createdAt: string;
    expiresAt: string;
  }[];
}

describeEachBackend('outbox, mailbox endpoint and corral mail', (backend) => {
  let corral: TestCorral;
  let poolA: string;
  let poolB: string;
  const schema = `t_mail_${Math.random().toString(16).slice(2, 10)}`;
  beforeAll(async () => {
    corral = await startTestCorral({ backend, schema });
    poolA = await insertPool(corral.app, {
      VerificationMessageTemplate: { EmailSubject: 'Welcome {username}', EmailMessage: 'Code {####} for {username}', SmsMessage: 'SMS code {####}' },
    });
    poolB = await insertPool(corral.app);
  });
  afterAll(async () => {
    await corral?.stop();
  });

  it('stores each message and answers CodeDeliveryDetails with the masked destination', async () => {
    const email = await deliver(corral.app, { poolId: poolA, medium: 'EMAIL', to: 'alice@example.com', kind: 'SignUp', username: 'alice', code: '123456' });
    expect(email).toEqual({ Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const sms = await deliver(corral.app, { poolId: poolA, medium: 'SMS', to: '+15555550123', kind: 'ForgotPassword', username: 'alice', code: '654321' });
    expect(sms).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    await deliver(corral.app, { poolId: poolB, medium: 'EMAIL', to: 'Bob@Example.com', kind: 'ResendCode', username: 'bob', code: '000042' });

    const [latest, second, first] = await listMessages(corral.app);
    expect(first).toMatchObject({
      poolId: poolA,
      medium: 'EMAIL',
      to: 'alice@example.com',
      subject: 'Welcome alice',
      body: 'Code 123456 for alice',
      kind: 'SignUp',
      username: 'alice',
    });
    expect(second).toMatchObject({ medium: 'SMS', to: '+15555550123', body: 'SMS code 654321', kind: 'ForgotPassword' });
    expect(second!.subject).toBeUndefined();
    expect(latest).toMatchObject({ poolId: poolB, to: 'Bob@Example.com', subject: 'Your verification code', body: 'Your verification code is 000042. ' });
  });

  it('takes a pre-written body and subject as given', async () => {
    await deliver(corral.app, {
      poolId: poolB,
      medium: 'EMAIL',
      to: 'carol@example.com',
      kind: 'Authentication',
      username: 'carol',
      subject: 'Sign-in code',
      body: 'Use 777777',
    });
    const [m] = await listMessages(corral.app, { to: 'carol@example.com' });
    expect(m).toMatchObject({ subject: 'Sign-in code', body: 'Use 777777', kind: 'Authentication' });
  });

  it('serves GET /_corral/mail newest first, filtered and limited, with no CORS headers', async () => {
    const res = await fetch(`${corral.url}/_corral/mail`, { headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const all = (await res.json()) as MailJson;
    expect(all.messages.map((m) => m.to)).toEqual(['carol@example.com', 'Bob@Example.com', '+15555550123', 'alice@example.com']);
    const alice = all.messages[3]!;
    expect(alice).toEqual({
      id: expect.any(String),
      poolId: poolA,
      medium: 'EMAIL',
      to: 'alice@example.com',
      subject: 'Welcome alice',
      body: 'Code 123456 for alice',
      kind: 'SignUp',
      username: 'alice',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // A sign-up code is valid 24 h: so is its message.
    expect(Date.parse(alice.expiresAt) - Date.parse(alice.createdAt)).toBe(24 * 3600_000);
    expect(Math.abs(Date.parse(alice.createdAt) - Date.now())).toBeLessThan(60_000);

    const byTo = (await (await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent('bob@example.com')}`)).json()) as MailJson;
    expect(byTo.messages.map((m) => m.username)).toEqual(['bob']);
    const byPhone = (await (await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent('+15555550123')}`)).json()) as MailJson;
    expect(byPhone.messages.map((m) => m.body)).toEqual(['SMS code 654321']);
    const byPool = (await (await fetch(`${corral.url}/_corral/mail?poolId=${poolA}`)).json()) as MailJson;
    expect(byPool.messages.map((m) => m.to)).toEqual(['+15555550123', 'alice@example.com']);
    const limited = (await (await fetch(`${corral.url}/_corral/mail?limit=1`)).json()) as MailJson;
    expect(limited.messages.map((m) => m.to)).toEqual(['carol@example.com']);
    expect((await fetch(`${corral.url}/_corral/mail?limit=zero`)).status).toBe(400);
  });

  it('keeps messages in sending order within the same millisecond', async () => {
    const at = Date.now();
    const realNow = corral.app.now;
    corral.app.now = () => at;
    try {
      for (let i = 0; i < 5; i++) {
        await deliver(corral.app, { poolId: poolB, medium: 'SMS', to: '+15555559999', kind: 'SignUp', username: 'dave', body: `message ${i}` });
      }
    } finally {
      corral.app.now = realNow;
    }
    const list = await listMessages(corral.app, { to: '+15555559999' });
    expect(list.map((m) => m.body)).toEqual(['message 4', 'message 3', 'message 2', 'message 1', 'message 0']);
  });

  it('lists the outbox with `corral mail` from the same database', async () => {
    const env: Record<string, string> = {
      CORRAL_DATA_DIR: corral.dataDir,
      CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ...(backend === 'postgres' ? { CORRAL_DATABASE_URL: POSTGRES_URL, CORRAL_DATABASE_SCHEMA: schema } : {}),
    };
    let out = '';
    await mailCommand(['--to', 'alice@example.com'], env, (s) => (out += s));
    expect(out).toContain('EMAIL to alice@example.com  [SignUp]');
    expect(out).toContain('Subject: Welcome alice');
    expect(out).toContain('Code 123456 for alice');
    expect(out).not.toContain('carol');

    out = '';
    await mailCommand(['--pool', poolA, '--last', '1'], env, (s) => (out += s));
    expect(out).toContain('SMS to +15555550123');
    expect(out).not.toContain('alice@example.com');

    out = '';
    await mailCommand([], env, (s) => (out += s));
    expect(out.indexOf('carol@example.com')).toBeLessThan(out.indexOf('alice@example.com'));

    out = '';
    await mailCommand(['--to', 'nobody@example.com'], env, (s) => (out += s));
    expect(out).toBe('No messages.\n');
  });
});

it('parses corral mail options', () => {
  expect(parseMailArgs(['--to', 'a@b.c', '--pool=us-east-1_X', '--last', '3'])).toEqual({ to: 'a@b.c', poolId: 'us-east-1_X', limit: 3 });
  expect(() => parseMailArgs(['--last', '0'])).toThrow(/--last/);
  expect(() => parseMailArgs(['--to'])).toThrow(/--to needs a value/);
  expect(() => parseMailArgs(['--bogus'])).toThrow(/unknown option/);
});

it('logs each message on one info line naming it (id, kind, masked destination), never its text', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Writable } = await import('node:stream');
  const pino = (await import('pino')).default;
  const { createCorral } = await import('../../src/runtime/app.js');
  const { configFromEnv } = await import('../../src/runtime/config.js');
  const dir = mkdtempSync(join(tmpdir(), 'corral-log-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const app = await createCorral(configFromEnv({ CORRAL_DATA_DIR: dir }), pino({ level: 'info' }, sink));
  try {
    const poolId = await insertPool(app);
    await deliver(app, { poolId, medium: 'EMAIL', to: 'log@example.com', kind: 'SignUp', username: 'logger', code: '909090' });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.outbox);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, outbox: expect.stringMatching(/^[0-9a-f]{28}$/), to: 'l***@e***', kind: 'SignUp', medium: 'EMAIL' });
    expect(logged[0]!.msg).toBe(`email to l***@e*** [SignUp] in the outbox as ${String(logged[0]!.outbox)}`);
    const all = lines.join('\n');
    expect(all).not.toContain('909090');
    expect(all).not.toContain('log@example.com');
    expect(all).not.toContain('Your verification code');
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

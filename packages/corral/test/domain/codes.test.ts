import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeCode, discardCode, generateCode, issueCode, MAX_CODE_TRIES } from '../../src/domain/codes.js';
import { CodeMismatchException, ExpiredCodeException, LimitExceededException } from '../../src/errors.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { insertPool, insertUser } from '../support/rows.js';

async function failure(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { type?: string; message: string };
    return { type: e.type ?? String(err), message: e.message };
  }
  throw new Error('expected the promise to reject');
}

function wrong(code: string, i = 1): string {
  return String((Number(code) + i) % 1_000_000).padStart(6, '0');
}

describe('generateCode', () => {
  it('draws 6 digits, leading zeros kept', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const c = generateCode();
      expect(c).toMatch(/^\d{6}$/);
      seen.add(c);
    }
    expect(seen.size).toBeGreaterThan(1990);
  });
});

describeEachBackend('one-time codes', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  const realNow = Date.now;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    poolId = await insertPool(corral.app);
  });
  afterAll(async () => {
    corral.app.now = realNow;
    await corral?.stop();
  });
  const owner = async (purpose: 'signup' | 'forgot_password' | 'verify_email' = 'signup') => ({
    poolId,
    userId: await insertUser(corral.app, poolId),
    purpose,
  });

  it('accepts the issued code once, and stores only a hash', async () => {
    const o = await owner();
    const code = await issueCode(corral.app, o);
    const row = await corral.app.db.selectFrom('codes').selectAll().where('user_id', '=', o.userId).executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    await consumeCode(corral.app, { ...o, code });
    expect(await failure(consumeCode(corral.app, { ...o, code }))).toEqual({
      type: 'ExpiredCodeException',
      message: 'Invalid code provided, please request a code again.',
    });
  });

  it('refuses a wrong code with CodeMismatchException and keeps the right one valid', async () => {
    const o = await owner();
    const code = await issueCode(corral.app, o);
    const err = await failure(consumeCode(corral.app, { ...o, code: wrong(code) }));
    expect(err).toEqual({ type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    await consumeCode(corral.app, { ...o, code });
  });

  it('binds a code to its user and purpose', async () => {
    const a = await owner();
    const b = await owner();
    const code = await issueCode(corral.app, a);
    await issueCode(corral.app, b);
    await expect(consumeCode(corral.app, { ...b, code })).rejects.toBeInstanceOf(CodeMismatchException);
    await expect(consumeCode(corral.app, { ...a, purpose: 'forgot_password', code })).rejects.toBeInstanceOf(ExpiredCodeException);
    await consumeCode(corral.app, { ...a, code });
  });

  it('replaces the previous code when a new one is issued', async () => {
    const o = await owner();
    const first = await issueCode(corral.app, o);
    let second = await issueCode(corral.app, o);
    while (second === first) second = await issueCode(corral.app, o);
    await expect(consumeCode(corral.app, { ...o, code: first })).rejects.toBeInstanceOf(CodeMismatchException);
    await consumeCode(corral.app, { ...o, code: second });
  });

  it('expires sign-up codes after 24 h and forgot-password codes after 1 h', async () => {
    const start = realNow();
    try {
      corral.app.now = () => start;
      const s = await owner('signup');
      const f = await owner('forgot_password');
      const sCode = await issueCode(corral.app, s);
      const fCode = await issueCode(corral.app, f);
      corral.app.now = () => start + 3600_000 + 1;
      expect((await failure(consumeCode(corral.app, { ...f, code: fCode }))).type).toBe('ExpiredCodeException');
      const s2 = await owner('signup');
      corral.app.now = () => start;
      const s2Code = await issueCode(corral.app, s2);
      corral.app.now = () => start + 24 * 3600_000 - 1;
      await consumeCode(corral.app, { ...s2, code: s2Code });
      corral.app.now = () => start + 24 * 3600_000 + 1;
      expect((await failure(consumeCode(corral.app, { ...s, code: sCode }))).type).toBe('ExpiredCodeException');
    } finally {
      corral.app.now = realNow;
    }
  });

  it('takes a caller-given lifetime', async () => {
    const start = realNow();
    try {
      corral.app.now = () => start;
      const o = await owner('verify_email');
      const code = await issueCode(corral.app, { ...o, ttlSeconds: 60 });
      corral.app.now = () => start + 61_000;
      await expect(consumeCode(corral.app, { ...o, code })).rejects.toBeInstanceOf(ExpiredCodeException);
    } finally {
      corral.app.now = realNow;
    }
  });

  it(`locks the code after ${MAX_CODE_TRIES} tries, even for the right code, until a new one is issued`, async () => {
    const o = await owner();
    const code = await issueCode(corral.app, o);
    for (let i = 1; i <= MAX_CODE_TRIES; i++) {
      await expect(consumeCode(corral.app, { ...o, code: wrong(code, i) })).rejects.toBeInstanceOf(CodeMismatchException);
    }
    expect(await failure(consumeCode(corral.app, { ...o, code }))).toEqual({
      type: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
    const fresh = await issueCode(corral.app, o);
    await consumeCode(corral.app, { ...o, code: fresh });
  });

  it('never compares more than the bound under 20 parallel wrong guesses', async () => {
    const o = await owner();
    const code = await issueCode(corral.app, o);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => consumeCode(corral.app, { ...o, code: wrong(code, i + 1) })));
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).constructor.name : 'fulfilled'));
    expect(reasons.filter((r) => r === 'CodeMismatchException')).toHaveLength(MAX_CODE_TRIES);
    expect(reasons.filter((r) => r === 'LimitExceededException')).toHaveLength(20 - MAX_CODE_TRIES);
    await expect(consumeCode(corral.app, { ...o, code })).rejects.toBeInstanceOf(LimitExceededException);
    const row = await corral.app.db.selectFrom('codes').select('tries').where('user_id', '=', o.userId).executeTakeFirstOrThrow();
    expect(Number(row.tries)).toBe(MAX_CODE_TRIES);
  });

  it('lets only one of two parallel right answers through', async () => {
    const o = await owner();
    const code = await issueCode(corral.app, o);
    const results = await Promise.allSettled([consumeCode(corral.app, { ...o, code }), consumeCode(corral.app, { ...o, code })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ExpiredCodeException);
  });

  it('answers ExpiredCodeException when no code was issued, and discardCode drops a live one', async () => {
    const o = await owner();
    await expect(consumeCode(corral.app, { ...o, code: '123456' })).rejects.toBeInstanceOf(ExpiredCodeException);
    const code = await issueCode(corral.app, o);
    await discardCode(corral.app, o);
    await expect(consumeCode(corral.app, { ...o, code })).rejects.toBeInstanceOf(ExpiredCodeException);
  });
});

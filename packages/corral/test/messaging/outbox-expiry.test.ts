// An outbox message lives as long as the code it carries (1 h ForgotPassword, 3 min sign-in codes, 24 h otherwise),
// never longer than CORRAL_OUTBOX_RETENTION_HOURS (default and at most 24), and is then deleted — on the next write
// and on any read — not merely hidden.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliver, listMessages } from '../../src/messaging/index.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { insertPool } from '../support/rows.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describeEachBackend('outbox expiry', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  let t0: number;
  const at = (t: number) => (corral.app.now = () => t);
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    poolId = await insertPool(corral.app);
    t0 = Date.now();
  });
  afterAll(async () => {
    await corral?.stop();
  });

  const send = (to: string, kind: 'SignUp' | 'ForgotPassword' | 'Authentication' | 'AdminCreateUser', code = '123456') =>
    deliver(corral.app, { poolId, medium: 'EMAIL', to, kind, username: 'u', code });
  /** Every live message, read at `t`. */
  const bodiesAt = async (t: number, to?: string) => {
    at(t);
    return (await listMessages(corral.app, { to, limit: 1000 })).map((m) => `${m.kind} ${m.to}`);
  };

  it('keeps each message until its code expires', async () => {
    at(t0);
    await send('a@example.com', 'Authentication');
    await send('a@example.com', 'ForgotPassword');
    await send('a@example.com', 'SignUp');
    await send('a@example.com', 'AdminCreateUser', 'Temp#Pass1');
    const [invite, signUp, forgot, auth] = await listMessages(corral.app, { to: 'a@example.com' });
    expect(auth!.expiresAt.getTime() - t0).toBe(3 * MIN);
    expect(forgot!.expiresAt.getTime() - t0).toBe(HOUR);
    expect(signUp!.expiresAt.getTime() - t0).toBe(24 * HOUR);
    expect(invite!.expiresAt.getTime() - t0).toBe(24 * HOUR); // the temporary password lasts days: 24 h at most here

    expect(await bodiesAt(t0 + 3 * MIN - 1, 'a@example.com')).toHaveLength(4);
    expect(await bodiesAt(t0 + 3 * MIN, 'a@example.com')).toEqual(['AdminCreateUser a@example.com', 'SignUp a@example.com', 'ForgotPassword a@example.com']);
    expect(await bodiesAt(t0 + HOUR, 'a@example.com')).toEqual(['AdminCreateUser a@example.com', 'SignUp a@example.com']);
    // Deleted, not hidden: back at t0 they are still gone.
    expect(await bodiesAt(t0, 'a@example.com')).toEqual(['AdminCreateUser a@example.com', 'SignUp a@example.com']);
    expect(await bodiesAt(t0 + 24 * HOUR, 'a@example.com')).toEqual([]);
    expect(await bodiesAt(t0, 'a@example.com')).toEqual([]);
  });

  it('a new message deletes the expired ones as it is stored', async () => {
    const t1 = t0 + 48 * HOUR;
    at(t1);
    await send('b@example.com', 'Authentication');
    // Another recipient's message, 5 minutes later, sweeps b's expired code (a read for c only would not show it).
    at(t1 + 5 * MIN);
    await send('c@example.com', 'SignUp');
    expect(await bodiesAt(t1, 'b@example.com')).toEqual([]);
  });
});

it('CORRAL_OUTBOX_RETENTION_HOURS shortens how long any message is kept; out of (0, 24] it refuses to start', async () => {
  const corral = await startTestCorral({ env: { CORRAL_OUTBOX_RETENTION_HOURS: '0.5' } });
  try {
    const poolId = await insertPool(corral.app);
    const t = Date.now();
    corral.app.now = () => t;
    await deliver(corral.app, { poolId, medium: 'SMS', to: '+15555550100', kind: 'SignUp', username: 'u', code: '111111' });
    await deliver(corral.app, { poolId, medium: 'SMS', to: '+15555550100', kind: 'Authentication', username: 'u', code: '222222' });
    const [auth, signUp] = await listMessages(corral.app, { to: '+15555550100' });
    expect(signUp!.expiresAt.getTime() - t).toBe(30 * MIN);
    expect(auth!.expiresAt.getTime() - t).toBe(3 * MIN);
    corral.app.now = () => t + 30 * MIN;
    expect(await listMessages(corral.app, { to: '+15555550100' })).toEqual([]);
  } finally {
    await corral.stop();
  }
  for (const bad of ['48', '0', '-1', 'a day']) {
    await expect(startTestCorral({ env: { CORRAL_OUTBOX_RETENTION_HOURS: bad } }), bad).rejects.toThrow(/CORRAL_OUTBOX_RETENTION_HOURS must be/);
  }
});

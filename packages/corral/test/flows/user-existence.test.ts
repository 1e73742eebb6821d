// PreventUserExistenceErrors ENABLED (issue 8 item 4): wherever Cognito answers an unknown user as it answers an
// existing one, Corral's answers are the same in content (error name and message, or the CodeDeliveryDetails shape)
// and in timing (medians over ≥ 200 interleaved samples per side, printed). What Cognito itself tells apart is kept
// and listed in docs/security.md. SDK v3 over HTTP; content on both backends, timing on SQLite.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type CodeDeliveryDetailsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type Backend, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { SrpClient, type PasswordVerifierChallenge } from '../support/srp-client.js';
import { publicClient } from '../support/users.js';
import { maskDestination } from '../../src/messaging/index.js';

const PASSWORD = 'Unicorn!Ride42';
const WRONG = 'Wrong!Pass99';
const WRONG_CODE = '000000';

interface Env {
  corral: TestCorral;
  seed: SeedPool;
  pub: CognitoIdentityProviderClient;
}

async function start(backend: Backend, env?: Record<string, string>): Promise<Env> {
  const corral = await startTestCorral({ backend, env });
  const seed = await createWildRydesPool(corral);
  return { corral, seed, pub: publicClient(corral) };
}

/** A confirmed user with a verified email and a permanent password, made by the administrator. */
async function confirmedUser(e: Env, username: string): Promise<void> {
  await e.corral.idp.send(
    new AdminCreateUserCommand({
      UserPoolId: e.seed.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await e.corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: e.seed.poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

/** A user who signed up and was sent a code, not confirmed yet. */
async function unconfirmedUser(e: Env, username: string): Promise<void> {
  await e.pub.send(
    new SignUpCommand({
      ClientId: e.seed.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
}

/** What a call answered: the error's name and message, or the response without its metadata. */
async function outcome(p: Promise<unknown>): Promise<{ error?: string; message?: string; response?: unknown }> {
  try {
    const { $metadata: _, ...response } = (await p) as Record<string, unknown>;
    return { response };
  } catch (err) {
    const e = err as Error;
    return { error: e.name, message: e.message };
  }
}

// Masked as Cognito masks an address (messaging/templates.ts maskDestination): first letter, ***, @, first letter, ***.
const MASKED_EMAIL = /^[^*@]\*\*\*@[^*@.]\*\*\*(\.[a-z]{2,})?$/;

function expectSameDeliveryShape(unknown: CodeDeliveryDetailsType, existing: CodeDeliveryDetailsType): void {
  expect(Object.keys(unknown).sort()).toEqual(Object.keys(existing).sort());
  expect(unknown.DeliveryMedium).toBe(existing.DeliveryMedium);
  expect(unknown.AttributeName).toBe(existing.AttributeName);
  expect(existing.Destination).toMatch(MASKED_EMAIL);
  expect(unknown.Destination).toMatch(MASKED_EMAIL);
}

const srpStart = (e: Env, USERNAME: string, srp: SrpClient) =>
  e.pub.send(new InitiateAuthCommand({ ClientId: e.seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA } }));

const passwordAuth = (e: Env, USERNAME: string, PASSWORD: string) =>
  e.pub.send(new InitiateAuthCommand({ ClientId: e.seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

/** PASSWORD_VERIFIER's answer with a wrong password, ready to send (SRP step 1 and the client's math done). */
async function verifierAnswer(e: Env, username: string): Promise<RespondToAuthChallengeCommand> {
  const srp = new SrpClient(e.seed.poolId);
  const started = await srpStart(e, username, srp);
  return new RespondToAuthChallengeCommand({
    ClientId: e.seed.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: started.Session,
    ChallengeResponses: srp.respond(WRONG, started.ChallengeParameters as PasswordVerifierChallenge),
  });
}

describeEachBackend('PreventUserExistenceErrors: the same answers for unknown and existing users', (backend) => {
  let e: Env;
  beforeAll(async () => {
    e = await start(backend);
    await confirmedUser(e, 'rider');
    await unconfirmedUser(e, 'newbie');
  });
  afterAll(async () => {
    e.pub.destroy();
    await e.corral.stop();
  });

  it('USER_SRP_AUTH: a PASSWORD_VERIFIER challenge for both, then the same NotAuthorizedException', async () => {
    const known = await srpStart(e, 'rider', new SrpClient(e.seed.poolId));
    const unknown = await srpStart(e, 'ghost', new SrpClient(e.seed.poolId));
    expect(unknown.ChallengeName).toBe(known.ChallengeName);
    expect(Object.keys(unknown.ChallengeParameters!).sort()).toEqual(Object.keys(known.ChallengeParameters!).sort());
    expect(unknown.ChallengeParameters!.SALT).toMatch(/^[0-9a-f]+$/);
    const a = await outcome(e.pub.send(await verifierAnswer(e, 'ghost')));
    const b = await outcome(e.pub.send(await verifierAnswer(e, 'rider')));
    expect(a).toEqual({ error: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(a).toEqual(b);
  });

  it('USER_PASSWORD_AUTH: the same NotAuthorizedException', async () => {
    const a = await outcome(passwordAuth(e, 'ghost', WRONG));
    const b = await outcome(passwordAuth(e, 'rider', WRONG));
    expect(a).toEqual({ error: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(a).toEqual(b);
  });

  it('ForgotPassword: CodeDeliveryDetails of the same shape; the simulated destination is stable, plausible and keyed', async () => {
    const known = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'rider' }))).CodeDeliveryDetails!;
    const unknown = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'ghost' }))).CodeDeliveryDetails!;
    expect(known.Destination).toBe(maskDestination('EMAIL', 'rider@example.com'));
    expectSameDeliveryShape(unknown, known);
    // The same name always gets the same destination; names differ in where they "went".
    const again = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'ghost' }))).CodeDeliveryDetails!;
    expect(again).toEqual(unknown);
    const destinations = new Set<string>();
    for (const name of ['ghost', 'phantom', 'spectre', 'wraith', 'shade', 'spirit', 'banshee', 'poltergeist', 'ghoul', 'revenant']) {
      const d = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: name }))).CodeDeliveryDetails!;
      expect(d.Destination).toMatch(MASKED_EMAIL);
      expect(d.Destination![0]).toBe(name[0]);
      destinations.add(d.Destination!.slice(d.Destination!.indexOf('@')));
    }
    // Not one fixed `?***@e***` for everybody, as before: the domain part varies with the name.
    expect(destinations.size).toBeGreaterThan(1);
    // An email typed as the username is masked as the user's own address would be.
    const byEmail = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'someone@wildrydes.com' }))).CodeDeliveryDetails!;
    expect(byEmail.Destination).toBe(maskDestination('EMAIL', 'someone@wildrydes.com'));
    // A phone number typed as the username: a text message to it, masked as Cognito masks numbers.
    const byPhone = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: '+15550104242' }))).CodeDeliveryDetails!;
    expect(byPhone).toEqual({ Destination: maskDestination('SMS', '+15550104242'), DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  });

  it('ForgotPassword: a disabled user, or one with no verified email or phone, gets a simulated delivery', async () => {
    await confirmedUser(e, 'sleeper');
    await e.corral.idp.send(new AdminDisableUserCommand({ UserPoolId: e.seed.poolId, Username: 'sleeper' }));
    const disabled = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'sleeper' }))).CodeDeliveryDetails!;
    expect(disabled).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(disabled.Destination).toMatch(MASKED_EMAIL);
    // 'newbie' signed up but never verified the email: nothing to recover with.
    const unverified = (await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'newbie' }))).CodeDeliveryDetails!;
    expect(unverified).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(unverified.Destination).toMatch(MASKED_EMAIL);
  });

  it('ConfirmForgotPassword with a wrong code: CodeMismatchException for an unknown user as for one with a pending reset', async () => {
    await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'rider' }));
    const confirm = (Username: string) =>
      outcome(e.pub.send(new ConfirmForgotPasswordCommand({ ClientId: e.seed.clientId, Username, ConfirmationCode: WRONG_CODE, Password: 'Another!Pass7' })));
    const a = await confirm('ghost');
    expect(a).toEqual({ error: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    expect(await confirm('rider')).toEqual(a);
    // A disabled user too, with or without a reset pending (the developer guide lists it with unknown users).
    expect(await confirm('sleeper')).toEqual(a);
    await confirmedUser(e, 'dormant');
    await e.corral.idp.send(new AdminDisableUserCommand({ UserPoolId: e.seed.poolId, Username: 'dormant' }));
    expect(await confirm('dormant')).toEqual(a);
    // A password the policy refuses is refused first, for everyone alike.
    const weak = (Username: string) =>
      outcome(e.pub.send(new ConfirmForgotPasswordCommand({ ClientId: e.seed.clientId, Username, ConfirmationCode: WRONG_CODE, Password: 'weak' })));
    const w = await weak('ghost');
    expect(w.error).toBe('InvalidPasswordException');
    expect(await weak('rider')).toEqual(w);
    // Cognito's own difference (docs/security.md): no ForgotPassword asked for → ExpiredCodeException.
    await confirmedUser(e, 'steady');
    expect(await confirm('steady')).toEqual({ error: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  });

  it('ResendConfirmationCode: CodeDeliveryDetails of the same shape for an unknown, an unconfirmed and a disabled user', async () => {
    const resend = async (Username: string) =>
      (await e.pub.send(new ResendConfirmationCodeCommand({ ClientId: e.seed.clientId, Username }))).CodeDeliveryDetails!;
    const known = await resend('newbie');
    expect(known.Destination).toBe(maskDestination('EMAIL', 'newbie@example.com'));
    const unknown = await resend('ghost');
    expectSameDeliveryShape(unknown, known);
    expect(await resend('ghost')).toEqual(unknown);
    // The same simulated destination as ForgotPassword gives for that name.
    expect((await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: 'ghost' }))).CodeDeliveryDetails).toEqual(unknown);
    expectSameDeliveryShape(await resend('sleeper'), known);
    // Cognito's own difference (docs/security.md): a confirmed user is told so.
    expect(await outcome(resend('rider'))).toEqual({ error: 'InvalidParameterException', message: 'User is already confirmed.' });
  });

  it('ConfirmSignUp with a wrong code: the same CodeMismatchException for an unknown and an unconfirmed user', async () => {
    const confirm = (Username: string) => outcome(e.pub.send(new ConfirmSignUpCommand({ ClientId: e.seed.clientId, Username, ConfirmationCode: WRONG_CODE })));
    const a = await confirm('ghost');
    expect(a).toEqual({ error: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    expect(await confirm('newbie')).toEqual(a);
    // Cognito's own difference (docs/security.md): a confirmed user cannot be confirmed again.
    expect(await confirm('rider')).toEqual({ error: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });
});

// ---- Timing ---------------------------------------------------------------------------------------------------

const SAMPLES = 200;
const EXISTING_USERS = 50; // each existing user takes at most 4 wrong answers: never locked out, no code used up

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times `SAMPLES` calls per side, alternating which side goes first, and compares the medians: they must be within
 * max(0.3 ms, 20 % of the larger): one database commit or one modexp missing on one side is more than that.
 * `prepare` runs before each timed call, untimed (e.g. SRP step 1). Every timed call must end in `answer` (an
 * exception's name, or 'ok'), on both sides: what is timed is the answer being compared, never anything else.
 */
async function compareTimings<P>(
  flow: string,
  answer: string,
  sides: { prepare: (side: 'unknown' | 'existing', i: number) => Promise<P>; call: (prepared: P) => Promise<unknown> },
): Promise<void> {
  const times = { unknown: [] as number[], existing: [] as number[] };
  const answers = { unknown: new Set<string>(), existing: new Set<string>() };
  const once = async (side: 'unknown' | 'existing', i: number) => {
    const prepared = await sides.prepare(side, i);
    const t0 = performance.now();
    const got = await sides.call(prepared).then(
      () => 'ok',
      (err: Error) => err.name,
    );
    const ms = performance.now() - t0;
    answers[side].add(got);
    return ms;
  };
  for (let i = 0; i < 10; i++) {
    await once('unknown', SAMPLES + i);
    await once('existing', SAMPLES + i);
  }
  for (let i = 0; i < SAMPLES; i++) {
    const order = i % 2 ? (['existing', 'unknown'] as const) : (['unknown', 'existing'] as const);
    for (const side of order) times[side].push(await once(side, i));
  }
  const mu = median(times.unknown);
  const me = median(times.existing);
  const bound = Math.max(0.3, 0.2 * Math.max(mu, me));
  console.log(
    `[timing] ${flow}: median unknown ${mu.toFixed(2)} ms, existing ${me.toFixed(2)} ms, |Δ| ${Math.abs(mu - me).toFixed(2)} ms (bound ${bound.toFixed(2)} ms, n=${SAMPLES} per side)`,
  );
  expect([...answers.unknown]).toEqual([answer]);
  expect([...answers.existing]).toEqual([answer]);
  expect(Math.abs(mu - me)).toBeLessThan(bound);
}

describe('PreventUserExistenceErrors: the same timing for unknown and existing users [sqlite]', () => {
  let e: Env;
  const existing = (i: number) => `user${i % EXISTING_USERS}`;
  const pending = (i: number) => `pending${i % EXISTING_USERS}`;
  const unknown = (i: number) => `nobody${i}`;
  beforeAll(async () => {
    // Rate limits off: this measures the flows themselves (a throttled answer would be another answer, faster).
    e = await start('sqlite', { CORRAL_RATE_LIMITS: 'off', CORRAL_SIGNIN_THROTTLE: 'off' });
    for (let i = 0; i < EXISTING_USERS; i++) {
      await confirmedUser(e, existing(i));
      await unconfirmedUser(e, pending(i));
    }
  }, 120_000);
  afterAll(async () => {
    e.pub.destroy();
    await e.corral.stop();
  });

  it('USER_SRP_AUTH step 1 (InitiateAuth → PASSWORD_VERIFIER)', async () => {
    await compareTimings('InitiateAuth USER_SRP_AUTH', 'ok', {
      prepare: async (side, i) => ({ name: side === 'unknown' ? unknown(i) : existing(i), srp: new SrpClient(e.seed.poolId) }),
      call: ({ name, srp }) => srpStart(e, name, srp),
    });
  }, 60_000);

  it('USER_SRP_AUTH step 2 (PASSWORD_VERIFIER with a wrong password)', async () => {
    await compareTimings('RespondToAuthChallenge PASSWORD_VERIFIER', 'NotAuthorizedException', {
      // At most 5 wrong answers per existing user (warm-up included): each is counted and answered "incorrect".
      prepare: (side, i) => verifierAnswer(e, side === 'unknown' ? `srp-${unknown(i)}` : existing(i)),
      call: (command) => e.pub.send(command),
    });
  }, 60_000);

  it('USER_PASSWORD_AUTH with a wrong password', async () => {
    // Other existing users than the SRP test's wrong answers went to: the lockout counts per user.
    const fresh = (i: number) => existing(i).replace('user', 'pw');
    for (let i = 0; i < EXISTING_USERS; i++) await confirmedUser(e, fresh(i));
    await compareTimings('InitiateAuth USER_PASSWORD_AUTH', 'NotAuthorizedException', {
      prepare: async (side, i) => (side === 'unknown' ? `pw-${unknown(i)}` : fresh(i)),
      call: (name) => passwordAuth(e, name, WRONG),
    });
  }, 60_000);

  it('ForgotPassword', async () => {
    await compareTimings('ForgotPassword', 'ok', {
      prepare: async (side, i) => (side === 'unknown' ? `fp-${unknown(i)}` : existing(i)),
      call: (Username) => e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username })),
    });
  }, 60_000);

  it('ConfirmForgotPassword with a wrong code (a reset pending for the existing user)', async () => {
    // A fresh code for each existing user every 4 tries (untimed: ForgotPassword), so the 5-tries limit is never reached.
    const tries = new Map<string, number>();
    await compareTimings('ConfirmForgotPassword', 'CodeMismatchException', {
      prepare: async (side, i) => {
        if (side === 'unknown') return `cfp-${unknown(i)}`;
        const name = existing(i);
        const n = tries.get(name) ?? 0;
        if (n % 4 === 0) await e.pub.send(new ForgotPasswordCommand({ ClientId: e.seed.clientId, Username: name }));
        tries.set(name, n + 1);
        return name;
      },
      call: (Username) =>
        e.pub.send(new ConfirmForgotPasswordCommand({ ClientId: e.seed.clientId, Username, ConfirmationCode: WRONG_CODE, Password: 'Another!Pass7' })),
    });
  }, 60_000);

  it('ResendConfirmationCode', async () => {
    await compareTimings('ResendConfirmationCode', 'ok', {
      prepare: async (side, i) => (side === 'unknown' ? `rs-${unknown(i)}` : pending(i)),
      call: (Username) => e.pub.send(new ResendConfirmationCodeCommand({ ClientId: e.seed.clientId, Username })),
    });
  }, 60_000);

  it('ConfirmSignUp with a wrong code (an unconfirmed existing user)', async () => {
    // A fresh code for each unconfirmed user every 4 tries (untimed: ResendConfirmationCode).
    const tries = new Map<string, number>();
    await compareTimings('ConfirmSignUp', 'CodeMismatchException', {
      prepare: async (side, i) => {
        if (side === 'unknown') return `cs-${unknown(i)}`;
        const name = pending(i);
        const n = tries.get(name) ?? 0;
        if (n % 4 === 0) await e.pub.send(new ResendConfirmationCodeCommand({ ClientId: e.seed.clientId, Username: name }));
        tries.set(name, n + 1);
        return name;
      },
      call: (Username) => e.pub.send(new ConfirmSignUpCommand({ ClientId: e.seed.clientId, Username, ConfirmationCode: WRONG_CODE })),
    });
  }, 60_000);
});

// Rate limits (issue 8 item 7): Cognito's request rate quotas per user pool and category, answered with
// TooManyRequestsException "Too many requests" (HTTP 400), shared by instances on one PostgreSQL database; and the
// per source address + username throttle on guesses (sign-in and code entry). The limits are lowered through the
// environment, as an operator would; windows are an hour long (CORRAL_RATE_WINDOW_SECONDS) so a test never straddles
// a window's end (a test that starts within 30 s of one waits for the next).
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, describeOnPostgres, startTestCorral, type Backend, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { FLUSH_MS } from '../../src/wire/throttle.js';

const PASSWORD = 'Unicorn!Ride42';
const HOUR = 3600;
/** `n` requests per window of an hour, as CORRAL_RATE_LIMITS' requests per second. */
const perHour = (n: number) => n / HOUR;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freshWindow(): Promise<void> {
  const left = HOUR * 1000 - (Date.now() % (HOUR * 1000));
  if (left < 30_000) await sleep(left + 100);
}

/** A public client whose connections leave from `localAddress` (any 127.x.y.z reaches the loopback listener). */
function publicFrom(corral: TestCorral, localAddress = '127.0.0.1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: corral.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, localAddress } as never) }),
  });
}

async function user(corral: TestCorral, poolId: string, username: string): Promise<void> {
  await corral.idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
  await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

/** The error a call ends with ('ok' when it succeeds), as `name: message (status)`. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return `${e.name}: ${e.message} (${e.$metadata?.httpStatusCode})`;
  }
}

const THROTTLED = 'TooManyRequestsException: Too many requests (400)';

describeEachBackend('quotas per user pool and category', (backend: Backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let other: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral({
      backend,
      env: {
        CORRAL_RATE_LIMITS: JSON.stringify({ UserRead: perHour(5), UserAuthentication: perHour(4) }),
        CORRAL_RATE_WINDOW_SECONDS: String(HOUR),
        CORRAL_SIGNIN_THROTTLE: 'off',
      },
    });
    seed = await createWildRydesPool(corral);
    other = await createWildRydesPool(corral);
    await user(corral, seed.poolId, 'rider');
    await user(corral, other.poolId, 'rider');
  });
  afterAll(() => corral.stop());

  it('a flood of one category gets TooManyRequestsException "Too many requests"; other pools and categories are not affected', async () => {
    await freshWindow();
    const pub = publicFrom(corral);
    const signedIn = await pub.send(
      new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD } }),
    );
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    // UserRead: AdminGetUser (by UserPoolId) and GetUser (by the access token's pool) share one count of 5.
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(await outcome(corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' }))));
    got.push(await outcome(pub.send(new GetUserCommand({ AccessToken: accessToken }))));
    got.push(await outcome(corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' }))));
    got.push(await outcome(pub.send(new GetUserCommand({ AccessToken: accessToken }))));
    expect(got).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', THROTTLED, THROTTLED]);
    // Another pool has its own count; another category (UserList) its own.
    expect(await outcome(corral.idp.send(new AdminGetUserCommand({ UserPoolId: other.poolId, Username: 'rider' })))).toBe('ok');
    expect(await outcome(corral.idp.send(new ListUsersCommand({ UserPoolId: seed.poolId })))).toBe('ok');
    pub.destroy();
  });

  it('RespondToAuthChallenge has 3 × the UserAuthentication quota of its own; what exceeds it counts towards UserAuthentication', async () => {
    await freshWindow();
    const pub = publicFrom(corral);
    // One InitiateAuth was spent on `seed` by the test above (on this pool: 4 per window); use `other`, fresh.
    const respond = () =>
      outcome(
        pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: other.clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: { USERNAME: 'rider' },
            Session: 'x'.repeat(20),
          }),
        ),
      );
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) answers.push(await respond()); // the challenge quota: 3 × 4
    expect(answers.filter((a) => a === THROTTLED)).toEqual([]);
    // Beyond it, each counts against UserAuthentication (4): two more answers, then two sign-ins fill it.
    expect(await respond()).not.toBe(THROTTLED);
    expect(await respond()).not.toBe(THROTTLED);
    const signIn = () =>
      outcome(pub.send(new InitiateAuthCommand({ ClientId: other.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD } })));
    expect(await signIn()).toBe('ok');
    expect(await signIn()).toBe('ok');
    expect(await signIn()).toBe(THROTTLED);
    expect(await respond()).toBe(THROTTLED);
    pub.destroy();
  });
});

describeEachBackend('the guess throttle (per source address, pool and username)', (backend: Backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral({ backend, env: { CORRAL_SIGNIN_THROTTLE: `3/${HOUR}` } });
    seed = await createWildRydesPool(corral);
    for (const name of ['victim', 'bystander', 'regular']) await user(corral, seed.poolId, name);
  });
  afterAll(() => corral.stop());

  const signIn = (c: CognitoIdentityProviderClient, username: string, password: string) =>
    outcome(
      c.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } })),
    );

  it('refuses a source after N unsuccessful sign-ins for one username, before the password is checked', async () => {
    await freshWindow();
    const attacker = publicFrom(corral, '127.0.0.1');
    const wrong = await Promise.all([1, 2, 3].map((i) => signIn(attacker, 'victim', `Wrong!Pass${i}`)));
    expect(wrong).toEqual(Array(3).fill('NotAuthorizedException: Incorrect username or password. (400)'));
    // The 4th attempt is refused even with the right password (and the username's case changed).
    expect(await signIn(attacker, 'VICTIM', PASSWORD)).toBe(THROTTLED);
    expect(await signIn(attacker, 'victim', PASSWORD)).toBe(THROTTLED);
    // Another username from the same source, and the same username from another source, are not throttled.
    expect(await signIn(attacker, 'bystander', PASSWORD)).toBe('ok');
    const elsewhere = publicFrom(corral, '127.0.0.2');
    expect(await signIn(elsewhere, 'victim', PASSWORD)).toBe('ok');
    attacker.destroy();
    elsewhere.destroy();
  });

  it('a user who signs in successfully again and again is never throttled (a success gives its attempt back)', async () => {
    await freshWindow();
    const c = publicFrom(corral, '127.0.0.3');
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await signIn(c, 'regular', PASSWORD));
    expect(results).toEqual(Array(8).fill('ok'));
    c.destroy();
  });

  it('code entry is throttled too (ConfirmSignUp with wrong codes)', async () => {
    await freshWindow();
    const c = publicFrom(corral, '127.0.0.4');
    await c.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'newbie', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }] }),
    );
    const tries = [];
    for (let i = 0; i < 5; i++)
      tries.push(await outcome(c.send(new ConfirmSignUpCommand({ ClientId: seed.clientId, Username: 'newbie', ConfirmationCode: `00000${i}` }))));
    expect(tries.slice(0, 3).every((t) => t.startsWith('CodeMismatchException'))).toBe(true);
    expect(tries.slice(3)).toEqual([THROTTLED, THROTTLED]);
    c.destroy();
  });
});

describeEachBackend('the hosted sign-in page (POST /login)', (backend: Backend) => {
  it('is throttled per source address and username, and a refused attempt is not checked', async () => {
    const corral = await startTestCorral({ backend, env: { CORRAL_SIGNIN_THROTTLE: `3/${HOUR}` } });
    try {
      await freshWindow();
      const seed = await createWildRydesPool(corral);
      await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: seed.poolId, Domain: `throttle-${Date.now().toString(36)}` }));
      const web = await corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: seed.poolId,
          ClientName: 'web',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          AllowedOAuthFlowsUserPoolClient: true,
          CallbackURLs: ['http://localhost:3000/callback'],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      );
      await user(corral, seed.poolId, 'rider');
      const base = `${corral.url}/${seed.poolId}`;
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: web.UserPoolClient!.ClientId!,
        redirect_uri: 'http://localhost:3000/callback',
        scope: 'openid',
      });
      const post = async (password: string) => {
        const form = await fetch(`${base}/login?${q}`, { redirect: 'manual' });
        const page = await form.text();
        const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
        const cookie = form.headers.get('set-cookie')?.split(';')[0];
        const res = await fetch(`${base}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
          body: new URLSearchParams({ request, username: 'rider', password }).toString(),
        });
        const body = await res.text();
        return res.status === 302 ? 'signed in' : (/role="alert">([^<]*)</.exec(body)?.[1] ?? `${res.status}`);
      };
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(`Wrong!Pass${i}`));
      expect(answers.every((a) => a !== 'Too many requests' && a !== 'signed in')).toBe(true);
      expect(await post(PASSWORD)).toBe('Too many requests');
    } finally {
      await corral.stop();
    }
  });
});

describeEachBackend('limits off', (backend: Backend) => {
  it('CORRAL_RATE_LIMITS=off and CORRAL_SIGNIN_THROTTLE=off: nothing is throttled', async () => {
    const corral = await startTestCorral({
      backend,
      env: { CORRAL_RATE_LIMITS: 'off', CORRAL_SIGNIN_THROTTLE: 'off', CORRAL_RATE_WINDOW_SECONDS: String(HOUR) },
    });
    try {
      const seed = await createWildRydesPool(corral);
      await user(corral, seed.poolId, 'rider');
      const c = publicFrom(corral);
      const results = await Promise.all(
        Array.from({ length: 40 }, () => outcome(corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' })))),
      );
      const guesses = [];
      for (let i = 0; i < 8; i++)
        guesses.push(
          await outcome(
            c.send(
              new InitiateAuthCommand({
                ClientId: seed.clientId,
                AuthFlow: 'USER_PASSWORD_AUTH',
                AuthParameters: { USERNAME: 'rider', PASSWORD: `Wrong!${i}` },
              }),
            ),
          ),
        );
      expect(results.filter((r) => r !== 'ok')).toEqual([]);
      expect(guesses.filter((g) => g === THROTTLED)).toEqual([]);
      c.destroy();
    } finally {
      await corral.stop();
    }
  });
});

// One SQLite file belongs to one instance (counts are that process's memory); instances share PostgreSQL.
describeOnPostgres('two instances on one database', () => {
  const backend: Backend = 'postgres';
  let a: TestCorral;
  let b: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    const env = {
      CORRAL_RATE_LIMITS: JSON.stringify({ UserRead: perHour(10) }),
      CORRAL_RATE_WINDOW_SECONDS: String(HOUR),
      CORRAL_SIGNIN_THROTTLE: `3/${HOUR}`,
    };
    a = await startTestCorral({ backend, env });
    b = await startTestCorral({ backend, env, dataDir: a.dataDir, schema: a.schema, config: { publicUrl: a.url } });
    seed = await createWildRydesPool(a);
    await user(a, seed.poolId, 'rider');
    await user(a, seed.poolId, 'victim');
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('a second instance sees the same quota counter', async () => {
    await freshWindow();
    const get = (c: TestCorral) => outcome(c.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' })));
    const onA = await Promise.all(Array.from({ length: 6 }, () => get(a)));
    expect(onA).toEqual(Array(6).fill('ok'));
    await sleep(FLUSH_MS * 2 + 100); // a's counts reach the database
    const onB = [];
    for (let i = 0; i < 5; i++) onB.push(await get(b));
    expect(onB).toEqual(['ok', 'ok', 'ok', 'ok', THROTTLED]);
    await sleep(FLUSH_MS * 2 + 100);
    expect(await get(a)).toBe(THROTTLED);
  });

  it('the guess throttle counts one source on both instances', async () => {
    await freshWindow();
    const ca = publicFrom(a);
    const cb = publicFrom(b);
    const signIn = (c: CognitoIdentityProviderClient, password: string) =>
      outcome(
        c.send(
          new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'victim', PASSWORD: password } }),
        ),
      );
    expect(await signIn(ca, 'Wrong!1')).toMatch(/^NotAuthorizedException/);
    expect(await signIn(cb, 'Wrong!2')).toMatch(/^NotAuthorizedException/);
    expect(await signIn(ca, 'Wrong!3')).toMatch(/^NotAuthorizedException/);
    expect(await signIn(cb, PASSWORD)).toBe(THROTTLED);
    expect(await signIn(ca, PASSWORD)).toBe(THROTTLED);
    ca.destroy();
    cb.destroy();
  });
});

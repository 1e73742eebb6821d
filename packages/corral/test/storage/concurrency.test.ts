// Corral's doors hold when requests race (issue 7): lockout bursts (password, SRP, MFA codes), codes spent once,
// concurrent updates of one user that all survive, one user per name / alias, refresh racing revoke.
//
// Two set-ups (test/support/processes.ts):
//   A. two Corral processes (the built CLI) on one PostgreSQL schema — requests alternate between them;
//   B. one in-process Corral on SQLite whose pools have a PreAuthentication function that awaits 20 ms.
// Every burst is started at once (Promise.all of real SDK calls over HTTP, request i to door i % n) over
// keep-alive connections opened beforehand (`doors.warm()`), and counted by how it was answered.
//
// Lockout arithmetic (domain/lockout.ts, Cognito's): 5 free failures, then each further attempt only after
// 2^(n−5) s since the last failure. So at most 5 attempts of a burst can be answered as checked within its first
// second, 6 within 3 s, …: `lockoutBreach` checks every checked answer's arrival time against that bound, which
// holds however slow the machine is (a slow burst is allowed its 6th attempt, never an early one).
//
// Run: npm run build -w corral && npx vitest run packages/corral/test/storage/concurrency.test.ts
// (RACE_LOG=1 prints each burst's tally.)
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/corral.js';
import { enrollTotp, requireTotpMfa, totpCode } from '../support/mfa.js';
import type { SeedPool } from '../support/pools.js';
import { startSlowTriggerSqlite, startTwoProcesses, type Doors } from '../support/processes.js';
import { FIRST_LOCK_MS, attempt, label, lockoutBreach, race, type Race } from '../support/race.js';
import { SrpClient } from '../support/srp-client.js';

const PASSWORD = 'Unicorn!Ride42';
const WRONG = (i: number) => `Wrong!Pass${i}x`;
const INCORRECT = 'NotAuthorizedException: Incorrect username or password.';
const LOCKED = 'NotAuthorizedException: Password attempts exceeded';
const MFA_MISMATCH = 'CodeMismatchException: Invalid code received for user';
const CODE_MISMATCH = 'CodeMismatchException: Invalid verification code provided, please try again.';
const CODE_LIMIT = 'LimitExceededException: Attempt limit exceeded, please try after some time.';
const CODE_EXPIRED = 'ExpiredCodeException: Invalid code provided, please request a code again.';
const ALREADY_CONFIRMED = 'NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED';

const log = process.env.RACE_LOG ? (...a: unknown[]) => console.log(...a) : () => undefined;

/** Fails when more attempts were checked than the lockout allows (see lockoutBreach), with the tally. */
function expectLockoutHeld(burst: Race<unknown>, checked: string, what: string, extra = 0, also: Race<unknown>[] = []): void {
  const outcomes = [burst, ...also].flatMap((b) => b.outcomes);
  const breach = lockoutBreach(outcomes, [checked], burst.startedAt, extra);
  expect(breach, `${what}: ${[burst, ...also].map((b) => `${JSON.stringify(b.tally)} in ${b.ms} ms`).join(', then ')}`).toBeUndefined();
  expect(burst.count(checked), `${what}: the first 5 are always checked`).toBeGreaterThanOrEqual(5);
}

/** Fails listing the whole tally when an answer outside `allowed` was seen. */
function expectOnly(burst: Race<unknown>, allowed: string[], what: string): void {
  const unexpected = Object.keys(burst.tally).filter((k) => !allowed.includes(k));
  expect(unexpected, `${what}: unexpected answers in ${JSON.stringify(burst.tally)}`).toEqual([]);
}

const pgUp = await postgresAvailable();
const setups: { name: string; start: () => Promise<Doors>; available: boolean }[] = [
  { name: 'A: two processes on one PostgreSQL schema', start: startTwoProcesses, available: pgUp },
  { name: 'B: one SQLite process, 20 ms PreAuthentication', start: startSlowTriggerSqlite, available: true },
];

for (const setup of setups) {
  (setup.available ? describe : describe.skip)(`concurrency [${setup.name}]`, () => {
    let doors: Doors;
    let seed: SeedPool;
    let n = 0;
    const tag = (s: string) => `${s}-${++n}`;

    beforeAll(async () => {
      doors = await setup.start();
      seed = await doors.createPool({
        Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
      });
    }, 60_000);
    afterAll(async () => {
      await doors?.stop();
    });

    /** A CONFIRMED user with PASSWORD (AdminCreateUser without a message, then a permanent password). */
    async function confirmedUser(pool: SeedPool, username: string, attributes: AttributeType[] = []): Promise<void> {
      const admin = doors.admin(0);
      await admin.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }

    const passwordAuth = (i: number, username: string, password: string, pool = seed) =>
      doors
        .pub(i)
        .send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

    // ---- 1–3: password lockout ----

    it('1. 50 concurrent wrong passwords (USER_PASSWORD_AUTH) check at most 5; the right password is refused right after', async () => {
      const username = tag('burst');
      await confirmedUser(seed, username);
      await doors.warm();
      const burst = await race(Array.from({ length: 50 }, (_, i) => () => passwordAuth(i, username, WRONG(i))));
      const right = await attempt(() => passwordAuth(1, username, PASSWORD));
      log(setup.name, '1.', burst.tally, `${burst.ms} ms`, 'right:', label(right), `${right.at - burst.startedAt} ms`);
      expectOnly(burst, [INCORRECT, LOCKED], 'burst');
      expectLockoutHeld(burst, INCORRECT, '50 wrong passwords');
      // The lock lasts at least 1 s from a failure recorded after the burst began.
      if (right.at - burst.startedAt < FIRST_LOCK_MS) expect(label(right)).toBe(LOCKED);
      else expect(right.ok ? 'ok' : label(right), 'after a lock had time to lapse').toMatch(/^(ok|NotAuthorizedException: Password attempts exceeded)$/);
    });

    it('2. 19 wrong + 1 right at once (right sent last): a right password is only accepted among the first 5 attempts (3 rounds)', async () => {
      for (let round = 0; round < 3; round++) {
        const username = tag('nineteen');
        await confirmedUser(seed, username);
        await doors.warm();
        const burst = await race([
          ...Array.from({ length: 19 }, (_, i) => () => passwordAuth(i, username, WRONG(i))),
          () => passwordAuth(19, username, PASSWORD),
        ]);
        const rightOk = burst.outcomes[19]!.ok;
        // A further burst right after: the attempts checked since the last success stay within the allowance.
        const more = await race(Array.from({ length: 10 }, (_, i) => () => passwordAuth(i, username, WRONG(100 + i))));
        log(
          setup.name,
          '2.',
          `round ${round}`,
          burst.tally,
          `right: ${label(burst.outcomes[19]!)}`,
          `${burst.ms} ms`,
          'then',
          more.tally,
          `${more.startedAt + more.ms - burst.startedAt} ms`,
        );
        expectOnly(burst, [INCORRECT, LOCKED, 'ok'], 'burst');
        expectOnly(more, [INCORRECT, LOCKED], 'second burst');
        // Reserved before the right one: at most 4 wrong ones; after its success resets the count, the usual bound.
        expectLockoutHeld(burst, INCORRECT, `round ${round}: 19 wrong + 1 right (right ${rightOk ? 'SIGNED IN' : 'refused'})`, rightOk ? 4 : 0, [more]);
      }
    });

    it('2b. 19 wrong answered first, then the right one: refused (locked)', async () => {
      const username = tag('nineteen-then');
      await confirmedUser(seed, username);
      await doors.warm();
      const burst = await race(Array.from({ length: 19 }, (_, i) => () => passwordAuth(i, username, WRONG(i))));
      const right = await attempt(() => passwordAuth(0, username, PASSWORD));
      log(setup.name, '2b.', burst.tally, `${burst.ms} ms`, 'right:', label(right), `${right.at - burst.startedAt} ms`);
      expectOnly(burst, [INCORRECT, LOCKED], 'burst');
      expectLockoutHeld(burst, INCORRECT, '19 wrong passwords');
      if (right.at - burst.startedAt < FIRST_LOCK_MS) expect(label(right)).toBe(LOCKED);
    });

    it('3. 30 concurrent wrong SRP PASSWORD_VERIFIER answers check at most 5', async () => {
      const username = tag('srp');
      await confirmedUser(seed, username);
      const clients = Array.from({ length: 30 }, () => new SrpClient(seed.poolId));
      const starts = await race(
        clients.map(
          (srp, i) => () =>
            doors
              .pub(i)
              .send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } })),
        ),
      );
      expect(starts.tally).toEqual({ ok: 30 });
      // The claims are computed before the burst, so the answers leave together.
      const answers = starts.values.map((s, i) => clients[i]!.respond(WRONG(i), s.ChallengeParameters as never));
      await doors.warm();
      const burst = await race(
        answers.map(
          (ChallengeResponses, i) => () =>
            doors.pub(i + 1).send(new RespondToAuthChallengeCommand({ ClientId: seed.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses })),
        ),
      );
      const right = await attempt(() => passwordAuth(0, username, PASSWORD));
      log(setup.name, '3.', burst.tally, `${burst.ms} ms`, 'right:', label(right));
      expectOnly(burst, [INCORRECT, LOCKED], 'burst');
      expectLockoutHeld(burst, INCORRECT, '30 wrong SRP claims');
      if (right.at - burst.startedAt < FIRST_LOCK_MS) expect(label(right)).toBe(LOCKED);
    });

    it('3b. one right PASSWORD_VERIFIER answer sent 50 times at once: exactly one sign-in, the rest "Invalid session"', async () => {
      const username = tag('replay');
      await confirmedUser(seed, username);
      const srp = new SrpClient(seed.poolId);
      const start = await doors
        .pub(0)
        .send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
      const ChallengeResponses = srp.respond(PASSWORD, start.ChallengeParameters as never);
      await doors.warm();
      const burst = await race(
        Array.from(
          { length: 50 },
          (_, i) => () =>
            doors.pub(i).send(new RespondToAuthChallengeCommand({ ClientId: seed.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses })),
        ),
      );
      log(setup.name, '3b.', burst.tally, `${burst.ms} ms`);
      expect(burst.tally).toEqual({ ok: 1, 'NotAuthorizedException: Invalid session for the user.': 49 });
    });

    // ---- 4: MFA codes and one-time codes ----

    it('4a. 30 concurrent wrong SOFTWARE_TOKEN_MFA codes (each its own sign-in) check at most 5; a right code is refused while locked', async () => {
      const mfaPool = await doors.createPool({ PoolName: 'WildRydesMfa' });
      await requireTotpMfa(doors.admin(0), mfaPool.poolId, 'ON');
      const username = tag('totp');
      await confirmedUser(mfaPool, username);
      const totp = await enrollTotp({ endpoint: doors.urls[0]!, clientId: mfaPool.clientId, username, password: PASSWORD });
      // 31 sign-ins waiting for their code: 30 for the wrong codes, the last for the right one.
      const signIns = await race(Array.from({ length: 31 }, (_, i) => () => passwordAuth(i, username, PASSWORD, mfaPool)));
      expect(signIns.tally).toEqual({ ok: 31 });
      for (const s of signIns.values) expect(s.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
      const now = Date.now();
      const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(totp.secret, now + d * 30_000)));
      let wrong = 0;
      while (valid.has(String(wrong).padStart(6, '0'))) wrong++;
      const wrongCode = String(wrong).padStart(6, '0');
      const answer = (i: number, code: string) =>
        doors.pub(i).send(
          new RespondToAuthChallengeCommand({
            ClientId: mfaPool.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: signIns.values[i]!.Session,
            ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
          }),
        );
      await doors.warm();
      const burst = await race(Array.from({ length: 30 }, (_, i) => () => answer(i, wrongCode)));
      const right = await attempt(() => answer(30, totp.nextCode()));
      log(setup.name, '4a.', burst.tally, `${burst.ms} ms`, 'right:', label(right), `${right.at - burst.startedAt} ms`);
      expectOnly(burst, [MFA_MISMATCH, LOCKED], 'burst');
      expectLockoutHeld(burst, MFA_MISMATCH, '30 wrong TOTP codes');
      if (right.at - burst.startedAt < FIRST_LOCK_MS) expect(label(right)).toBe(LOCKED);
    });

    /** An UNCONFIRMED user signed up through the public API, and the code it was sent. */
    async function signedUp(pool: SeedPool, username: string, email: string): Promise<string> {
      await doors
        .pub(0)
        .send(new SignUpCommand({ ClientId: pool.clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
      return doors.latestCode(email);
    }
    const confirm = (i: number, username: string, code: string, pool = seed, force?: boolean) =>
      doors.pub(i).send(
        new ConfirmSignUpCommand({
          ClientId: pool.clientId,
          Username: username,
          ConfirmationCode: code,
          ...(force === undefined ? {} : { ForceAliasCreation: force }),
        }),
      );

    it('4b. 20 concurrent wrong ConfirmSignUp codes: 5 compared, the rest LimitExceededException; the right code is then refused too', async () => {
      const username = tag('confirm-wrong');
      const code = await signedUp(seed, username, `${username}@example.com`);
      const wrongCode = code === '000000' ? '000001' : '000000';
      await doors.warm();
      const burst = await race(Array.from({ length: 20 }, (_, i) => () => confirm(i, username, wrongCode)));
      log(setup.name, '4b.', burst.tally, `${burst.ms} ms`);
      expect(burst.tally).toEqual({ [CODE_MISMATCH]: 5, [CODE_LIMIT]: 15 });
      expect(label(await attempt(() => confirm(0, username, code)))).toBe(CODE_LIMIT);
    });

    it('4c. 10 concurrent ConfirmSignUp with the right code: exactly one confirms (PostConfirmation runs once), the others are refused', async () => {
      for (let round = 0; round < 3; round++) {
        const username = tag('confirm-right');
        const code = await signedUp(seed, username, `${username}@example.com`);
        await doors.warm();
        const burst = await race(Array.from({ length: 10 }, (_, i) => () => confirm(i, username, code)));
        log(setup.name, '4c.', `round ${round}`, burst.tally, `${burst.ms} ms`);
        // Cognito refuses a second confirmation with "Current status is CONFIRMED"; a request that raced past that
        // check finds the code spent (or its tries taken by the others).
        expectOnly(burst, ['ok', ALREADY_CONFIRMED, CODE_EXPIRED, CODE_LIMIT], 'burst');
        expect(burst.count('ok'), JSON.stringify(burst.tally)).toBe(1);
        const user = await doors.admin(1).send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: username }));
        expect(user.UserStatus).toBe('CONFIRMED');
        const ran = doors.postConfirmations().filter((e) => e.userPoolId === seed.poolId && e.userName === username);
        expect(
          ran.map((e) => e.triggerSource),
          JSON.stringify(burst.tally),
        ).toEqual(['PostConfirmation_ConfirmSignUp']);
      }
    });

    // ---- 5–6: concurrent updates of one user all survive ----

    const TEN: string[] = ['custom:genre', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'locale', 'zoneinfo', 'website', 'profile'];

    it('5. 10 concurrent AdminUpdateUserAttributes of different attributes all survive (3 rounds)', async () => {
      const username = tag('attrs');
      await confirmedUser(seed, username);
      for (let round = 0; round < 3; round++) {
        const value = (a: string) => (a === 'website' || a === 'profile' ? `https://example.com/${a}/${round}` : `${a.replace(':', '-')}-${round}`);
        await doors.warm();
        const burst = await race(
          TEN.map(
            (Name, i) => () =>
              doors
                .admin(i)
                .send(new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: username, UserAttributes: [{ Name, Value: value(Name) }] })),
          ),
        );
        expect(burst.tally).toEqual({ ok: 10 });
        const got = await doors.admin(round).send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: username }));
        const attrs = Object.fromEntries((got.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
        const kept = TEN.filter((a) => attrs[a] === value(a));
        log(setup.name, '5.', `round ${round}`, `kept ${kept.length} of 10`, `${burst.ms} ms`);
        expect(Object.fromEntries(TEN.map((a) => [a, attrs[a]])), `round ${round}: kept ${kept.length} of 10 (${kept.join(', ')})`).toEqual(
          Object.fromEntries(TEN.map((a) => [a, value(a)])),
        );
      }
    });

    it('6. ChangePassword racing UpdateUserAttributes(custom:genre): the genre is kept and the new password works (10 rounds)', async () => {
      const username = tag('chpw');
      await confirmedUser(seed, username);
      const signedIn = await passwordAuth(0, username, PASSWORD);
      const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
      let password = PASSWORD;
      const lost: number[] = [];
      for (let round = 0; round < 10; round++) {
        const next = `Unicorn!Ride${round}z`;
        const genre = `genre-${round}`;
        await doors.warm();
        const burst = await race([
          () => doors.pub(round).send(new ChangePasswordCommand({ AccessToken, PreviousPassword: password, ProposedPassword: next })),
          () => doors.pub(round + 1).send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'custom:genre', Value: genre }] })),
        ]);
        expect(burst.tally, `round ${round}`).toEqual({ ok: 2 });
        password = next;
        const got = await doors.admin(round).send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: username }));
        const kept = got.UserAttributes?.find((a) => a.Name === 'custom:genre')?.Value;
        if (kept !== genre) lost.push(round);
        const withNew = await attempt(() => passwordAuth(round + 1, username, next));
        expect(label(withNew), `round ${round}: the new password`).toBe('ok');
      }
      log(setup.name, '6.', `genre lost in ${lost.length} of 10 rounds`);
      expect(lost, `genre lost in ${lost.length} of 10 rounds`).toEqual([]);
    });

    // ---- 7: one user per name and per alias ----

    it('7a. 20 concurrent SignUp of one username: exactly one user, the others UsernameExistsException', async () => {
      const username = tag('same-name');
      await doors.warm();
      const burst = await race(
        Array.from({ length: 20 }, (_, i) => () => doors.pub(i).send(new SignUpCommand({ ClientId: seed.clientId, Username: username, Password: PASSWORD }))),
      );
      log(setup.name, '7a.', burst.tally, `${burst.ms} ms`);
      expect(burst.tally).toEqual({ ok: 1, 'UsernameExistsException: User already exists': 19 });
      const listed = await doors.admin(0).send(new ListUsersCommand({ UserPoolId: seed.poolId, Filter: `username = "${username}"` }));
      expect(listed.Users?.length).toBe(1);
    });

    it('7b. email as username: 20 concurrent SignUp of one address (in different cases) make exactly one user', async () => {
      const emailPool = await doors.createPool({ PoolName: 'WildRydesEmail', AliasAttributes: undefined, UsernameAttributes: ['email'] });
      const local = 'samerider';
      // 20 spellings of one address: Cognito compares email addresses case-insensitively.
      const spellings = Array.from({ length: 20 }, (_, i) => [...local].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('') + '@Example.com');
      await doors.warm();
      const burst = await race(
        spellings.map((Username, i) => () => doors.pub(i).send(new SignUpCommand({ ClientId: emailPool.clientId, Username, Password: PASSWORD }))),
      );
      log(setup.name, '7b.', burst.tally, `${burst.ms} ms`);
      expect(burst.tally).toEqual({ ok: 1, 'UsernameExistsException: An account with the given email already exists.': 19 });
      const listed = await doors.admin(1).send(new ListUsersCommand({ UserPoolId: emailPool.poolId }));
      expect(listed.Users?.length).toBe(1);
    });

    /** Two UNCONFIRMED users of the alias pool with one email address, and their codes. */
    async function twoWithOneEmail(): Promise<{ email: string; users: [string, string]; codes: [string, string] }> {
      const a = tag('alias-a');
      const b = tag('alias-b');
      const email = `${a}-shared@example.com`;
      const codeA = await signedUp(seed, a, email);
      const codeB = await signedUp(seed, b, email);
      return { email, users: [a, b], codes: [codeA, codeB] };
    }

    it('7c. alias pool: two users confirming one email at once — only one holds the verified alias, the other gets AliasExistsException (3 rounds)', async () => {
      for (let round = 0; round < 3; round++) {
        const { email, users, codes } = await twoWithOneEmail();
        await doors.warm();
        const burst = await race([() => confirm(0, users[0], codes[0]), () => confirm(1, users[1], codes[1])]);
        log(setup.name, '7c.', `round ${round}`, burst.tally);
        expect(burst.tally).toEqual({ ok: 1, 'AliasExistsException: An account with the given email already exists.': 1 });
        const winner = burst.outcomes[0]!.ok ? 0 : 1;
        const loser = 1 - winner;
        const signedIn = await passwordAuth(round, email, PASSWORD);
        const me = await doors.pub(round + 1).send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
        expect(me.Username).toBe(users[winner]);
        const other = await doors.admin(0).send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: users[loser] }));
        expect(other.UserStatus).toBe('UNCONFIRMED');
        expect(other.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value ?? 'false').toBe('false');
      }
    });

    it('7c′. the user refused with AliasExistsException in that race can still confirm with ForceAliasCreation: its code was not spent (5 rounds)', async () => {
      // Cognito's contract for AliasExistsException: call ConfirmSignUp again with ForceAliasCreation to take the alias.
      const retries: string[] = [];
      for (let round = 0; round < 5; round++) {
        const { email, users, codes } = await twoWithOneEmail();
        await doors.warm(2);
        const burst = await race([() => confirm(0, users[0], codes[0]), () => confirm(1, users[1], codes[1])]);
        expect(burst.tally).toEqual({ ok: 1, 'AliasExistsException: An account with the given email already exists.': 1 });
        const loser = burst.outcomes[0]!.ok ? 1 : 0;
        const retry = await attempt(() => confirm(loser, users[loser], codes[loser], seed, true));
        retries.push(label(retry));
        if (!retry.ok) continue;
        const signedIn = await passwordAuth(round, email, PASSWORD);
        const me = await doors.pub(round + 1).send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
        expect(me.Username, `round ${round}: the email now signs in as the user who forced it`).toBe(users[loser]);
      }
      log(setup.name, '7c′.', 'retries with ForceAliasCreation:', retries);
      expect(retries, 'the refused user retrying with ForceAliasCreation').toEqual(Array(5).fill('ok'));
    });

    // ---- 8: refresh racing revoke ----

    it('8. REFRESH_TOKEN_AUTH racing RevokeToken: afterwards the refresh token never works again, nor what it minted (10 rounds)', async () => {
      const username = tag('refresh');
      await confirmedUser(seed, username);
      const seen: Record<string, number> = {};
      for (let round = 0; round < 10; round++) {
        const signedIn = await passwordAuth(round, username, PASSWORD);
        const RefreshToken = signedIn.AuthenticationResult!.RefreshToken!;
        const refresh = (i: number) =>
          doors
            .pub(i)
            .send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken } }));
        await doors.warm();
        const burst = await race<unknown>([
          () => refresh(round),
          () => doors.pub(round + 1).send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: RefreshToken })),
        ]);
        const refreshed = burst.outcomes[0]!;
        seen[label(refreshed)] = (seen[label(refreshed)] ?? 0) + 1;
        expect(label(burst.outcomes[1]!), `round ${round}: RevokeToken`).toBe('ok');
        expect(label(refreshed)).toMatch(/^(ok|NotAuthorizedException: Refresh Token has been revoked)$/);
        for (const i of [0, 1])
          expect(label(await attempt(() => refresh(i))), `round ${round}: refresh after the revoke`).toBe(
            'NotAuthorizedException: Refresh Token has been revoked',
          );
        if (refreshed.ok) {
          const minted = (refreshed.value as { AuthenticationResult?: { AccessToken?: string } }).AuthenticationResult!.AccessToken!;
          const me = await attempt(() => doors.pub(round).send(new GetUserCommand({ AccessToken: minted })));
          expect(label(me), `round ${round}: the access token the racing refresh minted`).toBe('NotAuthorizedException: Access Token has been revoked');
        }
      }
      log(setup.name, '8.', 'racing refresh answered', seen);
    });
  });
}

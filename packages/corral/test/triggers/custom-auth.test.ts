// CUSTOM_AUTH with DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse, over real HTTP: a classic
// one-time code by email (module functions in this test), with the SDK v3 on both backends (right answer, wrong then
// right, too many wrong, replays, expiry, unknown users, the SRP_A variant, Admin* calls), with
// amazon-cognito-identity-js (initiateAuth + customChallenge + sendCustomChallengeAnswer, and authenticateUser with
// authenticationFlowType CUSTOM_AUTH) and with aws-amplify v6 (CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP + confirmSignIn).
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { publicClient, signUpConfirmed } from '../support/users.js';
import { SrpClient } from '../support/srp-client.js';
import { arn, claims, clearTriggers, onTrigger, probeModule, type TriggerEvent } from './support.js';

const PASSWORD = 'Unicorn!Ride42';
const MAX_TRIES = 3;
const CUSTOM_FLOWS: CreateUserPoolClientCommandInput['ExplicitAuthFlows'] = ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const LAMBDAS = { DefineAuthChallenge: arn('define'), CreateAuthChallenge: arn('create'), VerifyAuthChallengeResponse: arn('verify') };

type Session = { challengeName: string; challengeResult: boolean; challengeMetadata: string | null }[];

/** The "mailbox" of the OTP functions: the codes CreateAuthChallenge sent, by email address. */
const sent = new Map<string, string[]>();

/**
 * The classic email one-time code, as the AWS samples write it: SRP first when the client started with SRP_A, a
 * new code for the first challenge (kept in challengeMetadata for retries), three tries.
 */
function installOtpFunctions() {
  const define = onTrigger('define', (e) => {
    const session = e.request.session as Session;
    const last = session.at(-1);
    const tries = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length;
    if (last?.challengeName === 'SRP_A' && session.length === 1) {
      Object.assign(e.response, { issueTokens: false, failAuthentication: false, challengeName: 'PASSWORD_VERIFIER' });
    } else if (last?.challengeName === 'PASSWORD_VERIFIER' && !last.challengeResult) {
      Object.assign(e.response, { issueTokens: false, failAuthentication: true });
    } else if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
      Object.assign(e.response, { issueTokens: true, failAuthentication: false });
    } else if (tries >= MAX_TRIES) {
      Object.assign(e.response, { issueTokens: false, failAuthentication: true });
    } else {
      Object.assign(e.response, { issueTokens: false, failAuthentication: false, challengeName: 'CUSTOM_CHALLENGE' });
    }
  });
  const create = onTrigger('create', (e) => {
    const session = e.request.session as Session;
    const previous = session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').at(-1);
    let code = previous?.challengeMetadata?.replace(/^CODE-/, '');
    const email = e.request.userAttributes.email ?? '';
    if (!code) {
      code = String(100000 + Math.floor(Math.random() * 900000));
      if (email) sent.set(email, [...(sent.get(email) ?? []), code]);
    }
    e.response.publicChallengeParameters = { email: email.replace(/^(.).*@/, '$1***@'), attempt: session.length + 1 };
    e.response.privateChallengeParameters = { code };
    e.response.challengeMetadata = `CODE-${code}`;
  });
  const verify = onTrigger('verify', (e) => {
    const expected = (e.request.privateChallengeParameters as Record<string, string>).code;
    e.response.answerCorrect = !!expected && e.request.challengeAnswer === expected;
  });
  return { define, create, verify };
}

const codeFor = (email: string) => sent.get(email)?.at(-1) ?? '';

async function rejected(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

function startCorral(backend: 'sqlite' | 'postgres' = 'sqlite') {
  const probe = probeModule();
  return startTestCorral({
    backend,
    config: { functions: Object.fromEntries(['define', 'create', 'verify', 'pre-auth', 'post-auth'].map((n) => [n, { module: probe }])) },
  });
}

describeEachBackend('CUSTOM_AUTH (SDK v3)', (backend) => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let seed: SeedPool;
  let fns: ReturnType<typeof installOtpFunctions>;

  beforeAll(async () => {
    corral = await startCorral(backend);
    pub = publicClient(corral);
    seed = await createWildRydesPool(corral, { LambdaConfig: LAMBDAS }, { ExplicitAuthFlows: CUSTOM_FLOWS });
    await signUpConfirmed(corral, seed, 'rider', PASSWORD, { email: 'rider@example.com' });
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });
  beforeEach(() => {
    fns = installOtpFunctions();
  });
  afterEach(() => {
    clearTriggers();
    corral.app.now = () => Date.now();
  });

  const start = (USERNAME: string, s: SeedPool = seed, extra: Record<string, string> = {}) =>
    pub.send(new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME, ...extra } }));
  const answer = (Session: string | undefined, ANSWER: string, USERNAME = 'rider', s: SeedPool = seed) =>
    pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: s.clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session,
        ChallengeResponses: { USERNAME, ANSWER },
        ClientMetadata: { from: 'test' },
      }),
    );

  it('the right code: DefineAuthChallenge (empty session) → CreateAuthChallenge → CUSTOM_CHALLENGE; the answer is verified and tokens are issued', async () => {
    const challenge = await start('rider@example.com'); // an alias works; USERNAME comes back as the username
    expect(challenge.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(challenge.ChallengeParameters).toEqual({ email: 'r***@example.com', attempt: '1', USERNAME: 'rider' });
    expect(challenge.Session!.length).toBeLessThanOrEqual(2048);
    expect(fns.define[0]).toMatchObject({
      version: '1',
      triggerSource: 'DefineAuthChallenge_Authentication',
      userPoolId: seed.poolId,
      userName: 'rider',
      callerContext: { clientId: seed.clientId },
      request: { userAttributes: { email: 'rider@example.com', 'cognito:user_status': 'CONFIRMED' }, session: [], clientMetadata: {} },
    });
    expect(fns.define[0]!.request).not.toHaveProperty('userNotFound');
    expect(fns.create[0]).toMatchObject({ triggerSource: 'CreateAuthChallenge_Authentication', request: { challengeName: 'CUSTOM_CHALLENGE', session: [] } });

    const code = codeFor('rider@example.com');
    const done = await answer(challenge.Session, code);
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claims(done.AuthenticationResult!.IdToken!)['cognito:username']).toBe('rider');
    expect(fns.verify[0]).toMatchObject({
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      userName: 'rider',
      request: { privateChallengeParameters: { code }, challengeAnswer: code, clientMetadata: { from: 'test' } },
    });
    expect(fns.define[1]!.request.session).toEqual([{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: `CODE-${code}` }]);
    expect(fns.define[1]!.request.clientMetadata).toEqual({ from: 'test' });

    // The answered Session cannot be answered again.
    expect(await rejected(answer(challenge.Session, code))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('a wrong code, then the right one: a new CUSTOM_CHALLENGE (same code) with a new Session, then tokens', async () => {
    const first = await start('rider');
    const code = codeFor('rider@example.com');
    const retry = await answer(first.Session, '000000');
    expect(retry.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(retry.ChallengeParameters).toMatchObject({ attempt: '2', USERNAME: 'rider' });
    expect(retry.Session).not.toBe(first.Session);
    expect(fns.define[1]!.request.session).toEqual([{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: `CODE-${code}` }]);
    expect(sent.get('rider@example.com')!.at(-1)).toBe(code); // no new code for a retry
    const done = await answer(retry.Session, code);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // The first Session was spent by the wrong answer.
    expect(await rejected(answer(first.Session, code))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('three wrong codes: DefineAuthChallenge fails the sign-in → NotAuthorizedException "Incorrect username or password."', async () => {
    let step = await start('rider');
    for (let i = 1; i < MAX_TRIES; i++) {
      step = await answer(step.Session, 'nope');
      expect(step.ChallengeName).toBe('CUSTOM_CHALLENGE');
    }
    expect(await rejected(answer(step.Session, 'nope'))).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(fns.define.at(-1)!.request.session).toHaveLength(MAX_TRIES);
  });

  it('AdminInitiateAuth / AdminRespondToAuthChallenge run the same flow', async () => {
    const challenge = await corral.idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: seed.poolId, ClientId: seed.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'rider' } }),
    );
    expect(challenge.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const done = await corral.idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'rider', ANSWER: codeFor('rider@example.com') },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('a Session past AuthSessionValidity is refused; a Session for another user or another challenge too', async () => {
    await signUpConfirmed(corral, seed, 'other', PASSWORD, { email: 'other@example.com' });
    const challenge = await start('rider');
    expect(await rejected(answer(challenge.Session, codeFor('rider@example.com'), 'other'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    const wrongChallenge = await rejected(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'SMS_MFA',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: 'rider', SMS_MFA_CODE: '123456' },
        }),
      ),
    );
    expect(wrongChallenge.name).toBe('NotAuthorizedException');
    corral.app.now = () => Date.now() + 4 * 60_000;
    expect(await rejected(answer(challenge.Session, codeFor('rider@example.com')))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('a sign-in is bounded: DefineAuthChallenge asking for challenge after challenge ends in NotAuthorizedException', async () => {
    onTrigger('define', (e) => {
      Object.assign(e.response, { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false });
    });
    let step = await start('rider');
    let rounds = 1;
    let failure: { name: string; message: string } | undefined;
    while (!failure && rounds < 50) {
      try {
        step = await answer(step.Session, 'nope');
        rounds++;
      } catch (err) {
        failure = err as { name: string; message: string };
      }
    }
    expect(failure).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(rounds).toBe(10);
  });

  it('unknown names: UserNotFoundException, or with PreventUserExistenceErrors the functions run with userNotFound and the sign-in fails', async () => {
    const challenge = await start('nobody');
    expect(challenge.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(challenge.ChallengeParameters?.USERNAME).toBe('nobody');
    expect(fns.define[0]).toMatchObject({ userName: 'nobody', request: { userNotFound: true, userAttributes: {}, session: [] } });
    expect(fns.create[0]!.request.userNotFound).toBe(true);
    const retry = await answer(challenge.Session, '123456', 'nobody');
    expect(retry.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(fns.verify[0]!.request.userNotFound).toBe(true);
    // A function that would issue tokens for nobody: still refused.
    onTrigger('define', (e) => {
      e.response.issueTokens = true;
    });
    expect(await rejected(answer(retry.Session, '123456', 'nobody'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    const legacy = await createWildRydesPool(corral, { LambdaConfig: LAMBDAS }, { ExplicitAuthFlows: CUSTOM_FLOWS, PreventUserExistenceErrors: 'LEGACY' });
    expect(await rejected(start('nobody', legacy))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('SRP first (CHALLENGE_NAME SRP_A): [SRP_A] → PASSWORD_VERIFIER with a Session → [SRP_A, PASSWORD_VERIFIER] → CUSTOM_CHALLENGE → tokens', async () => {
    const srp = new SrpClient(seed.poolId);
    const first = await start('rider', seed, { SRP_A: srp.srpA, CHALLENGE_NAME: 'SRP_A' });
    expect(first.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(first.Session).toBeTruthy();
    expect(first.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: 'rider', USERNAME: 'rider' });
    expect(fns.define[0]!.request.session).toEqual([{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }]);
    const responses = srp.respond(PASSWORD, first.ChallengeParameters as never);

    // The SRP answer without the custom Session cannot skip the custom challenge.
    expect(
      await rejected(
        pub.send(new RespondToAuthChallengeCommand({ ClientId: seed.clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses })),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });

    const srp2 = new SrpClient(seed.poolId);
    const again = await start('rider', seed, { SRP_A: srp2.srpA, CHALLENGE_NAME: 'SRP_A' });
    const custom = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: again.Session,
        ChallengeResponses: srp2.respond(PASSWORD, again.ChallengeParameters as never),
      }),
    );
    expect(custom.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(fns.define.at(-1)!.request.session).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
    ]);
    expect(fns.create.at(-1)!.request.session).toHaveLength(2);
    const done = await answer(custom.Session, codeFor('rider@example.com'));
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();

    // A wrong password: PASSWORD_VERIFIER ✗ reaches DefineAuthChallenge, which fails the sign-in.
    const srp3 = new SrpClient(seed.poolId);
    const third = await start('rider', seed, { SRP_A: srp3.srpA, CHALLENGE_NAME: 'SRP_A' });
    const wrong = await rejected(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: third.Session,
          ChallengeResponses: srp3.respond('Wrong!Password1', third.ChallengeParameters as never),
        }),
      ),
    );
    expect(wrong).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(fns.define.at(-1)!.request.session).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: false, challengeMetadata: null },
    ]);
  });

  it('configuration: no DefineAuthChallenge → InvalidParameterException; a client without ALLOW_CUSTOM_AUTH is refused; bad answers are InvalidLambdaResponseException', async () => {
    const bare = await createWildRydesPool(corral, {}, { ExplicitAuthFlows: CUSTOM_FLOWS });
    expect(await rejected(start('rider', bare))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Custom auth lambda trigger is not configured for the user pool.',
    });
    const noCustom = await createWildRydesPool(corral, { LambdaConfig: LAMBDAS }, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await rejected(start('rider', noCustom))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'CUSTOM_AUTH flow not enabled for this client',
    });
    const legacyOnly = await createWildRydesPool(corral, { LambdaConfig: LAMBDAS }, { ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY'] });
    expect((await start('rider', legacyOnly)).ChallengeName).toBe('CUSTOM_CHALLENGE'); // the legacy name allows it too

    onTrigger('define', (e) => {
      e.response.issueTokens = 'yes';
    });
    expect((await rejected(start('rider'))).name).toBe('InvalidLambdaResponseException');
    onTrigger('define', () => undefined);
    expect((await rejected(start('rider'))).name).toBe('InvalidLambdaResponseException');
    onTrigger('define', () => {
      throw new Error('No custom sign-in today');
    });
    expect(await rejected(start('rider'))).toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'DefineAuthChallenge failed with error No custom sign-in today.',
    });
  });

  it('PreAuthentication runs at the start; PostAuthentication when tokens are issued', async () => {
    const withHooks = await createWildRydesPool(
      corral,
      { LambdaConfig: { ...LAMBDAS, PreAuthentication: arn('pre-auth'), PostAuthentication: arn('post-auth') } },
      { ExplicitAuthFlows: CUSTOM_FLOWS },
    );
    await signUpConfirmed(corral, withHooks, 'hooked', PASSWORD, { email: 'hooked@example.com' });
    const pre = onTrigger('pre-auth', () => undefined);
    const post = onTrigger('post-auth', () => undefined);
    const challenge = await start('hooked', withHooks);
    expect(pre.map((e: TriggerEvent) => e.triggerSource)).toEqual(['PreAuthentication_Authentication']);
    expect(post).toHaveLength(0);
    await answer(challenge.Session, codeFor('hooked@example.com'), 'hooked', withHooks);
    expect(post.map((e: TriggerEvent) => e.triggerSource)).toEqual(['PostAuthentication_Authentication']);
  });
});

describe('CUSTOM_AUTH with amazon-cognito-identity-js and aws-amplify v6', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startCorral();
    seed = await createWildRydesPool(corral, { LambdaConfig: LAMBDAS }, { ExplicitAuthFlows: CUSTOM_FLOWS });
    await signUpConfirmed(corral, seed, 'rider', PASSWORD, { email: 'rider@example.com' });
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(() => corral.stop());
  beforeEach(() => {
    installOtpFunctions();
  });
  afterEach(() => clearTriggers());

  type Outcome = { kind: 'challenge'; params: Record<string, string> } | { kind: 'success'; session: CognitoUserSession };
  const callbacks = (resolve: (o: Outcome) => void, reject: (e: unknown) => void) => ({
    onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
    onFailure: reject,
    customChallenge: (params: Record<string, string>) => resolve({ kind: 'challenge', params }),
  });

  it('amazon-cognito-identity-js: initiateAuth → customChallenge → sendCustomChallengeAnswer (wrong, then right)', async () => {
    const pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
    const user = new CognitoUser({ Username: 'rider', Pool: pool });
    const first = await new Promise<Outcome>((resolve, reject) =>
      user.initiateAuth(new AuthenticationDetails({ Username: 'rider' }), callbacks(resolve, reject)),
    );
    expect(first).toMatchObject({ kind: 'challenge', params: { email: 'r***@example.com', USERNAME: 'rider' } });
    const retry = await new Promise<Outcome>((resolve, reject) => user.sendCustomChallengeAnswer('111111', callbacks(resolve, reject)));
    expect(retry.kind).toBe('challenge');
    const done = await new Promise<Outcome>((resolve, reject) => user.sendCustomChallengeAnswer(codeFor('rider@example.com'), callbacks(resolve, reject)));
    expect(done.kind).toBe('success');
    if (done.kind === 'success') expect(done.session.getIdToken().decodePayload()['cognito:username']).toBe('rider');
  });

  it('amazon-cognito-identity-js: authenticateUser with authenticationFlowType CUSTOM_AUTH runs SRP first, then the custom challenge', async () => {
    const pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
    const user = new CognitoUser({ Username: 'rider', Pool: pool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    const first = await new Promise<Outcome>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: 'rider', Password: PASSWORD }), callbacks(resolve, reject)),
    );
    expect(first.kind).toBe('challenge');
    const done = await new Promise<Outcome>((resolve, reject) => user.sendCustomChallengeAnswer(codeFor('rider@example.com'), callbacks(resolve, reject)));
    expect(done.kind).toBe('success');

    const wrong = new CognitoUser({ Username: 'rider', Pool: pool });
    wrong.setAuthenticationFlowType('CUSTOM_AUTH');
    const err = (await new Promise<Outcome>((resolve, reject) =>
      wrong.authenticateUser(new AuthenticationDetails({ Username: 'rider', Password: 'Wrong!Password1' }), callbacks(resolve, reject)),
    ).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('aws-amplify v6: signIn CUSTOM_WITHOUT_SRP → CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE → confirmSignIn (wrong, then right)', async () => {
    const started = await signIn({ username: 'rider', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(started.isSignedIn).toBe(false);
    expect(started.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { email: 'r***@example.com' } });
    const retry = await confirmSignIn({ challengeResponse: '222222' });
    expect(retry.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await confirmSignIn({ challengeResponse: codeFor('rider@example.com') });
    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    expect(tokens?.idToken?.payload['cognito:username']).toBe('rider');
    await signOut();
  });

  it('aws-amplify v6: signIn CUSTOM_WITH_SRP (password first) → CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE → confirmSignIn', async () => {
    const started = await signIn({ username: 'rider', password: PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await confirmSignIn({ challengeResponse: codeFor('rider@example.com') });
    expect(done.isSignedIn).toBe(true);
    const { tokens } = await fetchAuthSession();
    expect(tokens?.accessToken.payload.username).toBe('rider');
    await signOut();

    await expect(signIn({ username: 'rider', password: 'Wrong!Password1', options: { authFlowType: 'CUSTOM_WITH_SRP' } })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});

// Choice-based sign-in (USER_AUTH) and passwordless email OTP over HTTP with the AWS SDK v3, on both databases:
// the pool's AllowedFirstAuthFactors, preferred PASSWORD / PASSWORD_SRP / EMAIL_OTP, SELECT_CHALLENGE, wrong and
// replayed codes, MFA after a password but not after an OTP, passwordless sign-up → ConfirmSignUp Session → sign-in,
// GetUserAuthFactors, and the refusals (flow not enabled, passkeys where the pool does not allow them).
import {
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { SrpClient, type PasswordVerifierChallenge } from '../support/srp-client.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

describeEachBackend('USER_AUTH choice-based sign-in (SDK)', (backend) => {
  let t: Seeded;
  let seed: SeedPool;
  beforeAll(async () => {
    t = await startSeeded(backend);
    seed = await createWildRydesPool(
      t.corral,
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
      { ExplicitAuthFlows: [...FLOWS] },
    );
  });
  afterAll(() => t.stop());

  const userAuth = (s: SeedPool, AuthParameters: Record<string, string>, Session?: string): Promise<InitiateAuthCommandOutput> =>
    t.pub.send(new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: 'USER_AUTH', AuthParameters, Session }));
  const respond = (s: SeedPool, ChallengeName: string, Session: string | undefined, responses: Record<string, string>) =>
    t.pub.send(
      new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: ChallengeName as 'EMAIL_OTP', Session, ChallengeResponses: responses }),
    );
  const rejects = (p: Promise<unknown>, name: string, message?: string) => expect(p).rejects.toMatchObject({ name, ...(message ? { message } : {}) });
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

  it('the pool keeps Policies.SignInPolicy.AllowedFirstAuthFactors', async () => {
    const { UserPool } = await t.corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: seed.poolId }));
    expect(UserPool!.Policies!.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] });
  });

  it('PREFERRED_CHALLENGE PASSWORD: with PASSWORD signs in at once; without, the PASSWORD challenge takes it', async () => {
    await signUpConfirmed(t.corral, seed, 'ua-pass', PASSWORD, { email: 'ua-pass@example.com' });
    const direct = await userAuth(seed, { USERNAME: 'ua-pass', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    expect(direct.AuthenticationResult?.AccessToken).toBeDefined();
    await rejects(
      userAuth(seed, { USERNAME: 'ua-pass', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong!Pass1' }),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );

    const step = await userAuth(seed, { USERNAME: 'ua-pass', PREFERRED_CHALLENGE: 'PASSWORD' });
    expect(step.ChallengeName).toBe('PASSWORD');
    expect(step.Session).toBeDefined();
    const done = await respond(seed, 'PASSWORD', step.Session, { USERNAME: 'ua-pass', PASSWORD });
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
    // The Session is spent by its answer.
    await rejects(respond(seed, 'PASSWORD', step.Session, { USERNAME: 'ua-pass', PASSWORD }), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A: the PASSWORD_VERIFIER step', async () => {
    await signUpConfirmed(t.corral, seed, 'ua-srp', PASSWORD, { email: 'ua-srp@example.com' });
    const srp = new SrpClient(seed.poolId);
    const step = await userAuth(seed, { USERNAME: 'ua-srp', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.srpA });
    expect(step.ChallengeName).toBe('PASSWORD_VERIFIER');
    const done = await respond(seed, 'PASSWORD_VERIFIER', step.Session, srp.respond(PASSWORD, step.ChallengeParameters as PasswordVerifierChallenge));
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('PREFERRED_CHALLENGE EMAIL_OTP: a code by email; a wrong code is refused and the sign-in goes on; the code works once', async () => {
    await signUpConfirmed(t.corral, seed, 'ua-otp', PASSWORD, { email: 'ua-otp@example.com' });
    const step = await userAuth(seed, { USERNAME: 'ua-otp', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(step.ChallengeName).toBe('EMAIL_OTP');
    expect(step.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' });
    const code = await latestCode(t.corral, 'ua-otp@example.com');
    await rejects(
      respond(seed, 'EMAIL_OTP', step.Session, { USERNAME: 'ua-otp', EMAIL_OTP_CODE: wrongCode(code) }),
      'CodeMismatchException',
      'Invalid code or auth state for the user.',
    );
    const done = await respond(seed, 'EMAIL_OTP', step.Session, { USERNAME: 'ua-otp', EMAIL_OTP_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    await rejects(
      respond(seed, 'EMAIL_OTP', step.Session, { USERNAME: 'ua-otp', EMAIL_OTP_CODE: code }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
  });

  it('no preference: SELECT_CHALLENGE with AvailableChallenges; ANSWER EMAIL_OTP sends a code, ANSWER PASSWORD takes the password', async () => {
    await signUpConfirmed(t.corral, seed, 'ua-select', PASSWORD, { email: 'ua-select@example.com' });
    const step = await userAuth(seed, { USERNAME: 'ua-select' });
    expect(step.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(step.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const otp = await respond(seed, 'SELECT_CHALLENGE', step.Session, { USERNAME: 'ua-select', ANSWER: 'EMAIL_OTP' });
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    const done = await respond(seed, 'EMAIL_OTP', otp.Session, { USERNAME: 'ua-select', EMAIL_OTP_CODE: await latestCode(t.corral, 'ua-select@example.com') });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();

    const again = await userAuth(seed, { USERNAME: 'ua-select', PREFERRED_CHALLENGE: 'SMS_OTP' }); // not allowed here: the choice
    expect(again.ChallengeName).toBe('SELECT_CHALLENGE');
    await rejects(respond(seed, 'SELECT_CHALLENGE', again.Session, { USERNAME: 'someone-else', ANSWER: 'PASSWORD', PASSWORD }), 'NotAuthorizedException');
    const pw = await respond(seed, 'SELECT_CHALLENGE', again.Session, { USERNAME: 'ua-select', ANSWER: 'PASSWORD', PASSWORD });
    expect(pw.AuthenticationResult?.AccessToken).toBeDefined();

    const third = await userAuth(seed, { USERNAME: 'ua-select' });
    await rejects(respond(seed, 'SELECT_CHALLENGE', third.Session, { USERNAME: 'ua-select', ANSWER: 'SMS_OTP' }), 'InvalidParameterException');
  });

  it('MFA: a password first factor is followed by the user’s email MFA; an EMAIL_OTP first factor is not', async () => {
    const mfaSeed = await createWildRydesPool(
      t.corral,
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
      { ExplicitAuthFlows: [...FLOWS] },
    );
    await t.corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: mfaSeed.poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }));
    await signUpConfirmed(t.corral, mfaSeed, 'ua-mfa', PASSWORD, { email: 'ua-mfa@example.com' });
    const signedIn = await userAuth(mfaSeed, { USERNAME: 'ua-mfa', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const factors = await t.pub.send(new GetUserAuthFactorsCommand({ AccessToken }));
    expect(factors).toMatchObject({
      Username: 'ua-mfa',
      PreferredMfaSetting: 'EMAIL_OTP',
      UserMFASettingList: ['EMAIL_OTP'],
      ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP'],
    });

    const withPassword = await userAuth(mfaSeed, { USERNAME: 'ua-mfa', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    expect(withPassword.ChallengeName).toBe('EMAIL_OTP'); // the MFA challenge
    // A first-factor answer cannot stand in for the MFA one (different codes): the MFA code finishes it.
    const mfaDone = await respond(mfaSeed, 'EMAIL_OTP', withPassword.Session, {
      USERNAME: 'ua-mfa',
      EMAIL_OTP_CODE: await latestCode(t.corral, 'ua-mfa@example.com'),
    });
    expect(mfaDone.AuthenticationResult?.AccessToken).toBeDefined();

    const withOtp = await userAuth(mfaSeed, { USERNAME: 'ua-mfa', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(withOtp.ChallengeName).toBe('EMAIL_OTP');
    const otpDone = await respond(mfaSeed, 'EMAIL_OTP', withOtp.Session, {
      USERNAME: 'ua-mfa',
      EMAIL_OTP_CODE: await latestCode(t.corral, 'ua-mfa@example.com'),
    });
    expect(otpDone.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('passwordless sign-up → ConfirmSignUp Session → USER_AUTH with that Session signs in once', async () => {
    const signed = await t.pub.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'ua-nopass', UserAttributes: [{ Name: 'email', Value: 'ua-nopass@example.com' }] }),
    );
    expect(signed.UserConfirmed).toBe(false);
    const code = await latestCode(t.corral, 'ua-nopass@example.com');
    const confirmed = await t.pub.send(new ConfirmSignUpCommand({ ClientId: seed.clientId, Username: 'ua-nopass', ConfirmationCode: code }));
    expect(confirmed.Session).toBeDefined();
    const done = await userAuth(seed, { USERNAME: 'ua-nopass' }, confirmed.Session);
    const AccessToken = done.AuthenticationResult!.AccessToken!;
    expect(AccessToken).toBeDefined();
    await rejects(userAuth(seed, { USERNAME: 'ua-nopass' }, confirmed.Session), 'NotAuthorizedException', 'Invalid session for the user.');
    expect((await t.pub.send(new GetUserAuthFactorsCommand({ AccessToken }))).ConfiguredUserAuthFactors).toEqual(['EMAIL_OTP']);

    // No password: only the email code is offered, and the password flows know no password.
    const step = await userAuth(seed, { USERNAME: 'ua-nopass' });
    expect(step.AvailableChallenges).toEqual(['EMAIL_OTP']);
    await rejects(
      t.pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ua-nopass', PASSWORD } })),
      'NotAuthorizedException',
    );
  });

  it('refusals: passwordless sign-up in a password-only pool, USER_AUTH not enabled for the client, passkeys not allowed', async () => {
    await rejects(
      t.pub.send(
        new SignUpCommand({ ClientId: t.seed.clientId, Username: 'ua-refused', UserAttributes: [{ Name: 'email', Value: 'ua-refused@example.com' }] }),
      ),
      'InvalidParameterException',
    );
    await rejects(
      t.pub.send(new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'ua-pass' } })),
      'InvalidParameterException',
      'USER_AUTH flow not enabled for this client',
    );
    // A pool that does not allow WEB_AUTHN (passkeys: test/idp/webauthn.test.ts) answers a preferred WEB_AUTHN with the choice.
    expect((await userAuth(seed, { USERNAME: 'ua-pass', PREFERRED_CHALLENGE: 'WEB_AUTHN' })).ChallengeName).toBe('SELECT_CHALLENGE');
    // ConfirmSignUp gives no Session to a client without USER_AUTH.
    await t.pub.send(
      new SignUpCommand({
        ClientId: t.seed.clientId,
        Username: 'ua-legacy',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'ua-legacy@example.com' }],
      }),
    );
    const confirmed = await t.pub.send(
      new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'ua-legacy', ConfirmationCode: await latestCode(t.corral, 'ua-legacy@example.com') }),
    );
    expect(confirmed.Session).toBeUndefined();
  });
});

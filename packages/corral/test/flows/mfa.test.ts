// MFA over HTTP with the AWS SDK v3, on both databases: TOTP registration (access token and MFA_SETUP Session),
// SOFTWARE_TOKEN_MFA / SMS_MFA / SELECT_MFA_TYPE sign-ins, preferences, wrong / reused codes, expired sessions.
import {
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { nextTotpCode, totpCode } from '../support/mfa.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/corral-sms', ExternalId: 'corral' };
// VerifySoftwareToken's answer to a wrong code, in AWS's words (aws-samples/aws-amplify-auth-starters#15).
const CODE_MISMATCH = 'Code mismatch and fail enable Software Token MFA';

describeEachBackend('MFA (SDK)', (backend) => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded(backend);
  });
  afterAll(() => t.stop());
  afterEach(() => {
    t.corral.app.now = () => Date.now();
  });

  const mfaConfig = (seed: SeedPool, input: Omit<ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0], 'UserPoolId'>) =>
    t.corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: seed.poolId, ...input }));
  const signIn = (seed: SeedPool, USERNAME: string): Promise<InitiateAuthCommandOutput> =>
    t.pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
  const respond = (seed: SeedPool, ChallengeName: string, Session: string | undefined, responses: Record<string, string>) =>
    t.pub.send(
      new RespondToAuthChallengeCommand({ ClientId: seed.clientId, ChallengeName: ChallengeName as 'SMS_MFA', Session, ChallengeResponses: responses }),
    );
  const rejects = (p: Promise<unknown>, name: string, message?: string) => expect(p).rejects.toMatchObject({ name, ...(message ? { message } : {}) });

  /** A confirmed user signed in (no MFA yet): its access token. */
  async function newUser(seed: SeedPool, username: string, attributes: Record<string, string> = {}): Promise<string> {
    await signUpConfirmed(t.corral, seed, username, PASSWORD, { email: `${username}@example.com`, ...attributes });
    return (await signIn(seed, username)).AuthenticationResult!.AccessToken!;
  }
  /** Registers an authenticator with the access token; the code used is the current step's. */
  async function registerTotp(AccessToken: string, FriendlyDeviceName?: string): Promise<string> {
    const { SecretCode } = await t.pub.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await t.pub.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(SecretCode!), FriendlyDeviceName }));
    return SecretCode!;
  }

  it('TOTP with the access token: register, prefer, sign in with a code; wrong, reused and late answers fail as Cognito says', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const access = await newUser(seed, 'totp1');

    // Preferring TOTP before an authenticator is registered is refused.
    await rejects(
      t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    );

    const { SecretCode, Session } = await t.pub.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    expect(SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(Session).toBeUndefined();
    const wrong = totpCode(SecretCode!) === '000000' ? '111111' : '000000';
    await rejects(t.pub.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: wrong })), 'EnableSoftwareTokenMFAException', CODE_MISMATCH);
    const verifyCode = totpCode(SecretCode!);
    const ok = await t.pub.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: verifyCode, FriendlyDeviceName: 'Phone' }));
    expect(ok.Status).toBe('SUCCESS');
    // Registered, not yet turned on: sign-in still needs no code.
    expect((await t.pub.send(new GetUserCommand({ AccessToken: access }))).UserMFASettingList).toBeUndefined();
    expect((await signIn(seed, 'totp1')).AuthenticationResult).toBeDefined();

    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const me = await t.pub.send(new GetUserCommand({ AccessToken: access }));
    expect(me).toMatchObject({ PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] });
    expect(me.MFAOptions).toBeUndefined();

    const challenge = await signIn(seed, 'totp1');
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(challenge.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'Phone', USER_ID_FOR_SRP: 'totp1' });
    expect(challenge.Session).toBeTruthy();

    const badCode = nextTotpCode(SecretCode!) === '123456' ? '654321' : '123456';
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'totp1', SOFTWARE_TOKEN_MFA_CODE: badCode }),
      'CodeMismatchException',
      'Invalid code received for user',
    );
    // The code verification just used is spent; the next step's code (within the ±1 window) signs in, same Session.
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'totp1', SOFTWARE_TOKEN_MFA_CODE: verifyCode }),
      'ExpiredCodeException',
      'Your software token has already been used once.',
    );
    const code = nextTotpCode(SecretCode!);
    const done = await respond(seed, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: 'totp1', SOFTWARE_TOKEN_MFA_CODE: code });
    expect(done.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();

    // The same code again, in a new sign-in: refused.
    const again = await signIn(seed, 'totp1');
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', again.Session, { USERNAME: 'totp1', SOFTWARE_TOKEN_MFA_CODE: code }),
      'ExpiredCodeException',
      'Your software token has already been used once.',
    );
    // A Session past AuthSessionValidity (3 min) is refused; a Session for another challenge too.
    t.corral.app.now = () => Date.now() + 4 * 60_000;
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', again.Session, { USERNAME: 'totp1', SOFTWARE_TOKEN_MFA_CODE: totpCode(SecretCode!, Date.now() + 4 * 60_000) }),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
    t.corral.app.now = () => Date.now();
    await rejects(
      respond(seed, 'SMS_MFA', again.Session, { USERNAME: 'totp1', SMS_MFA_CODE: '123456' }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );

    // Turning TOTP off: sign-in needs no code again.
    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: false } }));
    expect(await t.pub.send(new GetUserCommand({ AccessToken: access }))).not.toHaveProperty('PreferredMfaSetting');
    expect((await signIn(seed, 'totp1')).AuthenticationResult).toBeDefined();
  });

  it('wrong MFA codes count: after five, the user is locked out even with a right code (a right password does not reset it)', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const access = await newUser(seed, 'guesser');
    const secret = await registerTotp(access);
    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const wrong = (s: string) => String((Number(nextTotpCode(secret)) + Number(s)) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 5; i++) {
      const c = await signIn(seed, 'guesser'); // a fresh sign-in each time
      await rejects(
        respond(seed, 'SOFTWARE_TOKEN_MFA', c.Session, { USERNAME: 'guesser', SOFTWARE_TOKEN_MFA_CODE: wrong(String(i * 7919)) }),
        'CodeMismatchException',
      );
    }
    const c = await signIn(seed, 'guesser');
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', c.Session, { USERNAME: 'guesser', SOFTWARE_TOKEN_MFA_CODE: nextTotpCode(secret) }),
      'NotAuthorizedException',
      'Password attempts exceeded',
    );
  });

  it('MFA ON, TOTP only: MFA_SETUP → AssociateSoftwareToken(Session) → VerifySoftwareToken(Session) → MFA_SETUP answer → tokens; then SOFTWARE_TOKEN_MFA', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    await signUpConfirmed(t.corral, seed, 'setup1', PASSWORD, { email: 'setup1@example.com' });

    const first = await signIn(seed, 'setup1');
    expect(first.ChallengeName).toBe('MFA_SETUP');
    expect(first.ChallengeParameters).toEqual({ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: 'setup1' });
    // Answering without setting anything up does not sign in.
    await rejects(respond(seed, 'MFA_SETUP', first.Session, { USERNAME: 'setup1' }), 'NotAuthorizedException', 'Invalid session for the user.');

    const assoc = await t.pub.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
    expect(assoc.SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(assoc.Session).toBeTruthy();
    await rejects(
      t.pub.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: '000000' === totpCode(assoc.SecretCode!) ? '111111' : '000000' })),
      'EnableSoftwareTokenMFAException',
      CODE_MISMATCH,
    );
    const verified = await t.pub.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totpCode(assoc.SecretCode!) }));
    expect(verified.Status).toBe('SUCCESS');
    expect(verified.Session).toBeTruthy();
    const done = await respond(seed, 'MFA_SETUP', verified.Session, { USERNAME: 'setup1' });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    const me = await t.pub.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
    expect(me).toMatchObject({ PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] });

    const next = await signIn(seed, 'setup1');
    expect(next.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(next.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'TOTP device', USER_ID_FOR_SRP: 'setup1' });
    const tokens = await respond(seed, 'SOFTWARE_TOKEN_MFA', next.Session, { USERNAME: 'setup1', SOFTWARE_TOKEN_MFA_CODE: nextTotpCode(assoc.SecretCode!) });
    expect(tokens.AuthenticationResult?.IdToken).toBeTruthy();

    // A SOFTWARE_TOKEN_MFA Session past its validity is refused.
    const later = await signIn(seed, 'setup1');
    t.corral.app.now = () => Date.now() + 4 * 60_000;
    await rejects(
      respond(seed, 'SOFTWARE_TOKEN_MFA', later.Session, { USERNAME: 'setup1', SOFTWARE_TOKEN_MFA_CODE: '123456' }),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('a pool without TOTP refuses AssociateSoftwareToken; an expired MFA_SETUP Session is refused', async () => {
    const seed = await createWildRydesPool(t.corral);
    const access = await newUser(seed, 'nototp');
    await rejects(
      t.pub.send(new AssociateSoftwareTokenCommand({ AccessToken: access })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA has not been enabled by the userPool.',
    );

    await mfaConfig(seed, { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const first = await signIn(seed, 'nototp');
    expect(first.ChallengeName).toBe('MFA_SETUP');
    t.corral.app.now = () => Date.now() + 4 * 60_000;
    await rejects(
      t.pub.send(new AssociateSoftwareTokenCommand({ Session: first.Session })),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('SMS MFA: the code goes out by SMS (outbox), CODE_DELIVERY_* in the challenge; a right code signs in and verifies the phone', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS }, SoftwareTokenMfaConfiguration: { Enabled: true } });
    const phone = '+14255550101';
    const access = await newUser(seed, 'texter', { phone_number: phone });
    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true } }));
    expect(await t.pub.send(new GetUserCommand({ AccessToken: access }))).toMatchObject({
      UserMFASettingList: ['SMS_MFA'],
      MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
    });

    const c = await signIn(seed, 'texter');
    expect(c.ChallengeName).toBe('SMS_MFA');
    expect(c.ChallengeParameters).toEqual({ CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0101', USER_ID_FOR_SRP: 'texter' });
    const code = await latestCode(t.corral, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    await rejects(
      respond(seed, 'SMS_MFA', c.Session, { USERNAME: 'texter', SMS_MFA_CODE: wrong }),
      'CodeMismatchException',
      'Invalid code or auth state for the user.',
    );
    const done = await respond(seed, 'SMS_MFA', c.Session, { USERNAME: 'texter', SMS_MFA_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // Spent: the same Session and code cannot sign in twice.
    await rejects(respond(seed, 'SMS_MFA', c.Session, { USERNAME: 'texter', SMS_MFA_CODE: code }), 'NotAuthorizedException');
    const me = await t.pub.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
    expect(me.UserAttributes).toContainEqual({ Name: 'phone_number_verified', Value: 'true' });
  });

  it('SELECT_MFA_TYPE when SMS and TOTP are on and none preferred; SMS cannot be turned on without a phone or in a pool without SMS', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const access = await newUser(seed, 'chooser', { phone_number: '+14255550102' });
    await rejects(
      t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true } })),
      'InvalidParameterException',
      'SMS_MFA is not enabled for this user pool.',
    );
    await mfaConfig(seed, { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS }, SoftwareTokenMfaConfiguration: { Enabled: true } });
    const noPhone = await newUser(seed, 'nophone');
    await rejects(
      t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: noPhone, SMSMfaSettings: { Enabled: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SMS_MFA',
    );

    const secret = await registerTotp(access);
    await t.pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true } }));
    expect(await t.pub.send(new GetUserCommand({ AccessToken: access }))).toMatchObject({ UserMFASettingList: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] });

    const c = await signIn(seed, 'chooser');
    expect(c.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(c.ChallengeParameters).toEqual({ MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: 'chooser' });
    const picked = await respond(seed, 'SELECT_MFA_TYPE', c.Session, { USERNAME: 'chooser', ANSWER: 'SOFTWARE_TOKEN_MFA' });
    expect(picked.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await respond(seed, 'SOFTWARE_TOKEN_MFA', picked.Session, { USERNAME: 'chooser', SOFTWARE_TOKEN_MFA_CODE: nextTotpCode(secret) });
    expect(done.AuthenticationResult).toBeDefined();

    // The admin prefers SMS (signed call): the SMS challenge comes directly.
    await t.corral.idp.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: seed.poolId, Username: 'chooser', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const direct = await signIn(seed, 'chooser');
    expect(direct.ChallengeName).toBe('SMS_MFA');
    // Unsigned, the admin call is refused.
    await expect(
      t.pub.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: seed.poolId, Username: 'chooser', SMSMfaSettings: { Enabled: false } })),
    ).rejects.toBeDefined();
  });

  it('MFA ON with SMS: a user with a phone number gets SMS_MFA directly; one without gets MFA_SETUP listing the factors', async () => {
    const seed = await createWildRydesPool(t.corral);
    await mfaConfig(seed, { MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsConfiguration: SMS }, SoftwareTokenMfaConfiguration: { Enabled: true } });
    await signUpConfirmed(t.corral, seed, 'onphone', PASSWORD, { email: 'onphone@example.com', phone_number: '+14255550103' });
    await signUpConfirmed(t.corral, seed, 'onnophone', PASSWORD, { email: 'onnophone@example.com' });
    const withPhone = await signIn(seed, 'onphone');
    expect(withPhone.ChallengeName).toBe('SMS_MFA');
    const done = await respond(seed, 'SMS_MFA', withPhone.Session, { USERNAME: 'onphone', SMS_MFA_CODE: await latestCode(t.corral, '+14255550103') });
    expect(done.AuthenticationResult).toBeDefined();
    const without = await signIn(seed, 'onnophone');
    expect(without.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(without.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
  });
});

// Lambda-style triggers over real HTTP with the SDK, on both storage backends: each trigger's effect, the event it
// sees, and Cognito's error mapping; module functions (in-process) and an HTTP function endpoint.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminAddUserToGroupCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { SrpClient } from '../support/srp-client.js';
import { arn, claims, clearTriggers, latestMessage, onTrigger, probeModule, startUrlFunction, type UrlFunction } from './support.js';

const PASSWORD = 'Unicorn!Ride42';
const attrs = (a: Record<string, string>) => Object.entries(a).map(([Name, Value]) => ({ Name, Value }));

async function rejected(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describeEachBackend('triggers', (backend) => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let urlFn: UrlFunction;
  const probe = probeModule();
  const names = ['pre-sign-up', 'post-confirmation', 'pre-auth', 'post-auth', 'pre-token', 'custom-message', 'migrate', 'bad-answer'];

  beforeAll(async () => {
    urlFn = await startUrlFunction();
    corral = await startTestCorral({
      backend,
      config: { functions: { ...Object.fromEntries(names.map((n) => [n, { module: probe }])), 'by-url': { url: urlFn.url } } },
    });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
    await urlFn.close();
  });
  afterEach(() => clearTriggers());

  const poolWith = (LambdaConfig: LambdaConfigType, pool: Parameters<typeof createWildRydesPool>[1] = {}) =>
    createWildRydesPool(corral, { LambdaConfig, ...pool });
  const signUp = (seed: SeedPool, Username: string, a: Record<string, string>, extra: object = {}) =>
    pub.send(new SignUpCommand({ ClientId: seed.clientId, Username, Password: PASSWORD, UserAttributes: attrs(a), ...extra }));
  const passwordAuth = (seed: SeedPool, USERNAME: string, PASSWORD_: string = PASSWORD) =>
    pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } }));
  const srpSignIn = async (seed: SeedPool, USERNAME: string, password: string) => {
    const srp = new SrpClient(seed.poolId);
    const start = await pub.send(
      new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA } }),
    );
    return pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: start.Session,
        ChallengeResponses: srp.respond(password, start.ChallengeParameters as never),
      }),
    );
  };
  const signUpConfirmed = async (seed: SeedPool, username: string, a: Record<string, string>) => {
    await signUp(seed, username, a);
    await pub.send(new ConfirmSignUpCommand({ ClientId: seed.clientId, Username: username, ConfirmationCode: await latestCode(corral, a.email!) }));
  };

  describe('PreSignUp', () => {
    it('sees the attributes, validationData and clientMetadata; autoConfirmUser + autoVerifyEmail confirm the user, verify and claim the email alias, and send no code', async () => {
      const seed = await poolWith({ PreSignUp: arn('pre-sign-up') });
      const events = onTrigger('pre-sign-up', (e) => {
        e.response.autoConfirmUser = true;
        e.response.autoVerifyEmail = true;
      });
      const out = await signUp(seed, 'auto', { email: 'auto@example.com' }, { ValidationData: attrs({ invite: 'gold' }), ClientMetadata: { from: 'test' } });
      expect(out.UserConfirmed).toBe(true);
      expect(out.CodeDeliveryDetails).toBeUndefined();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        version: '1',
        triggerSource: 'PreSignUp_SignUp',
        region: 'us-east-1',
        userPoolId: seed.poolId,
        userName: 'auto',
        callerContext: { clientId: seed.clientId },
        request: { userAttributes: { email: 'auto@example.com' }, validationData: { invite: 'gold' }, clientMetadata: { from: 'test' } },
        response: {},
      });
      const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'auto' }));
      expect(user.UserStatus).toBe('CONFIRMED');
      expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
      expect(await latestMessage(corral.url, 'auto@example.com')).toBeUndefined();
      // The verified email is a sign-in alias at once.
      const signedIn = await passwordAuth(seed, 'auto@example.com');
      expect(claims(signedIn.AuthenticationResult!.IdToken!)['cognito:username']).toBe('auto');
    });

    it('without autoConfirmUser the user is UNCONFIRMED and gets the code', async () => {
      const seed = await poolWith({ PreSignUp: arn('pre-sign-up') });
      onTrigger('pre-sign-up', () => undefined);
      const out = await signUp(seed, 'normal', { email: 'normal@example.com' });
      expect(out.UserConfirmed).toBe(false);
      expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    });

    it('a throwing function refuses the sign-up: UserLambdaValidationException "PreSignUp failed with error <message>." and no user', async () => {
      const seed = await poolWith({ PreSignUp: arn('pre-sign-up') });
      onTrigger('pre-sign-up', () => {
        throw new Error('Riders only');
      });
      const err = await rejected(signUp(seed, 'refused', { email: 'refused@example.com' }));
      expect(err.name).toBe('UserLambdaValidationException');
      expect(err.message).toBe('PreSignUp failed with error Riders only.');
      const missing = await rejected(corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'refused' })));
      expect(missing.name).toBe('UserNotFoundException');
    });

    it('AdminCreateUser runs it as PreSignUp_AdminCreateUser (no client); autoVerifyEmail verifies the email', async () => {
      const seed = await poolWith({ PreSignUp: arn('pre-sign-up') });
      const events = onTrigger('pre-sign-up', (e) => {
        e.response.autoVerifyEmail = true;
      });
      const out = await corral.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: seed.poolId,
          Username: 'invited',
          UserAttributes: attrs({ email: 'invited@example.com' }),
          MessageAction: 'SUPPRESS',
        }),
      );
      expect(out.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect(out.User?.Attributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
      expect(events[0]).toMatchObject({
        triggerSource: 'PreSignUp_AdminCreateUser',
        userName: 'invited',
        callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
      });
    });
  });

  describe('PostConfirmation', () => {
    it('runs after ConfirmSignUp and ConfirmForgotPassword with the confirmed user; a failure is reported but the confirmation stands', async () => {
      const seed = await poolWith({ PostConfirmation: arn('post-confirmation') });
      const events = onTrigger('post-confirmation', () => undefined);
      await signUpConfirmed(seed, 'confirmed', { email: 'confirmed@example.com' });
      expect(events[0]).toMatchObject({
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        userName: 'confirmed',
        request: { userAttributes: { email: 'confirmed@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
      });

      await pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'confirmed' }));
      onTrigger('post-confirmation', () => {
        throw new Error('CRM down');
      });
      const code = await latestCode(corral, 'confirmed@example.com');
      const err = await rejected(
        pub.send(new ConfirmForgotPasswordCommand({ ClientId: seed.clientId, Username: 'confirmed', ConfirmationCode: code, Password: 'New!Password42' })),
      );
      expect(err.name).toBe('UserLambdaValidationException');
      expect(err.message).toBe('PostConfirmation failed with error CRM down.');
      // The new password was set all the same.
      expect((await passwordAuth(seed, 'confirmed', 'New!Password42')).AuthenticationResult?.IdToken).toBeTruthy();
    });
  });

  describe('PreAuthentication / PostAuthentication', () => {
    it('PreAuthentication denies before the password is judged: a right and a wrong password get the same refusal', async () => {
      const seed = await poolWith({});
      await signUpConfirmed(seed, 'denied', { email: 'denied@example.com' });
      await corral.idp.send(
        new UpdateUserPoolCommand({ UserPoolId: seed.poolId, AutoVerifiedAttributes: ['email'], LambdaConfig: { PreAuthentication: arn('pre-auth') } }),
      );
      const events = onTrigger('pre-auth', (e) => {
        if (e.userName === 'denied') throw new Error('Account under review');
      });
      for (const password of [PASSWORD, 'Wrong!Password1']) {
        const err = await rejected(passwordAuth(seed, 'denied', password));
        expect(err.name).toBe('UserLambdaValidationException');
        expect(err.message).toBe('PreAuthentication failed with error Account under review.');
      }
      expect(events[0]).toMatchObject({ triggerSource: 'PreAuthentication_Authentication', userName: 'denied', callerContext: { clientId: seed.clientId } });
      // An unknown name (PreventUserExistenceErrors): the function is told userNotFound.
      const unknownEvents = onTrigger('pre-auth', () => undefined);
      const unknown = await rejected(passwordAuth(seed, 'nobody'));
      expect(unknown.name).toBe('NotAuthorizedException');
      expect(unknownEvents[0]).toMatchObject({ userName: 'nobody', request: { userNotFound: true } });
    });

    it('PostAuthentication runs once the user has signed in (SRP or password); a throw fails the sign-in', async () => {
      const seed = await poolWith({ PostAuthentication: arn('post-auth'), PreAuthentication: arn('pre-auth') });
      onTrigger('pre-auth', () => undefined);
      await signUpConfirmed(seed, 'poster', { email: 'poster@example.com' });
      const events = onTrigger('post-auth', () => undefined);
      await passwordAuth(seed, 'poster');
      expect(events.map((e) => e.triggerSource)).toEqual(['PostAuthentication_Authentication']);
      expect(events[0]!.request.userAttributes['cognito:user_status']).toBe('CONFIRMED');
      onTrigger('post-auth', () => {
        throw new Error('Too many sign-ins');
      });
      const err = await rejected(passwordAuth(seed, 'poster'));
      expect(err).toMatchObject({ name: 'UserLambdaValidationException', message: 'PostAuthentication failed with error Too many sign-ins.' });
    });
  });

  describe('PreTokenGeneration', () => {
    it('V1: adds and suppresses ID token claims, overrides groups, never touches reserved claims; refreshes say TokenGeneration_RefreshTokens', async () => {
      const seed = await poolWith({ PreTokenGeneration: arn('pre-token') });
      await signUpConfirmed(seed, 'shaped', { email: 'shaped@example.com', 'custom:genre': 'Jazz' });
      await corral.idp.send(new CreateGroupCommand({ UserPoolId: seed.poolId, GroupName: 'riders' }));
      await corral.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: seed.poolId, Username: 'shaped', GroupName: 'riders' }));
      const events = onTrigger('pre-token', (e) => {
        e.response.claimsOverrideDetails = {
          claimsToAddOrOverride: { tier: 'gold', sub: 'forged', iss: 'https://evil.example', 'cognito:username': 'admin', email: 'other@example.com' },
          claimsToSuppress: ['custom:genre', 'token_use', 'aud', 'exp'],
          groupOverrideDetails: {
            groupsToOverride: ['vip'],
            iamRolesToOverride: ['arn:aws:iam::000000000000:role/Vip'],
            preferredRole: 'arn:aws:iam::000000000000:role/Vip',
          },
        };
      });
      const out = await passwordAuth(seed, 'shaped');
      const id = claims(out.AuthenticationResult!.IdToken!);
      const access = claims(out.AuthenticationResult!.AccessToken!);
      expect(events[0]).toMatchObject({
        version: '1',
        triggerSource: 'TokenGeneration_Authentication',
        request: {
          userAttributes: { email: 'shaped@example.com', 'custom:genre': 'Jazz' },
          groupConfiguration: { groupsToOverride: ['riders'], iamRolesToOverride: [] },
        },
      });
      expect(id).toMatchObject({
        tier: 'gold',
        email: 'other@example.com',
        token_use: 'id',
        aud: seed.clientId,
        'cognito:username': 'shaped',
        'cognito:groups': ['vip'],
      });
      expect(id['cognito:preferred_role']).toBe('arn:aws:iam::000000000000:role/Vip');
      expect(id.sub).not.toBe('forged');
      expect(String(id.iss)).toBe(`${corral.url}/${seed.poolId}`);
      expect(typeof id.exp).toBe('number');
      expect(id['custom:genre']).toBeUndefined();
      // V1 changes the ID token only, but the group override applies to both.
      expect(access.tier).toBeUndefined();
      expect(access['cognito:groups']).toEqual(['vip']);

      await pub.send(
        new InitiateAuthCommand({
          ClientId: seed.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! },
        }),
      );
      expect(events.map((e) => e.triggerSource)).toEqual(['TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens']);
    });

    it('V2_0 (PreTokenGenerationConfig): ID and access token claims and scopes', async () => {
      const seed = await poolWith({ PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: arn('pre-token') } });
      await signUpConfirmed(seed, 'scoped', { email: 'scoped@example.com' });
      const events = onTrigger('pre-token', (e) => {
        e.response.claimsAndScopeOverrideDetails = {
          idTokenGeneration: { claimsToAddOrOverride: { plan: 'pro' } },
          accessTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme', client_id: 'forged' },
            scopesToAdd: ['rides/read'],
            scopesToSuppress: ['aws.cognito.signin.user.admin'],
          },
        };
      });
      const out = await passwordAuth(seed, 'scoped');
      expect(events[0]).toMatchObject({ version: '2', request: { scopes: ['aws.cognito.signin.user.admin'] } });
      const access = claims(out.AuthenticationResult!.AccessToken!);
      expect(claims(out.AuthenticationResult!.IdToken!).plan).toBe('pro');
      expect(access).toMatchObject({ tenant: 'acme', client_id: seed.clientId, scope: 'rides/read', token_use: 'access' });
    });

    it('a malformed answer is InvalidLambdaResponseException', async () => {
      const seed = await poolWith({ PreTokenGeneration: arn('pre-token') });
      await signUpConfirmed(seed, 'malformed', { email: 'malformed@example.com' });
      onTrigger('pre-token', (e) => {
        e.response.claimsOverrideDetails = { claimsToSuppress: 'email' };
      });
      expect((await rejected(passwordAuth(seed, 'malformed'))).name).toBe('InvalidLambdaResponseException');
      onTrigger('pre-token', () => 'not the event');
      expect(await rejected(passwordAuth(seed, 'malformed'))).toMatchObject({
        name: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      });
    });
  });

  describe('CustomMessage', () => {
    it('rewrites the forgot-password email (subject and body, code filled in); a message without the code placeholder is refused', async () => {
      const seed = await poolWith({ CustomMessage: arn('custom-message') });
      const events = onTrigger('custom-message', (e) => {
        if (e.triggerSource === 'CustomMessage_ForgotPassword') {
          e.response.emailSubject = 'Reset your ride';
          e.response.emailMessage = `Your reset code: ${String(e.request.codeParameter)}`;
        }
      });
      await signUpConfirmed(seed, 'forgetful', { email: 'forgetful@example.com' });
      expect(events[0]?.triggerSource).toBe('CustomMessage_SignUp'); // answered unchanged: the pool's text
      await pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'forgetful' }));
      const mail = await latestMessage(corral.url, 'forgetful@example.com');
      expect(mail?.subject).toBe('Reset your ride');
      expect(mail?.body).toMatch(/^Your reset code: \d{6}$/);
      expect(events.at(-1)).toMatchObject({
        triggerSource: 'CustomMessage_ForgotPassword',
        request: { codeParameter: '{####}', usernameParameter: null, userAttributes: { email: 'forgetful@example.com' } },
      });

      onTrigger('custom-message', (e) => {
        e.response.emailMessage = 'No code here';
      });
      const err = await rejected(pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'forgetful' })));
      expect(err.name).toBe('InvalidLambdaResponseException');
    });

    it('AdminCreateUser invitations get usernameParameter; SMS uses smsMessage', async () => {
      const seed = await poolWith({ CustomMessage: arn('custom-message') });
      onTrigger('custom-message', (e) => {
        e.response.smsMessage = `Hi ${String(e.request.usernameParameter)}, your password is ${String(e.request.codeParameter)}`;
      });
      await corral.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: seed.poolId,
          Username: 'texted',
          TemporaryPassword: 'Temp!Pass123',
          UserAttributes: attrs({ phone_number: '+15555550123' }),
        }),
      );
      expect((await latestMessage(corral.url, '+15555550123'))?.body).toBe('Hi texted, your password is Temp!Pass123');
    });
  });

  describe('UserMigration', () => {
    it('USER_PASSWORD_AUTH migrates an unknown user with its password; SRP then works with it; SRP alone never migrates', async () => {
      const seed = await poolWith({ UserMigration: arn('migrate') });
      const events = onTrigger('migrate', (e) => {
        if (e.request.password !== 'Legacy!Pass1') throw new Error('Bad password');
        e.response.userAttributes = { email: 'legacy@example.com', email_verified: 'true', 'custom:genre': 'Blues' };
        e.response.finalUserStatus = 'CONFIRMED';
        e.response.messageAction = 'SUPPRESS';
      });
      // SRP never sends the password: no migration, the usual unknown-user answer.
      const srpFail = await rejected(srpSignIn(seed, 'legacy', 'Legacy!Pass1'));
      expect(srpFail.name).toBe('NotAuthorizedException');
      expect(events).toHaveLength(0);
      const bad = await rejected(passwordAuth(seed, 'legacy', 'Wrong!Pass1'));
      expect(bad.name).toBe('NotAuthorizedException'); // PreventUserExistenceErrors hides the failure

      const out = await passwordAuth(seed, 'legacy', 'Legacy!Pass1');
      expect(claims(out.AuthenticationResult!.IdToken!)).toMatchObject({ 'cognito:username': 'legacy', email: 'legacy@example.com', 'custom:genre': 'Blues' });
      expect(events.at(-1)).toMatchObject({ triggerSource: 'UserMigration_Authentication', userName: 'legacy', request: { password: 'Legacy!Pass1' } });
      const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'legacy' }));
      expect(user.UserStatus).toBe('CONFIRMED');
      // Now a pool user: the email alias works, and the function is not asked again.
      const calls = events.length;
      await passwordAuth(seed, 'legacy@example.com', 'Legacy!Pass1');
      expect(events.length).toBe(calls);
      expect((await srpSignIn(seed, 'legacy', 'Legacy!Pass1')).AuthenticationResult?.IdToken).toBeTruthy();
      expect(events.length).toBe(calls);
    });

    it('without PreventUserExistenceErrors a failing function is UserNotFoundException "UserMigration failed with error …."', async () => {
      const legacy = await createWildRydesPool(corral, { LambdaConfig: { UserMigration: arn('migrate') } }, { PreventUserExistenceErrors: 'LEGACY' });
      onTrigger('migrate', () => {
        throw new Error('Bad password');
      });
      expect(await rejected(passwordAuth(legacy, 'ghost', 'Wrong!Pass1'))).toMatchObject({
        name: 'UserNotFoundException',
        message: 'UserMigration failed with error Bad password.',
      });
    });

    it('ForgotPassword migrates the user RESET_REQUIRED and sends the code; ConfirmForgotPassword confirms it', async () => {
      const seed = await poolWith({ UserMigration: arn('migrate') });
      const events = onTrigger('migrate', (e) => {
        e.response.userAttributes = { email: 'reset@example.com', email_verified: 'true' };
        e.response.finalUserStatus = 'RESET_REQUIRED';
        e.response.messageAction = 'SUPPRESS';
      });
      const out = await pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'resetter' }));
      expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
      expect(events[0]).toMatchObject({ triggerSource: 'UserMigration_ForgotPassword', userName: 'resetter' });
      expect(events[0]!.request.password).toBeUndefined();
      expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'resetter' }))).UserStatus).toBe('RESET_REQUIRED');
      const code = await latestCode(corral, 'reset@example.com');
      await pub.send(new ConfirmForgotPasswordCommand({ ClientId: seed.clientId, Username: 'resetter', ConfirmationCode: code, Password: 'Fresh!Pass42' }));
      expect((await passwordAuth(seed, 'resetter', 'Fresh!Pass42')).AuthenticationResult?.AccessToken).toBeTruthy();
    });
  });

  describe('functions and errors', () => {
    it('an HTTP function endpoint receives the event by POST and answers it; its error shape is the handler failing', async () => {
      const seed = await poolWith({ PreSignUp: arn('by-url') });
      urlFn.handle((e) => ({ ...e, response: { autoConfirmUser: true } }));
      expect((await signUp(seed, 'viaurl', { email: 'viaurl@example.com' })).UserConfirmed).toBe(true);
      expect(urlFn.events.at(-1)).toMatchObject({
        triggerSource: 'PreSignUp_SignUp',
        userName: 'viaurl',
        request: { userAttributes: { email: 'viaurl@example.com' } },
      });

      urlFn.handle(() => ({ error: 'Domain not allowed' }));
      expect(await rejected(signUp(seed, 'viaurl2', { email: 'viaurl2@example.com' }))).toMatchObject({
        name: 'UserLambdaValidationException',
        message: 'PreSignUp failed with error Domain not allowed.',
      });
      urlFn.handle(() => ({ raw: 'hello' }));
      expect(await rejected(signUp(seed, 'viaurl3', { email: 'viaurl3@example.com' }))).toMatchObject({
        name: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      });
    });

    it('an unknown function is UnexpectedLambdaException naming it', async () => {
      const seed = await poolWith({ PreSignUp: arn('nowhere-to-be-found') });
      const err = await rejected(signUp(seed, 'lost', { email: 'lost@example.com' }));
      expect(err.name).toBe('UnexpectedLambdaException');
      expect(err.message).toMatch(/^PreSignUp invocation failed due to error ResourceNotFoundException: Corral has no function named nowhere-to-be-found /);
    });

    it('custom auth triggers at an HTTP function: CUSTOM_AUTH runs DefineAuthChallenge there (no longer refused as not implemented)', async () => {
      const custom = await createWildRydesPool(
        corral,
        { LambdaConfig: { DefineAuthChallenge: arn('by-url'), CreateAuthChallenge: arn('by-url'), VerifyAuthChallengeResponse: arn('by-url') } },
        { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
      );
      urlFn.handle((e) => ({ ...e, response: { issueTokens: false, failAuthentication: true } }));
      const err = await rejected(
        pub.send(new InitiateAuthCommand({ ClientId: custom.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'anyone' } })),
      );
      expect(err).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      expect(urlFn.events.at(-1)).toMatchObject({
        triggerSource: 'DefineAuthChallenge_Authentication',
        userName: 'anyone',
        request: { session: [], userNotFound: true },
      });
    });

    it('CustomEmailSender configured: the function gets the code encrypted, and Corral sends nothing itself (test/triggers/custom-sender.test.ts decrypts it)', async () => {
      const seed = await poolWith({
        CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arn('by-url') },
        KMSKeyID: 'arn:aws:kms:us-east-1:000000000000:key/corral',
      });
      urlFn.handle(() => ({ raw: '' })); // a sender's answer is not read
      await signUp(seed, 'mailer', { email: 'mailer@example.com' });
      const event = urlFn.events.at(-1)!;
      expect(event).toMatchObject({ triggerSource: 'CustomEmailSender_SignUp', userName: 'mailer', request: { type: 'customEmailSenderRequestV1' } });
      expect(Buffer.from(String(event.request.code), 'base64').subarray(0, 4).toString('hex')).toBe('01800378'); // an Encryption SDK message
      expect((await latestMessage(corral.url, 'mailer@example.com'))?.body).toMatch(/^The user pool's CustomEmailSender function was given/);
    });
  });
});

// Timeouts and CORRAL_FUNCTIONS_DIR need no database differences: SQLite only.
describe('triggers: timeout and CORRAL_FUNCTIONS_DIR', () => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  beforeAll(async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'corral-fns-'));
    writeFileSync(join(dir, 'slow.mjs'), 'export const handler = (event) => new Promise((r) => setTimeout(() => r(event), 8000));\n');
    writeFileSync(
      join(dir, 'confirm-all.js'),
      'export function handler(event, context, callback) { event.response.autoConfirmUser = true; callback(null, event); }\n',
    );
    corral = await startTestCorral({ env: { CORRAL_FUNCTIONS_DIR: dir } });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  it("the provisioning file's functions: module paths relative to the file; a malformed entry stops the start", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { readProvisionFile, declaredFunctions } = await import('../../src/runtime/provision.js');
    const dir = mkdtempSync(join(tmpdir(), 'corral-cfg-'));
    const file = join(dir, 'corral.config.json');
    writeFileSync(file, JSON.stringify({ functions: { a: { module: './fns/a.mjs' }, b: { url: 'http://127.0.0.1:1/x' } } }));
    expect(declaredFunctions(file, readProvisionFile(file))).toEqual({ a: { module: join(dir, 'fns/a.mjs') }, b: { url: 'http://127.0.0.1:1/x' } });
    writeFileSync(file, JSON.stringify({ functions: { a: { module: './a.mjs', url: 'http://x' } } }));
    expect(() => readProvisionFile(file)).toThrow(/is not a valid Corral configuration/);
  });

  it('a function from CORRAL_FUNCTIONS_DIR (Lambda callback style) runs', async () => {
    const seed = await createWildRydesPool(corral, { LambdaConfig: { PreSignUp: arn('confirm-all') } });
    const out = await pub.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'dirfn', Password: PASSWORD, UserAttributes: attrs({ email: 'dirfn@example.com' }) }),
    );
    expect(out.UserConfirmed).toBe(true);
  });

  it('no answer within 5 s: UnexpectedLambdaException "… Socket timeout while invoking Lambda function."', async () => {
    const seed = await createWildRydesPool(corral, { LambdaConfig: { PreSignUp: arn('slow') } });
    const started = Date.now();
    const err = await rejected(
      pub.send(new SignUpCommand({ ClientId: seed.clientId, Username: 'slowpoke', Password: PASSWORD, UserAttributes: attrs({ email: 'slow@example.com' }) })),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(err).toMatchObject({
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
  }, 15_000);
});

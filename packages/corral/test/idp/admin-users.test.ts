// Administrator user management over the SDK (SigV4-signed) on both databases: AdminCreateUser and its invitation,
// the NEW_PASSWORD_REQUIRED challenge, temporary password expiry, the other Admin* user actions, AdminInitiateAuth /
// AdminRespondToAuthChallenge, and ListUsers filters and pagination.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  type AttributeType,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { latestTemporaryPassword, mailTo } from '../support/invites.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { SrpClient, type PasswordVerifierChallenge } from '../support/srp-client.js';
import { publicClient, signUpConfirmed } from '../support/users.js';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

const PASSWORD = 'Unicorn!Ride42';
const NEW_PASSWORD = 'Fresh!Ride77';
const ADMIN_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

/**
 * Runs `fn` with Corral's clock moved `ms` ahead, and an admin `send` whose SigV4 clock is moved with it (a signed
 * request from the present would be refused as expired). Each call uses a fresh client: the SDK resets its clock
 * offset from the server's Date header after a response.
 */
type Send = CognitoIdentityProviderClient['send'];
async function later<T>(corral: TestCorral, ms: number, fn: (send: Send) => Promise<T>): Promise<T> {
  const realNow = corral.app.now;
  corral.app.now = () => Date.now() + ms;
  const send = (async (command: Parameters<Send>[0]) => {
    const idp = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: corral.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      systemClockOffset: ms,
    });
    try {
      return await idp.send(command as never);
    } finally {
      idp.destroy();
    }
  }) as Send;
  try {
    return await fn(send);
  } finally {
    corral.app.now = realNow;
  }
}

const attrs = (list: AttributeType[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

describeEachBackend('admin user management (SDK)', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: CognitoIdentityProviderClient;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    seed = await createWildRydesPool(corral, {}, { ExplicitAuthFlows: [...ADMIN_FLOWS] });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  const create = (Username: string, UserAttributes: Record<string, string>, extra: Partial<ConstructorParameters<typeof AdminCreateUserCommand>[0]> = {}) =>
    corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: seed.poolId,
        Username,
        UserAttributes: Object.entries(UserAttributes).map(([Name, Value]) => ({ Name, Value })),
        ...extra,
      }),
    );
  const adminAuth = (USERNAME: string, PASSWORD: string, poolId = seed.poolId, clientId = seed.clientId) =>
    corral.idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }),
    );
  const getUser = (Username: string) => corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username }));
  const passwordAuth = (USERNAME: string, PASSWORD: string) =>
    pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

  it('AdminCreateUser: FORCE_CHANGE_PASSWORD, an invitation with a generated password that meets the policy', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { User } = await create('invitee', { email: 'invitee@example.com', 'custom:genre': 'Jazz' }, { DesiredDeliveryMediums: ['EMAIL'] });
    expect(User).toMatchObject({ Username: 'invitee', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attrs(User!.Attributes)).toMatchObject({ email: 'invitee@example.com', 'custom:genre': 'Jazz', sub: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(User!.UserCreateDate).toBeInstanceOf(Date);
    expect(Math.abs(User!.UserCreateDate!.getTime() / 1000 - before)).toBeLessThan(60);

    const [invite] = await mailTo(corral, 'invitee@example.com', 1);
    expect(invite).toMatchObject({ kind: 'AdminCreateUser', subject: 'Your temporary password', username: 'invitee' });
    expect(invite!.body).toMatch(/^Your username is invitee and temporary password is \S+\. $/);
    const temp = await latestTemporaryPassword(corral, 'invitee@example.com');
    expect(temp.length).toBeGreaterThanOrEqual(8);
    expect(temp).toMatch(/[A-Z]/);
    expect(temp).toMatch(/[a-z]/);
    expect(temp).toMatch(/[0-9]/);
    expect(temp).toMatch(/[^A-Za-z0-9]/);

    const got = await getUser('invitee');
    expect(got).toMatchObject({ Username: 'invitee', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attrs(got.UserAttributes).email).toBe('invitee@example.com');
    expect(got.UserLastModifiedDate).toBeInstanceOf(Date);

    // The temporary password proven: NEW_PASSWORD_REQUIRED with what is still missing and the current attributes.
    const challenged = await adminAuth('invitee', temp);
    expect(challenged.AuthenticationResult).toBeUndefined();
    expect(challenged.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenged.Session).toBeTruthy();
    expect(challenged.ChallengeParameters!.USER_ID_FOR_SRP).toBe('invitee');
    expect(JSON.parse(challenged.ChallengeParameters!.requiredAttributes!)).toEqual([]);
    const shown = JSON.parse(challenged.ChallengeParameters!.userAttributes!);
    expect(shown).toMatchObject({ email: 'invitee@example.com', 'custom:genre': 'Jazz' });
    expect(shown.sub).toBeUndefined();

    const respond = (NEW_PASSWORD: string, extra: Record<string, string> = {}) =>
      corral.idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: seed.poolId,
          ClientId: seed.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenged.Session,
          ChallengeResponses: { USERNAME: 'invitee', NEW_PASSWORD, ...extra },
        }),
      );
    await expect(respond('weak')).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password does not conform to policy: Password not long enough',
    });
    await expect(respond(NEW_PASSWORD, { 'userAttributes.email_verified': 'true' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const done = await respond(NEW_PASSWORD, { 'userAttributes.name': 'Invited Rider' });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)).toMatchObject({ 'cognito:username': 'invitee', name: 'Invited Rider' });

    const confirmed = await getUser('invitee');
    expect(confirmed.UserStatus).toBe('CONFIRMED');
    expect(attrs(confirmed.UserAttributes).name).toBe('Invited Rider');
    await expect(adminAuth('invitee', temp)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await adminAuth('invitee', NEW_PASSWORD)).AuthenticationResult?.IdToken).toBeTruthy();
    // The session is spent: the user is no longer FORCE_CHANGE_PASSWORD.
    await expect(respond('Another!Ride9')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('AdminCreateUser: TemporaryPassword checked against the policy; SUPPRESS sends nothing; duplicates refused', async () => {
    await expect(create('weakling', { email: 'weakling@example.com' }, { TemporaryPassword: 'short' })).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(getUser('weakling')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });

    await create('quiet', { email: 'quiet@example.com' }, { TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
    expect(await mailTo(corral, 'quiet@example.com')).toEqual([]);
    expect((await passwordAuth('quiet', PASSWORD)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');

    await expect(create('quiet', {}, { MessageAction: 'SUPPRESS' })).rejects.toMatchObject({
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
    await expect(create('nomail', {}, { DesiredDeliveryMediums: ['EMAIL'] })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'User has no attribute matching desired delivery mediums',
    });
    await expect(getUser('nomail')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    // An alias pool: the username may not look like an alias (the SignUp rule).
    await expect(create('someone@example.com', {}, { MessageAction: 'SUPPRESS' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
  });

  it('AdminCreateUser with a verified email another account holds: AliasExistsException, or moved by ForceAliasCreation', async () => {
    await signUpConfirmed(corral, seed, 'holder', PASSWORD, { email: 'shared@example.com' });
    const verified = { email: 'shared@example.com', email_verified: 'true' };
    await expect(create('taker', verified, { MessageAction: 'SUPPRESS' })).rejects.toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    await expect(getUser('taker')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await create('taker', verified, { MessageAction: 'SUPPRESS', TemporaryPassword: PASSWORD, ForceAliasCreation: true });
    expect((await getUser('shared@example.com')).Username).toBe('taker');
    expect(attrs((await getUser('holder')).UserAttributes).email_verified).toBe('false');
    expect((await passwordAuth('shared@example.com', PASSWORD)).ChallengeParameters?.USER_ID_FOR_SRP).toBe('taker');
    await expect(create('flagonly', { email_verified: 'true' }, { MessageAction: 'SUPPRESS' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('AdminCreateUser by SMS (the default medium with a phone) and to both media', async () => {
    await create('texter', { phone_number: '+14255550100', email: 'texter@example.com' });
    const [sms] = await mailTo(corral, '+14255550100', 1);
    expect(sms).toMatchObject({ kind: 'AdminCreateUser', username: 'texter' });
    expect(await mailTo(corral, 'texter@example.com')).toEqual([]);
    await create('both', { phone_number: '+14255550101', email: 'both@example.com' }, { DesiredDeliveryMediums: ['EMAIL', 'SMS'] });
    expect(await mailTo(corral, '+14255550101')).toHaveLength(1);
    expect(await mailTo(corral, 'both@example.com')).toHaveLength(1);
  });

  it('temporary passwords expire per TemporaryPasswordValidityDays; RESEND issues a new one', async () => {
    await create('late', { email: 'late@example.com' }, { DesiredDeliveryMediums: ['EMAIL'] });
    const first = await latestTemporaryPassword(corral, 'late@example.com');
    const expired = { name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' };
    const auth = (send: Send, PASSWORD: string) =>
      send(
        new AdminInitiateAuthCommand({
          UserPoolId: seed.poolId,
          ClientId: seed.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'late', PASSWORD },
        }),
      );
    // Six days on it still works; seven days and a minute on (the default validity) it does not.
    await later(corral, 6 * 24 * 3600 * 1000, async (send) => expect((await auth(send, first)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED'));
    await later(corral, 7 * 24 * 3600 * 1000 + 60_000, async (send) => {
      await expect(auth(send, first)).rejects.toMatchObject(expired);
      await expect(passwordAuth('late', first)).rejects.toMatchObject(expired);
      const resent = await send(
        new AdminCreateUserCommand({ UserPoolId: seed.poolId, Username: 'late', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }),
      );
      expect(resent.User).toMatchObject({ Username: 'late', UserStatus: 'FORCE_CHANGE_PASSWORD' });
      const second = await latestTemporaryPassword(corral, 'late@example.com');
      expect(second).not.toBe(first);
      await expect(auth(send, first)).rejects.toMatchObject({ message: 'Incorrect username or password.' });
      expect((await auth(send, second)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    });
    await expect(create('nobody-here', {}, { MessageAction: 'RESEND' })).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await signUpConfirmed(corral, seed, 'selfmade', PASSWORD, { email: 'selfmade@example.com' });
    await expect(create('selfmade', {}, { MessageAction: 'RESEND' })).rejects.toMatchObject({ name: 'UnsupportedUserStateException' });
  });

  it('a pool with a shorter validity and a required attribute: requiredAttributes names it, the answer supplies it', async () => {
    const short = await createWildRydesPool(
      corral,
      {
        Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } },
        Schema: [{ Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true }],
      },
      { ExplicitAuthFlows: [...ADMIN_FLOWS] },
    );
    await corral.idp.send(
      new AdminCreateUserCommand({ UserPoolId: short.poolId, Username: 'req', TemporaryPassword: 'temporary1', MessageAction: 'SUPPRESS' }),
    );
    await later(corral, 24 * 3600 * 1000 + 60_000, (send) =>
      expect(
        send(
          new AdminInitiateAuthCommand({
            UserPoolId: short.poolId,
            ClientId: short.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'req', PASSWORD: 'temporary1' },
          }),
        ),
      ).rejects.toMatchObject({ message: 'Temporary password has expired and must be reset by an administrator.' }),
    );
    const challenged = await adminAuth('req', 'temporary1', short.poolId, short.clientId);
    expect(JSON.parse(challenged.ChallengeParameters!.requiredAttributes!)).toEqual(['userAttributes.given_name']);
    const respond = (extra: Record<string, string>) =>
      corral.idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: short.poolId,
          ClientId: short.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenged.Session,
          ChallengeResponses: { USERNAME: 'req', NEW_PASSWORD: 'permanent1', ...extra },
        }),
      );
    await expect(respond({})).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('given_name') });
    const done = await respond({ 'userAttributes.given_name': 'Req' });
    expect(decodeJwt(done.AuthenticationResult!.IdToken!).given_name).toBe('Req');
  });

  it('after NEW_PASSWORD_REQUIRED the sign-in continues: an MFA pool asks for MFA_SETUP next', async () => {
    const mfaPool = await createWildRydesPool(corral, {}, { ExplicitAuthFlows: [...ADMIN_FLOWS] });
    await corral.idp.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: mfaPool.poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }),
    );
    await corral.idp.send(
      new AdminCreateUserCommand({ UserPoolId: mfaPool.poolId, Username: 'twofactor', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }),
    );
    const challenged = await adminAuth('twofactor', PASSWORD, mfaPool.poolId, mfaPool.clientId);
    expect(challenged.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const next = await corral.idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: mfaPool.poolId,
        ClientId: mfaPool.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenged.Session,
        ChallengeResponses: { USERNAME: 'twofactor', NEW_PASSWORD },
      }),
    );
    expect(next.AuthenticationResult).toBeUndefined();
    expect(next.ChallengeName).toBe('MFA_SETUP');
    expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: mfaPool.poolId, Username: 'twofactor' }))).UserStatus).toBe('CONFIRMED');
  });

  it('SignUp is refused in an AllowAdminCreateUserOnly pool', async () => {
    const closed = await createWildRydesPool(corral, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    await expect(
      pub.send(
        new SignUpCommand({
          ClientId: closed.clientId,
          Username: 'walkin',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'walkin@example.com' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'SignUp is not permitted for this user pool' });
    const { User } = await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: closed.poolId, Username: 'invited', MessageAction: 'SUPPRESS' }));
    expect(User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('a UsernameAttributes pool: the email is the name, the username is the sub', async () => {
    const byEmail = await createWildRydesPool(corral, { AliasAttributes: undefined, UsernameAttributes: ['email'] }, { ExplicitAuthFlows: [...ADMIN_FLOWS] });
    await expect(
      corral.idp.send(new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'not-an-email', MessageAction: 'SUPPRESS' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Username should be an email.' });
    const { User } = await corral.idp.send(
      new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'mailname@example.com', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }),
    );
    expect(User!.Username).toBe(attrs(User!.Attributes).sub);
    expect(attrs(User!.Attributes).email).toBe('mailname@example.com');
    const byAlias = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: byEmail.poolId, Username: 'mailname@example.com' }));
    expect(byAlias.Username).toBe(User!.Username);
    const challenged = await adminAuth('mailname@example.com', PASSWORD, byEmail.poolId, byEmail.clientId);
    expect(challenged.ChallengeParameters!.USER_ID_FOR_SRP).toBe(User!.Username);
    await expect(
      corral.idp.send(new AdminCreateUserCommand({ UserPoolId: byEmail.poolId, Username: 'mailname@example.com', MessageAction: 'SUPPRESS' })),
    ).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'An account with the given email already exists.' });
  });

  it('AdminConfirmSignUp confirms an UNCONFIRMED user once', async () => {
    await pub.send(
      new SignUpCommand({
        ClientId: seed.clientId,
        Username: 'pending',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }],
      }),
    );
    expect((await getUser('pending')).UserStatus).toBe('UNCONFIRMED');
    await expect(passwordAuth('pending', PASSWORD)).rejects.toMatchObject({ name: 'UserNotConfirmedException' });
    await corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'pending' }));
    const got = await getUser('pending');
    expect(got.UserStatus).toBe('CONFIRMED');
    expect(attrs(got.UserAttributes).email_verified).toBeUndefined();
    expect((await passwordAuth('pending', PASSWORD)).AuthenticationResult).toBeTruthy();
    await expect(corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'pending' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    await expect(corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'ghost' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('AdminSetUserPassword: permanent → CONFIRMED; temporary → FORCE_CHANGE_PASSWORD and NEW_PASSWORD_REQUIRED (password and SRP flows)', async () => {
    await signUpConfirmed(corral, seed, 'setpw', PASSWORD, { email: 'setpw@example.com' });
    const set = (Password: string, Permanent: boolean) =>
      corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: seed.poolId, Username: 'setpw', Password, Permanent }));
    await expect(set('weak', true)).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password does not conform to policy: Password not long enough',
    });
    await set('Admin!Set11', true);
    expect((await getUser('setpw')).UserStatus).toBe('CONFIRMED');
    expect((await passwordAuth('setpw', 'Admin!Set11')).AuthenticationResult).toBeTruthy();

    await set('Temp!Set22', false);
    expect((await getUser('setpw')).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const viaPassword = await passwordAuth('setpw', 'Temp!Set22');
    expect(viaPassword.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');

    // SRP: PASSWORD_VERIFIER, then NEW_PASSWORD_REQUIRED, answered through the public API.
    const srp = new SrpClient(seed.poolId);
    const started = await pub.send(
      new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'setpw', SRP_A: srp.srpA } }),
    );
    const verified = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: srp.respond('Temp!Set22', started.ChallengeParameters as PasswordVerifierChallenge),
      }),
    );
    expect(verified.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    // A session for one challenge does not answer another user's challenge.
    await expect(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: verified.Session,
          ChallengeResponses: { USERNAME: 'invitee', NEW_PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    const done = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: verified.Session,
        ChallengeResponses: { USERNAME: 'setpw', NEW_PASSWORD },
      }),
    );
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect((await getUser('setpw')).UserStatus).toBe('CONFIRMED');
  });

  it('AdminUpdateUserAttributes (verified flags, re-verification, blank deletes) and AdminDeleteUserAttributes', async () => {
    await signUpConfirmed(corral, seed, 'editme', PASSWORD, { email: 'editme@example.com', 'custom:genre': 'Rock' });
    const update = (list: Record<string, string>) =>
      corral.idp.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: seed.poolId,
          Username: 'editme',
          UserAttributes: Object.entries(list).map(([Name, Value]) => ({ Name, Value })),
        }),
      );

    await update({ email: 'edited@example.com' });
    let a = attrs((await getUser('editme')).UserAttributes);
    expect(a).toMatchObject({ email: 'edited@example.com', email_verified: 'false' });
    expect(await latestCode(corral, 'edited@example.com')).toMatch(/^\d{6}$/);
    await expect(passwordAuth('edited@example.com', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await update({ email: 'verified@example.com', email_verified: 'true', phone_number: '+14255550123', phone_number_verified: 'true' });
    a = attrs((await getUser('editme')).UserAttributes);
    expect(a).toMatchObject({ email: 'verified@example.com', email_verified: 'true', phone_number_verified: 'true' });
    expect(await mailTo(corral, 'verified@example.com')).toEqual([]);
    expect((await passwordAuth('verified@example.com', PASSWORD)).AuthenticationResult).toBeTruthy();
    expect((await getUser('+14255550123')).Username).toBe('editme');

    await expect(update({ sub: 'x' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(update({ 'custom:nope': 'x' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await update({ 'custom:genre': '' });
    expect(attrs((await getUser('editme')).UserAttributes)['custom:genre']).toBeUndefined();

    await corral.idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'editme', UserAttributeNames: ['phone_number'] }));
    a = attrs((await getUser('editme')).UserAttributes);
    expect(a.phone_number).toBeUndefined();
    expect(a.phone_number_verified).toBeUndefined();
    await expect(
      corral.idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'editme', UserAttributeNames: ['sub'] })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('AdminDisableUser refuses sign-in, refresh and token use with "User is disabled."; AdminEnableUser restores them', async () => {
    await signUpConfirmed(corral, seed, 'switch', PASSWORD, { email: 'switch@example.com' });
    const { AuthenticationResult: r } = await adminAuth('switch', PASSWORD);
    await corral.idp.send(new AdminDisableUserCommand({ UserPoolId: seed.poolId, Username: 'switch' }));
    expect((await getUser('switch')).Enabled).toBe(false);
    const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' };
    await expect(adminAuth('switch', PASSWORD)).rejects.toMatchObject(disabled);
    await expect(passwordAuth('switch', PASSWORD)).rejects.toMatchObject(disabled);
    await expect(pub.send(new GetUserCommand({ AccessToken: r!.AccessToken! }))).rejects.toMatchObject(disabled);
    await expect(
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r!.RefreshToken! } })),
    ).rejects.toMatchObject(disabled);
    await expect(
      corral.idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: seed.poolId,
          ClientId: seed.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: r!.RefreshToken! },
        }),
      ),
    ).rejects.toMatchObject(disabled);

    await corral.idp.send(new AdminEnableUserCommand({ UserPoolId: seed.poolId, Username: 'switch' }));
    expect((await getUser('switch')).Enabled).toBe(true);
    expect((await pub.send(new GetUserCommand({ AccessToken: r!.AccessToken! }))).Username).toBe('switch');
    expect((await adminAuth('switch', PASSWORD)).AuthenticationResult).toBeTruthy();
  });

  it('AdminResetUserPassword: RESET_REQUIRED, a code to the verified email, then ConfirmForgotPassword', async () => {
    await signUpConfirmed(corral, seed, 'resetme', PASSWORD, { email: 'resetme@example.com' });
    await corral.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: seed.poolId, Username: 'resetme' }));
    expect((await getUser('resetme')).UserStatus).toBe('RESET_REQUIRED');
    await expect(passwordAuth('resetme', PASSWORD)).rejects.toMatchObject({
      name: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
    });
    const code = await latestCode(corral, 'resetme@example.com');
    await pub.send(new ConfirmForgotPasswordCommand({ ClientId: seed.clientId, Username: 'resetme', ConfirmationCode: code, Password: NEW_PASSWORD }));
    expect((await getUser('resetme')).UserStatus).toBe('CONFIRMED');
    expect((await passwordAuth('resetme', NEW_PASSWORD)).AuthenticationResult).toBeTruthy();
    // Without a verified email or phone there is nowhere to send the code. (The user is CONFIRMED first: one still in
    // FORCE_CHANGE_PASSWORD is refused before that — "User password cannot be reset in the current state.", as AWS
    // answers, seen in RunaVault/RunaVault#15; test/fidelity/users.test.ts.)
    await create('unreachable', {}, { TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' });
    await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: seed.poolId, Username: 'unreachable', Password: PASSWORD, Permanent: true }));
    await expect(corral.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: seed.poolId, Username: 'unreachable' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('AdminUserGlobalSignOut revokes access and refresh tokens; AdminDeleteUser removes the user', async () => {
    await signUpConfirmed(corral, seed, 'leaver', PASSWORD, { email: 'leaver@example.com' });
    const { AuthenticationResult: r } = await adminAuth('leaver', PASSWORD);
    await corral.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: seed.poolId, Username: 'leaver' }));
    await expect(pub.send(new GetUserCommand({ AccessToken: r!.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await expect(
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r!.RefreshToken! } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });

    await corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: seed.poolId, Username: 'leaver' }));
    await expect(getUser('leaver')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: seed.poolId, Username: 'leaver' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    await expect(passwordAuth('leaver', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // The username is free again.
    expect((await create('leaver', {}, { MessageAction: 'SUPPRESS' })).User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    await expect(corral.idp.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_nosuchpol', Username: 'leaver' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('AdminInitiateAuth: flows per ExplicitAuthFlows (modern and legacy), SRP with AdminRespondToAuthChallenge, refresh', async () => {
    await signUpConfirmed(corral, seed, 'adminflow', PASSWORD, { email: 'adminflow@example.com' });
    const { AuthenticationResult: r } = await adminAuth('adminflow', PASSWORD);
    expect(r).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(decodeJwt(r!.AccessToken!)).toMatchObject({ username: 'adminflow', client_id: seed.clientId });
    await expect(adminAuth('adminflow', 'Wrong!Pass1')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    const refreshed = await corral.idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: r!.RefreshToken! },
      }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult!.IdToken!).origin_jti).toBe(decodeJwt(r!.IdToken!).origin_jti);

    const srp = new SrpClient(seed.poolId);
    const started = await corral.idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'adminflow', SRP_A: srp.srpA },
      }),
    );
    expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
    const answered = await corral.idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: srp.respond(PASSWORD, started.ChallengeParameters as PasswordVerifierChallenge),
      }),
    );
    expect(decodeJwt(answered.AuthenticationResult!.IdToken!)['cognito:username']).toBe('adminflow');

    await expect(
      corral.idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: seed.poolId,
          ClientId: seed.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'adminflow', PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });

    // The walkthrough's client (no admin flow) refuses; a legacy ADMIN_NO_SRP_AUTH client accepts both names.
    const plain = await createWildRydesPool(corral);
    await expect(adminAuth('x', PASSWORD, plain.poolId, plain.clientId)).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('flow not enabled for this client'),
    });
    const legacy = await createWildRydesPool(corral, {}, { ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH'] });
    await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: legacy.poolId, Username: 'old', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: legacy.poolId, Username: 'old', Password: PASSWORD, Permanent: true }));
    const old = await corral.idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: legacy.poolId,
        ClientId: legacy.clientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: { USERNAME: 'old', PASSWORD },
      }),
    );
    expect(old.AuthenticationResult?.IdToken).toBeTruthy();
    expect((await adminAuth('old', PASSWORD, legacy.poolId, legacy.clientId)).AuthenticationResult).toBeTruthy();
    // A client of another pool is not this pool's client.
    await expect(adminAuth('adminflow', PASSWORD, legacy.poolId, seed.clientId)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('ListUsers: filters (= and ^=), AttributesToGet, Limit and PaginationToken', async () => {
    const listPool = await createWildRydesPool(corral);
    const mk = (Username: string, a: Record<string, string>) =>
      corral.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: listPool.poolId,
          Username,
          TemporaryPassword: PASSWORD,
          MessageAction: 'SUPPRESS',
          UserAttributes: Object.entries(a).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
    const subs: Record<string, string> = {};
    const people: Record<string, Record<string, string>> = {
      alice: { email: 'alice@example.com', given_name: 'Alice', family_name: 'Reddy', name: 'Alice Reddy' },
      alfred: { email: 'alfred@example.org', given_name: 'Alfred', family_name: 'Reddy', phone_number: '+14255550001' },
      bob: { email: 'bob@example.com', given_name: 'Bob', preferred_username: 'bobby', phone_number: '+14255550002' },
      carol: { email: 'carol@example.com', given_name: 'Carol "CJ"' },
      dave: { given_name: 'Dave' },
    };
    for (const [name, a] of Object.entries(people)) {
      subs[name] = attrs((await mk(name, a)).User!.Attributes).sub!;
    }
    await corral.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: listPool.poolId, Username: 'bob', Password: PASSWORD, Permanent: true }));
    await corral.idp.send(new AdminDisableUserCommand({ UserPoolId: listPool.poolId, Username: 'dave' }));

    const list = async (Filter?: string, extra: { Limit?: number; AttributesToGet?: string[] } = {}) =>
      (await corral.idp.send(new ListUsersCommand({ UserPoolId: listPool.poolId, Filter, ...extra }))).Users!;
    const names = (users: UserType[]) => users.map((u) => u.Username).sort();

    const all = await list();
    expect(names(all)).toEqual(['alfred', 'alice', 'bob', 'carol', 'dave']);
    expect(all.find((u) => u.Username === 'bob')).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    expect(all.find((u) => u.Username === 'dave')).toMatchObject({ Enabled: false, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(all[0]!.UserCreateDate).toBeInstanceOf(Date);
    expect(names(await list(''))).toHaveLength(5);

    expect(names(await list('email = "alice@example.com"'))).toEqual(['alice']);
    expect(names(await list('email ^= "al"'))).toEqual(['alfred', 'alice']);
    expect(names(await list('email="bob@example.com"'))).toEqual(['bob']);
    expect(names(await list('username = "carol"'))).toEqual(['carol']);
    expect(names(await list('username ^= "a"'))).toEqual(['alfred', 'alice']);
    expect(names(await list('phone_number ^= "+1425555000"'))).toEqual(['alfred', 'bob']);
    expect(names(await list('name = "Alice Reddy"'))).toEqual(['alice']);
    expect(names(await list('given_name ^= "Al"'))).toEqual(['alfred', 'alice']);
    expect(names(await list('given_name = "Carol \\"CJ\\""'))).toEqual(['carol']);
    expect(names(await list('family_name = "Reddy"'))).toEqual(['alfred', 'alice']);
    expect(names(await list('preferred_username = "bobby"'))).toEqual(['bob']);
    expect(names(await list('cognito:user_status = "CONFIRMED"'))).toEqual(['bob']);
    expect(names(await list('cognito:user_status = "force_change_password"'))).toEqual(['alfred', 'alice', 'carol', 'dave']);
    expect(names(await list('status = "Disabled"'))).toEqual(['dave']);
    expect(names(await list('status = "Enabled"'))).toHaveLength(4);
    expect(names(await list(`sub = "${subs.carol}"`))).toEqual(['carol']);
    expect(await list('email = "nobody@example.com"')).toEqual([]);

    const projected = await list('family_name = "Reddy"', { AttributesToGet: ['email'] });
    for (const u of projected) expect(u.Attributes!.map((a) => a.Name)).toEqual(['email']);

    await expect(list('custom:genre = "Jazz"')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(list('email == alice')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(list(undefined, { Limit: 61 })).rejects.toMatchObject({ name: 'InvalidParameterException' });

    // Pages of 2: every user exactly once, the last page without a token.
    const seen: string[] = [];
    let PaginationToken: string | undefined;
    let pages = 0;
    do {
      const page = await corral.idp.send(new ListUsersCommand({ UserPoolId: listPool.poolId, Limit: 2, PaginationToken }));
      expect(page.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Users!.map((u) => u.Username!));
      PaginationToken = page.PaginationToken;
      pages++;
    } while (PaginationToken);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['alfred', 'alice', 'bob', 'carol', 'dave']);
    // Filtered pages.
    const first = await corral.idp.send(new ListUsersCommand({ UserPoolId: listPool.poolId, Limit: 1, Filter: 'email ^= "al"' }));
    expect(first.Users).toHaveLength(1);
    const second = await corral.idp.send(
      new ListUsersCommand({ UserPoolId: listPool.poolId, Limit: 1, Filter: 'email ^= "al"', PaginationToken: first.PaginationToken }),
    );
    expect(second.Users).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();
    expect(names([...first.Users!, ...second.Users!])).toEqual(['alfred', 'alice']);
    await expect(corral.idp.send(new ListUsersCommand({ UserPoolId: listPool.poolId, PaginationToken: 'garbage!' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

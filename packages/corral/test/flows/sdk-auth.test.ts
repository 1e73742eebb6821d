// Sign-in flows through the AWS SDK v3 over HTTP: USER_PASSWORD_AUTH, refresh (both APIs), forgot password,
// self-service with the access token, lockout — on both databases.
import {
  AdminCreateUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { latestCode } from '../support/pools.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('SDK sign-in flows', (backend) => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded(backend);
  });
  afterAll(() => t.stop());

  const passwordAuth = (USERNAME: string, PASSWORD: string) =>
    t.pub.send(new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

  it('USER_PASSWORD_AUTH issues tokens with Cognito claims; refresh keeps auth_time and origin_jti', async () => {
    await signUpConfirmed(t.corral, t.seed, 'pw', PASSWORD, { email: 'pw@example.com', 'custom:genre': 'Rock' });
    const { AuthenticationResult: r } = await passwordAuth('pw', PASSWORD);
    expect(r).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    const id = decodeJwt(r!.IdToken!);
    expect(id).toMatchObject({
      token_use: 'id',
      aud: t.seed.clientId,
      'cognito:username': 'pw',
      email: 'pw@example.com',
      email_verified: true,
      'custom:genre': 'Rock',
    });
    expect(id.iss).toBe(`${t.corral.url}/${t.seed.poolId}`);
    const access = decodeJwt(r!.AccessToken!);
    expect(access).toMatchObject({ token_use: 'access', client_id: t.seed.clientId, username: 'pw', scope: 'aws.cognito.signin.user.admin' });

    const refreshed = await t.pub.send(
      new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r!.RefreshToken! } }),
    );
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    const id2 = decodeJwt(refreshed.AuthenticationResult!.IdToken!);
    expect(id2.auth_time).toBe(id.auth_time);
    expect(id2.origin_jti).toBe(id.origin_jti);
    expect(id2.jti).not.toBe(id.jti);

    const viaNewApi = await t.pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: t.seed.clientId, RefreshToken: r!.RefreshToken! }));
    expect(decodeJwt(viaNewApi.AuthenticationResult!.AccessToken!).origin_jti).toBe(access.origin_jti);

    const me = await t.pub.send(new GetUserCommand({ AccessToken: r!.AccessToken! }));
    expect(me.Username).toBe('pw');
    expect(me.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'custom:genre', Value: 'Rock' }]));
  });

  it('refuses wrong passwords, unknown users and unconfirmed users with Cognito errors', async () => {
    await expect(passwordAuth('pw', 'Wrong!Pass1')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // The walkthrough's client (console-made) has PreventUserExistenceErrors ENABLED.
    await expect(passwordAuth('nobody', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await t.pub.send(
      new (await import('@aws-sdk/client-cognito-identity-provider')).SignUpCommand({
        ClientId: t.seed.clientId,
        Username: 'unconf',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'unconf@example.com' }],
      }),
    );
    await expect(passwordAuth('unconf', PASSWORD)).rejects.toMatchObject({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
  });

  it('signs in with a verified email alias, not with an unverified one', async () => {
    const { AuthenticationResult } = await passwordAuth('pw@example.com', PASSWORD);
    expect(decodeJwt(AuthenticationResult!.IdToken!)['cognito:username']).toBe('pw');
    await expect(passwordAuth('unconf@example.com', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('ForgotPassword round trip (code by email, new password works, old does not)', async () => {
    await signUpConfirmed(t.corral, t.seed, 'forgetful', PASSWORD, { email: 'forgetful@example.com' });
    const sent = await t.pub.send(new ForgotPasswordCommand({ ClientId: t.seed.clientId, Username: 'forgetful' }));
    expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await latestCode(t.corral, 'forgetful@example.com');
    await expect(
      t.pub.send(new ConfirmForgotPasswordCommand({ ClientId: t.seed.clientId, Username: 'forgetful', ConfirmationCode: code, Password: 'weak' })),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await t.pub.send(new ConfirmForgotPasswordCommand({ ClientId: t.seed.clientId, Username: 'forgetful', ConfirmationCode: code, Password: 'New!Password9' }));
    await expect(passwordAuth('forgetful', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await passwordAuth('forgetful', 'New!Password9');
  });

  it('ForgotPassword refuses a user who still holds a temporary password (FORCE_CHANGE_PASSWORD)', async () => {
    await t.corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: t.seed.poolId,
        Username: 'invited',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'invited@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await expect(t.pub.send(new ForgotPasswordCommand({ ClientId: t.seed.clientId, Username: 'invited' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User password cannot be reset in the current state.',
    });
  });

  it('ChangePassword, GlobalSignOut and RevokeToken revoke what they should', async () => {
    await signUpConfirmed(t.corral, t.seed, 'changer', PASSWORD, { email: 'changer@example.com' });
    const first = (await passwordAuth('changer', PASSWORD)).AuthenticationResult!;
    await t.pub.send(new ChangePasswordCommand({ AccessToken: first.AccessToken!, PreviousPassword: PASSWORD, ProposedPassword: 'Changed!Pass1' }));
    await passwordAuth('changer', 'Changed!Pass1');

    const second = (await passwordAuth('changer', 'Changed!Pass1')).AuthenticationResult!;
    await t.pub.send(new RevokeTokenCommand({ ClientId: t.seed.clientId, Token: second.RefreshToken! }));
    await expect(
      t.pub.send(
        new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: second.RefreshToken! } }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    await expect(t.pub.send(new GetUserCommand({ AccessToken: second.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });

    const third = (await passwordAuth('changer', 'Changed!Pass1')).AuthenticationResult!;
    await t.pub.send(new GlobalSignOutCommand({ AccessToken: third.AccessToken! }));
    await expect(t.pub.send(new GetUserCommand({ AccessToken: third.AccessToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await expect(t.pub.send(new GetUserCommand({ AccessToken: first.AccessToken! }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(t.pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: t.seed.clientId, RefreshToken: third.RefreshToken! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('locks the account after 5 failures: the 6th attempt, even with the right password, is refused', async () => {
    await signUpConfirmed(t.corral, t.seed, 'locked', PASSWORD, { email: 'locked@example.com' });
    for (let i = 0; i < 5; i++) {
      await expect(passwordAuth('locked', `Wrong!Pass${i}`)).rejects.toMatchObject({ message: 'Incorrect username or password.' });
    }
    await expect(passwordAuth('locked', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    // The lock lives in the database: a second instance on the same data sees it.
    const row = await t.corral.app.db.selectFrom('users').select(['failed_attempts']).where('username', '=', 'locked').executeTakeFirstOrThrow();
    expect(Number(row.failed_attempts)).toBe(5);
    // 2^(5−5) s later it opens again.
    const realNow = t.corral.app.now;
    t.corral.app.now = () => Date.now() + 1500;
    try {
      await passwordAuth('locked', PASSWORD);
    } finally {
      t.corral.app.now = realNow;
    }
  });
});

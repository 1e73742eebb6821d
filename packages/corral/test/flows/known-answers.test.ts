// Answers we knew were off (issue 9 item 8), over HTTP with the SDK, on both databases:
//   - AttributesRequireVerificationBeforeUpdate: a new email waits for VerifyUserAttribute; the old one stays,
//     verified, shown by GetUser/AdminGetUser, and signs in (UserAttributeUpdateSettingsType, UpdateUserAttributes'
//     and AdminUpdateUserAttributes' UserAttributes in the API reference);
//   - REFRESH_TOKEN_AUTH for a deleted user: UserNotFoundException "User does not exist.";
//   - RevokeToken with an ID or access token: UnsupportedTokenTypeException; with an unknown token: success;
//   - the access token's claims per flow (`version` only from the OAuth endpoints);
//   - ForgotPassword / ResendConfirmationCode for an unconfirmed user, with and without PreventUserExistenceErrors;
//   - UserCreateDate equal to UserLastModifiedDate at creation.
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const byName = (list: AttributeType[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describeEachBackend('known answers', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: ReturnType<typeof publicClient>;
  beforeAll(async () => {
    const { startTestCorral } = await import('../support/corral.js');
    corral = await startTestCorral({ backend });
    seed = await createWildRydesPool(corral, { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  const signIn = async (USERNAME: string, PASSWORD_ = PASSWORD, ClientId = seed.clientId) =>
    (await pub.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: PASSWORD_ } })))
      .AuthenticationResult!;
  const adminAttrs = async (Username: string) => byName((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username }))).UserAttributes);

  it('UpdateUserAttributes with AttributesRequireVerificationBeforeUpdate: the old email stays until the new one is verified', async () => {
    await signUpConfirmed(corral, seed, 'waiter', PASSWORD, { email: 'old.waiter@example.com' });
    const token = (await signIn('waiter')).AccessToken!;
    const out = await pub.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [
          { Name: 'email', Value: 'new.waiter@example.com' },
          { Name: 'custom:genre', Value: 'Soul' },
        ],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/^n\*\*\*@e\*\*\*/) }]);
    const code = await latestCode(corral, 'new.waiter@example.com');
    // The original value stays active: shown, still verified, still a sign-in alias; the other attribute changed.
    const self = byName((await pub.send(new GetUserCommand({ AccessToken: token }))).UserAttributes);
    expect(self).toMatchObject({ email: 'old.waiter@example.com', email_verified: 'true', 'custom:genre': 'Soul' });
    expect(await adminAttrs('waiter')).toMatchObject({ email: 'old.waiter@example.com', email_verified: 'true' });
    expect(Object.values(await adminAttrs('waiter'))).not.toContain('new.waiter@example.com');
    await signIn('old.waiter@example.com');
    await expect(signIn('new.waiter@example.com')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(claims((await signIn('waiter')).IdToken!)).toMatchObject({ email: 'old.waiter@example.com', email_verified: true });

    const listed = await corral.idp.send(new ListUsersCommand({ UserPoolId: seed.poolId, Filter: 'username = "waiter"' }));
    expect(byName(listed.Users?.[0]?.Attributes)).toMatchObject({ email: 'old.waiter@example.com', email_verified: 'true' });
    // A new code goes to the value that waits (the old one's owner cannot confirm the new address).
    const again = await pub.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    expect(again.CodeDeliveryDetails?.Destination).toMatch(/^n\*\*\*@e\*\*\*/);
    const code2 = await latestCode(corral, 'new.waiter@example.com');
    expect(code2).not.toBe(code);
    await expect(pub.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code }))).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });

    await pub.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code2 }));
    expect(await adminAttrs('waiter')).toMatchObject({ email: 'new.waiter@example.com', email_verified: 'true' });
    await signIn('new.waiter@example.com');
    await expect(signIn('old.waiter@example.com')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('AdminUpdateUserAttributes: a new email waits too, unless email_verified is set true with it', async () => {
    await signUpConfirmed(corral, seed, 'adminwait', PASSWORD, { email: 'a1@example.com' });
    await corral.idp.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'adminwait', UserAttributes: [{ Name: 'email', Value: 'a2@example.com' }] }),
    );
    expect(await adminAttrs('adminwait')).toMatchObject({ email: 'a1@example.com', email_verified: 'true' });
    const code = await latestCode(corral, 'a2@example.com');
    await signIn('a1@example.com');
    const token = (await signIn('adminwait')).AccessToken!;
    await pub.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code }));
    expect(await adminAttrs('adminwait')).toMatchObject({ email: 'a2@example.com', email_verified: 'true' });

    await corral.idp.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: seed.poolId,
        Username: 'adminwait',
        UserAttributes: [
          { Name: 'email', Value: 'a3@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    expect(await adminAttrs('adminwait')).toMatchObject({ email: 'a3@example.com', email_verified: 'true' });
    await signIn('a3@example.com');

    // A waiting value is confirmed by an administrator setting email_verified alone.
    await corral.idp.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'adminwait', UserAttributes: [{ Name: 'email', Value: 'a4@example.com' }] }),
    );
    expect(await adminAttrs('adminwait')).toMatchObject({ email: 'a3@example.com' });
    await corral.idp.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'adminwait', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }),
    );
    expect(await adminAttrs('adminwait')).toMatchObject({ email: 'a4@example.com', email_verified: 'true' });
    await signIn('a4@example.com');
  });

  it('REFRESH_TOKEN_AUTH for a deleted user: UserNotFoundException', async () => {
    await signUpConfirmed(corral, seed, 'gone', PASSWORD, { email: 'gone@example.com' });
    const { RefreshToken } = await signIn('gone');
    await corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: seed.poolId, Username: 'gone' }));
    await expect(
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: RefreshToken! } })),
    ).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    // A token that was never issued stays "Invalid Refresh Token".
    await expect(
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: `${RefreshToken!}x` } })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    });
  });

  it('RevokeToken: an access or ID token is UnsupportedTokenTypeException; an unknown token revokes nothing', async () => {
    await signUpConfirmed(corral, seed, 'revoker', PASSWORD, { email: 'revoker@example.com' });
    const tokens = await signIn('revoker');
    for (const Token of [tokens.AccessToken!, tokens.IdToken!]) {
      await expect(pub.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token }))).rejects.toMatchObject({ name: 'UnsupportedTokenTypeException' });
    }
    await pub.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: 'not-a-refresh-token' }));
    // Nothing was revoked by those calls.
    await pub.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }));
    await pub.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: tokens.RefreshToken! }));
    await expect(pub.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).rejects.toMatchObject({ message: 'Access Token has been revoked' });
  });

  it('the access token of an API sign-in and of its refresh: Cognito’s claims, no `version`', async () => {
    await signUpConfirmed(corral, seed, 'claims', PASSWORD, { email: 'claims@example.com' });
    const first = await signIn('claims');
    const refreshed = (
      await pub.send(
        new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }),
      )
    ).AuthenticationResult!;
    const a = claims(first.AccessToken!);
    const r = claims(refreshed.AccessToken!);
    for (const c of [a, r]) {
      // (device_key too: the walkthrough's pool tracks devices)
      expect(Object.keys(c).sort()).toEqual([
        'auth_time',
        'client_id',
        'device_key',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
      ]);
      expect(c).toMatchObject({ token_use: 'access', scope: 'aws.cognito.signin.user.admin', client_id: seed.clientId, username: 'claims' });
    }
    expect(r.origin_jti).toBe(a.origin_jti);
    expect(r.auth_time).toBe(a.auth_time);
    expect(r.jti).not.toBe(a.jti);
    expect(claims(first.IdToken!).event_id).toBe(a.event_id);
  });

  it('UserCreateDate equals UserLastModifiedDate at creation (SignUp and AdminCreateUser)', async () => {
    await pub.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'fresh', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'fresh@example.com' }] }),
    );
    const signedUp = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'fresh' }));
    expect(signedUp.UserLastModifiedDate!.getTime()).toBe(signedUp.UserCreateDate!.getTime());
    const created = await corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: seed.poolId,
        Username: 'invited',
        TemporaryPassword: 'Temp!Pass42',
        UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
      }),
    );
    expect(created.User!.UserLastModifiedDate!.getTime()).toBe(created.User!.UserCreateDate!.getTime());
    const got = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'invited' }));
    expect(got.UserLastModifiedDate!.getTime()).toBe(got.UserCreateDate!.getTime());
  });

  it('ForgotPassword / ResendConfirmationCode for an unconfirmed user, with and without PreventUserExistenceErrors', async () => {
    const legacy = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: seed.poolId,
          ClientName: 'legacy',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          PreventUserExistenceErrors: 'LEGACY',
        }),
      )
    ).UserPoolClient!.ClientId!;
    await pub.send(
      new SignUpCommand({
        ClientId: seed.clientId,
        Username: 'pending',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }],
      }),
    );
    // Nothing verified to recover with: LEGACY says so; ENABLED answers a simulated delivery.
    await expect(pub.send(new ForgotPasswordCommand({ ClientId: legacy, Username: 'pending' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    const simulated = await pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'pending' }));
    expect(simulated.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    // The unconfirmed user gets a real new sign-up code either way.
    for (const ClientId of [legacy, seed.clientId]) {
      const resent = await pub.send(new ResendConfirmationCodeCommand({ ClientId, Username: 'pending' }));
      expect(resent.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/^p\*\*\*@e\*\*\*/) });
    }
  });
});

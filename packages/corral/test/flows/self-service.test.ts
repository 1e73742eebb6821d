// Self-service with an access token: attributes (update, verify, delete) and DeleteUser, via the SDK over HTTP.
import {
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { latestCode } from '../support/pools.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('self-service', (backend) => {
  let t: Seeded;
  let token: string;
  beforeAll(async () => {
    t = await startSeeded(backend);
    await signUpConfirmed(t.corral, t.seed, 'self', PASSWORD, { email: 'self@example.com', 'custom:genre': 'Folk' });
    token = await signIn('self');
  });
  afterAll(() => t.stop());

  async function signIn(USERNAME: string): Promise<string> {
    const r = await t.pub.send(new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    return r.AuthenticationResult!.AccessToken!;
  }
  const attrs = async (AccessToken: string) =>
    Object.fromEntries(((await t.pub.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a) => [a.Name, a.Value]));

  it('a changed email becomes unverified, gets a code, and is verified with it', async () => {
    const out = await t.pub.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [
          { Name: 'email', Value: 'new.self@example.com' },
          { Name: 'custom:genre', Value: 'Blues' },
        ],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([expect.objectContaining({ AttributeName: 'email', DeliveryMedium: 'EMAIL' })]);
    expect(await attrs(token)).toMatchObject({ email: 'new.self@example.com', email_verified: 'false', 'custom:genre': 'Blues' });
    // Unverified: not a sign-in alias yet.
    await expect(signIn('new.self@example.com')).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await expect(
      t.pub.send(
        new VerifyUserAttributeCommand({
          AccessToken: token,
          AttributeName: 'email',
          Code: '000000' === (await latestCode(t.corral, 'new.self@example.com')) ? '111111' : '000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await t.pub.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: await latestCode(t.corral, 'new.self@example.com') }));
    expect((await attrs(token)).email_verified).toBe('true');
    await signIn('new.self@example.com');
  });

  it('GetUserAttributeVerificationCode sends a fresh code', async () => {
    const out = await t.pub.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    expect(out.CodeDeliveryDetails).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'n***@e***' });
    await t.pub.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: await latestCode(t.corral, 'new.self@example.com') }));
  });

  it('refuses unknown and immutable attributes; deletes optional ones', async () => {
    await expect(
      t.pub.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await t.pub.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['custom:genre'] }));
    expect(await attrs(token)).not.toHaveProperty('custom:genre');
  });

  it('DeleteUser removes the user; its token stops working', async () => {
    await signUpConfirmed(t.corral, t.seed, 'leaver', PASSWORD, { email: 'leaver@example.com' });
    const leaver = await signIn('leaver');
    await t.pub.send(new DeleteUserCommand({ AccessToken: leaver }));
    await expect(t.pub.send(new GetUserCommand({ AccessToken: leaver }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await expect(signIn('leaver')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refuses a tampered access token', async () => {
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url'), s].join('.');
    await expect(t.pub.send(new GetUserCommand({ AccessToken: forged }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });
});

// Sign-up and confirmation through the AWS SDK over HTTP, on both databases.
import { ConfirmSignUpCommand, ResendConfirmationCodeCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { startSeeded, type Seeded } from '../support/users.js';
import { latestCode } from '../support/pools.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('SignUp / ConfirmSignUp', (backend) => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded(backend);
  });
  afterAll(() => t.stop());

  const signUp = (username: string, attrs: Record<string, string>, password = PASSWORD) =>
    t.pub.send(
      new SignUpCommand({
        ClientId: t.seed.clientId,
        Username: username,
        Password: password,
        UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })),
      }),
    );

  it('signs up, emails a code, confirms', async () => {
    const out = await signUp('rider|example|com', { email: 'rider@example.com', phone_number: '+14252345678', 'custom:genre': 'Jazz' });
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: expect.stringMatching(/^r\*\*\*@e\*\*\*/) });
    const code = await latestCode(t.corral, 'rider@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(
      t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'rider|example|com', ConfirmationCode: wrong })),
    ).rejects.toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    await t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'rider|example|com', ConfirmationCode: code }));
    await expect(
      t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'rider|example|com', ConfirmationCode: code })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    const user = await t.corral.app.db.selectFrom('users').selectAll().where('username', '=', 'rider|example|com').executeTakeFirstOrThrow();
    expect(JSON.parse(user.attributes)).toMatchObject({ email_verified: 'true', 'custom:genre': 'Jazz' });
    expect(user.srp_verifier).not.toContain(PASSWORD);
  });

  it('refuses weak passwords, bad phones, unknown attributes and duplicates as Cognito does', async () => {
    await expect(signUp('weak', { email: 'weak@example.com' }, 'short')).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(signUp('badphone', { email: 'bp@example.com', phone_number: '4252345678' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid phone number format.',
    });
    await expect(signUp('unknown', { email: 'u@example.com', 'custom:nope': 'x' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(signUp('a@b.com', { email: 'ab@example.com' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
    await signUp('dup', { email: 'dup@example.com' });
    await expect(signUp('dup', { email: 'dup@example.com' })).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'User already exists' });
  });

  it('resends a code that replaces the old one', async () => {
    await signUp('resend', { email: 'resend@example.com' });
    const first = await latestCode(t.corral, 'resend@example.com');
    const again = await t.pub.send(new ResendConfirmationCodeCommand({ ClientId: t.seed.clientId, Username: 'resend' }));
    expect(again.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    const second = await latestCode(t.corral, 'resend@example.com');
    if (first !== second) {
      await expect(t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'resend', ConfirmationCode: first }))).rejects.toMatchObject({
        name: 'CodeMismatchException',
      });
    }
    await t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'resend', ConfirmationCode: second }));
  });

  it('lets exactly one of 200 parallel sign-ups of one username win', async () => {
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => signUp('racer', { email: 'racer@example.com' })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(new Set(lost.map((r) => (r.reason as Error).name))).toEqual(new Set(['UsernameExistsException']));
    const rows = await t.corral.app.db.selectFrom('users').select('id').where('pool_id', '=', t.seed.poolId).where('username', '=', 'racer').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a verified alias held by another account unless ForceAliasCreation', async () => {
    await signUp('first', { email: 'shared@example.com' });
    await t.pub.send(
      new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'first', ConfirmationCode: await latestCode(t.corral, 'shared@example.com') }),
    );
    await signUp('second', { email: 'shared@example.com' });
    const code = await latestCode(t.corral, 'shared@example.com');
    await expect(t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'second', ConfirmationCode: code }))).rejects.toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    await t.pub.send(new ConfirmSignUpCommand({ ClientId: t.seed.clientId, Username: 'second', ConfirmationCode: code, ForceAliasCreation: true }));
    const first = await t.corral.app.db.selectFrom('users').select('attributes').where('username', '=', 'first').executeTakeFirstOrThrow();
    expect(JSON.parse(first.attributes).email_verified).toBe('false');
  });
});

// The rules around sign-in: enabled flows, client secrets, user-existence errors, challenge sessions, aliases.
import {
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { SrpClient } from '../support/srp-client.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('sign-in rules', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: CognitoIdentityProviderClient;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    seed = await createWildRydesPool(corral);
    pub = publicClient(corral);
    await signUpConfirmed(corral, seed, 'rules', PASSWORD, { email: 'rules@example.com' });
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  const srpStart = (clientId: string, USERNAME: string, srp: SrpClient, extra: Record<string, string> = {}) =>
    pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA, ...extra } }));

  it('SRP through the SDK with the challenge Session carried by the client', async () => {
    const srp = new SrpClient(seed.poolId);
    const start = await srpStart(seed.clientId, 'rules', srp);
    expect(start.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(start.ChallengeParameters).toMatchObject({ USERNAME: 'rules', USER_ID_FOR_SRP: 'rules' });
    const done = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: start.Session,
        ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('a secret block from one client does not open on another', async () => {
    const other = await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: 'other' }));
    const srp = new SrpClient(seed.poolId);
    const start = await srpStart(seed.clientId, 'rules', srp);
    await expect(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: other.UserPoolClient!.ClientId!,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('an expired challenge is refused (AuthSessionValidity, 3 minutes by default)', async () => {
    const srp = new SrpClient(seed.poolId);
    const start = await srpStart(seed.clientId, 'rules', srp);
    const realNow = corral.app.now;
    corral.app.now = () => Date.now() + 4 * 60 * 1000;
    try {
      await expect(
        pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: seed.clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    } finally {
      corral.app.now = realNow;
    }
  });

  it('unknown users get a stable fake salt with ENABLED, UserNotFoundException with LEGACY', async () => {
    const a = await srpStart(seed.clientId, 'ghost', new SrpClient(seed.poolId));
    const b = await srpStart(seed.clientId, 'ghost', new SrpClient(seed.poolId));
    expect(a.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(a.ChallengeParameters!.SALT).toBe(b.ChallengeParameters!.SALT);
    const srp = new SrpClient(seed.poolId);
    const c = await srpStart(seed.clientId, 'ghost', srp);
    await expect(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: srp.respond(PASSWORD, c.ChallengeParameters as never),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    const legacy = await corral.idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: 'legacy', PreventUserExistenceErrors: 'LEGACY' }),
    );
    await expect(srpStart(legacy.UserPoolClient!.ClientId!, 'ghost', new SrpClient(seed.poolId))).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('enforces the client ExplicitAuthFlows', async () => {
    const srpOnly = await corral.idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: 'srp-only', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    await expect(
      pub.send(
        new InitiateAuthCommand({ ClientId: srpOnly.UserPoolClient!.ClientId!, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rules', PASSWORD } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  });

  it('requires and checks SECRET_HASH for a client with a secret', async () => {
    const made = await corral.idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const { ClientId, ClientSecret } = made.UserPoolClient!;
    const auth = (params: Record<string, string>) =>
      pub.send(new InitiateAuthCommand({ ClientId: ClientId!, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rules', PASSWORD, ...params } }));
    await expect(auth({})).rejects.toMatchObject({ name: 'NotAuthorizedException', message: `Client ${ClientId} is configured with secret but SECRET_HASH was not received` });
    await expect(auth({ SECRET_HASH: 'bm9wZQ==' })).rejects.toMatchObject({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${ClientId}` });
    const SECRET_HASH = createHmac('sha256', ClientSecret!).update('rules' + ClientId).digest('base64');
    expect((await auth({ SECRET_HASH })).AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(
      pub.send(new SignUpCommand({ ClientId: ClientId!, Username: 'nosecret', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ns@example.com' }] })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('signs in by phone number alias once the phone is verified, not before', async () => {
    await signUpConfirmed(corral, seed, 'phoner', PASSWORD, { email: 'phoner@example.com', phone_number: '+15550001111' });
    const byPhone = () =>
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: '+15550001111', PASSWORD } }));
    await expect(byPhone()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const row = await corral.app.db.selectFrom('users').selectAll().where('username', '=', 'phoner').executeTakeFirstOrThrow();
    const { updateUser, findUserBySub } = await import('../../src/domain/users.js');
    const { requirePool } = await import('../../src/domain/pools.js');
    const pool = await requirePool(corral.app, seed.poolId);
    const user = (await findUserBySub(corral.app, seed.poolId, row.id))!;
    await updateUser(corral.app, pool, user, { attributes: { ...user.attributes, phone_number_verified: 'true' } });
    expect((await byPhone()).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

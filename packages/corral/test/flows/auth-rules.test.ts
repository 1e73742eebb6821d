// The rules around sign-in: enabled flows, client secrets, user-existence errors, challenge sessions, aliases.
import { CreateUserPoolClientCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { SrpClient } from '../support/srp-client.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('sign-in rules', (backend) => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded(backend);
    await signUpConfirmed(t.corral, t.seed, 'rules', PASSWORD, { email: 'rules@example.com' });
  });
  afterAll(() => t.stop());

  const srpStart = (clientId: string, USERNAME: string, srp: SrpClient, extra: Record<string, string> = {}) =>
    t.pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA, ...extra } }));
  /** The PASSWORD_VERIFIER answer to `start` with `password`. */
  const verifierAnswer = (start: { Session?: string; ChallengeParameters?: Record<string, string> }, srp: SrpClient, password: string) =>
    new RespondToAuthChallengeCommand({
      ClientId: t.seed.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: start.Session,
      ChallengeResponses: srp.respond(password, start.ChallengeParameters as never),
    });

  it('SRP through the SDK with the challenge Session carried by the client', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    expect(start.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(start.ChallengeParameters).toMatchObject({ USERNAME: 'rules', USER_ID_FOR_SRP: 'rules' });
    const done = await t.pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: start.Session,
        ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('refuses a replayed PASSWORD_VERIFIER answer', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const answer = verifierAnswer(start, srp, PASSWORD);
    expect((await t.pub.send(answer)).AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(t.pub.send(answer)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('one PASSWORD_VERIFIER answer sent 12 times at once signs in once (spent with its refresh token)', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const answer = verifierAnswer(start, srp, PASSWORD);
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => t.pub.send(answer)));
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.AuthenticationResult?.RefreshToken)).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    }
    await expect(t.pub.send(answer)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('a refused PASSWORD_VERIFIER answer is spent too: the same secret block cannot be answered again', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const wrong = verifierAnswer(start, srp, 'Wrong!Pass42');
    await expect(t.pub.send(wrong)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const right = verifierAnswer(start, srp, PASSWORD);
    await expect(t.pub.send(right)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('a spent answer spelled otherwise (white space, padding, stray characters in the secret block) is still spent', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const responses = srp.respond(PASSWORD, start.ChallengeParameters as never) as unknown as Record<string, string>;
    const send = (r: Record<string, string>) =>
      t.pub.send(
        new RespondToAuthChallengeCommand({ ClientId: t.seed.clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: start.Session, ChallengeResponses: r }),
      );
    expect((await send(responses)).AuthenticationResult?.RefreshToken).toBeTruthy();
    const sb = responses.PASSWORD_CLAIM_SECRET_BLOCK!;
    for (const variant of [sb, `${sb}\n`, ` ${sb}`, sb.endsWith('=') ? sb.replace(/=+$/, '') : `${sb}=`, `${sb}!`]) {
      await expect(send({ ...responses, PASSWORD_CLAIM_SECRET_BLOCK: variant })).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user.',
      });
    }
  });

  it('PASSWORD_VERIFIER with a USERNAME naming someone else is refused (and the block spent)', async () => {
    await signUpConfirmed(t.corral, t.seed, 'rules-other', PASSWORD, { email: 'rules-other@example.com' });
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const responses = srp.respond(PASSWORD, start.ChallengeParameters as never) as unknown as Record<string, string>;
    const send = (USERNAME: string) =>
      t.pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: t.seed.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: start.Session,
          ChallengeResponses: { ...responses, USERNAME },
        }),
      );
    await expect(send('rules-other')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    await expect(send('rules')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    // A new sign-in naming the right user goes through.
    const again = new SrpClient(t.seed.poolId);
    const byAlias = await srpStart(t.seed.clientId, 'rules', again);
    const answer = again.respond(PASSWORD, byAlias.ChallengeParameters as never) as unknown as Record<string, string>;
    const ok = await t.pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: byAlias.Session,
        ChallengeResponses: { ...answer, USERNAME: 'rules' },
      }),
    );
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('a secret block from one client does not open on another', async () => {
    const other = await t.corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: t.seed.poolId, ClientName: 'other' }));
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    await expect(
      t.pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: other.UserPoolClient!.ClientId!,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('an expired challenge is refused (AuthSessionValidity, 3 minutes by default)', async () => {
    const srp = new SrpClient(t.seed.poolId);
    const start = await srpStart(t.seed.clientId, 'rules', srp);
    const realNow = t.corral.app.now;
    t.corral.app.now = () => Date.now() + 4 * 60 * 1000;
    try {
      await expect(
        t.pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: t.seed.clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    } finally {
      t.corral.app.now = realNow;
    }
  });

  it('unknown users get a stable fake salt with ENABLED, UserNotFoundException with LEGACY', async () => {
    const a = await srpStart(t.seed.clientId, 'ghost', new SrpClient(t.seed.poolId));
    const b = await srpStart(t.seed.clientId, 'ghost', new SrpClient(t.seed.poolId));
    expect(a.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(a.ChallengeParameters!.SALT).toBe(b.ChallengeParameters!.SALT);
    const srp = new SrpClient(t.seed.poolId);
    const c = await srpStart(t.seed.clientId, 'ghost', srp);
    await expect(
      t.pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: t.seed.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: srp.respond(PASSWORD, c.ChallengeParameters as never),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    const legacy = await t.corral.idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: t.seed.poolId, ClientName: 'legacy', PreventUserExistenceErrors: 'LEGACY' }),
    );
    await expect(srpStart(legacy.UserPoolClient!.ClientId!, 'ghost', new SrpClient(t.seed.poolId))).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('enforces the client ExplicitAuthFlows', async () => {
    const srpOnly = await t.corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.seed.poolId,
        ClientName: 'srp-only',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await expect(
      t.pub.send(
        new InitiateAuthCommand({
          ClientId: srpOnly.UserPoolClient!.ClientId!,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'rules', PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  });

  it('requires and checks SECRET_HASH for a client with a secret', async () => {
    const made = await t.corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.seed.poolId,
        ClientName: 'server',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const { ClientId, ClientSecret } = made.UserPoolClient!;
    const auth = (params: Record<string, string>) =>
      t.pub.send(new InitiateAuthCommand({ ClientId: ClientId!, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rules', PASSWORD, ...params } }));
    await expect(auth({})).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${ClientId} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(auth({ SECRET_HASH: 'bm9wZQ==' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${ClientId}`,
    });
    const SECRET_HASH = createHmac('sha256', ClientSecret!)
      .update('rules' + ClientId)
      .digest('base64');
    const signedIn = (await auth({ SECRET_HASH })).AuthenticationResult!;
    expect(signedIn.AccessToken).toBeTruthy();
    // A refresh must prove the secret too (the hash over the internal username).
    const refresh = (params: Record<string, string>) =>
      t.pub.send(
        new InitiateAuthCommand({ ClientId: ClientId!, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken!, ...params } }),
      );
    await expect(refresh({})).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${ClientId} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(refresh({ SECRET_HASH: 'bm9wZQ==' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${ClientId}`,
    });
    expect((await refresh({ SECRET_HASH })).AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(
      t.pub.send(
        new SignUpCommand({ ClientId: ClientId!, Username: 'nosecret', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ns@example.com' }] }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('signs in by phone number alias once the phone is verified, not before', async () => {
    await signUpConfirmed(t.corral, t.seed, 'phoner', PASSWORD, { email: 'phoner@example.com', phone_number: '+15550001111' });
    const byPhone = () =>
      t.pub.send(
        new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: '+15550001111', PASSWORD } }),
      );
    await expect(byPhone()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const row = await t.corral.app.db.selectFrom('users').selectAll().where('username', '=', 'phoner').executeTakeFirstOrThrow();
    const { updateUser, findUserBySub } = await import('../../src/domain/users.js');
    const { requirePool } = await import('../../src/domain/pools.js');
    const pool = await requirePool(t.corral.app, t.seed.poolId);
    const user = (await findUserBySub(t.corral.app, t.seed.poolId, row.id))!;
    await updateUser(t.corral.app, pool, user, { set: { phone_number_verified: 'true' } });
    expect((await byPhone()).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

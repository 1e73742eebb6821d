// Two Corral instances on one database behave as one: sessions are sealed, counters and codes live in the database.
import {
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { SrpClient } from '../support/srp-client.js';
import { publicClient } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describeEachBackend('two instances, one database', (backend) => {
  let a: TestCorral;
  let b: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    a = await startTestCorral({ backend });
    // Same data directory (server key), the same database (on PostgreSQL, the same schema) and the same public URL
    // (as behind one load balancer: it is the tokens' issuer).
    b = await startTestCorral({ backend, dataDir: a.dataDir, schema: a.schema, config: { publicUrl: a.url } });
    seed = await createWildRydesPool(a);
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('signs up on one, confirms on the other, and SRP steps may land on either', async () => {
    const pa = publicClient(a);
    const pb = publicClient(b);
    await pa.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'twin', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'twin@example.com' }] }),
    );
    await pb.send(new ConfirmSignUpCommand({ ClientId: seed.clientId, Username: 'twin', ConfirmationCode: await latestCode(b, 'twin@example.com') }));

    const srp = new SrpClient(seed.poolId);
    const start = await pa.send(
      new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'twin', SRP_A: srp.srpA } }),
    );
    const done = await pb.send(
      new RespondToAuthChallengeCommand({
        ClientId: seed.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: start.Session,
        ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as never),
      }),
    );
    // Tokens signed by one instance are accepted by the other.
    const me = await pa.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
    expect(me.Username).toBe('twin');
    const refreshed = await pa.send(
      new InitiateAuthCommand({
        ClientId: seed.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: done.AuthenticationResult!.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('counts failed sign-ins across instances (lockout holds whichever instance answers)', async () => {
    const clients = [publicClient(a), publicClient(b)];
    for (let i = 0; i < 5; i++) {
      await expect(
        clients[i % 2]!.send(
          new InitiateAuthCommand({
            ClientId: seed.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'twin', PASSWORD: `Wrong!Pass${i}` },
          }),
        ),
      ).rejects.toMatchObject({ message: 'Incorrect username or password.' });
    }
    for (const c of clients) {
      await expect(
        c.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'twin', PASSWORD } })),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    }
  });
});

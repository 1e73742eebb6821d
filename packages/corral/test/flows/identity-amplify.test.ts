// aws-amplify v6 in Node against Corral with userPoolEndpoint AND identityPoolEndpoint: guest credentials, then
// signIn → fetchAuthSession() → identityId and credentials (GetId / GetCredentialsForIdentity with the Logins key
// Amplify builds from the ID token's iss).
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { DescribeIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, UNAUTH_ROLE, createIdentityPoolFor, providerName } from '../support/identity.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';

const EMAIL = 'identity.rider@example.com';
const USERNAME = 'identity-rider';
const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6 (Node) with an identity pool', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let identityPoolId: string;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    identityPoolId = await createIdentityPoolFor(corral, seed, { AllowUnauthenticatedIdentities: true });
    await corral.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: seed.poolId,
          userPoolClientId: seed.clientId,
          identityPoolId,
          allowGuestAccess: true,
          userPoolEndpoint: corral.url,
          identityPoolEndpoint: corral.url,
        },
      },
    });
  });
  afterAll(() => corral.stop());

  it('guest credentials before sign-in', async () => {
    const guest = await fetchAuthSession();
    expect(guest.tokens).toBeUndefined();
    expect(guest.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(guest.credentials?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(verifyTemporaryCredentials(corral.app, guest.credentials!.accessKeyId, guest.credentials!.sessionToken)?.roleArn).toBe(UNAUTH_ROLE);
  });

  it('signIn → fetchAuthSession returns the identity and credentials of the authenticated role; the same identity again', async () => {
    await signUp({ username: USERNAME, password: PASSWORD, options: { userAttributes: { email: EMAIL } } });
    await confirmSignUp({ username: USERNAME, confirmationCode: await latestCode(corral, EMAIL) });
    expect((await signIn({ username: USERNAME, password: PASSWORD })).isSignedIn).toBe(true);

    const session = await fetchAuthSession();
    expect(session.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const creds = session.credentials!;
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(creds.expiration).toBeInstanceOf(Date);
    const verified = verifyTemporaryCredentials(corral.app, creds.accessKeyId, creds.sessionToken);
    expect(verified).toMatchObject({ secretAccessKey: creds.secretAccessKey, roleArn: AUTH_ROLE, identityId: session.identityId });

    // The identity is the user's: linked to the user pool login, and what GetId answers for the user's token.
    const described = await corral.identity.send(new DescribeIdentityCommand({ IdentityId: session.identityId }));
    expect(described.Logins).toEqual([providerName(seed.poolId)]);
    const idToken = session.tokens!.idToken!.toString();
    const got = await corral.identity.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [providerName(seed.poolId)]: idToken } }));
    expect(got.IdentityId).toBe(session.identityId);

    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(refreshed.identityId).toBe(session.identityId);
    expect(refreshed.credentials!.accessKeyId).not.toBe(creds.accessKeyId);

    // After sign-out and a new sign-in (no identity id kept by Amplify), GetId finds the same identity.
    await signOut();
    await signIn({ username: USERNAME, password: PASSWORD });
    expect((await fetchAuthSession()).identityId).toBe(session.identityId);
    await signOut();
  });
});

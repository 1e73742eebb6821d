// The repo's corral.config.json end to end: the provisioned identity pool hands credentials of its authenticated role
// to a signed-in user of the provisioned user pool (SDK v3 with SRP on both backends; aws-amplify v6 on SQLite), and
// refuses guests (AllowUnauthenticatedIdentities false).
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { describeEachBackend, startTestCorral, type Backend, type TestCorral } from '../support/corral.js';
import { REPO_ROOT } from '../support/cli.js';
import { amplifyLoginsKey, providerName, srpIdToken } from '../support/identity.js';
import type { SeedPool } from '../support/pools.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const REPO_CONFIG = join(REPO_ROOT, 'corral.config.json');
const AUTH_ROLE = 'arn:aws:iam::000000000000:role/Cognito_wildrydes_identity_poolAuth_Role';
const PASSWORD = 'Unicorn!Ride42';

interface Provisioned {
  corral: TestCorral;
  seed: SeedPool;
  identityPoolId: string;
}

async function startProvisioned(backend: Backend): Promise<Provisioned> {
  const corral = await startTestCorral({ backend, provisionFile: REPO_CONFIG });
  const resources = corral.resources!;
  const pool = resources.userPools.find((p) => p.name === 'WildRydes')!;
  const seed = { poolId: pool.id, clientId: pool.clients.find((c) => c.name === 'wildrydes-web-app')!.id };
  return { corral, seed, identityPoolId: resources.identityPools.find((p) => p.name === 'wildrydes_identity_pool')!.id };
}

describeEachBackend('the seed identity pool (corral.config.json)', (backend: Backend) => {
  let p: Provisioned;
  let pub: CognitoIdentityClient;
  beforeAll(async () => {
    p = await startProvisioned(backend);
    pub = new CognitoIdentityClient({ region: 'us-east-1', endpoint: p.corral.url, maxAttempts: 1 });
  });
  afterAll(async () => {
    pub.destroy();
    await p.corral.stop();
  });

  it('a signed-in rider of the seed user pool gets an identity, credentials of the authenticated role and an OpenID token', async () => {
    await signUpConfirmed(p.corral, p.seed, 'seed-rider', PASSWORD, { email: 'seed.rider@example.com' });
    const idp = publicClient(p.corral);
    const idToken = await srpIdToken(idp, p.seed, 'seed-rider', PASSWORD);
    idp.destroy();
    const Logins = { [amplifyLoginsKey(p.corral, p.seed.poolId)]: idToken };
    const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: p.identityPoolId, Logins }));
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: p.identityPoolId, Logins: { [providerName(p.seed.poolId)]: idToken } }))).IdentityId).toBe(
      IdentityId,
    );
    const { Credentials } = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    expect(verifyTemporaryCredentials(p.corral.app, Credentials!.AccessKeyId!, Credentials!.SessionToken)?.roleArn).toBe(AUTH_ROLE);
    expect((await pub.send(new GetOpenIdTokenCommand({ IdentityId, Logins }))).Token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses guests', async () => {
    await expect(pub.send(new GetIdCommand({ IdentityPoolId: p.identityPoolId }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    });
  });
});

describe('the seed identity pool with aws-amplify v6', () => {
  let p: Provisioned;
  beforeAll(async () => {
    p = await startProvisioned('sqlite');
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: p.seed.poolId,
          userPoolClientId: p.seed.clientId,
          identityPoolId: p.identityPoolId,
          userPoolEndpoint: p.corral.url,
          identityPoolEndpoint: p.corral.url,
        },
      },
    });
  });
  afterAll(() => p.corral.stop());

  it('signIn → fetchAuthSession() returns the identity id and credentials', async () => {
    await signUpConfirmed(p.corral, p.seed, 'amplify-seed', PASSWORD, { email: 'amplify.seed@example.com' });
    await signIn({ username: 'amplify-seed', password: PASSWORD });
    const session = await fetchAuthSession();
    expect(session.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const creds = session.credentials!;
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(verifyTemporaryCredentials(p.corral.app, creds.accessKeyId, creds.sessionToken)).toMatchObject({
      roleArn: AUTH_ROLE,
      identityId: session.identityId,
    });
    await signOut();
  });
});

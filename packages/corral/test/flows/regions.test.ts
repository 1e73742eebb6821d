// Regions and accounts over real HTTP: a user pool or identity pool is created in the region its call was signed for
// (its id `<region>_…` / `<region>:…`, its ARNs, its provider name, its identities' ids), the account id is
// CORRAL_ACCOUNT_ID, and the unsigned (public) calls find a pool by its id whatever region the client was configured
// for. SDK v3 clients, the AWS CLI with `--region eu-west-1`, aws-amplify v6 and amazon-cognito-identity-js (which
// derive the region from the pool ids) against a Corral whose CORRAL_REGION is the default us-east-1; provisioning
// creates in CORRAL_REGION.
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListTagsForResourceCommand,
  SignUpCommand,
  TagResourceCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { aws, awsCli, awsIdp } from '../support/awscli.js';
import { describeEachBackend, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, UNAUTH_ROLE, providerName } from '../support/identity.js';
import { createWildRydesPool, latestCode } from '../support/pools.js';
import { clearTriggers, onTrigger, probeModule } from '../triggers/support.js';

const ACCOUNT = '123456789012';
const EU = 'eu-west-1';
const PASSWORD = 'Unicorn!Ride42';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Signing SDK clients with the admin credentials, configured for `region`. */
function clientsFor(corral: TestCorral, region: string) {
  const config = { region, endpoint: corral.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { idp: new CognitoIdentityProviderClient(config), identity: new CognitoIdentityClient(config) };
}

/** `corral` as the pool helpers see it, with its SDK clients configured for `region`. */
const inRegion = (corral: TestCorral, region: string): TestCorral => ({ ...corral, ...clientsFor(corral, region) });

describeEachBackend('regions and accounts (SDK v3)', (backend) => {
  let corral: TestCorral;
  let eu: ReturnType<typeof clientsFor>;
  /** Public calls from a client configured for a third region. */
  let elsewhere: ReturnType<typeof clientsFor>;
  const probe = probeModule();

  beforeAll(async () => {
    corral = await startTestCorral({ backend, env: { CORRAL_ACCOUNT_ID: ACCOUNT }, config: { functions: { 'pre-sign-up': { module: probe } } } });
    eu = clientsFor(corral, EU);
    elsewhere = clientsFor(corral, 'ap-south-1');
  });
  afterAll(async () => {
    for (const c of [eu, elsewhere]) {
      c.idp.destroy();
      c.identity.destroy();
    }
    clearTriggers();
    await corral.stop();
  });

  it('CreateUserPool signed for eu-west-1: an eu-west-1 id and ARN in the configured account; tags by that ARN; us-east-1 calls still make us-east-1 pools', async () => {
    const created = (await eu.idp.send(new CreateUserPoolCommand({ PoolName: 'EuRydes' }))).UserPool!;
    expect(created.Id).toMatch(/^eu-west-1_[0-9a-zA-Z]{9}$/);
    const arn = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${created.Id}`;
    expect(created.Arn).toBe(arn);
    // Any client finds it by id (Corral keeps one namespace), and describes it in its own region.
    expect((await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }))).UserPool!.Arn).toBe(arn);
    await eu.idp.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'eu' } }));
    expect((await eu.idp.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'eu' });
    // The ARN in another region names no pool.
    await expect(eu.idp.send(new ListTagsForResourceCommand({ ResourceArn: arn.replace(':eu-west-1:', ':us-east-1:') }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const us = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'UsRydes' }))).UserPool!;
    expect(us.Id).toMatch(/^us-east-1_[0-9a-zA-Z]{9}$/);
    expect(us.Arn).toBe(`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${us.Id}`);
  });

  it('a signing region that cannot be part of an id leaves the pool in CORRAL_REGION', async () => {
    // (A valid hostname label, too long for `<region>:<uuid>` to fit the 55 characters of an IdentityPoolId.)
    const odd = clientsFor(corral, 'xx-faraway-northwest-1');
    try {
      const created = (await odd.idp.send(new CreateUserPoolCommand({ PoolName: 'OddRydes' }))).UserPool!;
      expect(created.Id).toMatch(/^us-east-1_[0-9a-zA-Z]{9}$/);
      const identityPool = await odd.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'odd', AllowUnauthenticatedIdentities: true }));
      expect(identityPool.IdentityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    } finally {
      odd.idp.destroy();
      odd.identity.destroy();
    }
  });

  it('public calls from a client configured for another region find an eu-west-1 pool; its tokens name it and verify with aws-jwt-verify; triggers see eu-west-1', async () => {
    const seed = await createWildRydesPool(inRegion(corral, EU));
    expect(seed.poolId).toMatch(/^eu-west-1_/);
    await eu.idp.send(
      new UpdateUserPoolCommand({
        UserPoolId: seed.poolId,
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PreSignUp: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:pre-sign-up` },
      }),
    );
    const events = onTrigger('pre-sign-up', () => undefined);
    await elsewhere.idp.send(
      new SignUpCommand({
        ClientId: seed.clientId,
        Username: 'eu-rider',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'eu.rider@example.com' }],
      }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ region: EU, userPoolId: seed.poolId });
    await eu.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'eu-rider' }));
    const auth = (
      await elsewhere.idp.send(
        new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eu-rider', PASSWORD } }),
      )
    ).AuthenticationResult!;
    const issuer = `${corral.url}/${seed.poolId}`;
    expect(claimsOf(auth.IdToken!).iss).toBe(issuer);
    expect(claimsOf(auth.AccessToken!).iss).toBe(issuer);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.jwks_uri).toBe(`${issuer}/.well-known/jwks.json`);
    const verifier = JwtRsaVerifier.create({ issuer, audience: seed.clientId, jwksUri: discovery.jwks_uri });
    // (aws-jwt-verify fetches JWKS over https only: the set Corral serves over http here is handed to it.)
    verifier.cacheJwks((await (await fetch(discovery.jwks_uri)).json()) as never);
    expect(await verifier.verify(auth.IdToken!)).toMatchObject({ 'cognito:username': 'eu-rider', token_use: 'id' });
  });

  it('CreateIdentityPool signed for eu-west-1: eu-west-1 ids for the pool and its identities, the eu-west-1 provider name, the pool ARN in the OpenID token', async () => {
    const seed = await createWildRydesPool(inRegion(corral, EU));
    const provider = providerName(seed.poolId, EU);
    const pool = await eu.identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'eu_identities',
        AllowUnauthenticatedIdentities: true,
        CognitoIdentityProviders: [{ ProviderName: provider, ClientId: seed.clientId }],
      }),
    );
    expect(pool.IdentityPoolId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    await eu.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: pool.IdentityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );

    await elsewhere.idp.send(
      new SignUpCommand({
        ClientId: seed.clientId,
        Username: 'eu-id-rider',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'eu.id@example.com' }],
      }),
    );
    await eu.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: seed.poolId, Username: 'eu-id-rider' }));
    const idToken = (
      await elsewhere.idp.send(
        new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eu-id-rider', PASSWORD } }),
      )
    ).AuthenticationResult!.IdToken!;

    // Public cognito-identity calls from a client configured for another region.
    const Logins = { [provider]: idToken };
    const { IdentityId } = await elsewhere.identity.send(new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId, Logins }));
    expect(IdentityId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    const guest = await elsewhere.identity.send(new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId }));
    expect(guest.IdentityId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    expect((await eu.identity.send(new DescribeIdentityCommand({ IdentityId }))).Logins).toEqual([provider]);
    // The provider under another region's name is not this pool's.
    await expect(
      elsewhere.identity.send(new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId, Logins: { [providerName(seed.poolId, 'us-east-1')]: idToken } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });

    const creds = (await elsewhere.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials!;
    expect(verifyTemporaryCredentials(corral.app, creds.AccessKeyId!, creds.SessionToken)?.roleArn).toBe(AUTH_ROLE);
    const { Token } = await elsewhere.identity.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
    expect(claimsOf(Token!)).toMatchObject({
      sub: IdentityId,
      aud: pool.IdentityPoolId,
      amr: ['authenticated', provider, expect.stringMatching(/^cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_\w+:CognitoSignIn:/)],
      'https://cognito-identity.amazonaws.com/identity-pool-arn': `arn:aws:cognito-identity:eu-west-1:${ACCOUNT}:identitypool/${pool.IdentityPoolId}`,
    });
  });
});

describe('regions: provisioning', () => {
  it('declared pools are created in CORRAL_REGION; a declared pool found by name keeps its own region in the identity pool’s provider name', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'corral-regions-'));
    const env = { CORRAL_REGION: 'ap-southeast-2', CORRAL_ACCOUNT_ID: ACCOUNT };
    try {
      // A pool made beforehand with the CLI or SDK in eu-west-1, under the name the file declares.
      const before = await startTestCorral({ dataDir, env });
      const eu = clientsFor(before, EU);
      const existing = await createWildRydesPool({ ...before, ...eu }, { PoolName: 'EuDeclared' }, { ClientName: 'web' });
      eu.idp.destroy();
      eu.identity.destroy();
      await before.stop();

      const file = join(dataDir, 'corral.config.json');
      writeFileSync(
        file,
        JSON.stringify({
          userPools: [
            { PoolName: 'EuDeclared', Clients: [{ ClientName: 'web' }] },
            { PoolName: 'Fresh', Clients: [{ ClientName: 'web' }] },
          ],
          identityPools: [
            {
              IdentityPoolName: 'provisioned',
              CognitoIdentityProviders: [
                { UserPool: 'EuDeclared', Client: 'web' },
                { UserPool: 'Fresh', Client: 'web' },
              ],
            },
          ],
        }),
      );
      const corral = await startTestCorral({ dataDir, env, provisionFile: file });
      try {
        const resources = corral.resources!;
        expect(resources.region).toBe('ap-southeast-2');
        const [eupool, fresh] = resources.userPools;
        expect(eupool!.id).toBe(existing.poolId);
        expect(fresh!.id).toMatch(/^ap-southeast-2_[0-9a-zA-Z]{9}$/);
        expect((await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: fresh!.id }))).UserPool!.Arn).toBe(
          `arn:aws:cognito-idp:ap-southeast-2:${ACCOUNT}:userpool/${fresh!.id}`,
        );
        const identityPoolId = resources.identityPools[0]!.id;
        expect(identityPoolId).toMatch(/^ap-southeast-2:[0-9a-f-]{36}$/);
        const described = await corral.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId }));
        expect(described.CognitoIdentityProviders!.map((p) => p.ProviderName)).toEqual([
          providerName(existing.poolId, EU),
          providerName(fresh!.id, 'ap-southeast-2'),
        ]);
      } finally {
        await corral.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** `aws cognito-identity <args>` against `corral` (test/support/awscli.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON
const awsIdentity = (corral: TestCorral, ...args: string[]): Promise<Record<string, any>> => awsCli(corral, 'cognito-identity', ...args);

(aws ? describe : describe.skip)('regions: the AWS CLI with --region eu-west-1', () => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ env: { CORRAL_ACCOUNT_ID: ACCOUNT } });
  });
  afterAll(() => corral.stop());

  it('create-user-pool → sign-up → initiate-auth → create-identity-pool → get-id → get-credentials-for-identity, all in eu-west-1', async () => {
    const idp = (...args: string[]) => awsIdp(corral, ...args, '--region', EU);
    const identity = (...args: string[]) => awsIdentity(corral, ...args, '--region', EU);

    const pool = (await idp('create-user-pool', '--pool-name', 'CliRydes')).UserPool;
    expect(pool.Id).toMatch(/^eu-west-1_[0-9a-zA-Z]{9}$/);
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${pool.Id}`);
    expect((await idp('describe-user-pool', '--user-pool-id', pool.Id)).UserPool.Arn).toBe(pool.Arn);
    const client = (
      await idp(
        'create-user-pool-client',
        '--user-pool-id',
        pool.Id,
        '--client-name',
        'cli',
        '--explicit-auth-flows',
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      )
    ).UserPoolClient;
    await idp(
      'sign-up',
      '--client-id',
      client.ClientId,
      '--username',
      'cli-rider',
      '--password',
      PASSWORD,
      '--user-attributes',
      'Name=email,Value=cli.rider@example.com',
    );
    await idp('admin-confirm-sign-up', '--user-pool-id', pool.Id, '--username', 'cli-rider');
    const auth = await idp(
      'initiate-auth',
      '--client-id',
      client.ClientId,
      '--auth-flow',
      'USER_PASSWORD_AUTH',
      '--auth-parameters',
      JSON.stringify({ USERNAME: 'cli-rider', PASSWORD }),
    );
    const idToken = auth.AuthenticationResult.IdToken as string;
    expect(claimsOf(idToken).iss).toBe(`${corral.url}/${pool.Id}`);

    const provider = providerName(pool.Id, EU);
    const identityPool = await identity(
      'create-identity-pool',
      '--identity-pool-name',
      'cli_identities',
      '--no-allow-unauthenticated-identities',
      '--cognito-identity-providers',
      JSON.stringify([{ ProviderName: provider, ClientId: client.ClientId }]),
    );
    expect(identityPool.IdentityPoolId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    await identity('set-identity-pool-roles', '--identity-pool-id', identityPool.IdentityPoolId, '--roles', JSON.stringify({ authenticated: AUTH_ROLE }));
    const logins = JSON.stringify({ [provider]: idToken });
    const { IdentityId } = await identity('get-id', '--identity-pool-id', identityPool.IdentityPoolId, '--logins', logins);
    expect(IdentityId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    const creds = (await identity('get-credentials-for-identity', '--identity-id', IdentityId, '--logins', logins)).Credentials;
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(verifyTemporaryCredentials(corral.app, creds.AccessKeyId, creds.SessionToken)?.roleArn).toBe(AUTH_ROLE);
  });
});

describe('regions: aws-amplify v6 and amazon-cognito-identity-js with eu-west-1 pools', () => {
  let corral: TestCorral;
  let poolId: string;
  let clientId: string;
  let identityPoolId: string;
  beforeAll(async () => {
    corral = await startTestCorral({ env: { CORRAL_ACCOUNT_ID: ACCOUNT } });
    const eu = inRegion(corral, EU);
    const seed = await createWildRydesPool(eu);
    poolId = seed.poolId;
    clientId = seed.clientId;
    identityPoolId = (
      await eu.identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'eu_wildrydes',
          AllowUnauthenticatedIdentities: false,
          CognitoIdentityProviders: [{ ProviderName: providerName(poolId, EU), ClientId: seed.clientId }],
        }),
      )
    ).IdentityPoolId!;
    await eu.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId, Roles: { authenticated: AUTH_ROLE } }));
    Amplify.configure({
      Auth: {
        Cognito: { userPoolId: poolId, userPoolClientId: seed.clientId, identityPoolId, userPoolEndpoint: corral.url, identityPoolEndpoint: corral.url },
      },
    });
  });
  afterAll(() => corral.stop());

  it('signUp → confirmSignUp → signIn → fetchAuthSession: tokens of the eu-west-1 pool, an eu-west-1 identity and its credentials', async () => {
    expect(poolId).toMatch(/^eu-west-1_/);
    expect(identityPoolId).toMatch(/^eu-west-1:/);
    const email = 'amplify.eu@example.com';
    const up = await signUp({ username: 'amplify-eu', password: PASSWORD, options: { userAttributes: { email } } });
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect((await confirmSignUp({ username: 'amplify-eu', confirmationCode: await latestCode(corral, email) })).isSignUpComplete).toBe(true);
    expect((await signIn({ username: 'amplify-eu', password: PASSWORD })).isSignedIn).toBe(true);

    const session = await fetchAuthSession();
    expect(session.tokens?.idToken?.payload.iss).toBe(`${corral.url}/${poolId}`);
    expect(session.identityId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    const creds = session.credentials!;
    expect(verifyTemporaryCredentials(corral.app, creds.accessKeyId, creds.sessionToken)).toMatchObject({ roleArn: AUTH_ROLE, identityId: session.identityId });
    // Amplify's Logins key (the iss without its scheme) resolves to the pool's canonical eu-west-1 provider name.
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId: session.identityId }))).Logins).toEqual([providerName(poolId, EU)]);
    await signOut();
  });

  it('amazon-cognito-identity-js (region from the pool id, endpoint given): signUp → confirmRegistration → SRP sign-in', async () => {
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: corral.url });
    const email = 'js.eu@example.com';
    await new Promise((resolve, reject) =>
      pool.signUp('js-eu', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (err, r) => (err ? reject(err) : resolve(r))),
    );
    const rider = new CognitoUser({ Username: 'js-eu', Pool: pool });
    const code = await latestCode(corral, email);
    await new Promise((resolve, reject) => rider.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))));
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.authenticateUser(new AuthenticationDetails({ Username: 'js-eu', Password: PASSWORD }), { onSuccess: resolve, onFailure: reject }),
    );
    expect(session.getIdToken().decodePayload()).toMatchObject({ iss: `${corral.url}/${poolId}`, 'cognito:username': 'js-eu' });
  });
});

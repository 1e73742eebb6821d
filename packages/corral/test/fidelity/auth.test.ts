// Fidelity sweep (issue 9 item 10), group "auth": sign-in, tokens, sign-out, MFA, devices and the identity-pool API.
// For each action, its most common error as AWS answers it (exception name AND message), over real HTTP with the
// AWS SDK v3, plus the behaviours this sweep fixed. Sources per action: docs/fidelity.md ("Sign-in flows…"). Pure error checks:
// SQLite only (the storage does not matter to them).
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminGetUserCommand,
  AdminUpdateDeviceStatusCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAuthFactorsCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  UpdateDeviceStatusCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  GetOpenIdTokenCommand,
  ListIdentitiesCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
  UnlinkIdentityCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { providerName, UNAUTH_ROLE } from '../support/identity.js';
import { requireTotpMfa, totpCode } from '../support/mfa.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const NO_POOL = 'us-east-1_NoSuchPool';
const NO_CLIENT = '0000000000000000000000000a';
const NO_DEVICE = 'us-east-1_00000000-0000-4000-8000-000000000000';
const NO_IDENTITY_POOL = 'us-east-1:00000000-0000-4000-8000-000000000000';
const NO_IDENTITY = 'us-east-1:11111111-1111-4111-8111-111111111111';
const BAD_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

/** The error a call fails with (the test fails if it succeeds). */
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => e,
  );
const expectError = async (p: Promise<unknown>, name: string, message: string) => {
  const e = await fail(p);
  expect({ name: e.name, message: e.message }).toEqual({ name, message });
};

describe('fidelity: auth group (SDK v3 over HTTP)', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: CognitoIdentityProviderClient;
  let access: string;
  let refresh: string;
  let sub: string;

  const passwordSignIn = (username: string) =>
    pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));

  beforeAll(async () => {
    corral = await startTestCorral({ backend: 'sqlite' });
    seed = await createWildRydesPool(
      corral,
      {},
      {
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      },
    );
    await requireTotpMfa(corral.idp, seed.poolId, 'OPTIONAL');
    pub = publicClient(corral);
    await Promise.all(['rider', 'signout', 'admin-auth'].map((u) => signUpConfirmed(corral, seed, u, PASSWORD, { email: `${u}@example.com` })));
    const signedIn = (await passwordSignIn('rider')).AuthenticationResult!;
    access = signedIn.AccessToken!;
    refresh = signedIn.RefreshToken!;
    sub = (await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' }))).UserAttributes!.find(
      (a) => a.Name === 'sub',
    )!.Value!;
  }, 60_000);
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
  });

  // ---- sign-in -------------------------------------------------------------------------------------------------

  it('InitiateAuth: unknown client, a flow the client does not allow, a wrong password', async () => {
    const other = await corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: seed.poolId,
        ClientName: 'srp-only',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await Promise.all([
      expectError(
        pub.send(new InitiateAuthCommand({ ClientId: NO_CLIENT, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD } })),
        'ResourceNotFoundException',
        `User pool client ${NO_CLIENT} does not exist.`,
      ),
      expectError(
        pub.send(
          new InitiateAuthCommand({
            ClientId: other.UserPoolClient!.ClientId!,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'rider', PASSWORD },
          }),
        ),
        'InvalidParameterException',
        'USER_PASSWORD_AUTH flow not enabled for this client',
      ),
      expectError(
        pub.send(
          new InitiateAuthCommand({
            ClientId: seed.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'rider', PASSWORD: 'Wrong!Password1' },
          }),
        ),
        'NotAuthorizedException',
        'Incorrect username or password.',
      ),
      // The admin password flow is AdminInitiateAuth's only, whatever the client allows: AWS answers "Initiate Auth
      // method not supported." (awsdocs/aws-doc-sdk-examples#5289; AWS's reply quoted in getmoto/moto#4623).
      expectError(
        pub.send(
          new InitiateAuthCommand({
            ClientId: other.UserPoolClient!.ClientId!,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'rider', PASSWORD },
          }),
        ),
        'InvalidParameterException',
        'Initiate Auth method not supported.',
      ),
    ]);
  });

  it('AdminInitiateAuth: unknown pool; USER_AUTH is one of its flows (PREFERRED_CHALLENGE PASSWORD → tokens)', async () => {
    await expectError(
      corral.idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: NO_POOL,
          ClientId: seed.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'rider', PASSWORD },
        }),
      ),
      'ResourceNotFoundException',
      `User pool ${NO_POOL} does not exist.`,
    );
    // API reference, AdminInitiateAuth AuthFlow: "USER_AUTH — The entry point for choice-based authentication …".
    const done = await corral.idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: 'admin-auth', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('AdminRespondToAuthChallenge: answers the SELECT_CHALLENGE of an AdminInitiateAuth USER_AUTH; a forged Session is refused', async () => {
    const start = await corral.idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: seed.poolId, ClientId: seed.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'admin-auth' } }),
    );
    expect(start.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(start.AvailableChallenges).toContain('PASSWORD');
    const done = await corral.idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: seed.poolId,
        ClientId: seed.clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: start.Session,
        ChallengeResponses: { USERNAME: 'admin-auth', ANSWER: 'PASSWORD', PASSWORD },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    await expectError(
      corral.idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: seed.poolId,
          ClientId: seed.clientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session: 'x'.repeat(40),
          ChallengeResponses: { USERNAME: 'admin-auth', ANSWER: 'PASSWORD', PASSWORD },
        }),
      ),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
  });

  it('RespondToAuthChallenge: USERNAME missing; a forged Session', async () => {
    await Promise.all([
      expectError(
        pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: seed.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: 'x'.repeat(40),
            ChallengeResponses: { SOFTWARE_TOKEN_MFA_CODE: '123456' },
          }),
        ),
        'InvalidParameterException',
        'Missing required parameter USERNAME',
      ),
      expectError(
        pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: seed.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: 'x'.repeat(40),
            ChallengeResponses: { USERNAME: 'rider', SOFTWARE_TOKEN_MFA_CODE: '123456' },
          }),
        ),
        'NotAuthorizedException',
        'Invalid session for the user.',
      ),
    ]);
  });

  // ---- tokens and sign-out -------------------------------------------------------------------------------------

  it('GetTokensFromRefreshToken: a token that is no refresh token of the client; a good one refreshes', async () => {
    await expectError(
      pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: seed.clientId, RefreshToken: 'not-a-refresh-token' })),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
    const out = await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: seed.clientId, RefreshToken: refresh }));
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('RevokeToken: an access token is UnsupportedTokenTypeException; a revoked refresh token no longer refreshes', async () => {
    const own = (await passwordSignIn('signout')).AuthenticationResult!;
    await expectError(
      pub.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: own.AccessToken! })),
      'UnsupportedTokenTypeException',
      'Only refresh tokens can be revoked.',
    );
    await pub.send(new RevokeTokenCommand({ ClientId: seed.clientId, Token: own.RefreshToken! }));
    await expectError(
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: own.RefreshToken! } })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
  });

  it('GlobalSignOut: an invalid token; after it, the access token is revoked', async () => {
    await expectError(pub.send(new GlobalSignOutCommand({ AccessToken: BAD_TOKEN })), 'NotAuthorizedException', 'Invalid Access Token');
    const own = (await passwordSignIn('signout')).AuthenticationResult!;
    await pub.send(new GlobalSignOutCommand({ AccessToken: own.AccessToken! }));
    await expectError(pub.send(new GlobalSignOutCommand({ AccessToken: own.AccessToken! })), 'NotAuthorizedException', 'Access Token has been revoked');
  });

  it('AdminUserGlobalSignOut: an unknown user; an unknown pool', async () => {
    await Promise.all([
      expectError(
        corral.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: seed.poolId, Username: 'nobody' })),
        'UserNotFoundException',
        'User does not exist.',
      ),
      expectError(
        corral.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: NO_POOL, Username: 'rider' })),
        'ResourceNotFoundException',
        `User pool ${NO_POOL} does not exist.`,
      ),
    ]);
  });

  it('GetUserAuthFactors: an invalid token; the password factor of a signed-in user', async () => {
    await expectError(pub.send(new GetUserAuthFactorsCommand({ AccessToken: BAD_TOKEN })), 'NotAuthorizedException', 'Invalid Access Token');
    const out = await pub.send(new GetUserAuthFactorsCommand({ AccessToken: access }));
    expect(out).toMatchObject({ Username: 'rider', ConfiguredUserAuthFactors: ['PASSWORD'] });
  });

  // ---- MFA -----------------------------------------------------------------------------------------------------

  it('AssociateSoftwareToken: an invalid token; VerifySoftwareToken: a wrong code in AWS words', async () => {
    await expectError(pub.send(new AssociateSoftwareTokenCommand({ AccessToken: BAD_TOKEN })), 'NotAuthorizedException', 'Invalid Access Token');
    const { SecretCode } = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    const wrong = totpCode(SecretCode!) === '000000' ? '111111' : '000000';
    // AWS: EnableSoftwareTokenMFAException "Code mismatch and fail enable Software Token MFA"
    // (aws-samples/aws-amplify-auth-starters#15, the response body of a real VerifySoftwareToken).
    await expectError(
      pub.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: wrong })),
      'EnableSoftwareTokenMFAException',
      'Code mismatch and fail enable Software Token MFA',
    );
  });

  it('SetUserMFAPreference: TOTP without a verified authenticator', async () => {
    // AWS's words: aws/aws-sdk-js-v3#4645.
    await expectError(
      pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    );
  });

  it('AdminSetUserMFAPreference: an unknown user; the user named by sub (the API reference: "the sub of a local user")', async () => {
    await expectError(
      corral.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: seed.poolId, Username: 'nobody', SoftwareTokenMfaSettings: { Enabled: false } })),
      'UserNotFoundException',
      'User does not exist.',
    );
    await corral.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: seed.poolId, Username: sub, SoftwareTokenMfaSettings: { Enabled: false } }));
    await expectError(
      corral.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: seed.poolId, Username: sub, SoftwareTokenMfaSettings: { Enabled: true } })),
      'InvalidParameterException',
      'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
    );
  });

  // ---- devices -------------------------------------------------------------------------------------------------

  it('the user device actions: a device key that is not one of the user\u2019s', async () => {
    const notFound = ['ResourceNotFoundException', 'Device does not exist.'] as const;
    await Promise.all([
      expectError(
        pub.send(
          new ConfirmDeviceCommand({
            AccessToken: access,
            DeviceKey: NO_DEVICE,
            DeviceSecretVerifierConfig: { Salt: 'c2FsdA==', PasswordVerifier: 'dmVyaWZpZXI=' },
          }),
        ),
        ...notFound,
      ),
      expectError(pub.send(new GetDeviceCommand({ AccessToken: access, DeviceKey: NO_DEVICE })), ...notFound),
      expectError(pub.send(new UpdateDeviceStatusCommand({ AccessToken: access, DeviceKey: NO_DEVICE, DeviceRememberedStatus: 'remembered' })), ...notFound),
      expectError(pub.send(new ForgetDeviceCommand({ AccessToken: access, DeviceKey: NO_DEVICE })), ...notFound),
      expectError(pub.send(new ListDevicesCommand({ AccessToken: BAD_TOKEN })), 'NotAuthorizedException', 'Invalid Access Token'),
    ]);
    expect((await pub.send(new ListDevicesCommand({ AccessToken: access }))).Devices).toEqual([]);
  });

  it('the admin device actions: an unknown user, an unknown device, an unknown pool', async () => {
    const P = seed.poolId;
    await Promise.all([
      expectError(
        corral.idp.send(new AdminGetDeviceCommand({ UserPoolId: P, Username: 'rider', DeviceKey: NO_DEVICE })),
        'ResourceNotFoundException',
        'Device does not exist.',
      ),
      expectError(
        corral.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: P, Username: 'rider', DeviceKey: NO_DEVICE, DeviceRememberedStatus: 'remembered' })),
        'ResourceNotFoundException',
        'Device does not exist.',
      ),
      expectError(
        corral.idp.send(new AdminForgetDeviceCommand({ UserPoolId: P, Username: 'rider', DeviceKey: NO_DEVICE })),
        'ResourceNotFoundException',
        'Device does not exist.',
      ),
      expectError(
        corral.idp.send(new AdminForgetDeviceCommand({ UserPoolId: P, Username: 'nobody', DeviceKey: NO_DEVICE })),
        'UserNotFoundException',
        'User does not exist.',
      ),
      expectError(corral.idp.send(new AdminListDevicesCommand({ UserPoolId: P, Username: 'nobody' })), 'UserNotFoundException', 'User does not exist.'),
      expectError(
        corral.idp.send(new AdminListDevicesCommand({ UserPoolId: NO_POOL, Username: 'rider' })),
        'ResourceNotFoundException',
        `User pool ${NO_POOL} does not exist.`,
      ),
    ]);
  });

  // ---- identity pools ------------------------------------------------------------------------------------------

  it('the identity-pool actions on an unknown pool: ResourceNotFoundException "IdentityPool \'<id>\' not found."', async () => {
    // AWS's words: awslabs/aws-sdk-android-samples#163, aws-amplify/amplify-js#1966 (GetId, DescribeIdentityPool).
    const msg = `IdentityPool '${NO_IDENTITY_POOL}' not found.`;
    const id = corral.identity;
    await Promise.all([
      expectError(id.send(new DescribeIdentityPoolCommand({ IdentityPoolId: NO_IDENTITY_POOL })), 'ResourceNotFoundException', msg),
      expectError(
        id.send(new UpdateIdentityPoolCommand({ IdentityPoolId: NO_IDENTITY_POOL, IdentityPoolName: 'x', AllowUnauthenticatedIdentities: false })),
        'ResourceNotFoundException',
        msg,
      ),
      expectError(id.send(new DeleteIdentityPoolCommand({ IdentityPoolId: NO_IDENTITY_POOL })), 'ResourceNotFoundException', msg),
      expectError(id.send(new GetIdCommand({ IdentityPoolId: NO_IDENTITY_POOL })), 'ResourceNotFoundException', msg),
      expectError(id.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: NO_IDENTITY_POOL })), 'ResourceNotFoundException', msg),
      expectError(
        id.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: NO_IDENTITY_POOL, Roles: { unauthenticated: UNAUTH_ROLE } })),
        'ResourceNotFoundException',
        msg,
      ),
      expectError(id.send(new ListIdentitiesCommand({ IdentityPoolId: NO_IDENTITY_POOL, MaxResults: 10 })), 'ResourceNotFoundException', msg),
    ]);
  });

  it('the identity actions on an unknown identity: ResourceNotFoundException "Identity \'<id>\' not found."', async () => {
    const msg = `Identity '${NO_IDENTITY}' not found.`;
    const id = corral.identity;
    await Promise.all([
      expectError(id.send(new GetCredentialsForIdentityCommand({ IdentityId: NO_IDENTITY })), 'ResourceNotFoundException', msg),
      expectError(id.send(new GetOpenIdTokenCommand({ IdentityId: NO_IDENTITY })), 'ResourceNotFoundException', msg),
      expectError(id.send(new DescribeIdentityCommand({ IdentityId: NO_IDENTITY })), 'ResourceNotFoundException', msg),
      expectError(id.send(new UnlinkIdentityCommand({ IdentityId: NO_IDENTITY, Logins: {}, LoginsToRemove: [] })), 'ResourceNotFoundException', msg),
    ]);
    // DeleteIdentities: an id that does not exist is nothing left to delete (UnprocessedIdentityIds lists only
    // internal failures, per the API reference).
    expect((await id.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [NO_IDENTITY] }))).UnprocessedIdentityIds).toEqual([]);
  });

  it('CreateIdentityPool / ListIdentityPools: input errors are ValidationException; GetId without logins on a pool without guests', async () => {
    const id = corral.identity;
    const bad = await fail(id.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'bad#name', AllowUnauthenticatedIdentities: false })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toContain(
      "Value 'bad#name' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
    );
    const range = await fail(id.send(new ListIdentityPoolsCommand({ MaxResults: 0 })));
    expect(range.name).toBe('ValidationException');
    expect(range.message).toContain("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");

    const created = await id.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'fidelity_auth',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: providerName(seed.poolId), ClientId: seed.clientId }],
      }),
    );
    // Members AWS always returns (defaults filled in).
    expect(created).toMatchObject({ AllowClassicFlow: false, IdentityPoolTags: {} });
    await expectError(
      id.send(new GetIdCommand({ IdentityPoolId: created.IdentityPoolId! })),
      'NotAuthorizedException',
      'Unauthenticated access is not supported for this identity pool.',
    );
    const listed = await id.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    expect(listed.IdentityPools).toContainEqual({ IdentityPoolId: created.IdentityPoolId, IdentityPoolName: 'fidelity_auth' });
  });
});

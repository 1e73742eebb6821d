// The console's identity pool pages in a real browser against a real Corral: the walkthrough's "Create new identity
// pool" (ids typed from the scratch pad) → "Allow" the two roles → the id on the dashboard; then what it made, checked
// with the AWS SDK (DescribeIdentityPool, GetIdentityPoolRoles) and used for real (GetId + GetCredentialsForIdentity
// of a signed-in user); a role mapping rule edited in the console decides whether credentials are given; the
// identities list; the pickers, "Don't Allow", editing and deleting a pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CognitoIdentityClient,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ensureConsoleBuilt, openConsole, RUN_BROWSER, shot, shutdown, startCorral, type TestCorral } from './support/console';

const ACCOUNT = '123456789012';
const PASSWORD = 'Rid3r-Passw0rd!';

/** The walkthrough's pool and client, as the repo's corral.config.json declares them (no identity pools), with a
 * client that also allows ADMIN_USER_PASSWORD_AUTH so the test can sign a user in with the SDK. */
const CONFIG = {
  userPools: [
    {
      PoolName: 'WildRydes',
      AliasAttributes: ['email', 'phone_number'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      MfaConfiguration: 'OFF',
      DeviceConfiguration: null,
      Clients: [
        {
          ClientName: 'wildrydes-web-app',
          GenerateSecret: false,
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
          PreventUserExistenceErrors: 'ENABLED',
        },
      ],
    },
  ],
};

describe.runIf(RUN_BROWSER)('console: identity pools', () => {
  let corral: TestCorral;
  let browser: Browser;
  let page: Page;
  let idp: CognitoIdentityProviderClient;
  let ci: CognitoIdentityClient;
  let userPoolId = '';
  let clientId = '';
  let identityPoolId = '';
  let provider = '';
  let identityId = '';
  let idToken = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    corral = await startCorral({ config: CONFIG, env: { CORRAL_ACCOUNT_ID: ACCOUNT } });
    const clientConfig = { endpoint: corral.url, region: corral.region, credentials: corral.admin };
    idp = new CognitoIdentityProviderClient(clientConfig);
    ci = new CognitoIdentityClient(clientConfig);
    userPoolId = (await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!.find((p) => p.Name === 'WildRydes')!.Id!;
    clientId = (await idp.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 10 }))).UserPoolClients![0]!.ClientId!;
    provider = `cognito-idp.${corral.region}.amazonaws.com/${userPoolId}`;
    ({ browser, page } = await openConsole(corral));
  }, 120_000);

  afterAll(() => shutdown(browser, corral));

  it('creates wildrydes_identity_pool as the walkthrough says: ids typed in, Create Pool, Allow, the id to copy', async () => {
    // 1. Federated Identities in the header. 2. Create new identity pool.
    await page.getByRole('link', { name: 'Federated Identities' }).click();
    await page.getByRole('heading', { name: 'Identity pools' }).waitFor();
    await page.getByText('No identity pools yet').waitFor();
    await shot(page, 'identity-pools-empty');
    await page.getByRole('link', { name: 'Create new identity pool' }).click();
    // 3. The name. Unauthenticated identities stay off.
    await page.getByLabel('Identity pool name').fill('wildrydes_identity_pool');
    expect(await page.getByLabel('Enable access to unauthenticated identities').isChecked()).toBe(false);
    // 4. Expand Authentication providers. 5. In the Cognito tab, the ids from the scratch pad.
    const expander = page.getByRole('button', { name: 'Authentication providers' });
    expect(await expander.getAttribute('aria-expanded')).toBe('false');
    await expander.click();
    expect(await expander.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('tab', { name: 'Cognito' }).getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('User Pool ID', { exact: true }).fill(userPoolId);
    await page.getByLabel('App client id', { exact: true }).fill(clientId);
    // The picker follows what was typed: the typed pool's client list is there to pick from.
    await expect.poll(() => page.getByLabel('Pick a user pool').inputValue()).toBe(userPoolId);
    await expect.poll(() => page.getByLabel('Pick an app client').inputValue()).toBe(clientId);
    await shot(page, 'identity-pool-create');
    // 6. Create Pool.
    await page.getByRole('button', { name: 'Create Pool' }).click();
    // 7. Allow the two roles.
    await page.getByRole('heading', { name: 'Your Cognito identities require access to your resources' }).waitFor();
    expect(await page.getByLabel('Authenticated role name', { exact: true }).inputValue()).toBe('Cognito_wildrydes_identity_poolAuth_Role');
    expect(await page.getByLabel('Unauthenticated role name', { exact: true }).inputValue()).toBe('Cognito_wildrydes_identity_poolUnauth_Role');
    // The account is Corral's (learnt from the user pool's ARN), not a guess.
    await expect.poll(() => page.getByLabel('AWS account ID').inputValue()).toBe(ACCOUNT);
    const details = page.getByRole('button', { name: 'View Details' }).first();
    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    await expect(page.getByLabel('Policy document of the authenticated role').textContent()).resolves.toContain('cognito-identity:*');
    await shot(page, 'identity-pool-roles');
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    // The dashboard: the identity pool id for the scratch pad.
    const idField = page.getByRole('textbox', { name: 'Identity pool ID' });
    await idField.waitFor();
    identityPoolId = await idField.inputValue();
    expect(identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    await page.getByText('Identity pool created, with its authenticated and unauthenticated roles').waitFor();
    await page.getByRole('button', { name: 'Copy Identity pool ID' }).waitFor();
    await shot(page, 'identity-pool-dashboard');

    const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId }));
    expect(described.IdentityPoolName).toBe('wildrydes_identity_pool');
    expect(described.AllowUnauthenticatedIdentities).toBe(false);
    expect(described.CognitoIdentityProviders).toEqual([{ ProviderName: provider, ClientId: clientId, ServerSideTokenCheck: false }]);
    const roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
    expect(roles.Roles).toEqual({
      authenticated: `arn:aws:iam::${ACCOUNT}:role/Cognito_wildrydes_identity_poolAuth_Role`,
      unauthenticated: `arn:aws:iam::${ACCOUNT}:role/Cognito_wildrydes_identity_poolUnauth_Role`,
    });
  });

  it('the pool it made gives a signed-in user of WildRydes an identity and AWS credentials', async () => {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: 'rider1',
        UserAttributes: [
          { Name: 'email', Value: 'rider1@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'rider1', Password: PASSWORD, Permanent: true }));
    const auth = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'rider1', PASSWORD },
      }),
    );
    idToken = auth.AuthenticationResult!.IdToken!;
    identityId = (await ci.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [provider]: idToken } }))).IdentityId!;
    expect(identityId).toMatch(/^us-east-1:/);
    const creds = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: { [provider]: idToken } }));
    expect(creds.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(creds.Credentials?.SessionToken).toBeTruthy();
  });

  it('edits a role mapping rule in the console; GetIdentityPoolRoles and GetCredentialsForIdentity follow it', async () => {
    await page.getByRole('navigation', { name: 'Identity pool' }).getByRole('link', { name: 'Roles and role mappings' }).click();
    const mapping = page.getByRole('group', { name: `Cognito: ${userPoolId} / ${clientId}` });
    await mapping.waitFor();
    expect(await page.getByLabel('Authenticated role ARN', { exact: true }).inputValue()).toBe(
      `arn:aws:iam::${ACCOUNT}:role/Cognito_wildrydes_identity_poolAuth_Role`,
    );
    await mapping.getByLabel('Authenticated role selection').selectOption({ label: 'Choose role with rules' });
    await mapping.getByLabel('Role resolution').selectOption({ label: 'DENY' });
    const rule = mapping.getByRole('group', { name: 'Rule 1' });
    await rule.getByLabel('Claim').fill('email');
    await rule.getByLabel('Match type').selectOption({ label: 'Contains' });
    await rule.getByLabel('Value').fill('@example.com');
    await rule.getByLabel('Role ARN').fill(`arn:aws:iam::${ACCOUNT}:role/Riders`);
    await shot(page, 'identity-pool-role-mappings');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('Roles and role mappings saved.').waitFor();
    const key = `${provider}:${clientId}`;
    let roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
    expect(roles.RoleMappings?.[key]).toEqual({
      Type: 'Rules',
      AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: { Rules: [{ Claim: 'email', MatchType: 'Contains', Value: '@example.com', RoleARN: `arn:aws:iam::${ACCOUNT}:role/Riders` }] },
    });
    // The rider's email matches: credentials.
    await ci.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: { [provider]: idToken } }));

    // After a reload the page shows the stored rule; edit it so that it no longer matches: Deny.
    await page.reload();
    const rule2 = page.getByRole('group', { name: `Cognito: ${userPoolId} / ${clientId}` }).getByRole('group', { name: 'Rule 1' });
    expect(await rule2.getByLabel('Value').inputValue()).toBe('@example.com');
    await rule2.getByLabel('Match type').selectOption({ label: 'Equals' });
    await rule2.getByLabel('Value').fill('someone@else.example');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('Roles and role mappings saved.').waitFor();
    roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
    expect(roles.RoleMappings?.[key]?.RulesConfiguration?.Rules).toEqual([
      { Claim: 'email', MatchType: 'Equals', Value: 'someone@else.example', RoleARN: `arn:aws:iam::${ACCOUNT}:role/Riders` },
    ]);
    await expect(ci.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: { [provider]: idToken } }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });

    // Back to the default role: the mapping is dropped.
    await page.getByLabel('Authenticated role selection').selectOption({ label: 'Use default role' });
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('Roles and role mappings saved.').waitFor();
    roles = await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
    expect(roles.RoleMappings ?? {}).toEqual({});
  });

  it('lists the identity and shows its details', async () => {
    await page.getByRole('navigation', { name: 'Identity pool' }).getByRole('link', { name: 'Identities' }).click();
    await page.getByRole('cell', { name: identityId, exact: true }).waitFor();
    await page.getByRole('button', { name: `Details of ${identityId}` }).click();
    const details = page.getByRole('region', { name: 'Identity details' });
    await details.getByText(provider).waitFor();
    await shot(page, 'identity-pool-identities');
    // The dashboard counts it.
    await page.getByRole('navigation', { name: 'Identity pool' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: '1', exact: true }).waitFor();
  });

  it('picks the ids from lists, Don’t Allow leaves the roles unset, Edit changes the pool, Delete removes it', async () => {
    await page.getByRole('link', { name: 'Federated Identities' }).click();
    await page.getByRole('link', { name: 'wildrydes_identity_pool' }).waitFor();
    await shot(page, 'identity-pools');
    await page.getByRole('link', { name: 'Create new identity pool' }).click();
    await page.getByLabel('Identity pool name').fill('second pool');
    await page.getByRole('button', { name: 'Authentication providers' }).click();
    await page.getByLabel('Pick a user pool').selectOption({ label: `WildRydes (${userPoolId})` });
    expect(await page.getByLabel('User Pool ID', { exact: true }).inputValue()).toBe(userPoolId);
    await page.getByLabel('Pick an app client').selectOption({ label: `wildrydes-web-app (${clientId})` });
    expect(await page.getByLabel('App client id', { exact: true }).inputValue()).toBe(clientId);
    // A second provider row, then removed again.
    await page.getByRole('button', { name: 'Add another provider' }).click();
    await page.getByLabel('User Pool ID (provider 2)').fill('not a pool id');
    await page.getByRole('button', { name: 'Create Pool' }).click();
    await page.getByText('The User Pool ID of provider 2 must look like').waitFor();
    await page.getByRole('button', { name: 'Remove provider 2' }).click();
    await page.getByRole('button', { name: 'Create Pool' }).click();
    await page.getByRole('heading', { name: 'Your Cognito identities require access to your resources' }).waitFor();
    expect(await page.getByLabel('Authenticated role name', { exact: true }).inputValue()).toBe('Cognito_secondpoolAuth_Role');
    await page.getByRole('button', { name: "Don't Allow" }).click();
    const second = await page.getByRole('textbox', { name: 'Identity pool ID' }).inputValue();
    expect((await ci.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: second }))).Roles ?? {}).toEqual({});

    await page.getByRole('link', { name: 'Edit identity pool' }).click();
    await page.getByLabel('Enable access to unauthenticated identities').check();
    await page.getByLabel('Server-side token check').check();
    await page.getByLabel('Identity pool name').fill('second pool renamed');
    await shot(page, 'identity-pool-edit');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const described = await ci.send(new DescribeIdentityPoolCommand({ IdentityPoolId: second }));
    expect(described).toMatchObject({
      IdentityPoolName: 'second pool renamed',
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId, ServerSideTokenCheck: true }],
    });
    await page.getByRole('heading', { name: 'second pool renamed', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Delete identity pool' }).click();
    await page.getByRole('heading', { name: 'Identity pools' }).waitFor();
    const left = await ci.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
    expect(left.IdentityPools?.map((p) => p.IdentityPoolId)).toEqual([identityPoolId]);
  });
});

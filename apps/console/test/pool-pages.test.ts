// A user pool's pages in a real browser against a real Corral whose configuration file declares the pool: users
// seeded with the AWS SDK (70 of them plus a rider), then found by email prefix, paged through, and the rider
// disabled, enabled, edited, added to a group, signed out everywhere and reset; a user deleted and one created;
// an app client with a secret (shown once); settings edited (triggers, tags, devices, password policy) with
// every other setting checked unchanged through DescribeUserPool; a domain and its hosted sign-in link; signing keys
// rotated. Every outcome is checked through the API (AWS SDK), not only on the page. Screenshots of every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { unchangedUpdate } from '../src/pages/pool/updatable';
import { ensureConsoleBuilt, openConsole, RUN_BROWSER, shot, shutdown, startCorral, type TestCorral } from './support/console';
import { tempDir } from '../../wildrydes/test/support/stack';

const POOL = 'ConsolePages';
const USERS = Array.from({ length: 70 }, (_, i) => `user${String(i).padStart(2, '0')}`);
const RIDER = { username: 'rider', email: 'rider@wildrydes.example', password: 'Rider-Passw0rd!' };

function config(fnModule: string) {
  return {
    functions: { 'console-pre-signup': { module: fnModule } },
    userPools: [
      {
        PoolName: POOL,
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 8,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: false,
            TemporaryPasswordValidityDays: 5,
          },
        },
        MfaConfiguration: 'OFF',
        UserPoolTags: { team: 'riders' },
        VerificationMessageTemplate: {
          DefaultEmailOption: 'CONFIRM_WITH_CODE',
          EmailSubject: 'Your Wild Rydes code',
          EmailMessage: 'Your Wild Rydes code is {####}',
        },
        AdminCreateUserConfig: {
          AllowAdminCreateUserOnly: false,
          InviteMessageTemplate: { EmailSubject: 'Welcome to Wild Rydes', EmailMessage: 'Hi {username}, your password is {####}' },
        },
        Clients: [
          { ClientName: 'admin-flows', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
          {
            ClientName: 'hosted-web',
            GenerateSecret: false,
            ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
            AllowedOAuthFlows: ['code'],
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthScopes: ['openid', 'email'],
            CallbackURLs: ['https://rides.example.com/callback', 'https://rides.example.com/other'],
            SupportedIdentityProviders: ['COGNITO'],
            PreventUserExistenceErrors: 'ENABLED',
          },
        ],
      },
    ],
  };
}

describe.runIf(RUN_BROWSER)('a user pool’s pages', () => {
  let corral: TestCorral;
  let browser: Browser;
  let page: Page;
  let sdk: CognitoIdentityProviderClient;
  let poolId = '';
  let base = '';
  const clients: Record<string, string> = {};
  let riderRefresh = '';

  const describePool = async (): Promise<UserPoolType> => (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  const getUser = (Username: string) => sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }));
  const listed = async () => (await page.locator('table tbody tr td:first-child a').allTextContents()).map((s) => s.trim());
  const search = async (attribute: string, match: '^=' | '=', value: string) => {
    await page.getByLabel('Search by').selectOption(attribute);
    await page.getByLabel('Match').selectOption(match);
    await page.getByLabel('Search value').fill(value);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  };
  const openRider = async () => {
    await page.goto(`${base}/users`);
    await search('email', '^=', 'rider@');
    await expect.poll(listed).toEqual([RIDER.username]);
    await page.getByRole('link', { name: RIDER.username, exact: true }).click();
    await page.getByRole('heading', { name: RIDER.username, exact: true }).waitFor();
  };
  const userBadge = (text: string) => page.locator('.user-head .badge', { hasText: text });

  beforeAll(async () => {
    ensureConsoleBuilt();
    const dir = tempDir('corral-pool-pages-');
    const fn = join(dir, 'pre-signup.mjs');
    writeFileSync(fn, 'export const handler = async (event) => event;\n');
    corral = await startCorral({ config: config(fn) });
    sdk = new CognitoIdentityProviderClient({ endpoint: corral.url, region: corral.region, credentials: corral.admin });
    const pools = await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    poolId = pools.UserPools!.find((p) => p.Name === POOL)!.Id!;
    base = `${corral.url}/console/user-pools/${poolId}`;
    for (const c of (await sdk.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }))).UserPoolClients!)
      clients[c.ClientName!] = c.ClientId!;
    for (let i = 0; i < USERS.length; i += 10) {
      await Promise.all(
        USERS.slice(i, i + 10).map((u) =>
          sdk.send(
            new AdminCreateUserCommand({
              UserPoolId: poolId,
              Username: u,
              MessageAction: 'SUPPRESS',
              UserAttributes: [{ Name: 'email', Value: `${u}@wildrydes.example` }],
            }),
          ),
        ),
      );
    }
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: RIDER.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: RIDER.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Rider One' },
        ],
      }),
    );
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: RIDER.username, Password: RIDER.password, Permanent: true }));
    const auth = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clients['admin-flows'],
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: RIDER.username, PASSWORD: RIDER.password },
      }),
    );
    riderRefresh = auth.AuthenticationResult!.RefreshToken!;
    ({ browser, page } = await openConsole(corral));
  }, 180_000);

  afterAll(() => shutdown(browser, corral));

  it('general settings: name, id and ARN to copy, user count, every section', async () => {
    await page.goto(base);
    await page.getByRole('heading', { name: POOL, level: 1 }).waitFor();
    const pool = await describePool();
    expect(await page.getByLabel('Pool Id', { exact: true }).inputValue()).toBe(poolId);
    expect(await page.getByLabel('Pool ARN', { exact: true }).inputValue()).toBe(pool.Arn);
    await expect.poll(() => page.locator('dl.summary').first().textContent()).toContain(`Estimated number of users${USERS.length + 1}`);
    for (const section of ['Attributes', 'Policies', 'MFA and verifications', 'Message customizations', 'Tags', 'Devices', 'Triggers']) {
      await page.getByRole('region', { name: section, exact: true }).waitFor();
    }
    // The schema's custom attribute and the read-only sign-in attributes.
    const attributes = page.getByRole('region', { name: 'Attributes', exact: true });
    await attributes.getByText('custom:genre').waitFor();
    await attributes.getByText('Sign-in attributes cannot be changed after the pool is created.').waitFor();
    await page.getByRole('region', { name: 'Message customizations' }).getByText('Your Wild Rydes code is {####}').waitFor();
    await shot(page, 'pool-general-settings');
    for (const [path, label] of [
      ['attributes', 'Attributes'],
      ['policies', 'Policies'],
      ['mfa', 'MFA and verifications'],
      ['messages', 'Message customizations'],
      ['tags', 'Tags'],
      ['devices', 'Devices'],
      ['triggers', 'Triggers'],
    ] as const) {
      await page.getByRole('navigation', { name: 'User pool' }).getByRole('link', { name: label, exact: true }).click();
      await page.waitForURL(`${base}/${path}`);
      await page.getByRole('region', { name: label, exact: true }).waitFor();
      await shot(page, `pool-${path}`);
    }
  });

  it('users: an email prefix search lists exactly the matching users', async () => {
    await page.goto(`${base}/users`);
    await search('email', '^=', 'user1');
    await expect.poll(async () => (await listed()).sort()).toEqual(USERS.filter((u) => u.startsWith('user1')));
    expect(await page.locator('table tbody tr').count()).toBe(10);
    await shot(page, 'pool-users-search');
    await search('email', '=', 'user42@wildrydes.example');
    await expect.poll(listed).toEqual(['user42']);
    await search('username', '^=', 'nobody');
    await page.getByText('No users match this search.').waitFor();
  });

  it('users: pages of 60 with Next page / Previous page cover every user once', async () => {
    await page.goto(`${base}/users`);
    await search('email', '^=', '');
    await expect.poll(async () => (await listed()).length).toBe(60);
    const first = await listed();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText(/Page 2 · /).waitFor();
    await expect.poll(async () => (await listed()).length).toBe(USERS.length + 1 - 60);
    const second = await listed();
    expect(new Set([...first, ...second])).toEqual(new Set([...USERS, RIDER.username]));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await shot(page, 'pool-users-page-2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText(/Page 1 · 60 users/).waitFor();
    await expect.poll(listed).toEqual(first);
    await shot(page, 'pool-users');
  });

  it('groups: create one, then see it listed and on its own page', async () => {
    await page.goto(`${base}/groups`);
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByLabel('Group name').fill('Riders');
    await page.getByLabel('Description').fill('People who ride unicorns');
    await page.getByLabel('Precedence').fill('5');
    await page.getByRole('form', { name: 'Create group' }).getByRole('button', { name: 'Create group' }).click();
    await page.getByText('Created group').waitFor();
    await page.getByRole('link', { name: 'Riders', exact: true }).first().waitFor();
    await shot(page, 'pool-groups');
  });

  it('the rider: disable → Disabled, enable, edit an attribute, add to a group, sign out everywhere, reset password', async () => {
    await openRider();
    await userBadge('Enabled').waitFor();
    await shot(page, 'pool-user');

    await page.getByRole('button', { name: 'Disable user' }).click();
    await userBadge('Disabled').waitFor();
    expect((await getUser(RIDER.username)).Enabled).toBe(false);
    await page.getByRole('button', { name: 'Enable user' }).click();
    await userBadge('Enabled').waitFor();
    expect((await getUser(RIDER.username)).Enabled).toBe(true);

    await page.getByRole('button', { name: 'Edit Attributes' }).click();
    await page.getByLabel('name', { exact: true }).fill('Rider Two');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('cell', { name: 'Rider Two' }).waitFor();
    expect((await getUser(RIDER.username)).UserAttributes!.find((a) => a.Name === 'name')?.Value).toBe('Rider Two');

    const groups = page.getByRole('region', { name: 'Groups' });
    await groups.getByLabel('Group').selectOption('Riders');
    await groups.getByRole('button', { name: 'Add to group' }).click();
    await groups.getByRole('button', { name: 'Remove from Riders' }).waitFor();
    const memberOf = await sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: RIDER.username }));
    expect(memberOf.Groups!.map((g) => g.GroupName)).toEqual(['Riders']);

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByText('Signed out everywhere').waitFor();
    await expect(
      sdk.send(new InitiateAuthCommand({ ClientId: clients['admin-flows'], AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: riderRefresh } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await page.getByRole('button', { name: 'Reset password' }).click();
    await userBadge('RESET_REQUIRED').waitFor();
    expect((await getUser(RIDER.username)).UserStatus).toBe('RESET_REQUIRED');
    await shot(page, 'pool-user-after-actions');

    // The group's page lists the rider.
    await page.goto(`${base}/groups/Riders`);
    await page.getByRole('region', { name: 'Members' }).getByRole('link', { name: RIDER.username }).waitFor();
    await shot(page, 'pool-group');
  });

  it('deletes a user (after the confirm) and creates one with a verified email and no invitation', async () => {
    await page.goto(`${base}/users/user05`);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.waitForURL(`${base}/users`);
    await expect(getUser('user05')).rejects.toMatchObject({ name: 'UserNotFoundException' });

    await page.getByRole('button', { name: 'Create user' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Username').fill('newbie');
    await form.getByLabel('Email', { exact: true }).fill('newbie@wildrydes.example');
    await form.getByLabel('Mark email as verified?').check();
    await form.getByLabel('Temporary password').fill('Temp-Passw0rd');
    await shot(page, 'pool-create-user');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Created user').waitFor();
    const created = await getUser('newbie');
    expect(created.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(created.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value).toBe('true');
  });

  it('an app client with a secret shows the secret once, never after a reload', async () => {
    await page.goto(`${base}/clients`);
    await page.getByRole('link', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('backend-with-secret');
    await page.getByLabel('Generate client secret').check();
    await page.getByLabel('ALLOW_ADMIN_USER_PASSWORD_AUTH', { exact: false }).check();
    await shot(page, 'pool-new-client');
    await page.getByRole('button', { name: 'Create app client' }).click();
    const secretField = page.getByLabel('App client secret', { exact: true });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const clientId = await page.getByLabel('App client id', { exact: true }).inputValue();
    const described = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    expect(described.ClientName).toBe('backend-with-secret');
    expect(described.ExplicitAuthFlows).toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    expect(described.ClientSecret).toBe(secret);
    await shot(page, 'pool-client-secret-once');

    await page.reload();
    await page.getByRole('heading', { name: 'App client backend-with-secret' }).waitFor();
    expect(await page.getByLabel('App client secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await page.getByText('Yes (not shown)').waitFor();
    await shot(page, 'pool-client');

    await page.goto(`${base}/clients`);
    await page.getByRole('link', { name: 'backend-with-secret' }).waitFor();
    await shot(page, 'pool-clients');
  });

  it('editing an app client sends its full settings: only what was changed changes', async () => {
    const id = clients['hosted-web']!;
    const before = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }))).UserPoolClient!;
    await page.goto(`${base}/clients/${id}`);
    await page.getByRole('button', { name: 'Edit App client hosted-web' }).click();
    await page.getByLabel('Access token expiration', { exact: true }).fill('2');
    await page.getByLabel('Access token expiration unit').selectOption('hours');
    await page.getByRole('button', { name: 'Save app client changes' }).click();
    await page.getByText('Saved.').waitFor();
    const after = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }))).UserPoolClient!;
    expect(after.AccessTokenValidity).toBe(2);
    expect(after.TokenValidityUnits?.AccessToken).toBe('hours');
    const rest = (c: typeof before) => {
      const { AccessTokenValidity: _a, TokenValidityUnits, LastModifiedDate: _m, ...others } = c;
      return { ...others, RefreshUnit: TokenValidityUnits?.RefreshToken ?? 'days', IdUnit: TokenValidityUnits?.IdToken ?? 'hours' };
    };
    expect(rest(after)).toEqual(rest(before));
  });

  it('triggers, tags, devices, MFA, messages and custom attributes are edited; then a password policy edit keeps every other setting', async () => {
    await page.goto(`${base}/triggers`);
    await page.getByRole('button', { name: 'Edit Triggers' }).click();
    await page.getByLabel('Pre sign-up').selectOption('console-pre-signup');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const region = poolId.split('_')[0];
    expect((await describePool()).LambdaConfig?.PreSignUp).toMatch(new RegExp(`^arn:aws:lambda:${region}:\\d{12}:function:console-pre-signup$`));
    await shot(page, 'pool-triggers-edited');

    await page.goto(`${base}/tags`);
    await page.getByRole('button', { name: 'Edit Tags' }).click();
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Tag key 2').fill('stage');
    await page.getByLabel('Tag value 2').fill('test');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await describePool()).UserPoolTags).toEqual({ team: 'riders', stage: 'test' });

    await page.goto(`${base}/devices`);
    await page.getByRole('button', { name: 'Edit Devices' }).click();
    await page.getByLabel('User Opt In').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await describePool()).DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true });

    await page.goto(`${base}/mfa`);
    await page.getByRole('button', { name: 'Edit MFA and verifications' }).click();
    await page.getByLabel('Optional').check();
    await page.getByLabel('Time-based One-time Password').check();
    await page.getByLabel('How will a user be able to recover their account?').selectOption('email');
    await shot(page, 'pool-mfa-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const mfa = await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(mfa.MfaConfiguration).toBe('OPTIONAL');
    expect(mfa.SoftwareTokenMfaConfiguration?.Enabled).toBe(true);
    expect((await describePool()).AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });

    await page.goto(`${base}/messages`);
    await page.getByRole('button', { name: 'Edit Message customizations' }).click();
    await page.getByLabel('Invitation SMS message').fill('Ride with us, {username}: {####}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await describePool()).AdminCreateUserConfig?.InviteMessageTemplate).toEqual({
      SMSMessage: 'Ride with us, {username}: {####}',
      EmailSubject: 'Welcome to Wild Rydes',
      EmailMessage: 'Hi {username}, your password is {####}',
    });

    await page.goto(`${base}/attributes`);
    await page.getByRole('button', { name: 'Add custom attributes' }).click();
    await page.getByLabel('Custom attribute name').fill('unicorn');
    await page.getByLabel('Max length').fill('40');
    await page.getByRole('button', { name: 'Save custom attributes' }).click();
    await page.getByText('Added custom:unicorn.').waitFor();
    const unicorn = (await describePool()).SchemaAttributes?.find((a) => a.Name === 'custom:unicorn');
    expect(unicorn).toMatchObject({ AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MaxLength: '40' } });

    const before = await describePool();
    await page.goto(`${base}/policies`);
    await page.getByRole('button', { name: 'Edit Policies' }).click();
    await page.getByLabel('Minimum length').fill('10');
    await shot(page, 'pool-policies-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const after = await describePool();
    expect(after.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    expect(after.AutoVerifiedAttributes).toEqual(['email']);
    expect(after.SchemaAttributes?.map((a) => a.Name)).toContain('custom:genre');
    const { LastModifiedDate: _b, Policies: pb, ...restBefore } = before;
    const { LastModifiedDate: _a, Policies: pa, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    expect({ ...pa, PasswordPolicy: { ...pa?.PasswordPolicy, MinimumLength: 8 } }).toEqual(pb);
    await page.getByRole('region', { name: 'Policies' }).getByText('10', { exact: true }).waitFor();
  });

  it('domain name: create a prefix; the hosted sign-in link of an OAuth client opens Corral’s sign-in page', async () => {
    const prefix = `pool-pages-${Date.now().toString(36)}`;
    await page.goto(`${base}/domain`);
    await page.getByText('Needs a domain for the pool').first().waitFor();
    await page.getByLabel('Domain prefix').fill(prefix);
    await page.getByRole('button', { name: 'Create domain' }).click();
    const domainUrl = page.getByLabel('Domain URL', { exact: true });
    await domainUrl.waitFor();
    expect(await domainUrl.inputValue()).toBe(`${corral.url}/_domains/${prefix}`);
    expect((await describePool()).Domain).toBe(prefix);
    const link = page.getByRole('link', { name: 'Hosted sign-in page of hosted-web' });
    const href = (await link.getAttribute('href'))!;
    const url = new URL(href);
    expect(`${url.origin}${url.pathname}`).toBe(`${corral.url}/_domains/${prefix}/login`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: clients['hosted-web'],
      response_type: 'code',
      redirect_uri: 'https://rides.example.com/callback',
    });
    const res = await fetch(href);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/type="password"/);
    // A client without OAuth says what it lacks.
    const row = page.getByRole('row', { name: /admin-flows/ });
    await row.getByText(/Needs .*a callback URL/).waitFor();
    await shot(page, 'pool-domain');
  });

  it('signing keys: JWKS and discovery links, the current key ids, rotation', async () => {
    await page.goto(`${base}/signing-keys`);
    await page.getByRole('link', { name: `${corral.url}/${poolId}/.well-known/jwks.json` }).waitFor();
    await page.getByRole('link', { name: `${corral.url}/${poolId}/.well-known/openid-configuration` }).waitFor();
    const jwks = async () =>
      ((await (await fetch(`${corral.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const kids = await jwks();
    expect(kids.length).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('table tbody tr td:first-child code').allTextContents()).sort()).toEqual([...kids].sort());
    await shot(page, 'pool-signing-keys');
    await page.getByRole('button', { name: 'Rotate signing keys' }).click();
    await page.getByText('Signing keys rotated').waitFor();
    const now = await jwks();
    const fresh = now.filter((k) => !kids.includes(k));
    expect(fresh.length).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('table tbody tr td:first-child code').allTextContents()).sort()).toEqual([...now].sort());
    for (const k of fresh) expect(await page.getByText(k).count()).toBeGreaterThan(0);
  });

  it('delete pool is refused with the API’s message while deletion protection is on', async () => {
    await page.goto(base);
    await page.getByRole('button', { name: 'Edit Deletion protection' }).click();
    await page.getByLabel(/^Active/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Active: the pool cannot be deleted.').waitFor();
    expect((await describePool()).DeletionProtection).toBe('ACTIVE');
    await page.getByRole('button', { name: 'Delete pool' }).click();
    await page
      .locator('.inline-error')
      .filter({ hasText: /InvalidParameterException/ })
      .waitFor();
    expect((await describePool()).Id).toBe(poolId);
    await shot(page, 'pool-delete-refused');
  });
});

// Every settings page edits through updatePool: DescribeUserPool's updatable set overlaid with the edit. Sent with no
// edit, that set must change nothing — for a pool that uses every member UpdateUserPool resets when it is left out.
describe('the console’s UpdateUserPool overlay (no browser)', () => {
  let corral: TestCorral;
  let sdk: CognitoIdentityProviderClient;
  beforeAll(async () => {
    corral = await startCorral();
    sdk = new CognitoIdentityProviderClient({ endpoint: corral.url, region: corral.region, credentials: corral.admin });
  }, 60_000);
  afterAll(async () => {
    sdk?.destroy();
    await corral?.stop();
  });

  it('an unchanged update of a pool using every updatable member changes nothing, MFA factors and domain included', async () => {
    const sms = { SnsCallerArn: 'arn:aws:iam::000000000000:role/full-sms', ExternalId: 'full', SnsRegion: 'us-east-1' };
    const { UserPool } = await sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'EveryMember',
        DeletionProtection: 'ACTIVE',
        LambdaConfig: {
          PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre',
          CustomSMSSender: { LambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:sms', LambdaVersion: 'V1_0' },
          KMSKeyID: 'arn:aws:kms:us-east-1:000000000000:key/full',
        },
        AutoVerifiedAttributes: ['email', 'phone_number'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
        UserPoolTier: 'PLUS',
        EmailConfiguration: {
          EmailSendingAccount: 'DEVELOPER',
          SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/rides@example.com',
          From: 'rides@example.com',
          ReplyToEmailAddress: 'help@example.com',
        },
        SmsConfiguration: sms,
        SmsAuthenticationMessage: 'Your sign-in code is {####}',
        VerificationMessageTemplate: {
          DefaultEmailOption: 'CONFIRM_WITH_LINK',
          EmailMessageByLink: 'Click {##here##}',
          EmailSubjectByLink: 'Verify',
          SmsMessage: 'Code {####}',
        },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }] },
        UserPoolTags: { team: 'riders' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, InviteMessageTemplate: { SMSMessage: 'Hi {username}: {####}' } },
        MfaConfiguration: 'OPTIONAL',
      }),
    );
    const id = UserPool!.Id!;
    await sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: id,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}', SmsConfiguration: sms },
        EmailMfaConfiguration: { Message: 'Your code {####}', Subject: 'Sign-in code' },
        WebAuthnConfiguration: { RelyingPartyId: 'rides.example.com', UserVerification: 'required' },
      }),
    );
    await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: 'every-member' }));
    const read = async () => {
      const { LastModifiedDate: _m, ...pool } = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
      const { $metadata: _x, ...mfa } = await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }));
      return { pool, mfa };
    };
    const before = await read();
    const { LastModifiedDate: _m, ...described } = (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    await sdk.send(new UpdateUserPoolCommand(unchangedUpdate(described)));
    expect(await read()).toEqual(before);
  });
});

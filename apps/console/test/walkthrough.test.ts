// Issue 10's "done when", end to end in Chromium: from an empty Corral, the walkthrough's console steps create the
// WildRydes pool, the wildrydes-web-app client and wildrydes_identity_pool; their ids (copied off the console's
// pages, as to the walkthrough's scratch pad) go into the Wild Rydes site's config.json; the site then registers a
// rider (the code read in the console's mailbox), verifies, signs in and shows the ride page; back in the console
// the rider is found by email prefix, disabled, enabled again and their password reset. Then `corral export` of
// that Corral, applied to a second empty Corral, yields the same descriptions, and a changed MinimumLength
// re-applied changes the running pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { ensureBuilt, startSite, tempDir, type Site } from '../../wildrydes/test/support/stack';
import { ensureConsoleBuilt, launchBrowser, REPO, RUN_BROWSER, shot, signedInPage, startCorral, type TestCorral } from './support/console';

const run = promisify(execFile);
const PASSWORD = 'Giddy-Up-2024!';

function idpClient(c: TestCorral) {
  return new CognitoIdentityProviderClient({ endpoint: c.url, region: c.region, credentials: c.admin });
}
function identityClient(c: TestCorral) {
  return new CognitoIdentityClient({ endpoint: c.url, region: c.region, credentials: c.admin });
}

/** A pool's description with what differs between two Corrals by construction (ids, ARNs, dates, counts) aside. */
function comparablePool(pool: UserPoolType | undefined) {
  const { Id, Arn, CreationDate, LastModifiedDate, EstimatedNumberOfUsers, ...rest } = pool ?? {};
  void [Id, Arn, CreationDate, LastModifiedDate, EstimatedNumberOfUsers];
  return rest;
}

async function describeAll(c: TestCorral) {
  const idp = idpClient(c);
  const identity = identityClient(c);
  const pools = (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? [];
  const out: Record<string, unknown> = {};
  const poolNames = new Map<string, string>();
  const clientNames = new Map<string, string>();
  for (const p of pools) {
    poolNames.set(p.Id!, p.Name!);
    const pool = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id! }))).UserPool;
    const clients = (await idp.send(new ListUserPoolClientsCommand({ UserPoolId: p.Id!, MaxResults: 60 }))).UserPoolClients ?? [];
    const described: Record<string, unknown> = {};
    for (const c of clients) {
      clientNames.set(c.ClientId!, c.ClientName!);
      const client = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.Id!, ClientId: c.ClientId! }))).UserPoolClient;
      const { ClientId, UserPoolId, ClientSecret, CreationDate, LastModifiedDate, ...rest } = client ?? {};
      void [ClientId, UserPoolId, CreationDate, LastModifiedDate];
      described[c.ClientName!] = { ...rest, hasSecret: !!ClientSecret };
    }
    out[`pool ${p.Name}`] = { pool: comparablePool(pool), clients: described };
  }
  const identityPools = (await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools ?? [];
  for (const ip of identityPools) {
    const { IdentityPoolId, $metadata, CognitoIdentityProviders, ...rest } = await identity.send(
      new DescribeIdentityPoolCommand({ IdentityPoolId: ip.IdentityPoolId! }),
    );
    void [IdentityPoolId, $metadata];
    const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ip.IdentityPoolId! }));
    out[`identity pool ${ip.IdentityPoolName}`] = {
      ...rest,
      // Providers by the names of what they point at (the ids differ between two Corrals).
      CognitoIdentityProviders: (CognitoIdentityProviders ?? []).map((p) => ({
        pool: poolNames.get(p.ProviderName!.split('/')[1]!),
        client: clientNames.get(p.ClientId!),
        ServerSideTokenCheck: p.ServerSideTokenCheck,
      })),
      Roles: roles.Roles,
    };
  }
  return out;
}

async function corralCli(args: string[], c: TestCorral) {
  return run(process.execPath, [join(REPO, 'packages/corral/dist/cli.js'), ...args], {
    cwd: REPO,
    env: { ...process.env, CORRAL_URL: c.url, AWS_ACCESS_KEY_ID: c.admin.accessKeyId, AWS_SECRET_ACCESS_KEY: c.admin.secretAccessKey, CORRAL_REGION: c.region },
  });
}

describe.runIf(RUN_BROWSER)('the walkthrough through the console, then the Wild Rydes site', () => {
  let corral: TestCorral;
  let browser: Browser;
  let page: Page;
  let site: Site | undefined;
  const ids = { userPoolId: '', clientId: '', identityPoolId: '' };
  const email = `rider-${Date.now().toString(36)}@example.com`;
  const username = email.replace(/[@.]/g, '|'); // what the site signs riders up as (wildrydes.md)

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureBuilt();
    [corral, browser] = await Promise.all([startCorral(), launchBrowser()]);
    page = await signedInPage(browser, corral);
    page.on('dialog', (d) => void d.accept());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await corral?.stop();
  });

  it('creates the WildRydes user pool and its app client as the walkthrough says', { timeout: 120_000 }, async () => {
    // 1–3. Open the console, Manage User Pools, Create a User Pool.
    await page.getByRole('link', { name: 'Manage User Pools' }).click();
    await page.getByRole('link', { name: 'Create a user pool' }).click();
    // 4–5. Name it WildRydes, Step through settings.
    await page.getByLabel('Pool name').fill('WildRydes');
    await page.getByRole('button', { name: 'Step through settings' }).click();
    // 6. Attributes: Username, also sign in with verified email and phone.
    await expect(page.getByRole('radio', { name: 'Username', exact: true }).isChecked()).resolves.toBe(true);
    await page.getByLabel('Also allow sign in with verified email address').check();
    await page.getByLabel('Also allow sign in with verified phone number').check();
    // 7. A mutable custom attribute genre.
    await page.getByRole('button', { name: 'Add custom attribute' }).click();
    const custom = page.getByRole('group', { name: 'Custom attribute 1' });
    await custom.getByLabel('Name', { exact: true }).fill('genre');
    await custom.getByLabel('Mutable').check();
    await shot(page, 'walkthrough-1-attributes');
    await page.getByRole('button', { name: 'Next step' }).click();
    // 8–11. Policies, MFA and verifications, Message customizations, Tags: defaults.
    for (const step of ['Policies', 'MFA and verifications', 'Message customizations', 'Tags']) {
      await page.getByRole('heading', { name: step, level: 2 }).waitFor();
      await page.getByRole('button', { name: 'Next step' }).click();
    }
    // 12. Devices: No.
    await page.getByRole('heading', { name: 'Devices', level: 2 }).waitFor();
    await page.getByRole('radio', { name: 'No', exact: true }).check();
    await page.getByRole('button', { name: 'Next step' }).click();
    // 13–16. App clients: Add an app client, wildrydes-web-app, no secret, no custom auth, Create app client.
    await page.getByRole('button', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('wildrydes-web-app');
    await page.getByLabel('Generate client secret').uncheck();
    await page.getByLabel('Enable lambda trigger based custom authentication (ALLOW_CUSTOM_AUTH)').uncheck();
    await shot(page, 'walkthrough-2-app-client');
    await page.getByRole('button', { name: 'Create app client' }).click();
    await page.getByRole('button', { name: 'Next step' }).click();
    // 17. Triggers: none.
    await page.getByRole('heading', { name: 'Triggers', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Next step' }).click();
    // 18. Review, Create pool.
    await page.getByRole('heading', { name: 'Review', level: 2 }).waitFor();
    await shot(page, 'walkthrough-3-review');
    await page.getByRole('button', { name: 'Create pool' }).click();
    await page.getByRole('heading', { name: 'Your user pool was created successfully.' }).waitFor();
    await shot(page, 'walkthrough-4-created');
    // Copy to scratch pad: the pool id and the app client id.
    ids.userPoolId = await page.getByRole('textbox', { name: 'Pool Id', exact: true }).inputValue();
    ids.clientId = await page.getByRole('textbox', { name: 'App client id (wildrydes-web-app)', exact: true }).inputValue();
    expect(ids.userPoolId).toMatch(/^us-east-1_[0-9A-Za-z]+$/);
    expect(ids.clientId).toMatch(/^[0-9a-z]{26}$/);

    const pool = (await idpClient(corral).send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }))).UserPool!;
    expect(pool.Name).toBe('WildRydes');
    expect(pool.AliasAttributes?.sort()).toEqual(['email', 'phone_number']);
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.SchemaAttributes?.find((a) => a.Name === 'custom:genre')).toMatchObject({ AttributeDataType: 'String', Mutable: true });
    const client = (await idpClient(corral).send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.clientId }))).UserPoolClient!;
    expect(client.ClientSecret).toBeUndefined();
    expect(client.ExplicitAuthFlows?.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('creates wildrydes_identity_pool with the pool and client from the scratch pad, and Allows its roles', { timeout: 60_000 }, async () => {
    // 1–2. Federated Identities, Create new identity pool.
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Federated Identities' }).click();
    await page.getByRole('link', { name: 'Create new identity pool' }).click();
    // 3–5. Its name; Authentication providers → Cognito: the ids copied before.
    await page.getByLabel('Identity pool name').fill('wildrydes_identity_pool');
    await expect(page.getByLabel('Enable access to unauthenticated identities').isChecked()).resolves.toBe(false);
    const providers = page.getByRole('button', { name: 'Authentication providers' });
    if ((await providers.getAttribute('aria-expanded')) !== 'true') await providers.click();
    await page.getByRole('tab', { name: 'Cognito' }).click();
    await page.getByLabel('User Pool ID', { exact: true }).fill(ids.userPoolId);
    await page.getByLabel('App client id', { exact: true }).fill(ids.clientId);
    await shot(page, 'walkthrough-5-identity-pool');
    // 6–7. Create Pool, Allow.
    await page.getByRole('button', { name: 'Create Pool' }).click();
    await page.getByRole('heading', { name: 'Your Cognito identities require access to your resources' }).waitFor();
    await shot(page, 'walkthrough-6-roles');
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    // Copy the identity pool id to the scratch pad.
    const idField = page.getByRole('textbox', { name: 'Identity pool ID', exact: true });
    await idField.waitFor();
    ids.identityPoolId = await idField.inputValue();
    expect(ids.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    await shot(page, 'walkthrough-7-identity-pool-created');

    const roles = await identityClient(corral).send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ids.identityPoolId }));
    expect(roles.Roles).toEqual({
      authenticated: 'arn:aws:iam::000000000000:role/Cognito_wildrydes_identity_poolAuth_Role',
      unauthenticated: 'arn:aws:iam::000000000000:role/Cognito_wildrydes_identity_poolUnauth_Role',
    });
  });

  it(
    'the site, given those ids in its config.json: register → verify with the code from the console mailbox → sign in → ride page',
    { timeout: 120_000 },
    async () => {
      const configFile = join(tempDir('wildrydes-config-'), 'config.json');
      writeFileSync(configFile, JSON.stringify({ region: corral.region, ...ids, userPoolClientId: ids.clientId, corralUrl: corral.url }, null, 2));
      site = await startSite({ WILDRYDES_CONFIG: configFile, CORRAL_URL: corral.url });
      const rider = await page.context().newPage();
      await rider.goto(site.url + '/register');
      await rider.getByLabel('Email', { exact: true }).fill(email);
      await rider.getByLabel('Phone').fill('+14252345678');
      await rider.getByLabel('Genre').fill('jazz');
      await rider.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await rider.getByLabel('Confirm Password').fill(PASSWORD);
      await rider.getByRole('button', { name: "Let's Ryde" }).click();
      await rider.getByRole('heading', { name: 'Verify Email' }).waitFor();

      // The code, read in the console's mailbox.
      await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Mailbox' }).click();
      await page.getByLabel('Recipient').fill(email);
      const message = page.getByRole('article', { name: `Email to ${email}` }).first();
      await message.waitFor({ timeout: 15_000 });
      const code = await message.locator('mark.code').first().innerText();
      expect(code).toMatch(/^\d{6}$/);
      await shot(page, 'walkthrough-8-mailbox');

      await rider.getByLabel('Verification Code').fill(code);
      await rider.getByRole('button', { name: 'Verify' }).click();
      await rider.waitForURL('**/signin');
      await rider.getByLabel('Email', { exact: true }).fill(email);
      await rider.getByLabel('Password').fill(PASSWORD);
      await rider.getByRole('button', { name: "Let's Ryde" }).click();
      await rider.waitForURL('**/app');
      await rider.getByText('Successfully Authenticated!').waitFor();
      await expect(rider.getByTestId('token-claims').locator('[data-claim="custom:genre"] td').innerText()).resolves.toContain('jazz');
      await rider.close();
    },
  );

  it('finds the rider by email prefix, disables and re-enables them, and resets their password', { timeout: 60_000 }, async () => {
    const idp = idpClient(corral);
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'User Pools' }).click();
    await page.getByRole('link', { name: 'WildRydes' }).click();
    await page.getByRole('navigation', { name: 'User pool' }).getByRole('link', { name: 'Users and groups' }).click();
    await page.getByLabel('Search by').selectOption('email');
    await page.getByLabel('Match').selectOption({ label: 'Starts with' });
    await page.getByLabel('Search value').fill(email.slice(0, 12));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: username }).click();
    await shot(page, 'walkthrough-9-rider');

    await page.getByRole('button', { name: 'Disable user' }).click();
    await page.locator('.user-head').getByText('Disabled').waitFor();
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: email }))).resolves.toMatchObject({ Enabled: false });
    await page.getByRole('button', { name: 'Enable user' }).click();
    await page.getByRole('button', { name: 'Disable user' }).waitFor();
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: email }))).resolves.toMatchObject({ Enabled: true });

    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.locator('.user-head').getByText('RESET_REQUIRED').waitFor();
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: email }))).resolves.toMatchObject({ UserStatus: 'RESET_REQUIRED' });
    await shot(page, 'walkthrough-10-reset');
  });

  it(
    '`corral export` of what was clicked, applied to a second empty Corral, describes the same; a changed MinimumLength re-applied changes it',
    { timeout: 120_000 },
    async () => {
      const file = join(tempDir('corral-export-'), 'exported.json');
      await corralCli(['export', '--out', file], corral);
      const second = await startCorral();
      try {
        await corralCli(['apply', file], second);
        const original = await describeAll(corral);
        expect(Object.keys(original).sort()).toEqual(['identity pool wildrydes_identity_pool', 'pool WildRydes']);
        expect(await describeAll(second)).toEqual(original);

        const exported = JSON.parse(readFileSync(file, 'utf8')) as { userPools: { Policies: { PasswordPolicy: { MinimumLength: number } } }[] };
        exported.userPools[0]!.Policies.PasswordPolicy.MinimumLength = 12;
        writeFileSync(file, JSON.stringify(exported, null, 2));
        await corralCli(['apply', file], second);
        const pools = (await idpClient(second).send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!;
        const pool = (await idpClient(second).send(new DescribeUserPoolCommand({ UserPoolId: pools[0]!.Id! }))).UserPool!;
        expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(12);
        // Only that changed.
        const before = (await describeAll(corral))['pool WildRydes'] as { pool: { Policies: { PasswordPolicy: object } } };
        before.pool.Policies.PasswordPolicy = { ...before.pool.Policies.PasswordPolicy, MinimumLength: 12 };
        expect((await describeAll(second))['pool WildRydes']).toEqual(before);
      } finally {
        await second.stop();
      }
    },
  );
});

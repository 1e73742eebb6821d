// The console's user pools list and create-a-user-pool wizard in a real browser against a real Corral (empty
// configuration): the walkthrough's module 1 steps ("Create a user pool" → WildRydes → Step through settings → …
// → Create pool), the ids read from the created page and what was made checked with the AWS SDK — and compared with
// what the repo's corral.config.json declares for the same choices; the same wizard with the keyboard alone; an API
// error shown on Review with nothing lost; a trigger picked from the functions registry; the list's pages.
// The request-building rules (wizard-model.ts) are also checked without a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListUserPoolsCommand,
  SignUpCommand,
  AdminGetUserCommand,
  type CreateUserPoolRequest,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { REPO, RUN_BROWSER, ensureConsoleBuilt, launchBrowser, shot, shutdown, signedInPage, startCorral, type TestCorral } from './support/console';
import { STEPS, clientRequest, createPoolRequest, defaultClient, defaultState, mfaConfigRequest, needsSms } from '../src/pages/user-pools/wizard-model';

const STEP_NAMES = ['Attributes', 'Policies', 'MFA and verifications', 'Message customizations', 'Tags', 'Devices', 'App clients', 'Triggers', 'Review'];

type DeclaredPool = CreateUserPoolRequest & { DeviceConfiguration?: null; MfaConfig?: unknown; Clients: Record<string, unknown>[] };
const file = JSON.parse(readFileSync(join(REPO, 'corral.config.json'), 'utf8')) as { userPools: DeclaredPool[] };

/**
 * The walkthrough's pool as the repo's provisioning file declares it, less what the file adds beyond the walkthrough's
 * steps for the site's passkeys: WEB_AUTHN among the first factors, the relying party, ALLOW_USER_AUTH on the client.
 */
function walkthroughPool(): DeclaredPool {
  const { MfaConfig, Policies, Clients, ...rest } = file.userPools[0]!;
  const { SignInPolicy, ...policies } = Policies ?? {};
  expect(MfaConfig).toEqual({ WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' } });
  expect(SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] });
  const clients = Clients.map((c) => ({ ...c, ExplicitAuthFlows: (c.ExplicitAuthFlows as string[]).filter((f) => f !== 'ALLOW_USER_AUTH') }));
  return { ...rest, Policies: policies, Clients: clients };
}
const seed = { userPools: [walkthroughPool()] };

describe('the wizard’s requests (wizard-model)', () => {
  it('the walkthrough’s choices make what corral.config.json declares, plus the defaults the console writes', () => {
    const s = { ...defaultState(), poolName: 'WildRydes', aliasEmail: true, aliasPhone: true };
    s.custom = [{ key: 1, type: 'String', name: 'genre', min: '', max: '', mutable: true }];
    const req = createPoolRequest(s, { region: 'us-east-1', account: '000000000000' });
    const { Clients, DeviceConfiguration, ...declared } = seed.userPools[0]!;
    expect(DeviceConfiguration).toBeNull();
    expect(req).toMatchObject(declared);
    expect(req.DeviceConfiguration).toBeUndefined();
    expect(req.UsernameAttributes).toBeUndefined();
    expect(req.SmsConfiguration).toBeUndefined();
    expect(req.LambdaConfig).toBeUndefined();
    expect(req.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(req.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [
        { Name: 'verified_email', Priority: 1 },
        { Name: 'verified_phone_number', Priority: 2 },
      ],
    });
    expect(req.VerificationMessageTemplate).toEqual({
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: 'Your verification code',
      EmailMessage: 'Your verification code is {####}. ',
      SmsMessage: 'Your verification code is {####}. ',
    });
    expect(req.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: false,
      InviteMessageTemplate: {
        SMSMessage: 'Your username is {username} and temporary password is {####}. ',
        EmailSubject: 'Your temporary password',
        EmailMessage: 'Your username is {username} and temporary password is {####}. ',
      },
    });
    expect(req.UserPoolTags).toEqual({});

    const client = { ...defaultClient(1), name: 'wildrydes-web-app', generateSecret: false };
    client.flows = client.flows.filter((f) => f !== 'ALLOW_CUSTOM_AUTH');
    const creq = clientRequest(client, 'us-east-1_x');
    expect(creq).toMatchObject({ ...Clients[0], ExplicitAuthFlows: expect.any(Array) });
    expect([...creq.ExplicitAuthFlows!].sort()).toEqual([...(Clients[0]!.ExplicitAuthFlows as string[])].sort());
    expect(creq.RefreshTokenValidity).toBe(30);
  });

  it('other choices: email as username, required attributes, MFA, phone verification, devices, tags, triggers', () => {
    const s = {
      ...defaultState(),
      poolName: 'Other',
      signIn: 'email-phone' as const,
      usernameAttributes: 'both' as const,
      required: ['email' as const, 'updated_at' as const],
      caseInsensitive: false,
      mfa: 'ON' as const,
      mfaSms: true,
      mfaTotp: true,
      verify: 'both' as const,
      recovery: 'none' as const,
      signUp: 'admin-only' as const,
      verificationType: 'link' as const,
      devices: 'opt-in' as const,
      deviceSuppressMfa: true,
      tags: [{ key: 1, tagKey: 'team', value: 'rides' }],
      triggers: { PreSignUp: 'auto-confirm' },
    };
    s.custom = [{ key: 1, type: 'Number', name: 'rides', min: '0', max: '', mutable: false }];
    const arn = { region: 'eu-west-1', account: '123456789012' };
    const req = createPoolRequest(s, arn);
    expect(req.AliasAttributes).toBeUndefined();
    expect(req.UsernameAttributes).toEqual(['email', 'phone_number']);
    expect(req.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(req.Schema).toEqual([
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'updated_at', AttributeDataType: 'Number', Required: true, Mutable: true },
      { Name: 'rides', AttributeDataType: 'Number', Mutable: false, NumberAttributeConstraints: { MinValue: '0' } },
    ]);
    expect(req.MfaConfiguration).toBe('ON');
    expect(req.AutoVerifiedAttributes).toEqual(['email', 'phone_number']);
    expect(needsSms(s)).toBe(true);
    expect(req.SmsConfiguration).toEqual({ SnsCallerArn: 'arn:aws:iam::123456789012:role/service-role/Other-SMS-Role', ExternalId: s.smsExternalId });
    expect(req.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] });
    expect(req.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
    expect(req.VerificationMessageTemplate).toMatchObject({ DefaultEmailOption: 'CONFIRM_WITH_LINK', EmailSubjectByLink: 'Your verification link' });
    expect(req.DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    expect(req.UserPoolTags).toEqual({ team: 'rides' });
    expect(req.LambdaConfig).toEqual({ PreSignUp: 'arn:aws:lambda:eu-west-1:123456789012:function:auto-confirm' });
    expect(mfaConfigRequest(s, 'p', arn)).toEqual({
      UserPoolId: 'p',
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsConfiguration: req.SmsConfiguration },
    });
    // TOTP alone: CreateUserPool cannot enable it, so the pool starts OFF and SetUserPoolMfaConfig turns it on.
    const totp = { ...s, mfaSms: false, verify: 'email' as const };
    expect(createPoolRequest(totp, arn).MfaConfiguration).toBe('OFF');
    expect(createPoolRequest(totp, arn).SmsConfiguration).toBeUndefined();
    expect(mfaConfigRequest(totp, 'p', arn)).toEqual({ UserPoolId: 'p', MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    expect(mfaConfigRequest(defaultState(), 'p', arn)).toBeUndefined();
  });
});

/** Clicks "Next step" and waits for the named page: its side-list entry is the current step and its heading has focus. */
async function next(page: Page, step: string) {
  await page.getByRole('button', { name: 'Next step' }).click();
  await onStep(page, step);
}

async function onStep(page: Page, step: string) {
  await page.locator('.steps li[aria-current="step"]', { hasText: step }).waitFor();
  const heading = page.getByRole('heading', { level: 2, name: step, exact: true });
  await heading.waitFor();
  await expect.poll(() => heading.evaluate((el) => el === document.activeElement)).toBe(true);
}

const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** Presses Tab until `target` has focus (the keyboard user's way to a control). */
async function tabTo(page: Page, target: Locator, max = 90) {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    if (await focused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach ${target.toString()} in ${max} presses`);
}

/** Tab to `target` and press `key` on it. */
async function press(page: Page, target: Locator, key: 'Enter' | 'Space') {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

describe.runIf(RUN_BROWSER)('the console: user pools list and the create-a-user-pool wizard', () => {
  let corral: TestCorral;
  let browser: Browser;
  let sdk: CognitoIdentityProviderClient;
  const describePool = async (id: string) => (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;

  beforeAll(async () => {
    ensureConsoleBuilt();
    // An empty configuration; a functions directory with one trigger for the Triggers page.
    const functionsDir = mkdtempSync(join(tmpdir(), 'corral-console-functions-'));
    writeFileSync(join(functionsDir, 'auto-confirm.mjs'), 'export async function handler(event) { event.response.autoConfirmUser = true; return event; }\n');
    corral = await startCorral({ env: { CORRAL_FUNCTIONS_DIR: functionsDir } });
    browser = await launchBrowser();
    sdk = new CognitoIdentityProviderClient({ region: corral.region, endpoint: corral.url, credentials: corral.admin });
  }, 90_000);

  afterAll(async () => {
    sdk?.destroy();
    await shutdown(browser, corral);
  });

  it('creates the walkthrough’s WildRydes pool and wildrydes-web-app client as module 1 says', async () => {
    const page = await signedInPage(browser, corral);
    // 2. Choose Manage User Pools.
    await page.getByRole('link', { name: 'Manage User Pools' }).click();
    await page.getByRole('heading', { name: 'Your User Pools' }).waitFor();
    await page.getByText('No user pools yet.').waitFor();
    await shot(page, 'user-pools-empty');
    // 3. Choose Create a User Pool.
    await page.getByRole('link', { name: 'Create a user pool' }).click();
    await page.getByRole('heading', { name: 'What do you want to name your user pool?' }).waitFor();
    expect(await focused(page.getByLabel('Pool name'))).toBe(true);
    // An empty name is refused, and says so.
    await page.getByRole('button', { name: 'Step through settings' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Enter a pool name.');
    // 4. Provide a name for your user pool such as WildRydes. 5. Choose Step through settings.
    await page.getByLabel('Pool name').fill('WildRydes');
    await shot(page, 'create-user-pool-01-name');
    await page.getByRole('button', { name: 'Step through settings' }).click();

    // 6. Attributes: leave Username selected, also allow sign in with verified email address and phone number.
    await onStep(page, 'Attributes');
    expect(await page.getByLabel('Username', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Enable case insensitivity for username input (recommended)').isChecked()).toBe(true);
    for (const a of ['email', 'phone_number', 'name']) expect(await page.getByLabel(a, { exact: true }).isChecked()).toBe(false);
    await page.getByLabel('Also allow sign in with verified email address').check();
    await page.getByLabel('Also allow sign in with verified phone number').check();
    // 7. Add a custom attribute for genre that is mutable.
    await page.getByRole('button', { name: 'Add custom attribute' }).click();
    const row = page.getByRole('group', { name: 'Custom attribute 1' });
    expect(await focused(row.getByLabel('Type'))).toBe(true);
    expect(await row.getByLabel('Mutable').isChecked()).toBe(false);
    await row.getByLabel('Name', { exact: true }).fill('genre');
    await row.getByLabel('Mutable').check();
    await shot(page, 'create-user-pool-02-attributes');

    // 8. Policies: the defaults.
    await next(page, 'Policies');
    expect(await page.getByLabel('Minimum length').inputValue()).toBe('8');
    for (const l of ['Require numbers', 'Require special character', 'Require uppercase letters', 'Require lowercase letters']) {
      expect(await page.getByLabel(l).isChecked()).toBe(true);
    }
    expect(await page.getByLabel('Allow users to sign themselves up').isChecked()).toBe(true);
    expect(await page.getByLabel('Days to expire').inputValue()).toBe('7');
    await shot(page, 'create-user-pool-03-policies');

    // 9. MFA and verifications: the defaults.
    await next(page, 'MFA and verifications');
    expect(await page.getByLabel('Off', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Email', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Email if available, otherwise phone/).isChecked()).toBe(true);
    await shot(page, 'create-user-pool-04-mfa');

    // 10. Message customizations: the defaults.
    await next(page, 'Message customizations');
    expect(await page.getByLabel('Code', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Verification email subject').inputValue()).toBe('Your verification code');
    expect(await page.getByLabel('Verification email message').inputValue()).toBe('Your verification code is {####}. ');
    expect(await page.getByLabel('Invitation email message').inputValue()).toBe('Your username is {username} and temporary password is {####}. ');
    await shot(page, 'create-user-pool-05-messages');

    // 11. Tags: skip adding any tags.
    await next(page, 'Tags');
    await shot(page, 'create-user-pool-06-tags');

    // 12. Devices: choose No.
    await next(page, 'Devices');
    await page.getByLabel('No', { exact: true }).check();
    await shot(page, 'create-user-pool-07-devices');

    // 13–16. App clients: Add an app client, wildrydes-web-app, uncheck Generate client secret and custom auth,
    // Create app client.
    await next(page, 'App clients');
    await page.getByRole('button', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('wildrydes-web-app');
    expect(await page.getByLabel('Refresh token expiration (days)').inputValue()).toBe('30');
    expect(await page.getByLabel('Generate client secret').isChecked()).toBe(true);
    expect(await page.getByLabel('Enable lambda trigger based custom authentication (ALLOW_CUSTOM_AUTH)').isChecked()).toBe(true);
    expect(await page.getByLabel('Enable SRP (secure remote password) protocol based authentication (ALLOW_USER_SRP_AUTH)').isChecked()).toBe(true);
    expect(await page.getByLabel('Enable refresh token based authentication (ALLOW_REFRESH_TOKEN_AUTH)').isChecked()).toBe(true);
    expect(await page.getByLabel('Enable username password based authentication (ALLOW_USER_PASSWORD_AUTH)').isChecked()).toBe(false);
    expect(await page.getByLabel('Enabled (Recommended)').isChecked()).toBe(true);
    await page.getByLabel('Generate client secret').uncheck();
    await page.getByLabel('Enable lambda trigger based custom authentication (ALLOW_CUSTOM_AUTH)').uncheck();
    await shot(page, 'create-user-pool-08-app-client-form');
    await page.getByRole('button', { name: 'Create app client' }).click();
    await page.getByRole('cell', { name: 'wildrydes-web-app', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove wildrydes-web-app' }).waitFor();
    await shot(page, 'create-user-pool-09-app-clients');

    // 17. Triggers: leave all set to none (the registry's function is offered).
    await next(page, 'Triggers');
    const preSignUp = page.getByLabel('Pre sign-up');
    await expect.poll(() => preSignUp.locator('option').allTextContents()).toEqual(['none', 'auto-confirm (nodejs)']);
    expect(await preSignUp.inputValue()).toBe('');
    for (const t of ['Pre authentication', 'Custom message', 'Post authentication', 'Post confirmation', 'Define Auth Challenge']) {
      expect(await page.getByLabel(t, { exact: true }).inputValue()).toBe('');
    }
    await shot(page, 'create-user-pool-10-triggers');

    // 18. Review, then Create pool.
    await next(page, 'Review');
    const summary = (term: string) => page.locator('dl.summary dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
    expect(await summary('Pool name').textContent()).toBe('WildRydes');
    expect(await summary('Alias attributes').textContent()).toBe('email, phone_number');
    expect(await summary('Custom attributes').textContent()).toBe('custom:genre (string, mutable)');
    expect(await summary('MFA').textContent()).toBe('Off');
    expect(await summary("Remember user's devices").textContent()).toBe('No');
    expect(await summary('App clients').textContent()).toContain('wildrydes-web-app (no client secret; ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH;');
    expect(await summary('Triggers').textContent()).toBe('none');
    await page.getByRole('button', { name: 'Edit Attributes' }).waitFor();
    await shot(page, 'create-user-pool-11-review');
    await page.getByRole('button', { name: 'Create pool' }).click();

    // Copy to scratch pad: the pool id and the app client id.
    await page.getByRole('heading', { name: 'Your user pool was created successfully.' }).waitFor();
    const poolId = await page.getByLabel('Pool Id', { exact: true }).inputValue();
    const poolArn = await page.getByLabel('Pool ARN', { exact: true }).inputValue();
    const clientId = await page.getByLabel('App client id (wildrydes-web-app)', { exact: true }).inputValue();
    expect(await page.getByRole('textbox', { name: /App client secret/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Copy Pool Id' }).waitFor();
    await shot(page, 'create-user-pool-12-created');
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(poolArn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`);

    // What the AWS SDK sees: the walkthrough's pool and client.
    const pool = await describePool(poolId);
    expect(pool.Name).toBe('WildRydes');
    expect(pool.AliasAttributes).toEqual(['email', 'phone_number']);
    expect(pool.UsernameAttributes).toBeUndefined();
    expect(pool.SchemaAttributes?.find((a) => a.Name === 'custom:genre')).toMatchObject({ AttributeDataType: 'String', Mutable: true });
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.DeviceConfiguration).toBeUndefined();
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.LambdaConfig ?? {}).toEqual({});
    const client = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    expect(client.ClientName).toBe('wildrydes-web-app');
    expect(client.ClientSecret).toBeUndefined();
    expect([...(client.ExplicitAuthFlows ?? [])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');

    // …the same as what corral.config.json declares for these choices gives (a pool made from its members).
    const { Clients, DeviceConfiguration: _none, ...declared } = seed.userPools[0]!;
    const fromFile = (await sdk.send(new CreateUserPoolCommand({ ...declared, PoolName: 'WildRydes-from-config' }))).UserPool!;
    const fileClient = (await sdk.send(new CreateUserPoolClientCommand({ ...(Clients[0] as object), UserPoolId: fromFile.Id!, ClientName: 'from-config' })))
      .UserPoolClient!;
    const same = (p: UserPoolType) => ({
      AliasAttributes: p.AliasAttributes,
      UsernameAttributes: p.UsernameAttributes,
      AutoVerifiedAttributes: p.AutoVerifiedAttributes,
      SchemaAttributes: p.SchemaAttributes,
      Policies: p.Policies,
      MfaConfiguration: p.MfaConfiguration,
      DeviceConfiguration: p.DeviceConfiguration,
      AdminCreateUserConfig: { ...p.AdminCreateUserConfig, InviteMessageTemplate: undefined },
      EmailConfiguration: p.EmailConfiguration,
    });
    expect(same(pool)).toEqual(same(await describePool(fromFile.Id!)));
    const clientShape = (c: typeof client) => ({
      secret: c.ClientSecret,
      flows: [...(c.ExplicitAuthFlows ?? [])].sort(),
      prevent: c.PreventUserExistenceErrors,
      refresh: c.RefreshTokenValidity,
      units: c.TokenValidityUnits,
    });
    expect(clientShape(client)).toEqual(clientShape(fileClient));

    // The created page links to the pool's pages.
    await page.getByRole('link', { name: "Go to the pool's settings" }).click();
    await page.waitForURL(`**/console/user-pools/${poolId}**`);
    await page.context().close();
  }, 120_000);

  it('can be completed with the keyboard alone', async () => {
    const page = await signedInPage(browser, corral);
    const kb = page.keyboard;
    await press(page, page.getByRole('link', { name: 'Manage User Pools' }), 'Enter');
    await press(page, page.getByRole('link', { name: 'Create a user pool' }), 'Enter');
    const name = page.getByLabel('Pool name');
    await name.waitFor();
    expect(await focused(name)).toBe(true);
    await kb.type('WildRydesKeyboard');
    await press(page, page.getByRole('button', { name: 'Step through settings' }), 'Enter');

    await onStep(page, 'Attributes');
    await press(page, page.getByLabel('Also allow sign in with verified email address'), 'Space');
    await press(page, page.getByLabel('Also allow sign in with verified phone number'), 'Space');
    await press(page, page.getByRole('button', { name: 'Add custom attribute' }), 'Enter');
    const row = page.getByRole('group', { name: 'Custom attribute 1' });
    await expect.poll(() => focused(row.getByLabel('Type'))).toBe(true);
    await tabTo(page, row.getByLabel('Name', { exact: true }));
    await kb.type('genre');
    await press(page, row.getByLabel('Mutable'), 'Space');
    expect(await row.getByLabel('Mutable').isChecked()).toBe(true);
    const nextButton = page.getByRole('button', { name: 'Next step' });
    await tabTo(page, nextButton);
    // The focus is visible.
    expect(await nextButton.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await kb.press('Enter');

    for (const step of ['Policies', 'MFA and verifications', 'Message customizations', 'Tags']) {
      await onStep(page, step);
      await press(page, page.getByRole('button', { name: 'Next step' }), 'Enter');
    }

    await onStep(page, 'Devices');
    // Tab enters the radio group on the chosen option; the arrow keys move the choice.
    await tabTo(page, page.getByLabel('No', { exact: true }));
    await kb.press('ArrowUp');
    expect(await page.getByLabel('User Opt In').isChecked()).toBe(true);
    await kb.press('ArrowDown');
    expect(await page.getByLabel('No', { exact: true }).isChecked()).toBe(true);
    await press(page, page.getByRole('button', { name: 'Next step' }), 'Enter');

    await onStep(page, 'App clients');
    await press(page, page.getByRole('button', { name: 'Add an app client' }), 'Enter');
    await expect.poll(() => focused(page.getByLabel('App client name'))).toBe(true);
    await kb.type('wildrydes-web-app');
    await press(page, page.getByLabel('Generate client secret'), 'Space');
    await press(page, page.getByLabel('Enable lambda trigger based custom authentication (ALLOW_CUSTOM_AUTH)'), 'Space');
    await press(page, page.getByRole('button', { name: 'Create app client' }), 'Enter');
    await page.getByRole('cell', { name: 'wildrydes-web-app', exact: true }).waitFor();
    await expect.poll(() => focused(page.getByRole('button', { name: 'Add an app client' }))).toBe(true);
    await press(page, page.getByRole('button', { name: 'Next step' }), 'Enter');

    await onStep(page, 'Triggers');
    await press(page, page.getByRole('button', { name: 'Next step' }), 'Enter');

    await onStep(page, 'Review');
    await press(page, page.getByRole('button', { name: 'Create pool' }), 'Enter');
    const done = page.getByRole('heading', { name: 'Your user pool was created successfully.' });
    await done.waitFor();
    await expect.poll(() => focused(done)).toBe(true);
    const poolId = await page.getByLabel('Pool Id', { exact: true }).inputValue();
    const clientId = await page.getByLabel('App client id (wildrydes-web-app)', { exact: true }).inputValue();
    await shot(page, 'create-user-pool-keyboard-created');

    const pool = await describePool(poolId);
    expect(pool.Name).toBe('WildRydesKeyboard');
    expect(pool.AliasAttributes).toEqual(['email', 'phone_number']);
    expect(pool.SchemaAttributes?.find((a) => a.Name === 'custom:genre')?.Mutable).toBe(true);
    expect(pool.DeviceConfiguration).toBeUndefined();
    const client = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    expect(client.ClientSecret).toBeUndefined();
    expect([...(client.ExplicitAuthFlows ?? [])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    await page.context().close();
  }, 120_000);

  it('shows API errors on Review and loses nothing; a pool made half-way is finished, not made twice; a trigger from the registry', async () => {
    const page = await signedInPage(browser, corral);
    await page.goto(`${corral.url}/console/user-pools/new`);
    await page.getByLabel('Pool name').fill('Riders MFA');
    await page.getByRole('button', { name: 'Review defaults' }).click();
    await onStep(page, 'Review');
    expect(await page.locator('dl.summary dd').first().textContent()).toBe('Riders MFA');

    // MFA required with SMS but no phone verification: CreateUserPool refuses it, the error shows on Review.
    await page.getByRole('button', { name: 'Edit MFA and verifications' }).click();
    await onStep(page, 'MFA and verifications');
    await page.getByLabel('Required', { exact: true }).check();
    // "Return to review" checks the page first: a second factor is needed.
    await page.getByRole('button', { name: 'Return to review' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Choose at least one second factor');
    await page.getByLabel('SMS text message').check();
    await page.getByLabel('Time-based One-time Password').check();
    expect(await page.getByLabel('New role name').inputValue()).toBe('Riders-MFA-SMS-Role');
    await page.getByRole('button', { name: 'Return to review' }).click();
    await onStep(page, 'Review');
    await page.getByRole('button', { name: 'Create pool' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('InvalidParameterException');
    expect(await alert.textContent()).toContain('phone_number');
    await shot(page, 'create-user-pool-review-error');
    expect((await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.some((p) => p.Name === 'Riders MFA')).toBe(false);

    // Nothing lost: the choices are still there; verify phone numbers too, and pick the registry's trigger.
    await page.getByRole('button', { name: 'Edit MFA and verifications' }).click();
    expect(await page.getByLabel('Required', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('SMS text message').isChecked()).toBe(true);
    await page.getByLabel('Email or phone number').check();
    await page.locator('.steps').getByRole('button', { name: 'Triggers' }).click();
    await onStep(page, 'Triggers');
    await page.getByLabel('Pre sign-up').selectOption('auto-confirm');
    // An app client without refresh tokens: the pool is made, then CreateUserPoolClient refuses the client.
    await page.locator('.steps').getByRole('button', { name: 'App clients' }).click();
    await onStep(page, 'App clients');
    await page.getByRole('button', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('riders-app');
    await page.getByLabel('Enable refresh token based authentication (ALLOW_REFRESH_TOKEN_AUTH)').uncheck();
    await page.getByLabel('Enable username password based authentication (ALLOW_USER_PASSWORD_AUTH)').check();
    await page.getByRole('button', { name: 'Create app client' }).click();
    await page.getByRole('button', { name: 'Return to review' }).click();
    await onStep(page, 'Review');
    expect(
      await page
        .locator('dl.summary dt', { hasText: /^Pre sign-up$/ })
        .locator('xpath=following-sibling::dd[1]')
        .textContent(),
    ).toBe('auto-confirm');
    await page.getByRole('button', { name: 'Create pool' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('REFRESH_TOKEN_AUTH should always be allowed');
    await page.getByText(/The user pool Riders MFA \(us-east-1_\w+\) was created/).waitFor();

    // Fix the client (remove it, add it again with refresh tokens) and finish: one pool, with its client.
    await page.getByRole('button', { name: 'Edit App clients' }).click();
    await page.getByRole('button', { name: 'Remove riders-app' }).click();
    await page.getByRole('button', { name: 'Add an app client' }).click();
    await page.getByLabel('App client name').fill('riders-app');
    await page.getByLabel('Generate client secret').check();
    await page.getByLabel('Enable username password based authentication (ALLOW_USER_PASSWORD_AUTH)').check();
    await page.getByRole('button', { name: 'Create app client' }).click();
    await page.getByRole('button', { name: 'Return to review' }).click();
    await page.getByRole('button', { name: 'Create pool' }).click();
    await page.getByRole('heading', { name: 'Your user pool was created successfully.' }).waitFor();
    const poolId = await page.getByLabel('Pool Id', { exact: true }).inputValue();
    const clientId = await page.getByLabel('App client id (riders-app)', { exact: true }).inputValue();
    const secret = await page.getByLabel('App client secret (riders-app)', { exact: true }).inputValue();
    await page.getByText('shown only now').waitFor();
    await shot(page, 'create-user-pool-created-with-secret');
    const named = (await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.filter((p) => p.Name === 'Riders MFA');
    expect(named.map((p) => p.Id)).toEqual([poolId]);

    const pool = await describePool(poolId);
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.AutoVerifiedAttributes).toEqual(['email', 'phone_number']);
    expect(pool.SmsConfiguration?.SnsCallerArn).toBe('arn:aws:iam::000000000000:role/service-role/Riders-MFA-SMS-Role');
    expect(pool.LambdaConfig?.PreSignUp).toBe('arn:aws:lambda:us-east-1:000000000000:function:auto-confirm');
    const mfa = await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(mfa.SoftwareTokenMfaConfiguration?.Enabled).toBe(true);
    expect(mfa.SmsMfaConfiguration?.SmsConfiguration?.SnsCallerArn).toBe(pool.SmsConfiguration?.SnsCallerArn);
    const client = (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    expect(client.ClientSecret).toBe(secret);
    expect([...(client.ExplicitAuthFlows ?? [])].sort()).toEqual([
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    // The trigger's ARN names a function Corral finds: the pre sign-up function confirms the new user.
    const hash = createHmac('sha256', secret).update(`rider${clientId}`).digest('base64');
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        SecretHash: hash,
        Username: 'rider',
        Password: 'Rid3r-Passw0rd!',
        UserAttributes: [{ Name: 'email', Value: 'r@example.com' }],
      }),
    );
    expect((await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rider' }))).UserStatus).toBe('CONFIRMED');
    await page.context().close();
  }, 120_000);

  it('a session that ends mid-wizard loses nothing: signing in again comes back to the same choices; typing is activity', async () => {
    const page = await signedInPage(browser, corral);
    const session = 'corral.console.session';
    const lastActive = () => page.evaluate((k) => (JSON.parse(sessionStorage.getItem(k)!) as { lastActive: number }).lastActive, session);
    await page.goto(`${corral.url}/console/user-pools/new`);
    await page.getByLabel('Pool name').fill('Half Done');
    await page.getByRole('button', { name: 'Step through settings' }).click();
    await onStep(page, 'Attributes');
    await page.getByLabel('Also allow sign in with verified email address').check();
    await next(page, 'Policies');
    // Ten minutes spent on a page without an API call: a keystroke keeps the session.
    await page.evaluate((k) => {
      const s = JSON.parse(sessionStorage.getItem(k)!) as { lastActive: number };
      s.lastActive = Date.now() - 10 * 60_000;
      sessionStorage.setItem(k, JSON.stringify(s));
    }, session);
    await page.getByLabel('Minimum length').selectText();
    await page.keyboard.type('12');
    expect(Date.now() - (await lastActive())).toBeLessThan(60_000);
    // Then twenty minutes away: the session ends (here at the next click), the page goes to sign-in.
    await page.evaluate((k) => {
      const s = JSON.parse(sessionStorage.getItem(k)!) as { lastActive: number };
      s.lastActive = Date.now() - 20 * 60_000;
      sessionStorage.setItem(k, JSON.stringify(s));
    }, session);
    await page.keyboard.press('Tab');
    await page.getByText('Your session ended after 15 minutes without activity').waitFor();
    expect(await page.evaluate((k) => sessionStorage.getItem(k), session)).toBeNull();
    // Nothing secret was kept beside the choices.
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(corral.admin.secretAccessKey);
    await page.getByLabel('Access key ID').fill(corral.admin.accessKeyId);
    await page.getByLabel('Secret access key').fill(corral.admin.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.steps li[aria-current="step"]', { hasText: 'Policies' }).waitFor();
    await page.getByText('Your choices from before were kept.').waitFor();
    expect(await page.getByLabel('Minimum length').inputValue()).toBe('12');
    await page.locator('.steps').getByRole('button', { name: 'Attributes' }).click();
    expect(await page.getByLabel('Also allow sign in with verified email address').isChecked()).toBe(true);
    // A reload keeps them too; "Start over" forgets them.
    await page.reload();
    await page.locator('.steps li[aria-current="step"]', { hasText: 'Attributes' }).waitFor();
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('heading', { name: 'What do you want to name your user pool?' }).waitFor();
    expect(await page.getByLabel('Pool name').inputValue()).toBe('');
    await page.reload();
    await page.getByRole('heading', { name: 'What do you want to name your user pool?' }).waitFor();
    expect(await page.getByLabel('Pool name').inputValue()).toBe('');
    expect(await page.getByText('Your choices from before were kept.').count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('lists the pools a page at a time, each linking to its pages', async () => {
    for (let i = 0; i < 20; i++) await sdk.send(new CreateUserPoolCommand({ PoolName: `Extra pool ${String(i).padStart(2, '0')}` }));
    const all = (await sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!;
    expect(all.length).toBeGreaterThan(20);
    const page = await signedInPage(browser, corral);
    await page.getByRole('link', { name: 'Manage User Pools' }).click();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    await shot(page, 'user-pools-list');
    const names = await page.locator('tbody tr td:first-child').allTextContents();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(() => rows.count()).toBe(all.length - 20);
    names.push(...(await page.locator('tbody tr td:first-child').allTextContents()));
    expect(names.sort()).toEqual(all.map((p) => p.Name!).sort());
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    await expect.poll(() => rows.count()).toBe(20);
    const wild = all.find((p) => p.Name === 'WildRydes')!;
    const link = page.getByRole('link', { name: 'WildRydes', exact: true });
    if ((await link.count()) === 0) await page.getByRole('button', { name: 'Next page' }).click();
    await link.click();
    await page.waitForURL(`**/console/user-pools/${wild.Id}**`);
    await page.context().close();
  }, 120_000);
});

// The step names the tests walk through are the wizard's own.
describe('the wizard’s steps', () => {
  it('are the old console’s, in its order', () => {
    expect(STEPS).toEqual(['Name', ...STEP_NAMES]);
  });
});

// The console's mailbox and functions pages in a real browser against a real Corral: a pool with a PreSignUp and a
// PostConfirmation trigger from function modules in a temp dir; sign-ups through the SDK. The mailbox shows each
// verification email with its code highlighted (the code confirms the sign-up), bodies as text, filters by recipient
// and pool (and from the query string), Refresh and auto-refresh; the functions page lists the registry and the
// invocations with their outcomes, a failing PreSignUp as Failed with its message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { tempDir } from '../../wildrydes/test/support/stack';
import { ensureConsoleBuilt, openConsole, RUN_BROWSER, shot, shutdown, startCorral, type TestCorral } from './support/console';

const PASSWORD = 'Rid3r-Passw0rd!';
const REFUSAL = 'Sign-ups from blocked addresses are refused';
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe.runIf(RUN_BROWSER)('console: mailbox and functions', () => {
  let corral: TestCorral;
  let browser: Browser;
  let page: Page;
  let idp: CognitoIdentityProviderClient;
  let poolId = '';
  let clientId = '';
  let preSignUpModule = '';

  const signUp = (email: string) =>
    idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
  const article = (to: string) => page.getByRole('article', { name: `Email to ${to}` });

  beforeAll(async () => {
    ensureConsoleBuilt();
    const dir = tempDir('console-functions-');
    preSignUpModule = join(dir, 'pre-signup.mjs');
    writeFileSync(
      preSignUpModule,
      `export async function handler(event) {
  if (event.request.userAttributes.email.startsWith('blocked')) throw new Error(${JSON.stringify(REFUSAL)});
  return event;
}
`,
    );
    writeFileSync(join(dir, 'post-confirmation.mjs'), 'export const handler = async (event) => event;\n');
    corral = await startCorral({
      config: {
        functions: { preSignUp: { module: preSignUpModule }, postConfirmation: { module: join(dir, 'post-confirmation.mjs') } },
        userPools: [
          {
            PoolName: 'MailPool',
            UsernameAttributes: ['email'],
            AutoVerifiedAttributes: ['email'],
            VerificationMessageTemplate: {
              DefaultEmailOption: 'CONFIRM_WITH_CODE',
              EmailSubject: 'Your Wild Rydes code',
              EmailMessage: 'Hello <b>rider</b>, your code is {####}.',
            },
            LambdaConfig: { PreSignUp: arn('preSignUp'), PostConfirmation: arn('postConfirmation') },
            Clients: [{ ClientName: 'web', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
          },
          { PoolName: 'QuietPool', Clients: [] },
        ],
      },
    });
    idp = new CognitoIdentityProviderClient({ endpoint: corral.url, region: corral.region, credentials: corral.admin });
    poolId = (await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!.find((p) => p.Name === 'MailPool')!.Id!;
    clientId = (await idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 10 }))).UserPoolClients![0]!.ClientId!;
    await signUp('rider@example.com');
    await signUp('other@example.com');
    await expect(signUp('blocked@example.com')).rejects.toMatchObject({ name: 'UserLambdaValidationException' });
    ({ browser, page } = await openConsole(corral));
  }, 120_000);

  afterAll(() => shutdown(browser, corral));

  it('shows the verification emails, newest first, the code highlighted; the code confirms the sign-up', async () => {
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await article('rider@example.com').waitFor();
    const items = page.getByRole('article');
    expect(await items.count()).toBe(2);
    // Newest first.
    expect(await items.first().getAttribute('aria-label')).toBe('Email to other@example.com');
    const rider = article('rider@example.com');
    const code = (await rider.locator('mark.code').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(await rider.getByText('Your Wild Rydes code').count()).toBe(1);
    // The body is text: the template's HTML is shown, not rendered.
    expect(await rider.locator('pre').textContent()).toBe(`Hello <b>rider</b>, your code is ${code}.`);
    expect(await rider.locator('b').count()).toBe(0);
    await shot(page, 'mailbox');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'rider@example.com', ConfirmationCode: code }));
  });

  it('filters by recipient and by pool, from the page and from the query string', async () => {
    await page.getByLabel('Recipient').fill('OTHER@example.com');
    await expect.poll(() => page.getByRole('article').count()).toBe(1);
    await article('other@example.com').waitFor();
    expect(new URL(page.url()).searchParams.get('to')).toBe('OTHER@example.com');
    await page.getByLabel('Recipient').fill('');
    await expect.poll(() => page.getByRole('article').count()).toBe(2);

    await page.getByLabel('User pool').selectOption({
      label: `QuietPool (${(await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools!.find((p) => p.Name === 'QuietPool')!.Id})`,
    });
    await page.getByText('No messages matching the filters.').waitFor();
    await page.getByLabel('User pool').selectOption({ label: `MailPool (${poolId})` });
    await expect.poll(() => page.getByRole('article').count()).toBe(2);

    await page.goto(`${corral.url}/console/mailbox?pool=${poolId}&to=${encodeURIComponent('rider@example.com')}`);
    await article('rider@example.com').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    expect(await page.getByLabel('Recipient').inputValue()).toBe('rider@example.com');
    expect(await page.getByLabel('User pool').inputValue()).toBe(poolId);
  });

  it('Refresh and auto-refresh fetch new messages', async () => {
    await page.goto(`${corral.url}/console/mailbox`);
    await article('rider@example.com').waitFor();
    await signUp('late@example.com');
    await page.waitForTimeout(500);
    expect(await article('late@example.com').count()).toBe(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await article('late@example.com').waitFor();

    await page.getByLabel('Auto-refresh every 5 seconds').check();
    await signUp('later@example.com');
    await article('later@example.com').waitFor({ timeout: 8000 });
    await page.getByLabel('Auto-refresh every 5 seconds').uncheck();
  });

  it('lists the functions and their invocations: Succeeded, and Failed with its message', async () => {
    await page.getByRole('link', { name: 'Functions' }).click();
    const registry = page.getByRole('region', { name: 'Registry' });
    const preRow = registry.getByRole('row').filter({ hasText: 'preSignUp' });
    await preRow.waitFor();
    expect(await preRow.getByRole('cell').allTextContents()).toEqual(['preSignUp', 'nodejs', `${preSignUpModule}.handler`, 'config']);
    await registry.getByRole('row').filter({ hasText: 'postConfirmation' }).waitFor();

    const invocations = page.getByRole('region', { name: 'Recent invocations' });
    const failed = invocations.getByRole('row').filter({ hasText: 'Failed' });
    await failed.waitFor();
    expect(await failed.count()).toBe(1);
    const failedCells = await failed.getByRole('cell').allTextContents();
    expect(failedCells.slice(1, 4)).toEqual(['preSignUp', 'PreSignUp_SignUp', poolId]);
    expect(Number(failedCells[4])).toBeGreaterThanOrEqual(0);
    expect(failedCells.slice(5, 7)).toEqual(['Failed', REFUSAL]);
    await expect(failed.locator('.badge.bad').textContent()).resolves.toBe('Failed');
    // What the function printed: the runtime's report of the error, behind a disclosure.
    const logs = failed.locator('details.function-logs');
    await logs.locator('summary').click();
    await expect(logs.locator('pre').textContent()).resolves.toContain(`Invoke Error\t{"errorType":"Error","errorMessage":${JSON.stringify(REFUSAL)}`);
    // rider, other, late, later signed up; rider was confirmed.
    const succeeded = invocations.getByRole('row').filter({ hasText: 'Succeeded' });
    expect(await succeeded.filter({ hasText: 'PreSignUp_SignUp' }).count()).toBe(4);
    expect(await succeeded.filter({ hasText: 'PostConfirmation_ConfirmSignUp' }).count()).toBe(1);
    await expect(succeeded.first().locator('.badge.ok').textContent()).resolves.toBe('Succeeded');
    await shot(page, 'functions');

    await invocations.getByLabel('Function').selectOption('postConfirmation');
    await expect.poll(() => invocations.getByRole('row').filter({ hasText: 'PreSignUp_SignUp' }).count()).toBe(0);
    expect(await invocations.getByRole('row').filter({ hasText: 'PostConfirmation_ConfirmSignUp' }).count()).toBe(1);

    // A new invocation appears on Refresh.
    await invocations.getByLabel('Function').selectOption('preSignUp');
    await expect.poll(() => invocations.getByRole('row').filter({ hasText: 'PreSignUp_SignUp' }).count()).toBe(5);
    await expect(signUp('blocked2@example.com')).rejects.toMatchObject({ name: 'UserLambdaValidationException' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => invocations.getByRole('row').filter({ hasText: 'Failed' }).count()).toBe(2);
  });
});

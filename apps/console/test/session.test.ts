// Signing in to the console: with the admin key pair or the console password; a wrong pair or password is refused
// on the page; the pair is kept only in the tab's sessionStorage (not localStorage, not a cookie); an idle session
// ends; signing out forgets the pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, ensureConsoleBuilt, launchBrowser, RUN_BROWSER, shutdown, signedInPage, startCorral, type TestCorral } from './support/console';

const PASSWORD = 'correct horse battery staple';

describe.runIf(RUN_BROWSER)('console sessions', () => {
  let corral: TestCorral;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [corral, browser] = await Promise.all([startCorral({ env: { CORRAL_CONSOLE_PASSWORD: PASSWORD } }), launchBrowser()]);
  }, 120_000);
  afterAll(() => shutdown(browser, corral));

  it('refuses a wrong secret access key with the API error, and keeps nothing', async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.goto(`${corral.url}/console/`);
    await page.getByLabel('Access key ID').fill(corral.admin.accessKeyId);
    await page.getByLabel('Secret access key').fill('wrong-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('InvalidSignatureException').waitFor();
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await page.close();
  });

  it('signs in with the console password; the pair lives in sessionStorage only; signing out forgets it', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${corral.url}/console/user-pools`);
    await page.getByRole('radio', { name: 'Console password' }).check();
    await page.getByRole('textbox', { name: 'Console password' }).fill('not it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Incorrect console password.').waitFor();
    await page.getByRole('textbox', { name: 'Console password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where it was going.
    await page.getByRole('link', { name: 'Create a user pool' }).waitFor();
    const stored = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
    expect(stored.session).toContain(corral.admin.secretAccessKey);
    expect(stored.local).not.toContain(corral.admin.secretAccessKey);
    expect((await context.cookies()).length).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key ID').waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(corral.admin.secretAccessKey);
    await context.close();
  });

  it('ends a session idle past CORRAL_CONSOLE_IDLE_MINUTES', async () => {
    const page = await signedInPage(browser, corral);
    // Twenty minutes without activity (the default limit is 15).
    await page.evaluate(() => {
      const key = 'corral.console.session';
      const s = JSON.parse(sessionStorage.getItem(key)!) as { lastActive: number };
      s.lastActive = Date.now() - 20 * 60_000;
      sessionStorage.setItem(key, JSON.stringify(s));
    });
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Mailbox' }).click();
    await page.getByText('Your session ended after 15 minutes without activity').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('corral.console.session'))).toBeNull();
    await page.context().close();
  });
});

// Passkeys on the Wild Rydes site in a real browser (Debian's chromium) with a CDP virtual authenticator, against
// Corral provisioned from the repo's corral.config.json (WEB_AUTHN allowed, relying party localhost): a rider adds a
// passkey on the Profile page (aws-amplify's associateWebAuthnCredential), signs out, signs in with it on the Sign
// In page (signIn USER_AUTH, preferred WEB_AUTHN); a copy of the credential in a second authenticator with a lower
// sign count (a cloned authenticator) is refused; the passkey is listed and removed on the Profile page.
// Only a missing chromium skips (loudly), and not in CI (CI=true), where it fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ensureBuilt, provisioned, startCorral, startSite, tempDir, type Corral, type Site } from './support/stack';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const PASSWORD = 'Giddy-Up-2024!';

if (!HAVE_CHROMIUM && !IN_CI) console.warn(`\n!! WILD RYDES PASSKEY TESTS SKIPPED: ${CHROMIUM} is missing (apt-get install chromium). In CI this fails.\n`);

describe('test environment', () => {
  it.runIf(IN_CI)('has chromium at /usr/bin/chromium (required in CI)', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required in CI`).toBe(true);
  });
});

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  privateKey: string;
  userHandle: string;
  signCount: number;
}

const AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } as const;

describe.skipIf(!HAVE_CHROMIUM)('Wild Rydes passkeys in a browser', () => {
  let corral: Corral;
  let site: Site;
  let browser: Browser;
  let context: BrowserContext;
  let admin: CognitoIdentityProviderClient;
  let poolId: string;

  beforeAll(async () => {
    ensureBuilt();
    corral = await startCorral();
    admin = new CognitoIdentityProviderClient({ region: corral.region, endpoint: corral.url, credentials: corral.admin, maxAttempts: 1 });
    poolId = (await provisioned(corral.url)).poolId;
    site = await startSite({ WILDRYDES_CONFIG: `${tempDir('wr-none-')}/none.json`, CORRAL_URL: corral.url });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext();
    context.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    admin?.destroy();
    await context?.close();
    await browser?.close();
    await Promise.all([site?.stop(), corral?.stop()]);
  });

  /** A confirmed rider with a verified email, made as an administrator would. */
  async function rider(email: string): Promise<void> {
    const username = email.replace(/[@.]/g, '|');
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  async function addAuthenticator(cdp: CDPSession): Promise<string> {
    const { authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR })) as { authenticatorId: string };
    return authenticatorId;
  }

  async function credentials(cdp: CDPSession, authenticatorId: string): Promise<VirtualCredential[]> {
    return ((await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: VirtualCredential[] }).credentials;
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('button', { name: 'Sign Out' }).click();
    await page.waitForURL(site.url + '/');
  }

  async function passkeySignIn(page: Page, email: string): Promise<void> {
    await page.goto(site.url + '/signin');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  }

  it('adds a passkey on Profile, signs in with it, refuses a cloned one, and removes it', { timeout: 120_000 }, async () => {
    const email = `passkey-${Date.now().toString(36)}@example.com`;
    await rider(email);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const first = await addAuthenticator(cdp);

    // Password sign-in, then Profile → "Add a passkey".
    await page.goto(site.url + '/signin');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: "Let's Ryde" }).click();
    await page.waitForURL('**/app');
    await page.goto(site.url + '/profile');
    await page.getByTestId('no-passkeys').waitFor();
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey added.').waitFor();
    await expect(page.getByTestId('passkey').count()).resolves.toBe(1);
    const [made] = await credentials(cdp, first);
    expect(made).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    expect(Buffer.from(made!.userHandle, 'base64').toString()).toMatch(/^[0-9a-f-]{36}$/);

    // Sign out; "Sign in with a passkey" (no password typed).
    await signOut(page);
    await passkeySignIn(page, email);
    await page.waitForURL('**/app');
    await page.getByText('Successfully Authenticated!').waitFor();
    const [used] = await credentials(cdp, first);
    expect(used!.signCount).toBeGreaterThan(0);

    // A clone: the same credential in another authenticator, its sign count behind the real one's.
    await signOut(page);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    const second = await addAuthenticator(cdp);
    await cdp.send('WebAuthn.addCredential', { authenticatorId: second, credential: { ...used!, signCount: used!.signCount - 1 } });
    await passkeySignIn(page, email);
    await page.getByText('That passkey was not accepted.').waitFor();
    expect(page.url()).toBe(site.url + '/signin');

    // The password still works; the passkey is listed on Profile and can be removed.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: "Let's Ryde" }).click();
    await page.waitForURL('**/app');
    await page.goto(site.url + '/profile');
    await page.getByTestId('passkey').waitFor();
    await expect(page.getByTestId('passkey').innerText()).resolves.toContain('Passkey');
    await page.getByTestId('passkey').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Passkey removed.').waitFor();
    await page.getByTestId('no-passkeys').waitFor();

    // Without a passkey, the Sign In page says how to get one.
    await signOut(page);
    await passkeySignIn(page, email);
    await page.getByText('There is no passkey for this account yet.').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});

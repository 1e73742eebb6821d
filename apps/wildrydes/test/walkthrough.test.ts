// The module-1 walkthrough in a real browser: Corral + the site server (what `npm start` runs), Debian's chromium.
//
// Every server feature the site uses exists in Corral: a test that meets a missing one fails, it does not skip.
// Only a missing chromium skips (loudly), and not in CI (CI=true), where it fails.
// The MFA cases switch the provisioned WildRydes pool to MFA ON (TOTP) with the admin key pair the stack starts
// Corral with, and back to OFF afterwards; they run last.
// Screenshots of every page at desktop and phone widths land in apps/wildrydes/screenshots/ (git-ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { enrollTotp, nextTotpCode, requireTotpMfa, totpCode, type Enrolled } from '../../../packages/corral/test/support/mfa.js';
import { APP_DIR, ensureBuilt, freePort, provisioned, startCorral, startSite, tempDir, type Corral, type Site } from './support/stack';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const SHOTS = join(APP_DIR, 'screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! WILD RYDES BROWSER TESTS SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).\n!! In CI (CI=true) this fails instead.\n${'!'.repeat(78)}\n`,
  );
}

describe('test environment', () => {
  it.runIf(IN_CI)('has chromium at /usr/bin/chromium (required in CI)', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required in CI`).toBe(true);
  });
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('server.mjs /config.json', () => {
  let fakeCorral: Server;
  let fakeUrl = '';
  let answered = 0;
  let mode: 'starting' | 'ready' | 'old' = 'starting';
  const sites: Site[] = [];

  beforeAll(async () => {
    fakeCorral = createServer((req, res) => {
      if (req.url !== '/_corral/resources') return res.writeHead(404).end();
      answered++;
      if (mode === 'old') return res.writeHead(404).end();
      if (mode === 'starting' && answered <= 2) return res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          region: 'eu-west-1',
          endpoint: 'http://corral.example:9229',
          userPools: [
            { name: 'Other', id: 'eu-west-1_Other', clients: [{ name: 'wildrydes-web-app', id: 'wrongclient' }] },
            {
              name: 'WildRydes',
              id: 'eu-west-1_Wild123',
              clients: [
                { name: 'admin', id: 'x' },
                { name: 'wildrydes-web-app', id: 'webclient123' },
              ],
            },
          ],
          identityPools: [{ name: 'wildrydes_identity_pool', id: 'eu-west-1:0000-1111' }],
        }),
      );
    });
    const port = await freePort();
    await new Promise<void>((r) => fakeCorral.listen(port, 'localhost', r));
    fakeUrl = `http://localhost:${port}`;
  });

  afterAll(async () => {
    await Promise.all(sites.map((s) => s.stop()));
    await new Promise((r) => fakeCorral?.close(r));
  });

  const site = async (env: Record<string, string>) => {
    const s = await startSite({ WILDRYDES_CONFIG: join(tempDir('wr-none-'), 'none.json'), ...env });
    sites.push(s);
    return s;
  };

  it("maps Corral's resources, waiting while Corral starts", async () => {
    mode = 'starting';
    answered = 0;
    const s = await site({ CORRAL_URL: fakeUrl });
    const { status, body } = await getJson(`${s.url}/config.json`);
    expect(status).toBe(200);
    expect(answered).toBe(3);
    expect(body).toEqual({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Wild123',
      userPoolClientId: 'webclient123',
      identityPoolId: 'eu-west-1:0000-1111',
      corralUrl: 'http://corral.example:9229',
    });
  });

  it('explains when Corral has no resource listing or is not running', async () => {
    mode = 'old';
    const s = await site({ CORRAL_URL: fakeUrl });
    const old = await getJson(`${s.url}/config.json`);
    expect(old.status).toBe(503);
    expect(String(old.body.error)).toContain('does not serve /_corral/resources');

    const down = await site({ CORRAL_URL: `http://localhost:${await freePort()}`, WILDRYDES_CONFIG_WAIT_MS: '300' });
    const res = await getJson(`${down.url}/config.json`);
    expect(res.status).toBe(503);
    expect(String(res.body.error)).toContain('cannot reach Corral');
  });

  it('prefers a pasted config file (the manual way)', async () => {
    const file = join(tempDir('wr-config-'), 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        userPoolId: 'us-west-2_Pasted1',
        userPoolClientId: 'pastedclient',
        corralUrl: 'http://localhost:9229/',
        tileUrl: 'http://tiles.local/{z}/{x}/{y}.png',
      }),
    );
    const s = await site({ WILDRYDES_CONFIG: file, CORRAL_URL: fakeUrl });
    const { status, body } = await getJson(`${s.url}/config.json`);
    expect(status).toBe(200);
    expect(body).toEqual({
      region: 'us-west-2',
      userPoolId: 'us-west-2_Pasted1',
      userPoolClientId: 'pastedclient',
      corralUrl: 'http://localhost:9229',
      tileUrl: 'http://tiles.local/{z}/{x}/{y}.png',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const fakeJwt = (claims: Record<string, unknown>) => `${b64url({ kid: 'test-key', alg: 'RS256' })}.${b64url(claims)}.c2lnbmF0dXJl`;
const toUsername = (email: string) => email.replace(/[@.]/g, '|');

describe.skipIf(!HAVE_CHROMIUM)('Wild Rydes in a browser', () => {
  let corral: Corral;
  let staticSite: Site; // config from a file: works whatever Corral implements
  let liveSite: Site; // config from Corral's /_corral/resources, like `npm start`
  let context: BrowserContext;
  let admin: CognitoIdentityProviderClient; // SigV4 with the admin key pair Corral was started with
  let pool: { poolId: string; clientId: string }; // the provisioned WildRydes pool and web client
  const STATIC = {
    userPoolId: 'us-east-1_WildTest1',
    userPoolClientId: 'wildrydestestclient',
    identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
  };

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    corral = await startCorral();
    admin = new CognitoIdentityProviderClient({ region: corral.region, endpoint: corral.url, credentials: corral.admin, maxAttempts: 1 });
    pool = await provisioned(corral.url);
    const configFile = join(tempDir('wr-static-'), 'config.json');
    // The tile URL points at a closed local port: the map must still look like a map.
    writeFileSync(
      configFile,
      JSON.stringify({ region: 'us-east-1', ...STATIC, corralUrl: corral.url, tileUrl: `http://localhost:${await freePort()}/{z}/{x}/{y}.png` }),
    );
    staticSite = await startSite({ WILDRYDES_CONFIG: configFile });
    liveSite = await startSite({ WILDRYDES_CONFIG: join(tempDir('wr-none-'), 'none.json'), CORRAL_URL: corral.url });
    context = await chromium.launchPersistentContext(tempDir('wr-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: VIEWPORTS.desktop,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    admin?.destroy();
    await context?.close();
    await Promise.all([staticSite?.stop(), liveSite?.stop(), corral?.stop()]);
  });

  async function openPage(): Promise<{ page: Page; errors: string[]; logs: string[] }> {
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORTS.desktop);
    const errors: string[] = [];
    const logs: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => logs.push(msg.text()));
    return { page, errors, logs };
  }

  async function shoot(page: Page, name: string) {
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.evaluate(() => void window.scrollTo(0, 0));
      await page.waitForTimeout(250);
      await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  async function clearSession(page: Page, site: Site) {
    await page.goto(`${site.url}/faq`);
    await page.evaluate(() => localStorage.clear());
  }

  // --- pages, routing, config: no server work needed -----------------------------------------------------------

  it('renders every public page at desktop and phone widths', async () => {
    const { page, errors } = await openPage();
    const pages: Array<[string, string, string[]]> = [
      ['/', 'home', ['Wild Rydes', 'How Does This Work?', 'Download the App', 'Request a Unicorn', 'Pick a Price', 'Ride Off To Success!', 'Our Story']],
      ['/unicorns', 'unicorns', ['Meet the Unicorns', 'Bucephalus', 'Shadowfox', 'Rocinante']],
      ['/investors', 'investors', ['Investors & Board of Directors', 'Board of Directors']],
      ['/faq', 'faq', ['Frequently Asked Questions']],
      ['/register', 'register', ['Register', 'Confirm Password', 'Genre']],
      ['/signin', 'signin', ['Sign In']],
      ['/mailbox?to=rider%40example.com', 'mailbox-static', ['Local Mailbox']],
      ['/no-such-page', 'not-found', ['Lost on the trail']],
    ];
    for (const [path, name, words] of pages) {
      await page.goto(staticSite.url + path);
      await page.locator('main').waitFor();
      const text = await page.locator('main').innerText();
      for (const word of words) expect(text, `${path} shows "${word}"`).toContain(word);
      await shoot(page, name);
    }
    await page.goto(staticSite.url + '/');
    await expect(page.getByRole('link', { name: 'Giddy Up!' }).getAttribute('href')).resolves.toBe('/app');
    await page.goto(staticSite.url + '/faq');
    await page.locator('details.faq-item').first().waitFor(); // the app renders after it has loaded its config
    expect(await page.locator('details.faq-item').count()).toBeGreaterThanOrEqual(15);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('header menu and footer link the pages (desktop and phone)', async () => {
    const { page } = await openPage();
    await page.goto(staticSite.url + '/');
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    await menu.waitFor();
    for (const label of ['Home', 'Meet the Unicorns', 'Investors & Board of Directors', 'FAQ', 'Profile', 'Register', 'Sign In']) {
      await expect(menu.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(1);
    }
    await menu.getByRole('link', { name: 'Meet the Unicorns' }).click();
    await page.waitForURL('**/unicorns');
    await page.getByRole('navigation', { name: 'Footer menu' }).getByRole('link', { name: 'FAQ' }).click();
    await page.waitForURL('**/faq');

    await page.setViewportSize(VIEWPORTS.phone);
    await page.goto(staticSite.url + '/');
    await expect(menu.getByRole('link', { name: 'Register' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.screenshot({ path: join(SHOTS, 'menu-open-phone.png') });
    await menu.getByRole('link', { name: 'Register' }).click();
    await page.waitForURL('**/register');
    await page.close();
  });

  it('sends signed-out visitors from /app and /profile to /signin', async () => {
    const { page } = await openPage();
    await clearSession(page, staticSite);
    for (const path of ['/app', '/profile']) {
      await page.goto(staticSite.url + path);
      await page.waitForURL('**/signin');
      await page.getByText('Please sign in to continue').waitFor();
    }
    await page.goto(staticSite.url + '/');
    await page.getByRole('link', { name: 'Giddy Up!' }).click();
    await page.waitForURL('**/signin');
    await shoot(page, 'signin-redirected');
    await page.close();
  });

  it('register form: "Let\'s Ryde" waits for a valid email and matching passwords; the policy hints tick', async () => {
    const { page } = await openPage();
    await page.goto(staticSite.url + '/register');
    const button = page.getByRole('button', { name: "Let's Ryde" });
    const rule = (id: string) => page.locator(`[data-rule="${id}"]`).getAttribute('data-ok');
    await expect(button.isDisabled()).resolves.toBe(true);
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('abc');
    await page.getByLabel('Confirm Password').fill('abc');
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(rule('length')).resolves.toBe('false');
    await expect(rule('lower')).resolves.toBe('true');
    await expect(rule('upper')).resolves.toBe('false');
    await page.getByLabel('Email', { exact: true }).fill('rider@example.com');
    await expect(button.isDisabled()).resolves.toBe(false);
    await page.getByLabel('Confirm Password').fill('abd');
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(rule('match')).resolves.toBe('false');
    await page.getByLabel('Password', { exact: true }).fill('Giddy-Up-42');
    await page.getByLabel('Confirm Password').fill('Giddy-Up-42');
    for (const id of ['length', 'upper', 'lower', 'number', 'symbol', 'match']) await expect(rule(id)).resolves.toBe('true');
    await expect(button.isDisabled()).resolves.toBe(false);
    await shoot(page, 'register-hints');
    await page.close();
  });

  it('shows what to do when the sign-in settings cannot be found', async () => {
    const lost = await startSite({
      WILDRYDES_CONFIG: join(tempDir('wr-none-'), 'none.json'),
      CORRAL_URL: `http://localhost:${await freePort()}`,
      WILDRYDES_CONFIG_WAIT_MS: '200',
    });
    try {
      const { page } = await openPage();
      await page.goto(lost.url + '/');
      await page.getByTestId('config-problem').waitFor();
      expect(await page.getByTestId('config-problem').innerText()).toContain('cannot reach Corral');
      await shoot(page, 'config-missing');
      await page.close();
    } finally {
      await lost.stop();
    }
  });

  it('ride page: a map without network, the decoded ID token, reload keeps the session, Sign Out returns Home', { timeout: 60_000 }, async () => {
    const { page, errors } = await openPage();
    await clearSession(page, staticSite);
    // A session as Amplify stores it after sign-in (unsigned tokens: the page decodes, it does not verify).
    const now = Math.floor(Date.now() / 1000);
    const username = 'rider|example|com';
    const base = { sub: '7d1c2a4e-0000-4000-8000-000000000001', iss: `${corral.url}/${STATIC.userPoolId}`, auth_time: now, iat: now, exp: now + 3600 };
    const idToken = fakeJwt({
      ...base,
      aud: STATIC.userPoolClientId,
      token_use: 'id',
      'cognito:username': username,
      email: 'rider@example.com',
      email_verified: true,
      'custom:genre': 'jazz',
    });
    const accessToken = fakeJwt({ ...base, client_id: STATIC.userPoolClientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username });
    await page.evaluate(
      ({ clientId, username, idToken, accessToken }) => {
        const prefix = `CognitoIdentityServiceProvider.${clientId}`;
        localStorage.setItem(`${prefix}.LastAuthUser`, username);
        localStorage.setItem(`${prefix}.${username}.idToken`, idToken);
        localStorage.setItem(`${prefix}.${username}.accessToken`, accessToken);
        localStorage.setItem(`${prefix}.${username}.refreshToken`, 'opaque-refresh-token');
        localStorage.setItem(`${prefix}.${username}.clockDrift`, '0');
      },
      { clientId: STATIC.userPoolClientId, username, idToken, accessToken },
    );

    await page.goto(staticSite.url + '/app');
    await page.getByText('Successfully Authenticated!').waitFor();
    expect(page.url()).toBe(staticSite.url + '/app');
    const main = page.locator('main');
    await expect(main.innerText()).resolves.toContain('This page is not functional yet because there is no API configured.');
    await expect(main.innerText()).resolves.toContain("Here is your user's identity token:");
    await expect(page.getByTestId('id-token').inputValue()).resolves.toBe(idToken);

    // The map: Leaflet, centred on Seattle, with the sketch base layer drawn locally and the unreachable tiles dropped.
    await page.locator('.leaflet-container').waitFor();
    expect(await page.locator('.leaflet-sketch-pane path').count()).toBeGreaterThan(50);
    await page.locator('[data-testid="map"][data-offline="true"]').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('map-offline').isVisible()).resolves.toBe(true);
    await expect(page.locator('.map-label', { hasText: 'Lake Washington' }).isVisible()).resolves.toBe(true);

    // The decoded token, with times as dates.
    const claims = page.getByTestId('token-claims');
    await expect(claims.locator('[data-claim="email"] td').innerText()).resolves.toContain('rider@example.com');
    await expect(claims.locator('[data-claim="custom:genre"] td').innerText()).resolves.toContain('jazz');
    await expect(claims.locator('[data-claim="cognito:username"] td').innerText()).resolves.toContain(username);
    const exp = await claims.locator('[data-claim="exp"] .claim-date').innerText();
    expect(exp).toMatch(new RegExp(String(new Date((now + 3600) * 1000).getFullYear())));
    await expect(page.getByTestId('token-header').innerText()).resolves.toContain('RS256');

    // Clicking the map drops a pickup pin.
    await page.locator('.map').click({ position: { x: 300, y: 300 } });
    await page.getByTestId('pickup').waitFor();
    await shoot(page, 'app-offline-map');

    await page.reload();
    await page.getByText('Successfully Authenticated!').waitFor();
    expect(page.url()).toBe(staticSite.url + '/app');

    await page.locator('main').getByRole('button', { name: 'Sign Out', exact: true }).click();
    await page.waitForURL(staticSite.url + '/');
    await page.goto(staticSite.url + '/app');
    await page.waitForURL('**/signin');
    expect(errors).toEqual([]);
    await page.close();
  });

  // --- the walkthrough against Corral ----------------------------------------------------------------------------

  const PASSWORD = 'Giddy-Up-2024!';
  const newEmail = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;

  async function register(page: Page, email: string, password = PASSWORD, confirm = password) {
    await page.goto(liveSite.url + '/register');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Phone').fill('+14252345678');
    await page.getByLabel('Genre').fill('jazz');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm Password').fill(confirm);
    await page.getByRole('button', { name: "Let's Ryde" }).click();
  }

  async function codeFromMailbox(page: Page, email: string): Promise<string> {
    const mailbox = await context.newPage();
    await mailbox.goto(`${liveSite.url}/mailbox?to=${encodeURIComponent(email)}`);
    const code = await mailbox.getByTestId('mail-code').first().innerText({ timeout: 15_000 });
    await mailbox.close();
    return code;
  }

  async function registerAndVerify(page: Page, email: string) {
    await register(page, email);
    await page.getByRole('heading', { name: 'Verify Email' }).waitFor();
    await page.getByLabel('Verification Code').fill(await codeFromMailbox(page, email));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/signin');
  }

  async function signIn(page: Page, email: string, password = PASSWORD) {
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: "Let's Ryde" }).click();
  }

  it('walkthrough: Register → code from the mailbox → Verify → Sign In → map and ID token → Sign Out', { timeout: 90_000 }, async () => {
    const { page, logs } = await openPage();
    await clearSession(page, liveSite);
    const email = newEmail('rider');

    await page.goto(liveSite.url + '/');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Register' }).click();
    await page.waitForURL('**/register');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Phone').fill('+14252345678');
    await page.getByLabel('Genre').fill('jazz');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm Password').fill(PASSWORD);
    await shoot(page, 'walkthrough-1-register');
    await page.getByRole('button', { name: "Let's Ryde" }).click();

    await page.getByRole('heading', { name: 'Verify Email' }).waitFor();
    const [mailbox] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open the local mailbox' }).click()]);
    const code = await mailbox.getByTestId('mail-code').first().innerText({ timeout: 15_000 });
    expect(code).toMatch(/^\d{6}$/);
    await shoot(mailbox, 'walkthrough-2-mailbox');
    await mailbox.close();

    await page.getByLabel('Verification Code').fill(code);
    await shoot(page, 'walkthrough-3-verify');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/signin');
    await expect(page.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe(email);

    await signIn(page, email);
    await page.waitForURL('**/app');
    await page.getByText('Successfully Authenticated!').waitFor();
    await page.locator('.leaflet-container').waitFor();
    const claims = page.getByTestId('token-claims');
    await expect(claims.locator('[data-claim="email"] td').innerText()).resolves.toContain(email);
    await expect(claims.locator('[data-claim="custom:genre"] td').innerText()).resolves.toContain('jazz');
    await expect(claims.locator('[data-claim="cognito:username"] td').innerText()).resolves.toContain(toUsername(email));
    expect(logs.some((l) => l.startsWith('Cognito User Identity Token: ey'))).toBe(true);
    await shoot(page, 'walkthrough-4-app');

    await page.reload();
    await page.getByText('Successfully Authenticated!').waitFor();
    expect(page.url()).toBe(liveSite.url + '/app');

    await page.locator('main').getByRole('button', { name: 'Sign Out', exact: true }).click();
    await page.waitForURL(liveSite.url + '/');
    await page.goto(liveSite.url + '/app');
    await page.waitForURL('**/signin');
    await page.close();
  });

  it('a private page sends the rider back there after sign-in (profile shows email, phone, genre)', { timeout: 90_000 }, async () => {
    const { page } = await openPage();
    await clearSession(page, liveSite);
    const email = newEmail('profile');
    await registerAndVerify(page, email);
    await page.goto(liveSite.url + '/profile');
    await page.waitForURL('**/signin');
    await signIn(page, email);
    await page.waitForURL('**/profile');
    await page.locator('[data-testid="profile-email"], [data-testid="notice-error"]').first().waitFor();
    if (await page.getByTestId('notice-error').count()) throw new Error(`Profile: ${await page.getByTestId('notice-error').innerText()}`);
    await expect(page.getByTestId('profile-email').innerText()).resolves.toContain(email);
    await expect(page.getByTestId('profile-email').getByTestId('verified').count()).resolves.toBe(1);
    await expect(page.getByTestId('profile-phone').innerText()).resolves.toContain('+14252345678');
    await expect(page.getByTestId('profile-genre').innerText()).resolves.toContain('jazz');
    await shoot(page, 'profile');

    await page.goto(liveSite.url + '/app');
    await page.locator('main').getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(liveSite.url + '/');
    await page.goto(liveSite.url + '/app');
    await page.waitForURL('**/signin');
    await page.close();
  });

  it('profile: edit the genre, change the email and verify it with a code', { timeout: 90_000 }, async () => {
    const { page } = await openPage();
    await clearSession(page, liveSite);
    const email = newEmail('editor');
    await registerAndVerify(page, email);
    await signIn(page, email);
    await page.waitForURL('**/app');
    await page.goto(liveSite.url + '/profile');
    await page.getByTestId('profile-genre').waitFor();

    await page.getByLabel('Favourite genre').fill('bluegrass');
    await page.getByRole('button', { name: 'Save genre' }).click();
    await page.getByText('Genre saved').waitFor();
    await expect(page.getByTestId('profile-genre').innerText()).resolves.toBe('bluegrass');

    const changed = newEmail('changed');
    await page.getByRole('button', { name: 'Change e-mail' }).click();
    await page.getByLabel('New e-mail').fill(changed);
    await page.getByRole('button', { name: 'Save e-mail' }).click();
    await page.getByLabel('Verification Code').waitFor();
    await page.getByLabel('Verification Code').fill(await codeFromMailbox(page, changed));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Email verified!').waitFor();
    await expect(page.getByTestId('profile-email').innerText()).resolves.toContain(changed);
    await expect(page.getByTestId('profile-email').getByTestId('verified').count()).resolves.toBe(1);
    await shoot(page, 'profile-edited');
    await page.close();
  });

  it('a weak password shows the policy message', async () => {
    const { page } = await openPage();
    await register(page, newEmail('weak'), 'password', 'password');
    const error = page.getByTestId('notice-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/Password did not conform with policy/);
    await shoot(page, 'register-weak-password');
    await page.close();
  });

  it('registering twice goes straight to Verify Email', async () => {
    const { page } = await openPage();
    const email = newEmail('twice');
    await register(page, email);
    await page.getByRole('heading', { name: 'Verify Email' }).waitFor();
    await register(page, email);
    await page.getByRole('heading', { name: 'Verify Email' }).waitFor();
    await expect(page.getByTestId('notice-info').innerText()).resolves.toContain('already registered');
    await expect(page.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe(email);
    await page.close();
  });

  it('a wrong verification code shows an error', async () => {
    const { page } = await openPage();
    const email = newEmail('wrongcode');
    await register(page, email);
    await page.getByRole('heading', { name: 'Verify Email' }).waitFor();
    const real = await codeFromMailbox(page, email);
    await page.getByLabel('Verification Code').fill(real === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByTestId('notice-error').innerText()).resolves.toContain('does not match');
    await shoot(page, 'verify-wrong-code');
    await page.close();
  });

  it('a wrong password (or an unknown rider) shows "Wrong email or password."', { timeout: 90_000 }, async () => {
    const { page } = await openPage();
    await clearSession(page, liveSite);
    const email = newEmail('wrongpw');
    await registerAndVerify(page, email);
    await signIn(page, email, 'Not-The-Password-1');
    await expect(page.getByTestId('notice-error').innerText()).resolves.toBe('Wrong email or password.');
    await shoot(page, 'signin-wrong-password');
    await page.getByLabel('Email', { exact: true }).fill(newEmail('nobody'));
    await page.getByRole('button', { name: "Let's Ryde" }).click();
    await page.waitForTimeout(300);
    await expect(page.getByTestId('notice-error').innerText()).resolves.toBe('Wrong email or password.');
    expect(page.url()).toContain('/signin');
    await page.close();
  });

  // --- riders an administrator creates, and MFA ----------------------------------------------------------------

  /** A confirmed rider with a verified email and a permanent password, made with the admin API (no mail sent). */
  async function confirmedRider(email: string, password = PASSWORD): Promise<string> {
    const Username = toUsername(email);
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username, Password: password, Permanent: true }));
    return Username;
  }

  async function temporaryPasswordFor(email: string): Promise<string> {
    const res = await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent(email)}&limit=1`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: Array<{ body: string }> };
    const password = /temporary password is (\S+)\.\s*$/.exec(messages[0]?.body ?? '')?.[1];
    if (!password) throw new Error(`no invitation in the mailbox for ${email}: ${JSON.stringify(messages)}`);
    return password;
  }

  /** A 6-digit code the authenticator would not show now (nor one step either side, nor the next two). */
  function wrongTotpCode(secret: string): string {
    const near = new Set([-60_000, -30_000, 0, 30_000, 60_000, 90_000].map((d) => totpCode(secret, Date.now() + d)));
    for (let n = 0; ; n++) {
      const candidate = String((n * 111_111) % 1_000_000).padStart(6, '0');
      if (!near.has(candidate)) return candidate;
    }
  }

  async function expectRidePage(page: Page, email: string) {
    await page.waitForURL('**/app');
    await page.getByText('Successfully Authenticated!').waitFor();
    await expect(page.getByTestId('id-token').inputValue()).resolves.toMatch(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/);
    const claims = page.getByTestId('token-claims');
    await expect(claims.locator('[data-claim="email"] td').innerText()).resolves.toContain(email);
    await expect(claims.locator('[data-claim="cognito:username"] td').innerText()).resolves.toContain(toUsername(email));
  }

  async function signOut(page: Page) {
    await page.locator('main').getByRole('button', { name: 'Sign Out', exact: true }).click();
    await page.waitForURL(liveSite.url + '/');
  }

  it('a rider an administrator invited signs in with the mailed temporary password and chooses a new one', { timeout: 60_000 }, async () => {
    const { page } = await openPage();
    await clearSession(page, liveSite);
    const email = newEmail('invited');
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: toUsername(email),
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const temporary = await temporaryPasswordFor(email);

    await page.goto(liveSite.url + '/signin');
    await signIn(page, email, temporary);
    await page.getByRole('heading', { name: 'Choose a New Password' }).waitFor();
    await page.getByRole('textbox', { name: 'New Password' }).fill('password');
    await page.getByRole('button', { name: 'Save and Ryde' }).click();
    await expect(page.getByTestId('notice-error').innerText()).resolves.toMatch(/^Password does not conform to policy: /);
    await shoot(page, 'signin-new-password-weak');
    await page.getByRole('textbox', { name: 'New Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Save and Ryde' }).click();
    await expectRidePage(page, email);
    await signOut(page);

    // The new password is the password now.
    await page.goto(liveSite.url + '/signin');
    await signIn(page, email);
    await expectRidePage(page, email);
    await signOut(page);
    await page.close();
  });

  describe('the WildRydes pool with TOTP MFA required (MfaConfiguration ON)', () => {
    beforeAll(async () => {
      await requireTotpMfa(admin, pool.poolId, 'ON');
    });
    afterAll(async () => {
      await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OFF' }));
    });

    it('sign-in asks "Enter MFA Code": a wrong code shows an error, the authenticator\'s code lands on the ride page', { timeout: 60_000 }, async () => {
      const email = newEmail('totp');
      const username = await confirmedRider(email);
      // Enrolment needs USER_PASSWORD_AUTH, which the web client does not allow: a test-only client of the same
      // pool does it (the seed client is left as corral.config.json declares it).
      const enrolClient = await admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.poolId,
          ClientName: 'wildrydes-test-enrol',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      const clientId = enrolClient.UserPoolClient!.ClientId!;
      let authenticator: Enrolled;
      try {
        authenticator = await enrollTotp({ endpoint: corral.url, clientId, username, password: PASSWORD });
      } finally {
        await admin.send(new DeleteUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: clientId }));
      }

      const { page, errors } = await openPage();
      await clearSession(page, liveSite);
      await page.goto(liveSite.url + '/signin');
      await signIn(page, email);
      await page.getByRole('heading', { name: 'Enter MFA Code' }).waitFor();
      await expect(page.locator('main').innerText()).resolves.toContain('the code from your authenticator app');
      await shoot(page, 'signin-mfa');

      await page.getByRole('textbox', { name: 'Code', exact: true }).fill(wrongTotpCode(authenticator.secret));
      await page.getByRole('button', { name: "Let's Ryde" }).click();
      await expect(page.getByTestId('notice-error').innerText()).resolves.toBe('That code does not match. Please try again.');
      expect(page.url()).toContain('/signin');
      await shoot(page, 'signin-mfa-wrong-code');

      await page.getByRole('textbox', { name: 'Code', exact: true }).fill(authenticator.nextCode());
      await page.getByRole('button', { name: "Let's Ryde" }).click();
      await expectRidePage(page, email);
      await signOut(page);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('a rider without an authenticator sets one up at sign-in (key and otpauth:// link), then signs in with its codes', { timeout: 60_000 }, async () => {
      const email = newEmail('totpsetup');
      await confirmedRider(email);
      const { page, errors } = await openPage();
      await clearSession(page, liveSite);
      await page.goto(liveSite.url + '/signin');
      await signIn(page, email);
      await page.getByRole('heading', { name: 'Set Up Your Authenticator' }).waitFor();
      const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      const uri = await page.getByTestId('totp-uri').innerText();
      expect(uri.startsWith('otpauth://totp/WildRydes:')).toBe(true);
      const parsed = new URL(uri);
      expect(parsed.searchParams.get('secret')).toBe(secret);
      expect(parsed.searchParams.get('issuer')).toBe('WildRydes');
      expect(decodeURIComponent(parsed.pathname)).toContain(email);
      await expect(page.getByRole('link', { name: 'add to authenticator' }).getAttribute('href')).resolves.toBe(uri);
      await shoot(page, 'signin-totp-setup');

      await page.getByLabel('Code from your app').fill(wrongTotpCode(secret));
      await page.getByRole('button', { name: 'Verify and Ryde' }).click();
      await expect(page.getByTestId('notice-error').innerText()).resolves.toBe('That code does not match. Please try again.');
      await shoot(page, 'signin-totp-setup-wrong-code');

      await page.getByLabel('Code from your app').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Verify and Ryde' }).click();
      await expectRidePage(page, email);
      await signOut(page);

      // The authenticator is the rider's now: the next sign-in asks for its code.
      await page.goto(liveSite.url + '/signin');
      await signIn(page, email);
      await page.getByRole('heading', { name: 'Enter MFA Code' }).waitFor();
      await page.getByRole('textbox', { name: 'Code', exact: true }).fill(nextTotpCode(secret));
      await page.getByRole('button', { name: "Let's Ryde" }).click();
      await expectRidePage(page, email);
      await signOut(page);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});

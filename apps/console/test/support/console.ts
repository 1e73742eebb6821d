// What a console browser test needs: Corral as a real process (its own data dir, a known admin key pair, an
// empty configuration unless one is given), the built console, Debian's chromium, and a signed-in page.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureBuilt, freePort, startNode, tempDir, type Proc } from '../../../wildrydes/test/support/stack';

export const CONSOLE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const REPO = resolve(CONSOLE_DIR, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === 'true';
export const SHOTS = join(CONSOLE_DIR, 'screenshots');
export const DESKTOP = { width: 1280, height: 860 };

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! CORRAL CONSOLE BROWSER TESTS SKIPPED: ${CHROMIUM} is missing (apt-get install chromium).\n!! In CI (CI=true) this fails instead.\n${'!'.repeat(78)}\n`,
  );
}
/** Browser suites run where chromium is, and always in CI (where a missing chromium fails them). */
export const RUN_BROWSER = HAVE_CHROMIUM || IN_CI;

export interface TestCorral extends Proc {
  url: string;
  admin: { accessKeyId: string; secretAccessKey: string };
  region: string;
  dataDir: string;
}

export interface CorralOptions {
  /** A provisioning file (CORRAL_CONFIG); default: an empty configuration. */
  config?: object;
  env?: Record<string, string>;
}

export async function startCorral(opts: CorralOptions = {}): Promise<TestCorral> {
  const cli = join(REPO, 'packages/corral/dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build -w corral\` (root \`npm test\` does).`);
  const port = await freePort();
  const admin = { accessKeyId: 'AKIACONSOLE' + randomBytes(5).toString('hex').toUpperCase(), secretAccessKey: randomBytes(24).toString('base64url') };
  const region = 'us-east-1';
  const dataDir = tempDir('corral-console-');
  const configFile = join(dataDir, '..', `${dataDir.split('/').pop()}.config.json`);
  writeFileSync(configFile, JSON.stringify(opts.config ?? {}));
  const env: Record<string, string> = {
    PORT: String(port),
    CORRAL_DATA_DIR: dataDir,
    CORRAL_CONFIG: configFile,
    LOG_LEVEL: 'warn',
    CORRAL_WORKERS: '1',
    CORRAL_REGION: region,
    CORRAL_ACCESS_KEY_ID: admin.accessKeyId,
    CORRAL_SECRET_ACCESS_KEY: admin.secretAccessKey,
    ...opts.env,
  };
  const proc = await startNode([cli, 'start'], env, 'Corral listening on');
  return { ...proc, url: `http://localhost:${port}`, admin, region, dataDir };
}

/** Builds the console unless dist/ is newer than every source file. */
export function ensureConsoleBuilt(): void {
  ensureBuilt(CONSOLE_DIR);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new desktop-sized page, signed in to the console with the admin key pair. */
export async function signedInPage(browser: Browser, corral: TestCorral): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`${corral.url}/console/`);
  await page.getByLabel('Access key ID').fill(corral.admin.accessKeyId);
  await page.getByLabel('Secret access key').fill(corral.admin.secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Manage User Pools' }).waitFor();
  return page;
}

/** A suite's browser and signed-in page: actions wait up to 10 s, and confirm() dialogs are accepted. */
export async function openConsole(corral: TestCorral): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchBrowser();
  const page = await signedInPage(browser, corral);
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => void d.accept());
  return { browser, page };
}

/** Closes the browser, then stops Corral (for afterAll: either is missing when beforeAll failed early). */
export async function shutdown(browser: Browser | undefined, corral: TestCorral | undefined): Promise<void> {
  await browser?.close();
  await corral?.stop();
}

/** Writes a full-page screenshot to apps/console/screenshots/<name>.png (git-ignored; one is copied to docs/). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Debian's chromium for the browser suites (playwright-core). They run where chromium is, and always in CI (CI=true),
// where a missing chromium fails them; elsewhere a missing one skips them, loudly.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether a browser suite is skipped (`describe.skipIf(withoutChromium('the … tests'))`); says so when it is. */
export function withoutChromium(what: string): boolean {
  const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
  if (skip) console.warn(`\n!!! ${CHROMIUM} is missing: ${what} SKIPPED !!!\n`);
  return skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
}

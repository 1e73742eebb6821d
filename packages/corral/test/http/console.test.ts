// The console's server side (http/console.ts): the built app's files with their security headers, the SPA fallback,
// no way out of the console directory, the 503 page when it is not built, CORRAL_CONSOLE=off, console-config, and
// the password → admin key pair exchange (right, wrong, unset, rate-limited, from a foreign origin).
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptSource, CONSOLE_FAILURES, consoleFile, defaultConsoleDir } from '../../src/http/console.js';
import { describeOnPostgres, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (the path is sent exactly as given: fetch would normalise `..` away). */
function raw(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: hostname, port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function expectSecurityHeaders(res: Answer): void {
  expect(res.headers['content-security-policy']).toBe(CSP);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
}

const INDEX = '<!doctype html><html><head><script type="module" src="/console/assets/app-abc123.js"></script></head><body>console</body></html>';

it('finds the built console in apps/console/dist of the monorepo by default', () => {
  const dir = defaultConsoleDir();
  expect(dir.endsWith(join('apps', 'console', 'dist'))).toBe(true);
  expect(JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')).name).toBe('console');
});

describe('the console files', () => {
  let dir: string;
  let corral: TestCorral;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-console-'));
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), INDEX);
    writeFileSync(join(dir, 'dist', 'assets', 'app-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'dist', 'assets', 'app-abc123.css'), 'body{}');
    writeFileSync(join(dir, 'dist', 'favicon.svg'), '<svg/>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the console');
    // Links that lead out of the console directory (a file, and a directory), and one that stays inside it.
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'dist', 'assets', 'out-link.txt'));
    symlinkSync(dir, join(dir, 'dist', 'up'));
    symlinkSync(join(dir, 'dist', 'assets', 'app-abc123.css'), join(dir, 'dist', 'assets', 'in-link.css'));
    corral = await startTestCorral({ env: { CORRAL_CONSOLE_DIR: join(dir, 'dist') } });
  });
  afterAll(async () => {
    await corral?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /console to /console/', async () => {
    const res = await raw(corral.url, '/console');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/console/');
  });

  it('serves index.html at /console/, not cached, with the security headers', async () => {
    const res = await raw(corral.url, '/console/', { headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(res);
  });

  it('serves assets with their content types, cached for good', async () => {
    const js = await raw(corral.url, '/console/assets/app-abc123.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app")');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js);
    const css = await raw(corral.url, '/console/assets/app-abc123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(corral.url, '/console/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it("answers the app's own routes (no file extension) with index.html, and a missing file with 404", async () => {
    for (const path of ['/console/user-pools', '/console/user-pools/us-east-1_abc/users', '/console/mailbox?pool=x', '/console/assets']) {
      const res = await raw(corral.url, path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toBe(INDEX);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
    const missing = await raw(corral.url, '/console/assets/gone-000.js');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
  });

  it('never serves a file outside the console directory', async () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/..%2fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/..%5csecret.txt',
      '/console/.%2e/.%2e/secret.txt',
      '/console/%252e%252e/secret.txt',
      '/console/%252e%252e%252fsecret.txt',
      '/console/assets/out-link.txt',
      '/console/up/secret.txt',
      '/console/up/dist/../secret.txt',
      `/console/${'a/'.repeat(4000)}x.txt`,
    ]) {
      const res = await raw(corral.url, path);
      expect(res.body, path).not.toContain('outside the console');
      expect(res.body, path).not.toContain('"name"');
      expect([200, 400, 404], path).toContain(res.status);
      if (res.status === 200) expect(res.body, path).toBe(INDEX);
    }
    for (const method of ['GET', 'HEAD']) {
      expect((await raw(corral.url, '/console/assets/out-link.txt', { method })).status, method).toBe(404);
    }
    // A link that stays inside is served as its target.
    expect((await raw(corral.url, '/console/assets/in-link.css')).body).toBe('body{}');
    const root = join(dir, 'dist');
    expect(consoleFile(root, '../secret.txt')).toBeUndefined();
    expect(consoleFile(root, 'assets/../../secret.txt')).toBeUndefined();
    expect(consoleFile(root, '..\\secret.txt')).toBeUndefined();
    expect(consoleFile(root, 'a\0b')).toBeUndefined();
    expect(consoleFile(root, '.env')).toBeUndefined();
    expect(consoleFile(root, 'assets/app.js')).toBe(join(root, 'assets', 'app.js'));
  });

  it('answers console-config', async () => {
    const res = await raw(corral.url, '/_corral/console-config');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ region: 'us-east-1', accountId: '000000000000', endpoint: corral.url, passwordSignIn: false, idleMinutes: 15 });
  });

  it('has no password sign-in unless CORRAL_CONSOLE_PASSWORD is set (404)', async () => {
    const res = await raw(corral.url, '/_corral/console-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'anything' }),
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).message).toMatch(/CORRAL_CONSOLE_PASSWORD/);
    expect(res.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });
});

it('counts console password attempts per IPv4 address and per IPv6 /64', () => {
  expect(attemptSource('203.0.113.7')).toBe('203.0.113.7');
  expect(attemptSource('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(attemptSource('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
  expect(attemptSource('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
  expect(attemptSource('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
  expect(attemptSource('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(attemptSource('::1')).toBe('0:0:0:0::/64');
});

describe('the console when it is not built, or off', () => {
  let empty: string;
  let unbuilt: TestCorral;
  let off: TestCorral;
  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'corral-console-empty-'));
    unbuilt = await startTestCorral({ env: { CORRAL_CONSOLE_DIR: empty } });
    off = await startTestCorral({ env: { CORRAL_CONSOLE: 'off', CORRAL_CONSOLE_PASSWORD: 'pw-123456' } });
  });
  afterAll(async () => {
    await unbuilt?.stop();
    await off?.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 503 with how to build it', async () => {
    for (const path of ['/console/', '/console/user-pools']) {
      const res = await raw(unbuilt.url, path);
      expect(res.status, path).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('npm run build -w console');
      expectSecurityHeaders(res);
    }
  });

  it('CORRAL_CONSOLE=off: none of its routes exist', async () => {
    for (const path of ['/console', '/console/', '/_corral/console-config']) {
      expect((await raw(off.url, path)).status, path).toBe(404);
    }
    const res = await raw(off.url, '/_corral/console-session', { method: 'POST', body: JSON.stringify({ password: 'pw-123456' }) });
    expect(res.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(res.status).not.toBe(200);
  });
});

describe('console password sign-in', () => {
  const PASSWORD = 'correct horse battery staple';
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ env: { CORRAL_CONSOLE_PASSWORD: PASSWORD, CORRAL_CONSOLE_IDLE_MINUTES: '7' } });
  });
  afterAll(() => corral?.stop());

  const signIn = (password: unknown, headers: Record<string, string> = {}) =>
    raw(corral.url, '/_corral/console-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ password }),
    });

  it('says in console-config that password sign-in is on', async () => {
    const res = await raw(corral.url, '/_corral/console-config');
    expect(JSON.parse(res.body)).toMatchObject({ passwordSignIn: true, idleMinutes: 7 });
  });

  it('trades the right password for the admin key pair, without CORS headers', async () => {
    const res = await signIn(PASSWORD, { origin: corral.url });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(TEST_CREDENTIALS);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a page of another origin, and its preflight', async () => {
    for (const origin of ['https://evil.example', 'null', `http://evil.example:${new URL(corral.url).port}`]) {
      const res = await signIn(PASSWORD, { origin });
      expect(res.status, origin).toBe(403);
      expect(res.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    // A DNS-rebound name: Origin and Host agree, but the name is not ours.
    const { port } = new URL(corral.url);
    const rebound = await signIn(PASSWORD, { origin: `http://evil.example:${port}`, host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    const preflight = await raw(corral.url, '/_corral/console-session', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a wrong password 401, bad input 400', async () => {
    const res = await signIn('wrong');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ message: 'Incorrect console password.' });
    const bad = await raw(corral.url, '/_corral/console-session', { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
    expect((await signIn(42)).status).toBe(400);
  });

  it('answers bad input 4xx, never 500, and never the key pair', async () => {
    const cases: { body: string; headers?: Record<string, string> }[] = [
      { body: '' },
      { body: 'null' },
      { body: '[]' },
      { body: '"correct horse battery staple"' },
      { body: '{"password":null}' },
      { body: '{"password":["correct horse battery staple"]}' },
      { body: '{"password":{"toString":"x"}}' },
      { body: '{"password":"' },
      { body: 'password=correct+horse+battery+staple', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { body: JSON.stringify({ password: 'x'.repeat(2 * 1024 * 1024) }) },
    ];
    for (const c of cases) {
      const res = await raw(corral.url, '/_corral/console-session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...c.headers },
        body: c.body,
      });
      expect(res.status, c.body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status, c.body.slice(0, 40)).toBeLessThan(500);
      expect(res.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    }
  });

  it(`refuses every attempt from an address after ${CONSOLE_FAILURES} wrong ones in the window, even a right one`, async () => {
    // The previous test spent one failure from this address.
    for (let i = 1; i < CONSOLE_FAILURES; i++) expect((await signIn(`wrong-${i}`)).status).toBe(401);
    const limited = await signIn(`wrong-again`);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).message).toMatch(/Too many incorrect console passwords/);
    const right = await signIn(PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    // The window passes: the right password works again.
    const now = corral.app.now;
    corral.app.now = () => Date.now() + 16 * 60_000;
    try {
      expect((await signIn(PASSWORD)).status).toBe(200);
    } finally {
      corral.app.now = now;
    }
  });
});

describeOnPostgres('console password sign-in on two instances of one database', () => {
  const PASSWORD = 'two instances, one counter';
  let a: TestCorral;
  let b: TestCorral;
  beforeAll(async () => {
    a = await startTestCorral({ backend: 'postgres', env: { CORRAL_CONSOLE_PASSWORD: PASSWORD } });
    b = await startTestCorral({ backend: 'postgres', schema: a.schema, dataDir: a.dataDir, env: { CORRAL_CONSOLE_PASSWORD: PASSWORD } });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const signIn = (c: TestCorral, password: string) =>
    raw(c.url, '/_corral/console-session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });

  it(`50 wrong passwords at once across both instances: exactly ${CONSOLE_FAILURES} are looked at, then even the right one is refused on both`, async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? a : b, `wrong-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(CONSOLE_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - CONSOLE_FAILURES);
    for (const c of [a, b]) {
      const right = await signIn(c, PASSWORD);
      expect(right.status).toBe(429);
      expect(right.body).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    }
    // The refused attempts were not counted: the next window is a fresh one on both.
    for (const c of [a, b]) c.app.now = () => Date.now() + 16 * 60_000;
    expect((await signIn(a, PASSWORD)).status).toBe(200);
    expect((await signIn(b, 'wrong-next-window')).status).toBe(401);
  });
});

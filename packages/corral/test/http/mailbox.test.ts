// The local mailbox is its owner's alone: loopback Host only (DNS rebinding), no CORS, and off unless Corral listens
// on loopback only or CORRAL_MAILBOX=on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHostHeader } from '../../src/http/loopback.js';
import { mailboxEnabled } from '../../src/http/mailbox.js';
import { deliver } from '../../src/messaging/index.js';
import { configFromEnv } from '../../src/runtime/config.js';
import { startCorral, type Running } from '../../src/runtime/start.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';
import { insertPool } from '../support/rows.js';

/** A raw HTTP request to 127.0.0.1:<port> with exactly the headers given (fetch will not send a foreign Host). */
function raw(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<RawAnswer> {
  return rawRequest({ host: '127.0.0.1', port, path, method, headers });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('the local mailbox answers its owner only', () => {
  let corral: TestCorral;
  let port: number;
  beforeAll(async () => {
    corral = await startTestCorral();
    port = portOf(corral.url);
    const poolId = await insertPool(corral.app);
    await deliver(corral.app, { poolId, medium: 'EMAIL', to: 'owner@example.com', kind: 'ForgotPassword', username: 'owner', code: '424242' });
  });
  afterAll(() => corral?.stop());

  it('answers requests addressed to a loopback name or address, with any port', async () => {
    for (const host of [`localhost:${port}`, 'localhost', `LOCALHOST:${port}`, `127.0.0.1:${port}`, '127.8.9.10', `[::1]:${port}`, '[::1]']) {
      const res = await raw(port, '/_corral/mail?to=owner%40example.com', { host });
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.body).messages[0].body, host).toContain('424242');
    }
  });

  it('refuses a foreign Host (a DNS-rebound name, a LAN address, none at all) with 403', async () => {
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `192.168.1.20:${port}`,
      `0.0.0.0:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      '[::2]',
      '127.0.0.256',
      '',
    ]) {
      const res = await raw(port, '/_corral/mail?to=owner%40example.com', { host });
      expect(res.status, `Host: ${host}`).toBe(403);
      expect(res.body, host).not.toContain('424242');
      expect(res.headers['access-control-allow-origin'], host).toBeUndefined();
    }
  });

  it('sends no CORS headers, whatever the Origin, and refuses a foreign Origin', async () => {
    const foreign = await raw(port, '/_corral/mail', { host: `localhost:${port}`, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain('424242');
    for (const origin of ['https://evil.example', `http://localhost:${port}`, 'http://localhost:3000']) {
      const res = await raw(port, '/_corral/mail', { host: `localhost:${port}`, origin });
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(res.headers['access-control-expose-headers'], origin).toBeUndefined();
    }
    // The browser's preflight is not granted either.
    const preflight = await raw(
      port,
      '/_corral/mail',
      { host: `localhost:${port}`, origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      'OPTIONS',
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    // The Cognito API keeps its CORS.
    const api = await raw(port, '/health', { host: `localhost:${port}`, origin: 'https://evil.example' });
    expect(api.headers['access-control-allow-origin']).toBe('https://evil.example');
  });
});

describe('the local mailbox is off unless Corral listens on loopback only', () => {
  const started: Array<{ run: Running; dir: string }> = [];
  async function start(env: Record<string, string>): Promise<Running> {
    const dir = mkdtempSync(join(tmpdir(), 'corral-mailbox-'));
    const config = configFromEnv(
      { CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, LOG_LEVEL: 'warn', ...env },
      { port: 0, dataDir: dir },
    );
    const run = await startCorral(config);
    started.push({ run, dir });
    return run;
  }
  afterAll(async () => {
    for (const { run, dir } of started) {
      await run.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('HOST=0.0.0.0: no mailbox, even asked from loopback', async () => {
    const run = await start({ HOST: '0.0.0.0' });
    const res = await raw(portOf(run.url), '/_corral/mail', { host: `localhost:${portOf(run.url)}` });
    expect(res.status).toBe(404);
  });

  it('HOST=0.0.0.0 with CORRAL_MAILBOX=on: served, still to loopback Hosts only', async () => {
    const run = await start({ HOST: '0.0.0.0', CORRAL_MAILBOX: 'on' });
    const p = portOf(run.url);
    expect((await raw(p, '/_corral/mail', { host: `localhost:${p}` })).status).toBe(200);
    expect((await raw(p, '/_corral/mail', { host: `10.0.0.5:${p}` })).status).toBe(403);
  });

  it('HOST=localhost / 127.0.0.1: served by default; CORRAL_MAILBOX=off hides it', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const run = await start({ HOST: host });
      expect((await raw(portOf(run.url), '/_corral/mail', { host: `localhost:${portOf(run.url)}` })).status, host).toBe(200);
    }
    const off = await start({ HOST: '127.0.0.1', CORRAL_MAILBOX: 'off' });
    expect((await raw(portOf(off.url), '/_corral/mail', { host: `localhost:${portOf(off.url)}` })).status).toBe(404);
  });

  it('decides from HOST and CORRAL_MAILBOX', () => {
    const enabled = (env: Record<string, string>) => mailboxEnabled(configFromEnv(env));
    expect(enabled({})).toBe(true); // HOST defaults to localhost
    expect(enabled({ HOST: '::1' })).toBe(true);
    expect(enabled({ HOST: '127.0.0.2' })).toBe(true);
    expect(enabled({ HOST: '0.0.0.0' })).toBe(false);
    expect(enabled({ HOST: '::' })).toBe(false);
    expect(enabled({ HOST: '192.168.1.20' })).toBe(false);
    expect(enabled({ HOST: '0.0.0.0', CORRAL_MAILBOX: 'on' })).toBe(true);
    expect(enabled({ HOST: 'localhost', CORRAL_MAILBOX: 'off' })).toBe(false);
    expect(isLoopbackHostHeader('[::1]:9229')).toBe(true);
    expect(isLoopbackHostHeader('[::ffff:7f00:1]:9229')).toBe(false);
    expect(isLoopbackHostHeader(undefined)).toBe(false);
  });
});

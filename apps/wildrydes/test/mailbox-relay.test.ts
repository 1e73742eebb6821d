// server.mjs relays GET /_corral/mail to Corral's local mailbox, server-side (the mailbox sends no CORS headers, so
// the browser cannot read Corral's directly), and — like Corral — only for requests addressed to a loopback name.
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../../packages/corral/test/support/raw-http.js';
import { freePort, provisioned, startCorral, startSite, type Corral, type Site } from './support/stack';

const raw = (url: string, path: string, headers: Record<string, string>) => rawRequest({ host: '127.0.0.1', port: Number(new URL(url).port), path, headers });

describe('the site relays the local mailbox', () => {
  let corral: Corral;
  let site: Site;
  let down: Site;
  const email = `relay-${Date.now()}@example.com`;
  beforeAll(async () => {
    corral = await startCorral();
    site = await startSite({ CORRAL_URL: corral.url });
    down = await startSite({ CORRAL_URL: `http://localhost:${await freePort()}` });
    const { clientId } = await provisioned(corral.url);
    const pub = new CognitoIdentityProviderClient({
      region: corral.region,
      endpoint: corral.url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      await pub.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: `relay-${Date.now()}`,
          Password: 'Unicorn!Ride42',
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
    } finally {
      pub.destroy();
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all([site?.stop(), down?.stop(), corral?.stop()]);
  });

  it("answers the site origin with Corral's messages, filtered by recipient, and no CORS headers", async () => {
    const port = new URL(site.url).port;
    const res = await raw(site.url, `/_corral/mail?to=${encodeURIComponent(email)}&limit=1`, { host: `localhost:${port}` });
    expect(res.status).toBe(200);
    const { messages } = JSON.parse(res.body) as { messages: Array<{ to: string; body: string }> };
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to).toBe(email);
    expect(messages[0]!.body).toMatch(/\b\d{6}\b/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a request addressed to another name (DNS rebinding) with 403', async () => {
    for (const host of ['evil.example', `evil.example:${new URL(site.url).port}`, '192.168.1.20:3000', '']) {
      const res = await raw(site.url, `/_corral/mail?to=${encodeURIComponent(email)}`, { host });
      expect(res.status, host).toBe(403);
      expect(res.body, host).not.toContain(email);
    }
  });

  it("Corral itself does not let the site's origin read its mailbox from the browser", async () => {
    const res = await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent(email)}`, { headers: { origin: site.url } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says 502 when Corral does not answer', async () => {
    const res = await raw(down.url, '/_corral/mail?to=a%40b.c', { host: `localhost:${new URL(down.url).port}` });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).message).toMatch(/cannot reach Corral's mailbox/);
  });
});

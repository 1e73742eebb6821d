// The hosted sign-in page in a real browser (Debian's chromium through playwright-core): GET /oauth2/authorize,
// a wrong password shown on the page, then the right one → redirect to the app's callback with code and state, and
// the code exchanged with PKCE. Only a missing chromium skips (loudly), and not in CI (CI=true), where it fails.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { launchChromium, withoutChromium } from '../support/chromium.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';

describe.skipIf(withoutChromium('the hosted sign-in browser test is'))('hosted sign-in page in chromium', () => {
  let corral: TestCorral;
  let app: Server;
  let browser: Browser;
  let callback: string;
  let clientId: string;
  let prefix: string;

  beforeAll(async () => {
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>signed in</p>'));
    await new Promise<void>((r) => app.listen(0, r));
    callback = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
    corral = await startTestCorral();
    const { idp } = corral;
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'hosted' }))).UserPool!.Id!;
    prefix = `hosted-${randomBytes(3).toString('hex')}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    clientId = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'Hosted app',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          AllowedOAuthFlowsUserPoolClient: true,
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'grace',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'grace@example.com' }],
      }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'grace', Password: 'Hopper-1906!', Permanent: true }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await corral?.stop();
    await new Promise((r) => app?.close(r));
  });

  it('signs in through the page and lands on the callback with a code that redeems', async () => {
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const base = `${corral.url}/_domains/${prefix}`;
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback,
      scope: 'openid email',
      state: 'st-42',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const page = await browser.newPage();
    await page.goto(`${base}/oauth2/authorize?${params}`);
    expect(await page.textContent('h1')).toBe('Sign in');
    expect(await page.textContent('p.sub')).toContain('Hosted app');

    await page.fill('#username', 'grace');
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toBe('Incorrect username or password.');
    expect(await page.inputValue('#username')).toBe('grace');

    await page.fill('#password', 'Hopper-1906!');
    await Promise.all([page.waitForURL((u) => u.pathname === '/callback'), page.click('button[type=submit]')]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe('st-42');
    const code = landed.searchParams.get('code')!;
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: callback, code_verifier: verifier }).toString(),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string };
    expect(JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString())).toMatchObject({
      'cognito:username': 'grace',
      email: 'grace@example.com',
    });
    await page.close();
  }, 60_000);
});

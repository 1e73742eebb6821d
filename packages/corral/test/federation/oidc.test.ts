// Sign-in through OpenID Connect and social providers, end to end: a real OpenID provider in-process (`oidc-provider`,
// with its development login and consent pages) and Chromium (playwright-core). The app's /oauth2/authorize → the
// hosted page → "Sign in with <provider>" → the provider's login and consent → Corral's /oauth2/idpresponse → the
// app's callback with a code → /oauth2/token with PKCE → an ID token (verified with aws-jwt-verify) with the mapped
// attributes and `identities`; the user is EXTERNAL_PROVIDER. A user linked with AdminLinkProviderForUser signs in as
// themself; Google pointed at the in-process provider (the ProviderDetails override) works the same. A provider Corral
// does not trust to be right (test/federation/fake-op.ts) is refused when its ID token has the wrong nonce, audience,
// issuer or signature, or when its token endpoint refuses the code. Only a missing chromium skips, never in CI.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import Provider from 'oidc-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { launchChromium, withoutChromium } from '../support/chromium.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { addFakeProvider, startFakeOp, type FakeOp, type TokenFault } from './fake-op.js';

const ACCOUNTS: Record<string, { email: string; name: string; given_name: string }> = {
  alice: { email: 'alice@op.example', name: 'Alice Liddell', given_name: 'Alice' },
  'bob-at-op': { email: 'bob@op.example', name: 'Bob Builder', given_name: 'Bob' },
  carol: { email: 'carol@gmail.example', name: 'Carol Danvers', given_name: 'Carol' },
  dave: { email: 'dave@op.example', name: 'Dave Lister', given_name: 'Dave' },
};

describe.skipIf(withoutChromium('the federation browser tests are'))('sign-in through OIDC and social providers', () => {
  let corral: TestCorral;
  let appServer: Server;
  let opServer: Server;
  let fake: FakeOp;
  let browser: Browser;
  let callback: string;
  let poolId: string;
  let clientId: string;
  let base: string;

  beforeAll(async () => {
    appServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>app</p>'));
    await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
    callback = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/callback`;
    corral = await startTestCorral();
    const { idp } = corral;
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'federation' }))).UserPool!.Id!;
    const prefix = `fed-${randomBytes(3).toString('hex')}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    base = `${corral.url}/_domains/${prefix}`;
    const redirectUris = [`${base}/oauth2/idpresponse`, `${corral.url}/${poolId}/oauth2/idpresponse`];

    // The in-process OpenID provider: any login name is an account; claims come from userinfo (its ID tokens carry sub).
    opServer = createServer();
    await new Promise<void>((r) => opServer.listen(0, '127.0.0.1', r));
    const issuer = `http://localhost:${(opServer.address() as AddressInfo).port}`;
    const op = new Provider(issuer, {
      clients: [
        { client_id: 'corp-client', client_secret: 'corp-secret-0123456789', redirect_uris: redirectUris, token_endpoint_auth_method: 'client_secret_basic' },
        {
          client_id: 'google-client',
          client_secret: 'google-secret-0123456789',
          redirect_uris: redirectUris,
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name'] },
      findAccount: (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({ sub: id, email_verified: true, ...(ACCOUNTS[id] ?? { email: `${id}@op.example` }) }),
      }),
      cookies: { keys: ['federation-test-cookie-key-0123456789'] },
    });
    opServer.on('request', op.callback());
    fake = await startFakeOp();

    const mapping = { email: 'email', email_verified: 'email_verified', name: 'name', given_name: 'given_name' };
    await idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'CorpOIDC',
        ProviderType: 'OIDC',
        ProviderDetails: {
          client_id: 'corp-client',
          client_secret: 'corp-secret-0123456789',
          authorize_scopes: 'openid email profile',
          oidc_issuer: issuer,
          attributes_request_method: 'GET',
        },
        AttributeMapping: mapping,
      }),
    );
    // Google, pointed at the in-process provider through the documented override (README).
    await idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Google',
        ProviderType: 'Google',
        ProviderDetails: {
          client_id: 'google-client',
          client_secret: 'google-secret-0123456789',
          authorize_scopes: 'openid email profile',
          oidc_issuer: issuer,
          authorize_url: `${issuer}/auth`,
          token_url: `${issuer}/token`,
        },
        AttributeMapping: { email: 'email', name: 'name' },
      }),
    );
    await addFakeProvider(idp, poolId, fake);
    clientId = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'Federated app',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          AllowedOAuthFlowsUserPoolClient: true,
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO', 'CorpOIDC', 'Google', 'Fake'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await corral?.stop();
    await fake?.close();
    await new Promise((r) => opServer?.close(r));
    await new Promise((r) => appServer?.close(r));
  });

  const pkce = () => {
    const verifier = randomBytes(48).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  const authorizeUrl = (challenge: string, extra: Record<string, string> = {}) =>
    `${base}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback,
      scope: 'openid email profile',
      state: 'app-state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    })}`;

  const redeem = async (code: string, verifier: string) => {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: callback, code_verifier: verifier }).toString(),
    });
    const tokens = (await res.json()) as { id_token: string; access_token: string };
    expect({ status: res.status, tokens }).toMatchObject({ status: 200 });
    const jwksUri = `${corral.url}/${poolId}/.well-known/jwks.json`;
    const verifierId = JwtRsaVerifier.create({ issuer: `${corral.url}/${poolId}`, audience: clientId, jwksUri });
    verifierId.cacheJwks((await (await fetch(jwksUri)).json()) as never); // aws-jwt-verify fetches only https
    return { ...tokens, id: (await verifierId.verify(tokens.id_token)) as Record<string, unknown> };
  };

  /** The provider's login (any password) and consent, then back at the app: the callback URL. */
  async function throughProvider(context: BrowserContext, start: string, login: string, button?: string): Promise<URL> {
    const page = await context.newPage();
    await page.goto(start);
    if (button) {
      expect(await page.textContent('h1')).toBe('Sign in');
      await page.click(`button:has-text("${button}")`);
    }
    await page.waitForSelector('input[name=login]');
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any-password');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/callback' || u.pathname.includes('/interaction/'));
    if (page.url().includes('/interaction/')) {
      await Promise.all([page.waitForURL((u) => u.pathname === '/callback'), page.click('button:has-text("Continue")')]);
    }
    const landed = new URL(page.url());
    await page.close();
    return landed;
  }

  it('hosted page → "Sign in with CorpOIDC" → provider → tokens with mapped attributes and identities', async () => {
    const { verifier, challenge } = pkce();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl(challenge));
    const buttons = await page.$$eval('form.idp button', (bs) => bs.map((b) => b.textContent));
    expect(buttons).toEqual(['Sign in with CorpOIDC', 'Sign in with Google', 'Sign in with Fake']);
    expect(await page.$('#password')).not.toBeNull();
    await page.close();

    const landed = await throughProvider(context, authorizeUrl(challenge), 'alice', 'Sign in with CorpOIDC');
    await context.close();
    expect(landed.searchParams.get('state')).toBe('app-state-1');
    const { id, access_token } = await redeem(landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({
      'cognito:username': 'CorpOIDC_alice',
      email: 'alice@op.example',
      email_verified: true,
      name: 'Alice Liddell',
      given_name: 'Alice',
      'cognito:groups': [`${poolId}_CorpOIDC`],
    });
    const identities = id.identities as Record<string, unknown>[];
    expect(identities).toHaveLength(1);
    expect(identities[0]).toMatchObject({ userId: 'alice', providerName: 'CorpOIDC', providerType: 'OIDC', issuer: null, primary: 'true' });
    expect(identities[0]!.dateCreated).toMatch(/^\d{13}$/);
    const accessClaims = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(accessClaims).toMatchObject({ username: 'CorpOIDC_alice', scope: expect.stringContaining('openid') });

    const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'CorpOIDC_alice' }));
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
    const attrs = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs.email).toBe('alice@op.example');
    const stored = JSON.parse(attrs.identities!) as Record<string, unknown>[];
    expect(stored[0]).toMatchObject({ userId: 'alice', providerName: 'CorpOIDC', providerType: 'OIDC', issuer: null, primary: true });
    expect(typeof stored[0]!.dateCreated).toBe('number');
  }, 90_000);

  it('signs the same identity in again as the same user, its attributes updated', async () => {
    const { verifier, challenge } = pkce();
    ACCOUNTS.alice!.name = 'Alice Pleasance Liddell';
    const context = await browser.newContext();
    const landed = await throughProvider(context, authorizeUrl(challenge, { identity_provider: 'CorpOIDC' }), 'alice');
    await context.close();
    const { id } = await redeem(landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({ 'cognito:username': 'CorpOIDC_alice', name: 'Alice Pleasance Liddell' });
    expect(id.identities as unknown[]).toHaveLength(1);
  }, 90_000);

  it('an existing user linked with AdminLinkProviderForUser signs in through the provider as themself', async () => {
    const bob = await corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'bob',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'bob@corp.example' }],
      }),
    );
    const bobSub = bob.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
    await corral.idp.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'bob' },
        SourceUser: { ProviderName: 'CorpOIDC', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'bob-at-op' },
      }),
    );
    const { verifier, challenge } = pkce();
    const context = await browser.newContext();
    const landed = await throughProvider(context, authorizeUrl(challenge, { identity_provider: 'CorpOIDC' }), 'bob-at-op');
    await context.close();
    const { id } = await redeem(landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({ 'cognito:username': 'bob', sub: bobSub });
    expect((id.identities as Record<string, unknown>[]).some((i) => i.providerName === 'CorpOIDC' && i.userId === 'bob-at-op')).toBe(true);
    await expect(corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'CorpOIDC_bob-at-op' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
  }, 90_000);

  it('Google, pointed at the in-process provider through ProviderDetails, signs in (idp_identifier-less, by name)', async () => {
    const { verifier, challenge } = pkce();
    const context = await browser.newContext();
    const landed = await throughProvider(context, authorizeUrl(challenge), 'carol', 'Sign in with Google');
    await context.close();
    const { id } = await redeem(landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({ 'cognito:username': 'Google_carol', email: 'carol@gmail.example', name: 'Carol Danvers' });
    expect((id.identities as Record<string, unknown>[])[0]).toMatchObject({ providerName: 'Google', providerType: 'Google', userId: 'carol' });
    const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Google_carol' }));
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
  }, 90_000);

  it("the provider's refusal (the user cancels) comes back to the app as error and error_description", async () => {
    const { challenge } = pkce();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl(challenge, { identity_provider: 'CorpOIDC' }));
    await page.waitForSelector('input[name=login]');
    const abort = new URL(page.url());
    abort.pathname = `${abort.pathname.replace(/\/$/, '')}/abort`;
    await Promise.all([page.waitForURL((u) => u.pathname === '/callback'), page.goto(abort.href)]);
    const landed = new URL(page.url());
    await context.close();
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toContain('CorpOIDC Error - access_denied');
    expect(landed.searchParams.get('state')).toBe('app-state-1');
    expect(landed.searchParams.get('code')).toBeNull();
  }, 90_000);

  it('a provider the client does not list, or that does not exist, is "Login option is not available"', async () => {
    const { challenge } = pkce();
    for (const name of ['Nowhere', 'COGNITO-ish']) {
      const res = await fetch(authorizeUrl(challenge, { identity_provider: name }), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Login option is not available. Please try another one');
    }
  });

  describe('what a provider sends back is verified', () => {
    /** Corral's redirect to the fake provider: its state, nonce and PKCE challenge, and the browser cookie. */
    async function leave(): Promise<{ state: string; nonce: string; cookie: string; location: URL }> {
      const { challenge } = pkce();
      const res = await fetch(authorizeUrl(challenge, { identity_provider: 'Fake' }), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(`${fake.issuer}/authorize`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toMatch(/^csrf-state=/);
      return { state: location.searchParams.get('state')!, nonce: location.searchParams.get('nonce')!, cookie, location };
    }

    async function answer(fault: TokenFault, sub: string): Promise<URL> {
      const { state, nonce, cookie } = await leave();
      fake.next = { fault, nonce, sub };
      const res = await fetch(`${base}/oauth2/idpresponse?${new URLSearchParams({ code: `code-${sub}`, state })}`, { redirect: 'manual', headers: { cookie } });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location')!);
    }

    it('a correct answer signs in (the fake provider is trusted when it is right)', async () => {
      const { location } = await leave();
      expect(location.searchParams.get('client_id')).toBe(fake.clientId);
      expect(location.searchParams.get('code_challenge_method')).toBe('S256');
      expect(location.searchParams.get('redirect_uri')).toBe(`${base}/oauth2/idpresponse`);
      const landed = await answer('none', 'fine-user');
      expect(landed.searchParams.get('error')).toBeNull();
      expect(landed.searchParams.get('code')).toBeTruthy();
      const sent = fake.tokenRequests.at(-1)!;
      expect(sent.params).toMatchObject({
        grant_type: 'authorization_code',
        code: 'code-fine-user',
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      });
      expect(sent.params.code_verifier).toMatch(/^[\w-]{43,}$/);
      const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Fake_fine-user' }));
      expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
    });

    for (const [fault, words] of [
      ['nonce', /nonce/],
      ['audience', /aud/],
      ['issuer', /iss/],
      ['signature', /signature|JWS|key/i],
      ['expired', /exp|timestamp/],
      ['error', /Fake Error - 400 invalid_grant The code is not valid\./],
    ] as const) {
      it(`an ID token with a wrong ${fault} is refused`, async () => {
        const sub = `bad-${fault}`;
        const landed = await answer(fault, sub);
        expect(landed.origin + landed.pathname).toBe(callback);
        expect(landed.searchParams.get('code')).toBeNull();
        expect(landed.searchParams.get('error')).toBe(fault === 'error' ? 'invalid_grant' : 'invalid_request');
        expect(landed.searchParams.get('error_description')).toMatch(words);
        expect(landed.searchParams.get('state')).toBe('app-state-1');
        await expect(corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `Fake_${sub}` }))).rejects.toMatchObject({
          name: 'UserNotFoundException',
        });
      });
    }

    it('a state from another browser (no or another csrf-state cookie) is refused on a page', async () => {
      const { state } = await leave();
      const sets: Record<string, string>[] = [{}, { cookie: `csrf-state=${randomBytes(32).toString('base64url')}` }];
      for (const headers of sets) {
        const res = await fetch(`${base}/oauth2/idpresponse?${new URLSearchParams({ code: 'x', state })}`, { redirect: 'manual', headers });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('An error was encountered with the requested page.');
      }
      const forged = await fetch(`${base}/oauth2/idpresponse?${new URLSearchParams({ code: 'x', state: 'v1.AAAA.BBBB.CCCC' })}`, { redirect: 'manual' });
      expect(forged.status).toBe(400);
    });
  });
});

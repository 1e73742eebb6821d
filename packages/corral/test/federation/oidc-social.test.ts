// Federation over real HTTP without a browser, against a provider the test controls (fake-op.ts): the social types
// that are not OpenID providers (Facebook's Graph /me with fields, Login with Amazon's profile), Sign in with Apple's
// form_post answer and its ES256 client secret, the triggers Cognito runs for external providers (and a PreSignUp
// refusal at the app's redirect_uri), AdminDisableProviderForUser refusing the identity's next sign-in, the required
// attributes a provider must fill, and the implicit flow.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { arn, startUrlFunction, type UrlFunction } from '../triggers/support.js';
import { startFakeOp, type FakeOp } from './fake-op.js';

describe('federation with social providers and triggers (fake provider, over HTTP)', () => {
  let corral: TestCorral;
  let fake: FakeOp;
  let fn: UrlFunction;
  let appServer: Server;
  let callback: string;

  beforeAll(async () => {
    appServer = createServer((_req, res) => res.writeHead(200).end('app'));
    await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
    callback = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/callback`;
    fn = await startUrlFunction();
    corral = await startTestCorral({ config: { functions: { hooks: { url: fn.url } } } });
    fake = await startFakeOp();
  });
  afterAll(async () => {
    await corral?.stop();
    await fake?.close();
    await fn?.close();
    await new Promise((r) => appServer?.close(r));
  });
  afterEach(() => fn.handle((e) => e));

  interface Setup {
    poolId: string;
    clientId: string;
    base: string;
  }

  async function setup(
    providers: { name: string; type: string; details: Record<string, string>; mapping: Record<string, string>; identifiers?: string[] }[],
    pool: Partial<CreateUserPoolCommandInput> = {},
    flows: ('code' | 'implicit')[] = ['code'],
  ): Promise<Setup> {
    const { idp } = corral;
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: `social-${randomBytes(3).toString('hex')}`, ...pool }))).UserPool!.Id!;
    const prefix = `soc-${randomBytes(4).toString('hex')}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    for (const p of providers) {
      await idp.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: p.name,
          ProviderType: p.type as never,
          ProviderDetails: p.details,
          AttributeMapping: p.mapping,
          ...(p.identifiers ? { IdpIdentifiers: p.identifiers } : {}),
        }),
      );
    }
    const clientId = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'social app',
          AllowedOAuthFlows: flows,
          AllowedOAuthScopes: ['openid', 'email'],
          AllowedOAuthFlowsUserPoolClient: true,
          CallbackURLs: [callback],
          SupportedIdentityProviders: providers.map((p) => p.name),
        }),
      )
    ).UserPoolClient!.ClientId!;
    return { poolId, clientId, base: `${corral.url}/_domains/${prefix}` };
  }

  const oauthEndpoints = () => ({ authorize_url: `${fake.issuer}/authorize`, token_url: `${fake.issuer}/token` });
  const oidcProvider = (name = 'Fake') => ({
    name,
    type: 'OIDC',
    details: { client_id: fake.clientId, client_secret: fake.clientSecret, authorize_scopes: 'openid email', oidc_issuer: fake.issuer },
    mapping: { email: 'email' },
  });

  /** The app's authorize with identity_provider → Corral's redirect to the provider, and the browser cookie. */
  async function leave(s: Setup, provider: string, extra: Record<string, string> = {}) {
    const verifier = randomBytes(48).toString('base64url');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: s.clientId,
      redirect_uri: callback,
      scope: 'openid email',
      state: 'st',
      identity_provider: provider,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    });
    const res = await fetch(`${s.base}/oauth2/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    return {
      location,
      state: location.searchParams.get('state')!,
      nonce: location.searchParams.get('nonce') ?? undefined,
      cookie: res.headers.get('set-cookie')!.split(';')[0]!,
      verifier,
    };
  }

  async function signIn(s: Setup, provider: string, sub: string, extra: Record<string, string> = {}) {
    const out = await leave(s, provider, extra);
    fake.next = { fault: 'none', nonce: out.nonce, sub };
    const res = await fetch(`${s.base}/oauth2/idpresponse?${new URLSearchParams({ code: `c-${sub}`, state: out.state })}`, {
      redirect: 'manual',
      headers: { cookie: out.cookie },
    });
    expect(res.status).toBe(302);
    return { landed: new URL(res.headers.get('location')!.replace('#', '?')), ...out };
  }

  async function idToken(s: Setup, code: string, verifier: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${s.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: s.clientId, code, redirect_uri: callback, code_verifier: verifier }).toString(),
    });
    expect(res.status).toBe(200);
    return decodeJwt(((await res.json()) as { id_token: string }).id_token) as Record<string, unknown>;
  }

  it('Facebook: code exchange, then Graph /me with the mapped fields; user Facebook_<id>', async () => {
    const s = await setup([
      {
        name: 'Facebook',
        type: 'Facebook',
        details: {
          client_id: 'fb-app',
          client_secret: 'fb-secret',
          authorize_scopes: 'public_profile,email',
          ...oauthEndpoints(),
          attributes_url: `${fake.issuer}/me?fields=`,
        },
        mapping: { email: 'email', name: 'name' },
      },
    ]);
    const { landed, location, verifier } = await signIn(s, 'Facebook', '10155512345');
    expect(location.searchParams.get('scope')).toBe('public_profile,email');
    expect(location.searchParams.get('nonce')).toBeNull();
    expect(landed.searchParams.get('error_description')).toBeNull();
    const asked = new URL(fake.attributeRequests.at(-1)!.url);
    expect(asked.pathname).toBe('/me');
    expect(asked.searchParams.get('fields')!.split(',').sort()).toEqual(['email', 'id', 'name']);
    expect(fake.tokenRequests.at(-1)!.params).toMatchObject({ client_id: 'fb-app', client_secret: 'fb-secret' });
    const id = await idToken(s, landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({ 'cognito:username': 'Facebook_10155512345', email: '10155512345@fake.example', name: 'Graph 10155512345' });
    expect((id.identities as Record<string, unknown>[])[0]).toMatchObject({
      providerName: 'Facebook',
      providerType: 'Facebook',
      userId: '10155512345',
      issuer: null,
      primary: 'true',
    });
  });

  it('Login with Amazon: code exchange, then /user/profile; user LoginWithAmazon_<user_id>', async () => {
    const s = await setup([
      {
        name: 'LoginWithAmazon',
        type: 'LoginWithAmazon',
        details: {
          client_id: 'amzn-app',
          client_secret: 'amzn-secret',
          authorize_scopes: 'profile postal_code',
          ...oauthEndpoints(),
          attributes_url: `${fake.issuer}/user/profile`,
        },
        mapping: { email: 'email', address: 'postal_code' },
      },
    ]);
    const { landed, verifier } = await signIn(s, 'LoginWithAmazon', 'amzn1.account.XYZ');
    const id = await idToken(s, landed.searchParams.get('code')!, verifier);
    expect(id).toMatchObject({ 'cognito:username': 'LoginWithAmazon_amzn1.account.XYZ', email: 'amzn1.account.XYZ@fake.example', address: '98109' });
  });

  it("Sign in with Apple: response_mode=form_post, an ES256 client secret, the form's `user` name; the cross-site POST is posted again from Corral's origin", async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const s = await setup([
      {
        name: 'SignInWithApple',
        type: 'SignInWithApple',
        details: {
          client_id: fake.clientId,
          team_id: 'TEAM123456',
          key_id: 'KEY1234567',
          private_key: pem,
          authorize_scopes: 'email name',
          oidc_issuer: fake.issuer,
          ...oauthEndpoints(),
        },
        mapping: { email: 'email', given_name: 'firstName', family_name: 'lastName' },
      },
    ]);
    const out = await leave(s, 'SignInWithApple');
    expect(out.location.searchParams.get('response_mode')).toBe('form_post');
    fake.next = { fault: 'none', nonce: out.nonce, sub: '001234.apple' };
    const form = new URLSearchParams({
      code: 'c-apple',
      state: out.state,
      user: JSON.stringify({ name: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'x@privaterelay' }),
    });
    // Apple posts cross-site: no SameSite=Lax cookie comes with it, so Corral answers a page that posts the same
    // form again from its own origin (a same-site POST carries the cookie); nothing of it goes into a URL.
    const endpoint = `${s.base}/oauth2/idpresponse`;
    const posted = await fetch(endpoint, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(posted.status).toBe(200);
    expect(posted.headers.get('location')).toBeNull();
    expect(posted.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = posted.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("form-action 'self'");
    const page = await posted.text();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(/<form method="post" action="([^"]+)"/.exec(page)?.[1]).toBe(new URL(endpoint).pathname);
    const unescape = (v: string) =>
      v
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const fields = new URLSearchParams(
      [...page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]),
    );
    for (const [k, v] of form) expect(fields.get(k)).toBe(v);
    // The unknown path gets no such page.
    const stranger = await fetch(`${corral.url}/_domains/no-such-domain-${randomBytes(3).toString('hex')}/oauth2/idpresponse`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(stranger.status).toBe(404);
    expect(await stranger.text()).not.toContain('c-apple');
    // The browser posts it again, now with the cookie.
    const res = await fetch(endpoint, {
      method: 'POST',
      body: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: out.cookie },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const landed = new URL(res.headers.get('location')!);
    expect(landed.searchParams.get('error_description')).toBeNull();
    const secret = fake.tokenRequests.at(-1)!.params.client_secret!;
    expect(decodeProtectedHeader(secret)).toMatchObject({ alg: 'ES256', kid: 'KEY1234567' });
    expect(decodeJwt(secret)).toMatchObject({ iss: 'TEAM123456', sub: fake.clientId, aud: fake.issuer });
    const id = await idToken(s, landed.searchParams.get('code')!, out.verifier);
    expect(id).toMatchObject({ 'cognito:username': 'SignInWithApple_001234.apple', given_name: 'Ada', family_name: 'Lovelace' });
  });

  it('runs PreSignUp_ExternalProvider, PostConfirmation_ConfirmSignUp, Pre/PostAuthentication and TokenGeneration_HostedAuth; only the last three again', async () => {
    const hooks = arn('hooks');
    const s = await setup([oidcProvider()], {
      LambdaConfig: { PreSignUp: hooks, PostConfirmation: hooks, PreAuthentication: hooks, PostAuthentication: hooks, PreTokenGeneration: hooks },
    });
    const before = fn.events.length;
    const first = await signIn(s, 'Fake', 'trig-user');
    expect(first.landed.searchParams.get('code')).toBeTruthy();
    await idToken(s, first.landed.searchParams.get('code')!, first.verifier);
    const seen = fn.events.slice(before);
    expect(seen.map((e) => e.triggerSource)).toEqual([
      'PreSignUp_ExternalProvider',
      'PostConfirmation_ConfirmSignUp',
      'PreAuthentication_Authentication',
      'PostAuthentication_Authentication',
      'TokenGeneration_HostedAuth',
    ]);
    expect(seen[0]).toMatchObject({
      userName: 'Fake_trig-user',
      userPoolId: s.poolId,
      callerContext: { clientId: s.clientId },
      request: { userAttributes: { email: 'trig-user@fake.example' } },
    });
    const mark = fn.events.length;
    const second = await signIn(s, 'Fake', 'trig-user');
    await idToken(s, second.landed.searchParams.get('code')!, second.verifier);
    expect(fn.events.slice(mark).map((e) => e.triggerSource)).toEqual([
      'PreAuthentication_Authentication',
      'PostAuthentication_Authentication',
      'TokenGeneration_HostedAuth',
    ]);
  });

  it("a PreSignUp refusal comes back to the app's redirect_uri, and no user is made", async () => {
    const s = await setup([oidcProvider()], { LambdaConfig: { PreSignUp: arn('hooks') } });
    fn.handle(() => ({ error: 'No outsiders' }));
    const { landed } = await signIn(s, 'Fake', 'outsider');
    expect(landed.searchParams.get('error')).toBe('invalid_request');
    expect(landed.searchParams.get('error_description')).toBe('PreSignUp failed with error No outsiders.');
    expect(landed.searchParams.get('state')).toBe('st');
    await expect(corral.idp.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: 'Fake_outsider' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
  });

  it('AdminDisableProviderForUser: the identity\'s next sign-in is refused ("User is disabled.")', async () => {
    const s = await setup([oidcProvider()]);
    expect((await signIn(s, 'Fake', 'leaver')).landed.searchParams.get('code')).toBeTruthy();
    await corral.idp.send(
      new AdminDisableProviderForUserCommand({
        UserPoolId: s.poolId,
        User: { ProviderName: 'Fake', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'leaver' },
      }),
    );
    const { landed } = await signIn(s, 'Fake', 'leaver');
    expect(landed.searchParams.get('code')).toBeNull();
    expect(landed.searchParams.get('error')).toBe('invalid_request');
    expect(landed.searchParams.get('error_description')).toBe('User is disabled.');
  });

  it('a required attribute the provider does not fill: "attributes required: [...]"', async () => {
    const s = await setup([{ ...oidcProvider(), mapping: { email: 'email' } }], {
      Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    });
    const { landed } = await signIn(s, 'Fake', 'nameless');
    expect(landed.searchParams.get('error')).toBe('invalid_request');
    expect(landed.searchParams.get('error_description')).toBe('attributes required: [name]');
  });

  it('idp_identifier= picks the provider by one of its IdpIdentifiers; the /<poolId> base works the same, and a state does not cross bases', async () => {
    const s = await setup([{ ...oidcProvider(), identifiers: ['corp-sso'] }]);
    const q = (extra: Record<string, string>) =>
      new URLSearchParams({ response_type: 'code', client_id: s.clientId, redirect_uri: callback, scope: 'openid', state: 'st', ...extra });
    const res = await fetch(`${s.base}/oauth2/authorize?${q({ idp_identifier: 'corp-sso' })}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')!.startsWith(`${fake.issuer}/authorize?`)).toBe(true);
    const unknown = await fetch(`${s.base}/oauth2/authorize?${q({ idp_identifier: 'nobody' })}`, { redirect: 'manual' });
    expect(unknown.status).toBe(400);

    const poolBase = { ...s, base: `${corral.url}/${s.poolId}` };
    const viaPool = await signIn(poolBase, 'Fake', 'pool-base-user');
    expect(viaPool.location.searchParams.get('redirect_uri')).toBe(`${poolBase.base}/oauth2/idpresponse`);
    expect(viaPool.landed.searchParams.get('code')).toBeTruthy();
    const other = await leave(poolBase, 'Fake');
    const crossed = await fetch(`${s.base}/oauth2/idpresponse?${new URLSearchParams({ code: 'x', state: other.state })}`, {
      redirect: 'manual',
      headers: { cookie: other.cookie },
    });
    expect(crossed.status).toBe(400);
  });

  it('the implicit flow: tokens in the fragment', async () => {
    const s = await setup([oidcProvider()], {}, ['implicit']);
    const { landed } = await signIn(s, 'Fake', 'implicit-user', { response_type: 'token', code_challenge: '', code_challenge_method: '' });
    expect(landed.searchParams.get('error_description')).toBeNull();
    expect(decodeJwt(landed.searchParams.get('id_token')!)).toMatchObject({ 'cognito:username': 'Fake_implicit-user', email: 'implicit-user@fake.example' });
    expect(landed.searchParams.get('state')).toBe('st');
  });
});

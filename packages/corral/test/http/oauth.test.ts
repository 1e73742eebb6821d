// The user pool's OAuth 2.0 / OIDC endpoints over real HTTP: domains and resource servers through the SDK, then
// client_credentials, the authorization code grant with PKCE driven with plain fetch (authorize page → login form →
// redirect → token → userInfo), refresh, revoke and logout — on both storage backends.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolDomainCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { peek } from '../support/token-fixtures.js';

const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/';
const API = 'https://api.example.com';
const PASSWORD = 'Corral-Passw0rd!';

interface TokenJson {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
  error?: string;
}

const verifierPair = () => {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describeEachBackend('OAuth 2.0 endpoints', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  let prefix: string;
  let m2m: UserPoolClientType;
  let web: UserPoolClientType;
  let base: string;

  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    const { idp } = corral;
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'oauth' }))).UserPool!.Id!;
    prefix = `corral-${randomBytes(4).toString('hex')}`;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    await idp.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: API,
        Name: 'Orders API',
        Scopes: [
          { ScopeName: 'read', ScopeDescription: 'Read orders' },
          { ScopeName: 'write', ScopeDescription: 'Write orders' },
        ],
      }),
    );
    m2m = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'worker',
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: [`${API}/read`],
          AllowedOAuthFlowsUserPoolClient: true,
        }),
      )
    ).UserPoolClient!;
    web = (
      await idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'web',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin', `${API}/write`],
          AllowedOAuthFlowsUserPoolClient: true,
          CallbackURLs: [CALLBACK],
          LogoutURLs: [SIGNED_OUT],
          SupportedIdentityProviders: ['COGNITO'],
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!;
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ada',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'ada@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Ada Lovelace' },
        ],
      }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ada', Password: PASSWORD, Permanent: true }));
    base = `${corral.url}/${poolId}`;
  });
  afterAll(() => corral?.stop());

  const token = async (form: Record<string, string>, headers: Record<string, string> = {}, at = base) => {
    const res = await fetch(`${at}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as TokenJson };
  };

  /** GET authorize → the login form → POST it; answers the redirect's URL (or the page on failure). */
  async function signIn(params: Record<string, string>, password = PASSWORD): Promise<{ status: number; location?: URL; page: string }> {
    const res = await fetch(`${base}/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
    const page = await res.text();
    if (res.status !== 200) return { status: res.status, page, ...(res.headers.get('location') ? { location: new URL(res.headers.get('location')!) } : {}) };
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
    // The browser sends back the cookie the form came with (the form is bound to it).
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return postLogin(new URL(action, corral.url), { request, username: 'ada', password }, cookie);
  }

  /** POST /login with `form`, as a browser holding `cookie` (a `name=value` pair, or none) would. */
  async function postLogin(url: URL | string, form: Record<string, string>, cookie?: string): Promise<{ status: number; location?: URL; page: string }> {
    const posted = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });
    const location = posted.headers.get('location');
    return { status: posted.status, page: await posted.text(), ...(location ? { location: new URL(location) } : {}) };
  }

  async function codeFor(scope = 'openid email aws.cognito.signin.user.admin') {
    const pkce = verifierPair();
    const state = randomBytes(8).toString('hex');
    const r = await signIn({
      response_type: 'code',
      client_id: web.ClientId!,
      redirect_uri: CALLBACK,
      scope,
      state,
      nonce: 'n-0S6_WzA2Mj',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    expect(r.status).toBe(302);
    expect(r.location!.origin + r.location!.pathname).toBe(CALLBACK);
    expect(r.location!.searchParams.get('state')).toBe(state);
    return { code: r.location!.searchParams.get('code')!, verifier: pkce.verifier };
  }

  it('binds the sign-in form to the browser that asked for it: a captured POST /login replays only with its cookie', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: web.ClientId!, redirect_uri: CALLBACK, scope: 'openid', state: 'bound' });
    const res = await fetch(`${base}/login?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    // Random, HttpOnly, SameSite=Lax, only for this pool's /login; not Secure on an http:// public URL.
    expect(setCookie).toMatch(new RegExp(`^XSRF-TOKEN=[A-Za-z0-9_-]{43}; Path=/${poolId}/login; Max-Age=3600; HttpOnly; SameSite=Lax$`));
    const cookie = setCookie.split(';')[0]!;
    const page = await res.text();
    const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
    // The cookie itself is not in the page: the form carries only its keyed hash, sealed with the request.
    expect(page).not.toContain(cookie.split('=')[1]!);
    const form = { request, username: 'ada', password: PASSWORD };
    const refused = (r: { status: number; location?: URL; page: string }) => {
      expect(r.status).toBe(400);
      expect(r.location).toBeUndefined();
      expect(r.page).toContain('An error was encountered with the requested page.');
    };
    // Replayed from another browser: no cookie, another browser's cookie, a cookie that is not one of ours.
    refused(await postLogin(`${base}/login`, form));
    const other = await fetch(`${base}/login?${q}`, { redirect: 'manual' });
    const otherCookie = other.headers.get('set-cookie')!.split(';')[0]!;
    expect(otherCookie).not.toBe(cookie);
    refused(await postLogin(`${base}/login`, form, otherCookie));
    refused(await postLogin(`${base}/login`, form, 'XSRF-TOKEN=forged'));
    // A wrong password keeps the binding: the form shown again still works in the same browser.
    const wrong = await postLogin(`${base}/login`, { ...form, password: 'not-the-password' }, cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.page).toContain('Incorrect username or password.');
    // The browser that asked for the form signs in with it.
    const ok = await postLogin(`${base}/login`, form, `theme=dark; ${cookie}`);
    expect(ok.status).toBe(302);
    expect(ok.location!.origin + ok.location!.pathname).toBe(CALLBACK);
    expect(ok.location!.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ok.location!.searchParams.get('state')).toBe('bound');
    // A browser that already holds a binding keeps it (two tabs' forms both work).
    const again = await fetch(`${base}/login?${q}`, { redirect: 'manual', headers: { cookie } });
    expect(again.headers.get('set-cookie')!.split(';')[0]).toBe(cookie);
    // Behind an https:// public URL the cookie is Secure.
    const publicUrl = corral.app.config.publicUrl;
    corral.app.config.publicUrl = 'https://auth.example.com';
    try {
      const secure = await fetch(`${base}/oauth2/authorize?${q}`, { redirect: 'manual' });
      expect(secure.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    } finally {
      corral.app.config.publicUrl = publicUrl;
    }
  });

  it('creates, describes and updates the pool domain; DescribeUserPool shows it', async () => {
    const { idp } = corral;
    const d = await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    expect(d.DomainDescription).toEqual({ UserPoolId: poolId, AWSAccountId: '000000000000', Domain: prefix, Status: 'ACTIVE', ManagedLoginVersion: 1 });
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain).toBe(prefix);
    expect((await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'no-such-domain' }))).DomainDescription).toEqual({});
    expect((await idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }))).ManagedLoginVersion).toBe(2);
    await expect(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `${prefix}-2` }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'User pool already has a domain configured.',
    });
    const other = (await idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    await expect(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Domain already associated with another user pool.',
    });
    await expect(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: 'my-cognito-login' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Domain cannot contain reserved word: cognito',
    });
    await expect(
      idp.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: other,
          Domain: 'auth-example',
          CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    // A pool's endpoints exist only while it has a domain.
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: `${prefix}-other` }));
    expect((await fetch(`${corral.url}/_domains/${prefix}-other/oauth2/userInfo`)).status).toBe(400);
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: `${prefix}-other` }));
    expect((await fetch(`${corral.url}/_domains/${prefix}-other/oauth2/userInfo`)).status).toBe(404);
    expect((await fetch(`${corral.url}/${other}/oauth2/userInfo`)).status).toBe(404);
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: other }))).UserPool!.Domain).toBeUndefined();
  });

  it('lists the OAuth endpoints in the pool’s openid-configuration', async () => {
    const doc = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      end_session_endpoint: `${base}/logout`,
    });
  });

  it('manages resource servers and checks clients’ custom scopes against them', async () => {
    const { idp } = corral;
    const id = 'inventory';
    await idp.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: 'Inventory', Scopes: [{ ScopeName: 'count', ScopeDescription: 'Count' }] }),
    );
    await expect(idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: 'Again' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect((await idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: id }))).ResourceServer).toEqual({
      UserPoolId: poolId,
      Identifier: id,
      Name: 'Inventory',
      Scopes: [{ ScopeName: 'count', ScopeDescription: 'Count' }],
    });
    const updated = await idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: id, Name: 'Stock' }));
    expect(updated.ResourceServer).toMatchObject({ Name: 'Stock', Scopes: [] });
    const page1 = await idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1 }));
    expect(page1.ResourceServers!.map((s) => s.Identifier)).toEqual([API]);
    const page2 = await idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: page1.NextToken }));
    expect(page2.ResourceServers!.map((s) => s.Identifier)).toEqual([id]);
    await expect(
      idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'x',
          AllowedOAuthScopes: [`${id}/count`],
          AllowedOAuthFlows: ['code'],
          CallbackURLs: [CALLBACK],
          AllowedOAuthFlowsUserPoolClient: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ScopeDoesNotExistException', message: `Invalid scope requested: ${id}/count` });
    await idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: id }));
    await expect(idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('client_credentials: an access token with the custom scope that aws-jwt-verify accepts', async () => {
    const r = await token({ grant_type: 'client_credentials', scope: `${API}/read` }, { authorization: basic(m2m.ClientId!, m2m.ClientSecret!) });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(r.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
    const verifier = JwtRsaVerifier.create({ issuer: base, audience: null, jwksUri: `${base}/.well-known/jwks.json`, scope: `${API}/read` });
    verifier.cacheJwks(jwks as never);
    const claims = await verifier.verify(r.body.access_token!);
    expect(claims).toMatchObject({ sub: m2m.ClientId, client_id: m2m.ClientId, token_use: 'access', scope: `${API}/read`, version: 2 });
    expect(claims.username).toBeUndefined();
    // client_secret_post, and no scope: all the client's custom scopes.
    const post = await token({ grant_type: 'client_credentials', client_id: m2m.ClientId!, client_secret: m2m.ClientSecret! });
    expect(post.status).toBe(200);
    expect(peek(post.body.access_token!).payload.scope).toBe(`${API}/read`);
  });

  it('client_credentials: refuses bad clients, scopes and grants with OAuth errors', async () => {
    const auth = { authorization: basic(m2m.ClientId!, m2m.ClientSecret!) };
    expect(await token({ grant_type: 'client_credentials' }, { authorization: basic(m2m.ClientId!, 'wrong') })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client' },
    });
    expect(await token({ grant_type: 'client_credentials', client_id: m2m.ClientId! })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    expect(await token({ grant_type: 'client_credentials', scope: `${API}/write` }, auth)).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await token({ grant_type: 'client_credentials', scope: 'openid' }, auth)).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await token({ grant_type: 'password' }, auth)).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await token({}, auth)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await token({ grant_type: 'client_credentials', client_id: web.ClientId! })).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
  });

  it('authorization code + PKCE: sign-in page, code, tokens with the requested scopes, userInfo', async () => {
    const wrong = await signIn({ response_type: 'code', client_id: web.ClientId!, redirect_uri: CALLBACK, scope: 'openid' }, 'not-the-password');
    expect(wrong.status).toBe(400);
    expect(wrong.page).toContain('Incorrect username or password.');

    const { code, verifier } = await codeFor();
    const r = await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
    const id = peek(r.body.id_token!).payload;
    expect(id).toMatchObject({
      token_use: 'id',
      aud: web.ClientId,
      'cognito:username': 'ada',
      email: 'ada@example.com',
      email_verified: true,
      nonce: 'n-0S6_WzA2Mj',
      iss: base,
    });
    const access = peek(r.body.access_token!).payload;
    expect(access).toMatchObject({ token_use: 'access', client_id: web.ClientId, username: 'ada', scope: 'openid email aws.cognito.signin.user.admin' });
    // The reserved scope lets the token call the user API.
    expect((await corral.idp.send(new GetUserCommand({ AccessToken: r.body.access_token! }))).Username).toBe('ada');

    const info = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${r.body.access_token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ sub: id.sub, email: 'ada@example.com', email_verified: 'true', username: 'ada' });

    // The same code again: refused, and the tokens it produced are revoked.
    expect(await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code, redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(await token({ grant_type: 'refresh_token', client_id: web.ClientId!, refresh_token: r.body.refresh_token! })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('userInfo follows the scopes: openid + profile shows every attribute; API tokens are refused', async () => {
    const { code, verifier } = await codeFor('openid profile');
    const r = await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const info = (await (await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${r.body.access_token}` } })).json()) as Record<
      string,
      string
    >;
    expect(info).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', username: 'ada' });
    const noOpenid = await codeFor(`${API}/write`);
    const t = await token({
      grant_type: 'authorization_code',
      client_id: web.ClientId!,
      code: noOpenid.code,
      redirect_uri: CALLBACK,
      code_verifier: noOpenid.verifier,
    });
    expect(t.body.id_token).toBeUndefined();
    const refused = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.body.access_token}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('refuses a wrong redirect_uri, a bad code_verifier and another client at the token endpoint', async () => {
    const a = await codeFor();
    expect(
      await token({
        grant_type: 'authorization_code',
        client_id: web.ClientId!,
        code: a.code,
        redirect_uri: 'http://localhost:3000/other',
        code_verifier: a.verifier,
      }),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const b = await codeFor();
    expect(
      await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code: b.code, redirect_uri: CALLBACK, code_verifier: verifierPair().verifier }),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const c = await codeFor();
    expect(await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code: c.code, redirect_uri: CALLBACK })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(
      await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code: 'made-up', redirect_uri: CALLBACK, code_verifier: c.verifier }),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('authorize: unknown redirect_uri is an error page; other faults redirect with error and state', async () => {
    const page = await fetch(
      `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: web.ClientId!, redirect_uri: 'https://evil.example.com/cb' })}`,
      { redirect: 'manual' },
    );
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('redirect_mismatch');
    const scope = await signIn({ response_type: 'code', client_id: web.ClientId!, redirect_uri: CALLBACK, scope: 'phone', state: 's1' });
    expect(scope.status).toBe(302);
    expect(Object.fromEntries(scope.location!.searchParams)).toMatchObject({ error: 'invalid_scope', state: 's1' });
    const implicit = await signIn({ response_type: 'token', client_id: web.ClientId!, redirect_uri: CALLBACK, state: 's2' });
    expect(Object.fromEntries(implicit.location!.searchParams)).toMatchObject({ error: 'unauthorized_client', state: 's2' });
    const unknownClient = await fetch(`${base}/oauth2/authorize?client_id=nope&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`);
    expect(unknownClient.status).toBe(400);
  });

  it('refresh_token grant keeps the scopes (also through InitiateAuth); /oauth2/revoke ends the sign-in', async () => {
    const { code, verifier } = await codeFor('openid email');
    const first = await token({ grant_type: 'authorization_code', client_id: web.ClientId!, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const refreshed = await token({ grant_type: 'refresh_token', client_id: web.ClientId!, refresh_token: first.body.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
    expect(peek(refreshed.body.access_token!).payload).toMatchObject({ scope: 'openid email', origin_jti: peek(first.body.access_token!).payload.origin_jti });
    const api = await corral.idp.send(
      new InitiateAuthCommand({ ClientId: web.ClientId!, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.body.refresh_token! } }),
    );
    expect(peek(api.AuthenticationResult!.AccessToken!).payload.scope).toBe('openid email');
    // Without aws.cognito.signin.user.admin the token may not call the user API.
    await expect(corral.idp.send(new GetUserCommand({ AccessToken: first.body.access_token! }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });

    const revoke = await fetch(`${corral.url}/_domains/${prefix}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: first.body.refresh_token!, client_id: web.ClientId! }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', client_id: web.ClientId!, refresh_token: first.body.refresh_token! })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } })).status).toBe(401);
    const noToken = await fetch(`${base}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${web.ClientId}`,
    });
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('serves the same endpoints under /_domains/<prefix>', async () => {
    const r = await token({ grant_type: 'client_credentials' }, { authorization: basic(m2m.ClientId!, m2m.ClientSecret!) }, `${corral.url}/_domains/${prefix}`);
    expect(r.status).toBe(200);
    expect(peek(r.body.access_token!).payload.iss).toBe(base);
    expect((await fetch(`${corral.url}/_domains/no-such-prefix/oauth2/token`, { method: 'POST' })).status).toBe(404);
  });

  it('logout redirects to a registered logout_uri only; implicit grant when the client allows it', async () => {
    const out = await fetch(`${base}/logout?${new URLSearchParams({ client_id: web.ClientId!, logout_uri: SIGNED_OUT })}`, { redirect: 'manual' });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(SIGNED_OUT);
    const bad = await fetch(`${base}/logout?${new URLSearchParams({ client_id: web.ClientId!, logout_uri: 'https://evil.example.com/' })}`, {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);

    await corral.idp.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: web.ClientId!,
        AllowedOAuthFlows: ['code', 'implicit'],
        AllowedOAuthScopes: ['openid', 'email'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: [CALLBACK],
        LogoutURLs: [SIGNED_OUT],
        SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const r = await signIn({ response_type: 'token', client_id: web.ClientId!, redirect_uri: CALLBACK, state: 'xyz' });
    expect(r.status).toBe(302);
    const fragment = new URLSearchParams(r.location!.hash.slice(1));
    expect(fragment.get('state')).toBe('xyz');
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(peek(fragment.get('access_token')!).payload.scope).toBe('openid email');
    expect(peek(fragment.get('id_token')!).payload['cognito:username']).toBe('ada');
    expect(r.location!.searchParams.get('code')).toBeNull();
  });
});

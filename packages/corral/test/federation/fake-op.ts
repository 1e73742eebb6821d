// A small OpenID provider the test controls completely: discovery, JWKS, a token endpoint whose ID token can be made
// wrong on purpose (nonce, audience, issuer, signature), and userinfo. The authorization step is the test's own: it
// reads the nonce and state from Corral's redirect and calls Corral's callback with any code.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export type TokenFault = 'none' | 'nonce' | 'audience' | 'issuer' | 'signature' | 'expired' | 'error';

export interface FakeOp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the next token response does wrong, and the nonce Corral sent (read from its redirect). */
  next: { fault: TokenFault; nonce?: string; sub: string; email?: string };
  /** Bodies the token endpoint received (form parameters) and their Authorization headers. */
  tokenRequests: { params: Record<string, string>; authorization?: string }[];
  /** Requests to the OAuth 2.0 attribute endpoints (Facebook's Graph /me, Login with Amazon's /user/profile). */
  attributeRequests: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });

export async function startFakeOp(): Promise<FakeOp> {
  const good = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'good', alg: 'RS256', use: 'sig' };
  let server: Server;
  const op: FakeOp = {
    issuer: '',
    clientId: 'fake-client',
    clientSecret: 'fake-secret-value',
    next: { fault: 'none', sub: 'fake-user' },
    tokenRequests: [],
    attributeRequests: [],
    close: () => new Promise((r) => server.close(() => r())),
  };
  const sign = async (claims: Record<string, unknown>, key: CryptoKey, kid: string) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);

  server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const url = new URL(req.url ?? '/', op.issuer);
    const json = (status: number, v: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: op.issuer,
        authorization_endpoint: `${op.issuer}/authorize`,
        token_endpoint: `${op.issuer}/token`,
        userinfo_endpoint: `${op.issuer}/userinfo`,
        jwks_uri: `${op.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/me' || url.pathname === '/user/profile') {
      op.attributeRequests.push({ url: url.href, authorization: req.headers.authorization });
      if (req.headers.authorization !== `Bearer at-${op.next.sub}`) return json(401, { error: 'invalid_token' });
      const email = op.next.email ?? `${op.next.sub}@fake.example`;
      // Graph answers the fields asked for; Amazon's profile names its subject user_id.
      if (url.pathname === '/me') {
        const all: Record<string, string> = { id: op.next.sub, email, name: `Graph ${op.next.sub}` };
        const fields = (url.searchParams.get('fields') ?? 'id').split(',');
        return json(200, Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])));
      }
      return json(200, { user_id: op.next.sub, email, name: `Amazon ${op.next.sub}`, postal_code: '98109' });
    }
    if (url.pathname === '/userinfo') return json(200, { sub: op.next.sub, email: op.next.email ?? `${op.next.sub}@fake.example` });
    if (url.pathname === '/token' && req.method === 'POST') {
      const params = Object.fromEntries(new URLSearchParams(await body(req)));
      op.tokenRequests.push({ params, authorization: req.headers.authorization });
      const { fault, nonce, sub } = op.next;
      if (fault === 'error') return json(400, { error: 'invalid_grant', error_description: 'The code is not valid.' });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: fault === 'issuer' ? 'https://someone-else.example' : op.issuer,
        aud: fault === 'audience' ? 'another-client' : op.clientId,
        sub,
        nonce: fault === 'nonce' ? 'not-the-nonce' : nonce,
        iat: now,
        exp: fault === 'expired' ? now - 600 : now + 300,
        email: op.next.email ?? `${sub}@fake.example`,
      };
      const idToken = fault === 'signature' ? await sign(claims, rogue.privateKey, 'good') : await sign(claims, good.privateKey, 'good');
      // OAuth 2.0 clients of other apps (the Facebook / Login with Amazon stand-ins) get no ID token, as there.
      const oidc = (params.client_id ?? '') === op.clientId || !!req.headers.authorization;
      return json(200, { access_token: `at-${sub}`, token_type: 'Bearer', expires_in: 300, ...(oidc ? { id_token: idToken } : {}) });
    }
    res.writeHead(404).end();
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  op.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return op;
}

/** The pool's OIDC provider "Fake" at this OP, its email mapped (the tests' usual provider). */
export async function addFakeProvider(idp: CognitoIdentityProviderClient, poolId: string, fake: FakeOp): Promise<void> {
  await idp.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'Fake',
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: fake.clientId, client_secret: fake.clientSecret, authorize_scopes: 'openid email', oidc_issuer: fake.issuer },
      AttributeMapping: { email: 'email' },
    }),
  );
}

/**
 * A pool with a domain, the provider "Fake" and a code-flow app client that may use it (openid email scopes,
 * `callback`); `client` adds to or overrides the client's members. Returns the ids and the domain's prefix.
 */
export async function fakeProviderPool(
  idp: CognitoIdentityProviderClient,
  fake: FakeOp,
  name: string,
  callback: string,
  client: Partial<CreateUserPoolClientCommandInput>,
): Promise<{ poolId: string; clientId: string; prefix: string }> {
  const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!;
  const prefix = `${name}-${randomBytes(4).toString('hex')}`.toLowerCase();
  await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  await addFakeProvider(idp, poolId, fake);
  const created = await idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'c',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [callback],
      ...client,
    }),
  );
  return { poolId, clientId: created.UserPoolClient!.ClientId!, prefix };
}

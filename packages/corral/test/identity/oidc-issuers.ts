// OpenID Connect providers for the identity-pool tests, started in the test process on free ports:
//   startOidcProvider()  a real OP (panva's oidc-provider, dev interactions), whose ID tokens come out of a real
//                        authorization-code flow (signIn(user) drives its login and consent pages over HTTP);
//   startMiniIssuer()    a bare issuer at a path (`/tenant`): discovery + JWKS, and tokens signed with jose as a test
//                        wants them (another audience, another key, expired…).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface Issuer {
  /** `http://127.0.0.1:<port>[/path]` */
  url: string;
  /** The Logins key: the issuer without its scheme. */
  name: string;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export interface RealOp extends Issuer {
  clientId: string;
  /** Signs `user` in through the OP's own pages (authorization code + PKCE) and returns the ID token. */
  signIn(user: string): Promise<string>;
}

/** Claims of the OP's accounts: `team` is `admins` for users whose name starts with `admin`, else `riders`. */
export const teamOf = (user: string) => (user.startsWith('admin') ? 'admins' : 'riders');

export async function startOidcProvider(clientId = 'rides-web'): Promise<RealOp> {
  const server = createServer();
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const redirectUri = 'http://127.0.0.1/callback';
  const secret = randomBytes(16).toString('hex');
  const provider = new Provider(url, {
    clients: [
      {
        client_id: clientId,
        client_secret: secret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['team'] },
    conformIdTokenClaims: false,
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 3600 },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, claims: async () => ({ sub, email: `${sub}@example.com`, email_verified: true, team: teamOf(sub) }) };
    },
  });
  server.on('request', provider.callback());

  async function signIn(user: string): Promise<string> {
    const jar = new Map<string, string>();
    const send = async (target: string, init: RequestInit = {}) => {
      const res = await fetch(new URL(target, url), {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      return res;
    };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const auth = new URL('/auth', url);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state: 's',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }))
      auth.searchParams.set(k, v);
    let res = await send(auth.href);
    // Login, then consent: each interaction page is answered with its form's prompt, until the OP redirects back.
    for (let step = 0; step < 10; step++) {
      const location = res.headers.get('location');
      if (!location) throw new Error(`the OP answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
      if (location.startsWith(redirectUri)) {
        const code = new URL(location).searchParams.get('code');
        if (!code) throw new Error(`the OP redirected back without a code: ${location}`);
        const token = await send('/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: redirectUri,
            client_id: clientId,
            client_secret: secret,
            code_verifier: verifier,
          }),
        });
        const body = (await token.json()) as { id_token?: string };
        if (!body.id_token) throw new Error(`no id_token from the OP: ${JSON.stringify(body)}`);
        return body.id_token;
      }
      if (/\/interaction\//.test(location)) {
        const page = await send(location);
        const html = await page.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
        const form: Record<string, string> = prompt === 'login' ? { prompt, login: user, password: 'any' } : { prompt };
        res = await send(new URL(location, url).pathname, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        });
      } else {
        res = await send(location);
      }
    }
    throw new Error('the OP sign-in did not finish in 10 steps');
  }

  return { url, name: url.replace(/^https?:\/\//, ''), clientId, signIn, stop: () => close(server) };
}

export interface MiniIssuer extends Issuer {
  /** An ID token of this issuer: claims over { iss, aud: clientId, sub, iat, exp: +1 h }, signed with its key (or `key`). */
  token(claims?: Record<string, unknown>, opts?: { key?: CryptoKey; kid?: string }): Promise<string>;
  /** A key pair that is not the issuer's. */
  strangerKey: CryptoKey;
  clientId: string;
  /** How many times its JWKS was fetched. */
  jwksFetches(): number;
}

export async function startMiniIssuer(clientId = 'partner-app', path = '/tenant'): Promise<MiniIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const kid = 'mini-1';
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server = createServer((req, res) => {
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.url === `${path}/.well-known/openid-configuration`)
      return json({ issuer: url, jwks_uri: `${url}/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    if (req.url === `${path}/jwks`) {
      fetches++;
      return json({ keys: [jwk] });
    }
    res.statusCode = 404;
    res.end();
  });
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}${path}`;
  return {
    url,
    name: url.replace(/^https?:\/\//, ''),
    clientId,
    strangerKey: stranger.privateKey,
    jwksFetches: () => fetches,
    async token(claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: url, aud: clientId, sub: 'partner-user-1', iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? kid, typ: 'JWT' })
        .sign(opts.key ?? privateKey);
    },
    stop: () => close(server),
  };
}

/** CORRAL_IAM_PROVIDERS for these issuers (inline JSON). */
export function iamProvidersEnv(providers: { url: string; clientIds: string[] }[], saml: { Name: string; SAMLMetadataDocument: string }[] = []): string {
  return JSON.stringify({ OpenIDConnectProviders: providers.map((p) => ({ Url: p.url, ClientIDList: p.clientIds })), SAMLProviders: saml });
}

export const oidcArn = (issuer: Issuer, account = '000000000000') => `arn:aws:iam::${account}:oidc-provider/${issuer.name}`;

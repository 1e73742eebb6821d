// Temporary credentials (identity/credentials.ts): a service that shares only the server key verifies SigV4 requests
// signed with credentials from GetCredentialsForIdentity, and refuses altered, mismatched or expired ones.
import { GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTemporaryCredentials, verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { seal } from '../../src/crypto/box.js';
import type { Corral } from '../../src/runtime/app.js';
import { verifySigV4 } from '../../src/wire/sigv4.js';
import { CognitoError } from '../../src/errors.js';
import { AUTH_ROLE, createIdentityPoolFor, providerName, srpIdToken } from '../support/identity.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

/** A separate process's view: nothing but the server key and a clock. */
function serviceApp(serverKey: Buffer, now = () => Date.now()): Corral {
  return { secrets: { serverKey }, now } as unknown as Corral;
}

/** "A Corral-hosted service": answers 200 with the caller's role when the SigV4 request verifies, else 403. */
function startService(app: Corral): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer());
    const answer = async () => {
      const token = req.headers['x-amz-security-token'];
      let role: string | undefined;
      try {
        const [path, query] = (req.url ?? '/').split('?');
        await verifySigV4(
          {
            method: req.method ?? 'GET',
            path: path ?? '/',
            query: Object.fromEntries(new URLSearchParams(query ?? '')),
            headers: req.headers,
            body: Buffer.concat(chunks),
          },
          'execute-api',
          (id) => {
            const creds = verifyTemporaryCredentials(app, id, Array.isArray(token) ? token[0] : token);
            role = creds?.roleArn;
            return creds;
          },
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ role }));
      } catch (err) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err instanceof CognitoError ? err.type : String(err) }));
      }
    };
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function signedFetch(url: string, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, body = '{"ride":"unicorn"}') {
  const u = new URL(url);
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    headers: { host: u.host, 'content-type': 'application/json' },
    body,
  });
  const { host: _h, ...headers } = signed.headers as Record<string, string>;
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('temporary credentials', () => {
  let t: Seeded;
  let service: Server;
  let serviceUrl: string;
  let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  beforeAll(async () => {
    t = await startSeeded('sqlite');
    await signUpConfirmed(t.corral, t.seed, 'rider', 'Unicorn!Ride42', { email: 'rider@example.com' });
    const idToken = await srpIdToken(t.pub, t.seed, 'rider', 'Unicorn!Ride42');
    const poolId = await createIdentityPoolFor(t.corral, t.seed);
    await t.corral.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: AUTH_ROLE } }));
    const Logins = { [providerName(t.seed.poolId)]: idToken };
    const { IdentityId } = await t.corral.identity.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
    const c = (await t.corral.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }))).Credentials!;
    creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretKey!, sessionToken: c.SessionToken! };
    service = await startService(serviceApp(t.corral.app.secrets.serverKey));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/rides`;
  });
  afterAll(async () => {
    await new Promise((r) => service.close(r));
    await t.stop();
  });

  it('a service holding only the server key verifies a SigV4 request made with the credentials, and learns the role', async () => {
    expect(await signedFetch(serviceUrl, creds)).toEqual({ status: 200, body: { role: AUTH_ROLE } });
  });

  it('refuses a wrong secret, another access key id, an altered or missing session token', async () => {
    expect((await signedFetch(serviceUrl, { ...creds, secretAccessKey: 'x'.repeat(40) })).body.error).toBe('InvalidSignatureException');
    expect((await signedFetch(serviceUrl, { ...creds, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' })).body.error).toBe('UnrecognizedClientException');
    const altered = creds.sessionToken.slice(0, -4) + (creds.sessionToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await signedFetch(serviceUrl, { ...creds, sessionToken: altered })).body.error).toBe('UnrecognizedClientException');
    expect((await signedFetch(serviceUrl, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey })).body.error).toBe(
      'UnrecognizedClientException',
    );
  });

  it('opens only with the same server key, for the same access key id, before expiry, for this purpose only', () => {
    const key = t.corral.app.secrets.serverKey;
    expect(verifyTemporaryCredentials(serviceApp(key), creds.accessKeyId, creds.sessionToken)?.secretAccessKey).toBe(creds.secretAccessKey);
    expect(verifyTemporaryCredentials(serviceApp(Buffer.alloc(32, 7)), creds.accessKeyId, creds.sessionToken)).toBeUndefined();
    expect(verifyTemporaryCredentials(serviceApp(key), 'ASIA0000000000000000', creds.sessionToken)).toBeUndefined();
    expect(
      verifyTemporaryCredentials(
        serviceApp(key, () => Date.now() + 3601_000),
        creds.accessKeyId,
        creds.sessionToken,
      ),
    ).toBeUndefined();
    expect(
      verifyTemporaryCredentials(
        serviceApp(key, () => Date.now() + 3500_000),
        creds.accessKeyId,
        creds.sessionToken,
      ),
    ).toBeDefined();
    const sameShape = seal(key, 'challenge-session', { k: creds.accessKeyId, s: 'secret', i: 'x', p: 'y', r: 'z', x: 0 }, 3600);
    expect(verifyTemporaryCredentials(serviceApp(key), creds.accessKeyId, sameShape)).toBeUndefined();
    expect(verifyTemporaryCredentials(serviceApp(key), creds.accessKeyId, undefined)).toBeUndefined();
  });

  it('issues ASIA keys, 40-character secrets and a one-hour expiry', () => {
    const app = serviceApp(Buffer.alloc(32, 1), () => 1_700_000_000_500);
    const c = issueTemporaryCredentials(app, { identityId: 'us-east-1:abc', identityPoolId: 'us-east-1:def', roleArn: AUTH_ROLE });
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.SecretKey).toHaveLength(40);
    expect(c.Expiration).toEqual(new Date((1_700_000_000 + 3600) * 1000));
    expect(verifyTemporaryCredentials(app, c.AccessKeyId!, c.SessionToken)).toMatchObject({
      identityId: 'us-east-1:abc',
      identityPoolId: 'us-east-1:def',
      roleArn: AUTH_ROLE,
      expiration: c.Expiration,
    });
  });
});

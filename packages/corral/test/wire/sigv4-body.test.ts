// SigV4 covers the body: a request signed by the AWS SDK v3, replayed with another body of the same length (the
// signed x-amz-content-sha256 header kept), is refused; so is a request signed with UNSIGNED-PAYLOAD, which
// Cognito's JSON APIs do not know. The untouched request still goes through.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { HttpRequest } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** A client that records the request as the SDK signed it (a middleware after signing) instead of sending it. */
function capturingClient(corral: TestCorral): { client: CognitoIdentityProviderClient; captured: HttpRequest[] } {
  const captured: HttpRequest[] = [];
  const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: corral.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  client.middlewareStack.add(
    () => async (args) => {
      captured.push(args.request as HttpRequest);
      throw new Error('captured, not sent');
    },
    { step: 'deserialize', priority: 'low', name: 'captureSignedRequest' },
  );
  return { client, captured };
}

const bodyOf = (req: HttpRequest) => (typeof req.body === 'string' ? req.body : Buffer.from(req.body as Uint8Array).toString('utf8'));

async function replay(corral: TestCorral, req: HttpRequest, body: string) {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.toLowerCase() !== 'host' && k.toLowerCase() !== 'content-length'));
  const res = await fetch(`${corral.url}${req.path}`, { method: req.method, headers, body });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describeEachBackend('SigV4 over the body', (backend) => {
  let corral: TestCorral;
  let pool: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    pool = await createWildRydesPool(corral, {}, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    for (const Username of ['alice', 'bobby', 'carol']) {
      await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
    }
  });
  afterAll(() => corral?.stop());

  async function signedSetPassword(username: string, password: string): Promise<HttpRequest> {
    const { client, captured } = capturingClient(corral);
    await client
      .send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: password, Permanent: true }))
      .catch(() => undefined);
    client.destroy();
    expect(captured).toHaveLength(1);
    return captured[0]!;
  }

  // AdminSetUserPassword with Permanent moves a user out of FORCE_CHANGE_PASSWORD: the mark that a request got through.
  const statusOf = async (username: string) => (await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }))).UserStatus;

  it('refuses an SDK-signed request replayed with another body of the same length', async () => {
    const req = await signedSetPassword('alice', 'Alice-Passw0rd!');
    expect(req.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/); // the SDK signs the body's hash
    const original = bodyOf(req);
    const forged = original.replace('"alice"', '"bobby"').replace('Alice-Passw0rd!', 'Owned-Passw0rd!');
    expect(forged).not.toBe(original);
    expect(forged.length).toBe(original.length);

    const refused = await replay(corral, req, forged);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ __type: 'InvalidSignatureException', message: MISMATCH });
    expect(await statusOf('bobby')).toBe('FORCE_CHANGE_PASSWORD');

    // The same signed request with its own body goes through.
    const accepted = await replay(corral, req, original);
    expect(accepted.status).toBe(200);
    expect(await statusOf('alice')).toBe('CONFIRMED');
  });

  it('refuses the altered body with the x-amz-content-sha256 header dropped or recomputed', async () => {
    const req = await signedSetPassword('alice', 'Alice-Passw0rd!');
    const forged = bodyOf(req).replace('"alice"', '"bobby"');
    const { 'x-amz-content-sha256': _dropped, ...rest } = req.headers;
    for (const headers of [rest, { ...req.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }]) {
      const refused = await replay(corral, { ...req, headers } as HttpRequest, forged);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ __type: 'InvalidSignatureException', message: MISMATCH });
    }
  });

  it('refuses a request signed with x-amz-content-sha256: UNSIGNED-PAYLOAD', async () => {
    const u = new URL(corral.url);
    const body = JSON.stringify({ UserPoolId: pool.poolId, Username: 'bobby', Password: 'Owned-Passw0rd!', Permanent: true });
    const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 'cognito-idp', sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: '/',
      headers: {
        host: u.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
      body,
    });
    const { host: _host, ...headers } = signed.headers;
    const res = await fetch(corral.url, { method: 'POST', headers, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'InvalidSignatureException', message: MISMATCH });
    expect(await statusOf('bobby')).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('accepts a request signed without x-amz-content-sha256 (as the AWS CLI signs)', async () => {
    const u = new URL(corral.url);
    const body = JSON.stringify({ UserPoolId: pool.poolId, Username: 'carol', Password: 'Carol-Passw0rd!', Permanent: true });
    const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 'cognito-idp', sha256: Sha256, applyChecksum: false });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: '/',
      headers: { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword' },
      body,
    });
    expect(signed.headers['x-amz-content-sha256']).toBeUndefined();
    const { host: _host, ...headers } = signed.headers;
    const res = await fetch(corral.url, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(await statusOf('carol')).toBe('CONFIRMED');
    // …and the same signature over another body is refused.
    const forged = await fetch(corral.url, { method: 'POST', headers, body: body.replace('"carol"', '"bobby"') });
    expect(forged.status).toBe(400);
    expect((await forged.json()).__type).toBe('InvalidSignatureException');
    expect(await statusOf('bobby')).toBe('FORCE_CHANGE_PASSWORD');
  });
});

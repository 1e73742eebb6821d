import { CognitoIdentityProviderClient, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';

describe('SigV4 on signed operations', () => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral();
  });
  afterAll(() => corral.stop());

  const client = (credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1') =>
    new CognitoIdentityProviderClient({ region, endpoint: corral.url, credentials, maxAttempts: 1 });

  it('accepts a correct signature in any region', async () => {
    for (const region of ['us-east-1', 'eu-west-3']) {
      const out = await client(TEST_CREDENTIALS, region).send(new ListUserPoolsCommand({ MaxResults: 10 }));
      expect(out.UserPools).toBeDefined();
    }
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const err = await client({ ...TEST_CREDENTIALS, secretAccessKey: 'wrong' })
      .send(new ListUserPoolsCommand({ MaxResults: 10 }))
      .catch((e: Error) => e);
    expect((err as Error).name).toBe('InvalidSignatureException');
  });

  it('refuses an unknown key with UnrecognizedClientException', async () => {
    const err = await client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' })
      .send(new ListUserPoolsCommand({ MaxResults: 10 }))
      .catch((e: Error) => e);
    expect((err as Error).name).toBe('UnrecognizedClientException');
    expect((err as Error).message).toBe('The security token included in the request is invalid.');
  });

  it('refuses an unsigned call with MissingAuthenticationTokenException', async () => {
    const res = await fetch(corral.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' },
      body: JSON.stringify({ MaxResults: 10 }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).__type).toBe('MissingAuthenticationTokenException');
  });

  it('refuses a signature older than 15 minutes', async () => {
    const c = client(TEST_CREDENTIALS);
    const realNow = corral.app.now;
    corral.app.now = () => Date.now() + 16 * 60 * 1000;
    try {
      const err = await c.send(new ListUserPoolsCommand({ MaxResults: 10 })).catch((e: Error) => e);
      expect((err as Error).name).toBe('InvalidSignatureException');
      expect((err as Error).message).toMatch(/^Signature expired/);
    } finally {
      corral.app.now = realNow;
    }
  });
});

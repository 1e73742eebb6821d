// Two Corral instances on one database agree: concurrent first GetId calls for one user through both yield one
// identity, OpenID tokens of either verify with the other's JWKS, and credentials of one open in the other.
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../../src/identity/credentials.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../../support/corral.js';
import { AUTH_ROLE, createIdentityPoolFor, providerName, srpIdToken } from '../../support/identity.js';
import { createWildRydesPool, type SeedPool } from '../../support/pools.js';
import { publicClient, signUpConfirmed } from '../../support/users.js';

describeEachBackend('identities on two instances', (backend) => {
  let a: TestCorral;
  let b: TestCorral;
  let seed: SeedPool;
  let poolId: string;
  beforeAll(async () => {
    a = await startTestCorral({ backend });
    b = await startTestCorral({ backend, dataDir: a.dataDir, ...(backend === 'postgres' ? { schema: a.app.config.databaseSchema } : {}) });
    // One public URL for both (behind one load balancer): the issuer of every token.
    b.app.config.publicUrl = a.url;
    seed = await createWildRydesPool(a);
    poolId = await createIdentityPoolFor(a, seed);
    await a.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: AUTH_ROLE } }));
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('agree on the identity, the OpenID key and the credentials', async () => {
    const idp = publicClient(a);
    const tokens: string[] = [];
    for (const name of ['twin1', 'twin2', 'twin3']) {
      await signUpConfirmed(a, seed, name, 'Unicorn!Ride42', { email: `${name}@example.com` });
      tokens.push(await srpIdToken(idp, seed, name, 'Unicorn!Ride42'));
    }
    idp.destroy();
    const clients = [a, b].map((c) => new CognitoIdentityClient({ region: 'us-east-1', endpoint: c.url, maxAttempts: 1 }));
    try {
      for (const token of tokens) {
        const Logins = { [providerName(seed.poolId)]: token };
        const ids = await Promise.all([0, 1, 0, 1, 0, 1].map((i) => clients[i]!.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }))));
        expect(new Set(ids.map((r) => r.IdentityId)).size).toBe(1);
      }
      const Logins = { [providerName(seed.poolId)]: tokens[0]! };
      const { IdentityId } = await clients[0]!.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
      const [fromA, fromB] = await Promise.all(clients.map((c) => c.send(new GetOpenIdTokenCommand({ IdentityId, Logins }))));
      for (const c of [a, b]) {
        const jwks = createLocalJWKSet((await (await fetch(`${c.url}/.well-known/identity-jwks.json`)).json()) as { keys: [] });
        for (const t of [fromA!, fromB!]) expect((await jwtVerify(t.Token!, jwks, { issuer: a.url, audience: poolId })).payload.sub).toBe(IdentityId);
      }
      const { Credentials } = await clients[1]!.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
      expect(verifyTemporaryCredentials(a.app, Credentials!.AccessKeyId!, Credentials!.SessionToken)?.roleArn).toBe(AUTH_ROLE);
    } finally {
      clients.forEach((c) => c.destroy());
    }
  });
});

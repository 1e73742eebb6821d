// JWKS and discovery over real HTTP, and aws-jwt-verify (what backends use to check Cognito tokens) accepting
// Corral's tokens with the JWKS Corral serves — and refusing tampered, foreign and rotated-out ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { peek, seedPool, type Fixture } from '../support/token-fixtures.js';
import { mintTokens } from '../../src/domain/tokens.js';
import { rotateSigningKeys } from '../../src/crypto/signing-keys.js';

interface Jwks {
  keys: { kid: string; alg: string; kty: string; use: string; n: string; e: string }[];
}

describeEachBackend('well-known routes', (backend) => {
  let corral: TestCorral;
  let f: Fixture;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    f = await seedPool(corral.app);
  });
  afterAll(() => corral?.stop());

  const jwksOf = async (poolId: string): Promise<Jwks> => {
    const res = await fetch(`${corral.url}/${poolId}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    return (await res.json()) as Jwks;
  };

  function verifiers(poolId: string, clientId: string, jwks: Jwks) {
    const issuer = `${corral.url}/${poolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const id = JwtRsaVerifier.create({
      issuer,
      audience: clientId,
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    });
    const access = JwtRsaVerifier.create({
      issuer,
      audience: null,
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access' || payload.client_id !== clientId) throw new Error('not an access token of this client');
      },
    });
    id.cacheJwks(jwks as never);
    access.cacheJwks(jwks as never);
    return { id, access };
  }

  it('serves the pool’s two signing keys as a JWKS', async () => {
    const jwks = await jwksOf(f.pool.id);
    expect(jwks.keys).toHaveLength(2);
    for (const k of jwks.keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(k).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB' });
      expect(Buffer.from(k.n, 'base64url').length).toBe(256);
    }
    const t = await mintTokens(corral.app, { pool: f.pool, client: f.client, user: f.user, authTime: 1 });
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([peek(t.IdToken).header.kid, peek(t.AccessToken).header.kid].sort());
    expect(await jwksOf(f.pool.id)).toEqual(jwks); // stable
  });

  it('serves OpenID discovery naming the issuer and the JWKS', async () => {
    const res = await fetch(`${corral.url}/${f.pool.id}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: `${corral.url}/${f.pool.id}`,
      jwks_uri: `${corral.url}/${f.pool.id}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    });
  });

  it('answers 404 JSON for an unknown pool', async () => {
    for (const path of ['jwks.json', 'openid-configuration']) {
      const res = await fetch(`${corral.url}/us-east-1_nothere/.well-known/${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(await res.json()).toEqual({ message: 'User pool us-east-1_nothere does not exist.' });
    }
  });

  it('aws-jwt-verify accepts Corral’s ID and access tokens and refuses tampered or foreign ones', async () => {
    const t = await mintTokens(corral.app, { pool: f.pool, client: f.client, user: f.user, groups: ['g1'], authTime: Math.floor(Date.now() / 1000) });
    const v = verifiers(f.pool.id, f.client.id, await jwksOf(f.pool.id));
    expect(await v.id.verify(t.IdToken)).toMatchObject({ sub: f.user.sub, 'cognito:username': 'ada', aud: f.client.id });
    expect(await v.access.verify(t.AccessToken)).toMatchObject({ sub: f.user.sub, username: 'ada', 'cognito:groups': ['g1'] });
    await expect(v.id.verify(t.AccessToken)).rejects.toThrow(); // no aud, wrong token_use

    const [h, , s] = t.IdToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...peek(t.IdToken).payload, sub: 'someone-else' })).toString('base64url');
    await expect(v.id.verify(`${h}.${forged}.${s}`)).rejects.toThrow(/signature/i);

    const other = await seedPool(corral.app);
    const theirs = await mintTokens(corral.app, { pool: other.pool, client: other.client, user: other.user, authTime: 1 });
    await expect(v.id.verify(theirs.IdToken)).rejects.toThrow();
    await expect(v.access.verify(theirs.AccessToken)).rejects.toThrow();
    // Even with the other pool's keys known, the issuer gives it away.
    const mixed = verifiers(f.pool.id, other.client.id, { keys: [...(await jwksOf(f.pool.id)).keys, ...(await jwksOf(other.pool.id)).keys] });
    await expect(mixed.id.verify(theirs.IdToken)).rejects.toThrow(/issuer/i);
  });

  it('after rotation: both generations verify during the grace period; an expired key leaves the JWKS and its tokens fail', async () => {
    const g = await seedPool(corral.app);
    const old = await mintTokens(corral.app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
    await rotateSigningKeys(corral.app, g.pool.id);
    const fresh = await mintTokens(corral.app, { pool: g.pool, client: g.client, user: g.user, authTime: 1 });
    const during = await jwksOf(g.pool.id);
    expect(during.keys).toHaveLength(4);
    const v = verifiers(g.pool.id, g.client.id, during);
    await v.id.verify(old.IdToken);
    await v.access.verify(old.AccessToken);
    await v.id.verify(fresh.IdToken);
    await v.access.verify(fresh.AccessToken);

    await corral.app.db
      .updateTable('signing_keys')
      .set({ expires_at: Date.now() - 1 })
      .where('pool_id', '=', g.pool.id)
      .where('retired_at', 'is not', null)
      .execute();
    const after = await jwksOf(g.pool.id);
    expect(after.keys.map((k) => k.kid).sort()).toEqual([peek(fresh.IdToken).header.kid, peek(fresh.AccessToken).header.kid].sort());
    const v2 = verifiers(g.pool.id, g.client.id, after);
    await expect(v2.id.verify(old.IdToken)).rejects.toThrow();
    await expect(v2.access.verify(old.AccessToken)).rejects.toThrow();
    await v2.access.verify(fresh.AccessToken);
  });
});

describe('well-known routes: discovery issuer follows CORRAL_PUBLIC_URL', () => {
  it('uses the configured public URL', async () => {
    const corral = await startTestCorral({ env: { CORRAL_PUBLIC_URL: 'https://auth.example.test/' } });
    try {
      const f = await seedPool(corral.app);
      const doc = (await (await fetch(`${corral.url}/${f.pool.id}/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(doc.issuer).toBe(`https://auth.example.test/${f.pool.id}`);
      expect(doc.jwks_uri).toBe(`https://auth.example.test/${f.pool.id}/.well-known/jwks.json`);
      const t = await mintTokens(corral.app, { pool: f.pool, client: f.client, user: f.user, authTime: 1 });
      expect(peek(t.AccessToken).payload.iss).toBe(`https://auth.example.test/${f.pool.id}`);
    } finally {
      await corral.stop();
    }
  });
});

// GET /<poolId>/.well-known/jwks.json and /<poolId>/.well-known/openid-configuration, as Cognito serves them at
// https://cognito-idp.<region>.amazonaws.com/<poolId>/… (the issuer is CORRAL_PUBLIC_URL/<poolId>).
// The JWKS lists the pool's ID and access keys (created on first request) and retired keys still in their grace
// period. Discovery names only what Corral serves: the OAuth endpoints (http/oauth/) once the pool has a domain.
// An unknown pool answers 404 with a JSON body.
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { publicJwks } from '../crypto/signing-keys.js';
import { findPool } from '../domain/pools.js';
import { issuer } from '../domain/tokens.js';
import { oauthDiscovery } from './oauth/discovery.js';

interface PoolParams {
  poolId: string;
}

export async function wellKnownRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  server.get<{ Params: PoolParams }>('/:poolId/.well-known/jwks.json', async (req, reply) => {
    const pool = await findPool(app, req.params.poolId);
    if (!pool) return reply.status(404).send({ message: `User pool ${req.params.poolId} does not exist.` });
    reply.header('cache-control', 'public, max-age=300');
    return { keys: await publicJwks(app, pool.id) };
  });

  server.get<{ Params: PoolParams }>('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    const pool = await findPool(app, req.params.poolId);
    if (!pool) return reply.status(404).send({ message: `User pool ${req.params.poolId} does not exist.` });
    const iss = issuer(app, pool.id);
    return {
      issuer: iss,
      jwks_uri: `${iss}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      ...(await oauthDiscovery(app, pool.id)),
    };
  });
}

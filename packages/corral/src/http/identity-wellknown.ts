// The public keys of GetOpenIdToken's tokens (identity/openid-token.ts) and OIDC discovery for their issuer, which is
// CORRAL_PUBLIC_URL itself (Cognito's is https://cognito-identity.amazonaws.com):
//   GET /.well-known/identity-jwks.json       { keys: [...] }  (created on first request)
//   GET /.well-known/openid-configuration     { issuer, jwks_uri, … }
// The user pools' keys stay at /<poolId>/.well-known/jwks.json (wellknown.ts).
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { IDENTITY_JWKS_PATH, openIdJwks } from '../identity/openid-token.js';

export function identityWellKnownRoutes(server: FastifyInstance, app: Corral): void {
  server.get(IDENTITY_JWKS_PATH, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: await openIdJwks(app) };
  });
  server.get('/.well-known/openid-configuration', async () => ({
    issuer: app.config.publicUrl,
    jwks_uri: `${app.config.publicUrl}${IDENTITY_JWKS_PATH}`,
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    claims_supported: ['iss', 'aud', 'sub', 'amr', 'exp', 'iat'],
  }));
}

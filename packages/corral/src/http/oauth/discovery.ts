// The OAuth members of a pool's openid-configuration: present once the pool has a domain (its endpoints exist then).
import type { Corral } from '../../runtime/app.js';
import { domainOfPool } from '../../domain/oauth/domains.js';
import { issuer } from '../../domain/tokens.js';

export async function oauthDiscovery(app: Corral, poolId: string): Promise<Record<string, unknown>> {
  if (!(await domainOfPool(app, poolId))) return {};
  const base = issuer(app, poolId);
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userInfo`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    end_session_endpoint: `${base}/logout`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256', 'plain'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'cognito:username',
      'cognito:groups',
      'email',
      'email_verified',
      'phone_number',
      'phone_number_verified',
      'name',
      'given_name',
      'family_name',
      'preferred_username',
    ],
  };
}

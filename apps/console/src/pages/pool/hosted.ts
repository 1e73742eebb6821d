// Where Corral serves a pool's public endpoints. Corral is one host: a pool's domain prefix `<prefix>` (Cognito's
// https://<prefix>.auth.<region>.amazoncognito.com) maps to the path <endpoint>/_domains/<prefix>, where the hosted
// sign-in page is GET /login (and /oauth2/authorize); the issuer's keys and discovery are at <endpoint>/<poolId>/.well-known/.
import { useEffect, useState } from 'react';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { fetchConsoleConfig } from '../../lib/session';

/** Corral's public endpoint (console-config's `endpoint`), or this page's origin until (or unless) that is known. */
export function useEndpoint(): string {
  const [endpoint, setEndpoint] = useState(window.location.origin);
  useEffect(() => {
    let live = true;
    fetchConsoleConfig().then(
      (c) => live && c.endpoint && setEndpoint(c.endpoint.replace(/\/+$/, '')),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return endpoint;
}

export function domainBase(endpoint: string, domain: string): string {
  return `${endpoint}/_domains/${encodeURIComponent(domain)}`;
}

/** The hosted sign-in page link for a client, or what the client (or pool) lacks for one. */
export function hostedSignInLink(endpoint: string, domain: string | undefined, c: UserPoolClientType): { url?: string; missing: string[] } {
  const missing: string[] = [];
  const flows = c.AllowedOAuthFlows ?? [];
  const responseType = flows.includes('code') ? 'code' : flows.includes('implicit') ? 'token' : undefined;
  if (!domain) missing.push('a domain for the pool (Domain name)');
  if (!c.AllowedOAuthFlowsUserPoolClient || !responseType) missing.push('the Authorization code grant or Implicit grant OAuth flow');
  if (!c.CallbackURLs?.length) missing.push('a callback URL');
  if (!c.SupportedIdentityProviders?.includes('COGNITO')) missing.push('Cognito User Pool as an enabled identity provider');
  if (!c.AllowedOAuthScopes?.length) missing.push('an allowed OAuth scope');
  if (missing.length || !domain) return { missing };
  const query = new URLSearchParams({ client_id: c.ClientId!, response_type: responseType!, redirect_uri: c.CallbackURLs![0]! });
  return { url: `${domainBase(endpoint, domain)}/login?${query.toString()}`, missing };
}

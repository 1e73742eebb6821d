// OAuth scopes: the standard ones Cognito knows, custom resource-server scopes, and what a client may ask for.
import { ScopeDoesNotExistException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { Client } from '../pools.js';
import { ACCESS_SCOPE } from '../tokens.js';
import { customScopes } from './resource-servers.js';

export const STANDARD_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'phone', 'profile', ACCESS_SCOPE]);

/** Scopes from a space-separated parameter (empty entries dropped, duplicates removed, order kept). */
export function parseScopes(param: string | undefined): string[] {
  return [...new Set((param ?? '').split(' ').filter(Boolean))];
}

/**
 * CreateUserPoolClient / UpdateUserPoolClient: every AllowedOAuthScopes entry must be a standard scope or a custom
 * scope of one of the pool's resource servers (ScopeDoesNotExistException otherwise).
 */
export async function checkClientScopes(app: Corral, poolId: string, scopes: string[] | undefined): Promise<void> {
  const custom = (scopes ?? []).filter((s) => !STANDARD_SCOPES.has(s));
  if (custom.length === 0) return;
  const known = await customScopes(app, poolId);
  const missing = custom.find((s) => !known.has(s));
  if (missing) throw new ScopeDoesNotExistException(`Invalid scope requested: ${missing}`);
}

/** The client's allowed scopes that still exist (custom scopes whose resource server or scope was deleted drop out). */
export async function grantableScopes(app: Corral, client: Client): Promise<string[]> {
  const allowed = client.settings.AllowedOAuthScopes ?? [];
  const known = allowed.some((s) => !STANDARD_SCOPES.has(s)) ? await customScopes(app, client.poolId) : new Set<string>();
  return allowed.filter((s) => STANDARD_SCOPES.has(s) || known.has(s));
}

// Resource servers: an identifier (an API name or URL) with custom scopes. A custom scope is written
// `<identifier>/<ScopeName>` in app clients' AllowedOAuthScopes and in access tokens' `scope` claim.
//
// Rules: an identifier is unique in its pool; at most 25 resource servers per pool (Cognito's quota); scope names
// are unique within a server; UpdateResourceServer replaces Name and Scopes (omitted Scopes means none).
// Deleting a server (or a scope) does not edit clients: the token endpoint grants only scopes that still exist.
import type { ResourceServerScopeType, ResourceServerType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { ResourceServer } from '../../storage/oauth.js';
import { afterToken, pageToken, type Pool } from '../pools.js';

export type { ResourceServer } from '../../storage/oauth.js';

export const MAX_RESOURCE_SERVERS = 25;
const MAX_PAGE = 50;

export function resourceServerType(s: ResourceServer): ResourceServerType {
  return {
    UserPoolId: s.poolId,
    Identifier: s.identifier,
    Name: s.name,
    Scopes: s.scopes.map((x) => ({ ScopeName: x.ScopeName, ScopeDescription: x.ScopeDescription })),
  };
}

function checkScopes(scopes: ResourceServerScopeType[] | undefined): ResourceServerScopeType[] {
  const list = scopes ?? [];
  const seen = new Set<string>();
  for (const s of list) {
    if (seen.has(s.ScopeName!)) throw new InvalidParameterException(`Duplicate scope name ${s.ScopeName} in the resource server.`);
    seen.add(s.ScopeName!);
  }
  return list.map((s) => ({ ScopeName: s.ScopeName!, ScopeDescription: s.ScopeDescription! }));
}

export async function findResourceServer(app: Corral, poolId: string, identifier: string): Promise<ResourceServer | undefined> {
  return app.store.oauth.findResourceServer(poolId, identifier);
}

export async function requireResourceServer(app: Corral, poolId: string, identifier: string): Promise<ResourceServer> {
  const found = await findResourceServer(app, poolId, identifier);
  if (!found) throw new ResourceNotFoundException(`Resource server ${identifier} does not exist in the user pool ${poolId}.`);
  return found;
}

export async function createResourceServer(
  app: Corral,
  pool: Pool,
  identifier: string,
  name: string,
  scopes: ResourceServerScopeType[] | undefined,
): Promise<ResourceServer> {
  const list = checkScopes(scopes);
  const server: ResourceServer = { poolId: pool.id, identifier, name, scopes: list };
  const result = await app.store.oauth.createResourceServer(server, MAX_RESOURCE_SERVERS, app.now());
  if (result === 'limit') throw new LimitExceededException(`A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`);
  if (result === 'exists') throw new InvalidParameterException(`${identifier} already exists in user pool ${pool.id}.`);
  return server;
}

export async function updateResourceServer(
  app: Corral,
  server: ResourceServer,
  name: string,
  scopes: ResourceServerScopeType[] | undefined,
): Promise<ResourceServer> {
  const list = checkScopes(scopes);
  const updated = { ...server, name, scopes: list };
  await app.store.oauth.updateResourceServer(updated, app.now());
  return updated;
}

export async function deleteResourceServer(app: Corral, server: ResourceServer): Promise<void> {
  await app.store.oauth.deleteResourceServer(server.poolId, server.identifier);
}

export async function listResourceServers(
  app: Corral,
  poolId: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<{ items: ResourceServer[]; nextToken?: string }> {
  const max = maxResults || MAX_PAGE;
  const after = afterToken(nextToken);
  const rows = await app.store.oauth.listResourceServers(poolId, max + 1, after);
  const items = rows.slice(0, max);
  return rows.length > max ? { items, nextToken: pageToken(items[items.length - 1]!.identifier) } : { items };
}

/** Every custom scope of the pool, as `<identifier>/<ScopeName>`. */
export async function customScopes(app: Corral, poolId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const r of await app.store.oauth.listResourceServers(poolId)) for (const s of r.scopes) out.add(`${r.identifier}/${s.ScopeName}`);
  return out;
}

// Resource servers: an identifier (an API name or URL) with custom scopes. A custom scope is written
// `<identifier>/<ScopeName>` in app clients' AllowedOAuthScopes and in access tokens' `scope` claim.
//
// Rules: an identifier is unique in its pool; at most 25 resource servers per pool (Cognito's quota); scope names
// are unique within a server; UpdateResourceServer replaces Name and Scopes (omitted Scopes means none).
// Deleting a server (or a scope) does not edit clients: the token endpoint grants only scopes that still exist.
import type { ResourceServerScopeType, ResourceServerType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { isUniqueViolation } from '../../storage/db.js';
import type { ResourceServersTable } from '../../storage/migrations/0013_oauth.js';
import { afterToken, pageToken, type Pool } from '../pools.js';

export interface ResourceServer {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
}

export const MAX_RESOURCE_SERVERS = 25;
const MAX_PAGE = 50;

function fromRow(r: ResourceServersTable): ResourceServer {
  return { poolId: r.pool_id, identifier: r.identifier, name: r.name, scopes: JSON.parse(r.scopes) as ResourceServerScopeType[] };
}

export function resourceServerType(s: ResourceServer): ResourceServerType {
  return { UserPoolId: s.poolId, Identifier: s.identifier, Name: s.name, Scopes: s.scopes.map((x) => ({ ScopeName: x.ScopeName, ScopeDescription: x.ScopeDescription })) };
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
  const row = await app.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).where('identifier', '=', identifier).executeTakeFirst();
  return row && fromRow(row);
}

export async function requireResourceServer(app: Corral, poolId: string, identifier: string): Promise<ResourceServer> {
  const found = await findResourceServer(app, poolId, identifier);
  if (!found) throw new ResourceNotFoundException(`Resource server ${identifier} does not exist in the user pool ${poolId}.`);
  return found;
}

export async function createResourceServer(app: Corral, pool: Pool, identifier: string, name: string, scopes: ResourceServerScopeType[] | undefined): Promise<ResourceServer> {
  const list = checkScopes(scopes);
  const count = await app.db.selectFrom('resource_servers').select((eb) => eb.fn.countAll().as('n')).where('pool_id', '=', pool.id).executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_RESOURCE_SERVERS) throw new LimitExceededException(`A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`);
  const now = app.now();
  try {
    await app.db
      .insertInto('resource_servers')
      .values({ pool_id: pool.id, identifier, name, scopes: JSON.stringify(list), created_at: now, updated_at: now })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new InvalidParameterException(`${identifier} already exists in user pool ${pool.id}.`);
    throw err;
  }
  return { poolId: pool.id, identifier, name, scopes: list };
}

export async function updateResourceServer(app: Corral, server: ResourceServer, name: string, scopes: ResourceServerScopeType[] | undefined): Promise<ResourceServer> {
  const list = checkScopes(scopes);
  await app.db
    .updateTable('resource_servers')
    .set({ name, scopes: JSON.stringify(list), updated_at: app.now() })
    .where('pool_id', '=', server.poolId)
    .where('identifier', '=', server.identifier)
    .execute();
  return { ...server, name, scopes: list };
}

export async function deleteResourceServer(app: Corral, server: ResourceServer): Promise<void> {
  await app.db.deleteFrom('resource_servers').where('pool_id', '=', server.poolId).where('identifier', '=', server.identifier).execute();
}

export async function listResourceServers(app: Corral, poolId: string, maxResults: number | undefined, nextToken: string | undefined): Promise<{ items: ResourceServer[]; nextToken?: string }> {
  const max = maxResults || MAX_PAGE;
  const after = afterToken(nextToken);
  let q = app.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', poolId).orderBy('identifier').limit(max + 1);
  if (after !== undefined) q = q.where('identifier', '>', after);
  const rows = (await q.execute()).map(fromRow);
  const items = rows.slice(0, max);
  return rows.length > max ? { items, nextToken: pageToken(items[items.length - 1]!.identifier) } : { items };
}

/** Every custom scope of the pool, as `<identifier>/<ScopeName>`. */
export async function customScopes(app: Corral, poolId: string): Promise<Set<string>> {
  const rows = await app.db.selectFrom('resource_servers').select(['identifier', 'scopes']).where('pool_id', '=', poolId).execute();
  const out = new Set<string>();
  for (const r of rows) for (const s of JSON.parse(r.scopes) as ResourceServerScopeType[]) out.add(`${r.identifier}/${s.ScopeName}`);
  return out;
}

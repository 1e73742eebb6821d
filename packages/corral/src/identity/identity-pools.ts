// Identity pools (cognito-identity): settings, roles and role mappings, stored in `identity_pools`.
import type { IdentityPool, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { randomUUID } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';

/** The settings of a pool as DescribeIdentityPool returns them, without the id. */
export type IdentityPoolSettings = Omit<IdentityPool, 'IdentityPoolId'>;

export interface IdentityPoolRoles {
  Roles: Record<string, string>;
  RoleMappings?: Record<string, RoleMapping>;
}

/** Fills the members Cognito always returns (AllowClassicFlow, ServerSideTokenCheck, tags). */
function normalize(settings: IdentityPoolSettings): IdentityPoolSettings {
  return {
    ...settings,
    AllowUnauthenticatedIdentities: settings.AllowUnauthenticatedIdentities ?? false,
    AllowClassicFlow: settings.AllowClassicFlow ?? false,
    SupportedLoginProviders: settings.SupportedLoginProviders ?? {},
    CognitoIdentityProviders: settings.CognitoIdentityProviders?.map((p) => ({ ...p, ServerSideTokenCheck: p.ServerSideTokenCheck ?? false })),
    IdentityPoolTags: settings.IdentityPoolTags ?? {},
  };
}

function describe(row: { id: string; settings: string }): IdentityPool {
  return { IdentityPoolId: row.id, ...(JSON.parse(row.settings) as IdentityPoolSettings) };
}

export async function createIdentityPool(app: Corral, settings: IdentityPoolSettings): Promise<IdentityPool> {
  const id = `${app.config.region}:${randomUUID()}`;
  const stored = normalize(settings);
  const now = app.now();
  await app.db
    .insertInto('identity_pools')
    .values({ id, name: stored.IdentityPoolName!, settings: JSON.stringify(stored), roles: JSON.stringify({ Roles: {} }), created_at: now, updated_at: now })
    .execute();
  return { IdentityPoolId: id, ...stored };
}

export async function findIdentityPool(app: Corral, id: string): Promise<IdentityPool | undefined> {
  const row = await app.db.selectFrom('identity_pools').select(['id', 'settings']).where('id', '=', id).executeTakeFirst();
  return row && describe(row);
}

export async function requireIdentityPool(app: Corral, id: string): Promise<IdentityPool> {
  const pool = await findIdentityPool(app, id);
  if (!pool) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
  return pool;
}

/** Replaces the pool's settings (UpdateIdentityPool sends the whole pool); tags are kept unless given. */
export async function updateIdentityPool(app: Corral, pool: IdentityPool): Promise<IdentityPool> {
  const current = await requireIdentityPool(app, pool.IdentityPoolId!);
  const { IdentityPoolId: id, ...settings } = pool;
  const stored = normalize({ ...settings, IdentityPoolTags: settings.IdentityPoolTags ?? current.IdentityPoolTags });
  await app.db
    .updateTable('identity_pools')
    .set({ name: stored.IdentityPoolName!, settings: JSON.stringify(stored), updated_at: app.now() })
    .where('id', '=', id!)
    .execute();
  return { IdentityPoolId: id, ...stored };
}

export async function deleteIdentityPool(app: Corral, id: string): Promise<void> {
  const result = await app.db.deleteFrom('identity_pools').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
}

/** One page of pools in id order; the token is the last id of the previous page. */
export async function listIdentityPools(app: Corral, max: number, nextToken?: string): Promise<{ pools: IdentityPool[]; nextToken?: string }> {
  let q = app.db.selectFrom('identity_pools').select(['id', 'settings']).orderBy('id').limit(max + 1);
  if (nextToken) q = q.where('id', '>', Buffer.from(nextToken, 'base64url').toString('utf8'));
  const rows = await q.execute();
  const page = rows.slice(0, max);
  return { pools: page.map(describe), nextToken: rows.length > max ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : undefined };
}

export async function getIdentityPoolRoles(app: Corral, id: string): Promise<IdentityPoolRoles> {
  const row = await app.db.selectFrom('identity_pools').select('roles').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
  return JSON.parse(row.roles) as IdentityPoolRoles;
}

const MAX_RULES = 25;

export async function setIdentityPoolRoles(app: Corral, id: string, roles: IdentityPoolRoles): Promise<void> {
  for (const [provider, mapping] of Object.entries(roles.RoleMappings ?? {})) {
    if (mapping.Type === 'Rules' && !mapping.RulesConfiguration?.Rules?.length) {
      throw new InvalidParameterException(`RulesConfiguration is required for the role mapping of ${provider} when Type is Rules.`);
    }
    if (mapping.Type === 'Token' && mapping.RulesConfiguration) {
      throw new InvalidParameterException(`RulesConfiguration is not allowed for the role mapping of ${provider} when Type is Token.`);
    }
    // "Up to 25 rules can be specified per identity provider." (the model's list allows 400)
    if ((mapping.RulesConfiguration?.Rules?.length ?? 0) > MAX_RULES) {
      throw new InvalidParameterException(`The role mapping of ${provider} has more than ${MAX_RULES} rules.`);
    }
    // "If you specify Token or Rules as the Type, AmbiguousRoleResolution is required."
    if (!mapping.AmbiguousRoleResolution) {
      throw new InvalidParameterException(`AmbiguousRoleResolution is required for the role mapping of ${provider}.`);
    }
  }
  const result = await app.db
    .updateTable('identity_pools')
    .set({ roles: JSON.stringify(roles), updated_at: app.now() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
}

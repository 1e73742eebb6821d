// Identity pools (cognito-identity): settings, roles and role mappings, stored in `identity_pools`.
import type { IdentityPool } from '@aws-sdk/client-cognito-identity';
import { randomUUID } from 'node:crypto';
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { regionOfId } from '../regions.js';
import { NO_IAM_PROVIDERS, oidcProviderByArn, samlProviderByArn } from './iam-providers.js';
import type { IdentityPoolRecord, IdentityPoolSettings, IdentityPoolRoles } from '../storage/identity.js';

export type { IdentityPoolSettings, IdentityPoolRoles } from '../storage/identity.js';

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

function describe(pool: IdentityPoolRecord): IdentityPool {
  return { IdentityPoolId: pool.id, ...pool.settings };
}

/** OpenIdConnectProviderARNs and SamlProviderARNs must name providers of CORRAL_IAM_PROVIDERS (Corral's IAM). */
function checkExternalProviders(app: Corral, settings: IdentityPoolSettings): void {
  const registry = app.config.iamProviders ?? NO_IAM_PROVIDERS;
  for (const arn of settings.OpenIdConnectProviderARNs ?? []) {
    if (!oidcProviderByArn(registry, app.config.accountId, arn)) {
      throw new InvalidParameterException(`Invalid OpenIdConnectProviderARN: ${arn} names no OpenID Connect provider of CORRAL_IAM_PROVIDERS.`);
    }
  }
  for (const arn of settings.SamlProviderARNs ?? []) {
    if (!samlProviderByArn(registry, app.config.accountId, arn)) {
      throw new InvalidParameterException(`Invalid SamlProviderARN: ${arn} names no SAML provider of CORRAL_IAM_PROVIDERS.`);
    }
  }
}

/** A new identity pool `<region>:<uuid>` (`region`: the one CreateIdentityPool was signed for). */
export async function createIdentityPool(app: Corral, settings: IdentityPoolSettings, region = app.config.region): Promise<IdentityPool> {
  const id = `${region}:${randomUUID()}`;
  checkExternalProviders(app, settings);
  const stored = normalize(settings);
  const now = app.now();
  await app.store.identity.createPool({ id, settings: stored, roles: { Roles: {} }, now });
  return { IdentityPoolId: id, ...stored };
}

/** The identity pool's ARN: in the region its id names, in the configured account (CORRAL_ACCOUNT_ID). */
export function identityPoolArn(app: Corral, identityPoolId: string): string {
  return `arn:aws:cognito-identity:${regionOfId(identityPoolId, app.config.region)}:${app.config.accountId}:identitypool/${identityPoolId}`;
}

export async function findIdentityPool(app: Corral, id: string): Promise<IdentityPool | undefined> {
  const pool = await app.store.identity.findPool(id);
  return pool && describe(pool);
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
  checkExternalProviders(app, settings);
  // "Once you have set a developer provider name, you cannot change it." (an update that leaves it out keeps it)
  if (current.DeveloperProviderName && settings.DeveloperProviderName !== undefined && settings.DeveloperProviderName !== current.DeveloperProviderName) {
    throw new InvalidParameterException('Once you have set a developer provider name, you cannot change it.');
  }
  if (current.DeveloperProviderName) settings.DeveloperProviderName = current.DeveloperProviderName;
  const stored = normalize({ ...settings, IdentityPoolTags: settings.IdentityPoolTags ?? current.IdentityPoolTags });
  if (!(await app.store.identity.updatePoolSettings(id!, stored, app.now()))) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
  return { IdentityPoolId: id, ...stored };
}

export async function deleteIdentityPool(app: Corral, id: string): Promise<void> {
  if (!(await app.store.identity.deletePool(id))) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
}

/** One page of pools in id order; the token is the last id of the previous page. */
export async function listIdentityPools(app: Corral, max: number, nextToken?: string): Promise<{ pools: IdentityPool[]; nextToken?: string }> {
  const after = nextToken ? Buffer.from(nextToken, 'base64url').toString('utf8') : undefined;
  const rows = await app.store.identity.listPools({ after, limit: max + 1 });
  const page = rows.slice(0, max);
  return { pools: page.map(describe), nextToken: rows.length > max ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : undefined };
}

export async function getIdentityPoolRoles(app: Corral, id: string): Promise<IdentityPoolRoles> {
  const roles = await app.store.identity.findRoles(id);
  if (!roles) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
  return roles;
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
  if (!(await app.store.identity.setRoles(id, roles, app.now()))) throw new ResourceNotFoundException(`IdentityPool '${id}' not found.`);
}

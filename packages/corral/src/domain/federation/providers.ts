// A user pool's identity providers (CreateIdentityProvider …): the domain view of what storage keeps.
//
// Rules: a name is unique in its pool (DuplicateProviderException); at most 300 providers per pool (Cognito's
// quota); IdpIdentifiers are unique in the pool; the secrets of ProviderDetails (client_secret, private_key) are
// encrypted at rest. ProviderDetails are checked and completed per type in provider-details.ts. Deleting a provider
// takes its name out of the app clients' SupportedIdentityProviders and drops the links of its identities.
import type { IdentityProviderType, ProviderDescription } from '@aws-sdk/client-cognito-identity-provider';
import { decrypt, encrypt } from '../../crypto/box.js';
import { DuplicateProviderException, InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { ProviderRecord } from '../../storage/identity-providers.js';
import { afterToken, pageToken, type Pool } from '../pools.js';
import { checkIdentifiers, checkProviderName, normaliseDetails, normaliseMapping, SECRET_KEYS, UNDESCRIBED_KEYS } from './provider-details.js';

export type ProviderType = 'SAML' | 'OIDC' | 'Google' | 'Facebook' | 'LoginWithAmazon' | 'SignInWithApple';

export interface IdentityProvider {
  poolId: string;
  name: string;
  type: ProviderType;
  /** ProviderDetails as Cognito describes them, secrets (client_secret, private_key) already decrypted. */
  details: Record<string, string>;
  /** user pool attribute → provider attribute (Cognito's AttributeMapping). */
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  createdAt: number;
  modifiedAt: number;
}

export const MAX_PROVIDERS = 300;
const MAX_PAGE = 60;
const SECRETS_PURPOSE = 'idp-secrets';

function toRecord(app: Corral, p: IdentityProvider): ProviderRecord {
  const details: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.details)) (SECRET_KEYS.includes(k) ? secrets : details)[k] = v;
  return {
    poolId: p.poolId,
    name: p.name,
    type: p.type,
    details,
    sealedSecrets: Object.keys(secrets).length ? encrypt(app.secrets.serverKey, SECRETS_PURPOSE, JSON.stringify(secrets)) : null,
    attributeMapping: p.attributeMapping,
    idpIdentifiers: p.idpIdentifiers,
    createdAt: p.createdAt,
    updatedAt: p.modifiedAt,
  };
}

function fromRecord(app: Corral, r: ProviderRecord): IdentityProvider {
  let secrets: Record<string, string> = {};
  if (r.sealedSecrets) {
    const plain = decrypt(app.secrets.serverKey, SECRETS_PURPOSE, r.sealedSecrets);
    // A secret sealed with another server key cannot be read: the provider is described without it (its sign-ins
    // then fail at the provider) rather than failing every call that reads the pool's providers.
    if (plain) secrets = JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }
  return {
    poolId: r.poolId,
    name: r.name,
    type: r.type as ProviderType,
    details: { ...r.details, ...secrets },
    attributeMapping: r.attributeMapping,
    idpIdentifiers: r.idpIdentifiers,
    createdAt: r.createdAt,
    modifiedAt: r.updatedAt,
  };
}

export async function findProvider(app: Corral, poolId: string, name: string): Promise<IdentityProvider | undefined> {
  const r = await app.store.identityProviders.find(poolId, name);
  return r && fromRecord(app, r);
}

/** By one of its IdpIdentifiers (idp_identifier=), or for SAML by the email domain Cognito maps to it. */
export async function findProviderByIdentifier(app: Corral, poolId: string, identifier: string): Promise<IdentityProvider | undefined> {
  const exact = await app.store.identityProviders.findByIdentifier(poolId, identifier);
  if (exact) return fromRecord(app, exact);
  // "Identifiers in a domain format also enable the use of email-address matching with SAML providers."
  const at = identifier.lastIndexOf('@');
  const domain = at >= 0 ? identifier.slice(at + 1) : identifier;
  for (const candidate of new Set([domain, domain.toLowerCase()])) {
    if (candidate === identifier) continue;
    const r = await app.store.identityProviders.findByIdentifier(poolId, candidate);
    if (r && r.type === 'SAML') return fromRecord(app, r);
  }
  return undefined;
}

export async function requireProvider(app: Corral, poolId: string, name: string): Promise<IdentityProvider> {
  const found = await findProvider(app, poolId, name);
  if (!found) throw new ResourceNotFoundException(`Identity provider ${name} does not exist.`);
  return found;
}

/** GetIdentityProviderByIdentifier: the provider holding exactly this IdpIdentifier. */
export async function requireProviderByIdentifier(app: Corral, poolId: string, identifier: string): Promise<IdentityProvider> {
  const r = await app.store.identityProviders.findByIdentifier(poolId, identifier);
  if (!r) throw new ResourceNotFoundException(`Identity provider with identifier ${identifier} does not exist.`);
  return fromRecord(app, r);
}

/** The names of the pool's providers. */
export async function providerNames(app: Corral, poolId: string): Promise<string[]> {
  return app.store.identityProviders.names(poolId);
}

export interface ProviderInput {
  details?: Record<string, string>;
  attributeMapping?: Record<string, string>;
  idpIdentifiers?: string[];
}

function identifierTaken(id: string): never {
  throw new InvalidParameterException(`The IdpIdentifier ${id} is already used by another identity provider of the user pool.`);
}

export async function createProvider(app: Corral, pool: Pool, name: string, type: string, input: ProviderInput): Promise<IdentityProvider> {
  checkProviderName(name, type);
  const attributeMapping = normaliseMapping(pool, type, input.attributeMapping);
  const idpIdentifiers = checkIdentifiers(input.idpIdentifiers);
  if (await app.store.identityProviders.find(pool.id, name)) throw duplicate(name);
  const details = await normaliseDetails(app, pool.id, type, input.details ?? {});
  const now = app.now();
  const provider: IdentityProvider = {
    poolId: pool.id,
    name,
    type: type as ProviderType,
    details,
    attributeMapping,
    idpIdentifiers,
    createdAt: now,
    modifiedAt: now,
  };
  const result = await app.store.identityProviders.create(toRecord(app, provider), MAX_PROVIDERS);
  if (result === 'exists') throw duplicate(name);
  if (result === 'limit') throw new LimitExceededException(`A user pool can have at most ${MAX_PROVIDERS} identity providers.`);
  if (typeof result === 'object') identifierTaken(result.identifierTaken);
  return provider;
}

function duplicate(name: string): DuplicateProviderException {
  return new DuplicateProviderException(`A provider with the name ${name} already exists in this user pool.`);
}

/**
 * UpdateIdentityProvider: what the request gives replaces what is stored (ProviderDetails whole, checked and completed
 * again — secrets left out are kept; AttributeMapping; IdpIdentifiers); what it leaves out stays.
 */
export async function updateProvider(app: Corral, pool: Pool, provider: IdentityProvider, input: ProviderInput): Promise<IdentityProvider> {
  const attributeMapping = input.attributeMapping ? normaliseMapping(pool, provider.type, input.attributeMapping) : provider.attributeMapping;
  const idpIdentifiers = input.idpIdentifiers ? checkIdentifiers(input.idpIdentifiers) : provider.idpIdentifiers;
  let details = provider.details;
  if (input.details) {
    const given = { ...input.details };
    for (const k of SECRET_KEYS) if (given[k] === undefined && provider.details[k] !== undefined && provider.type !== 'SAML') given[k] = provider.details[k]!;
    details = await normaliseDetails(app, pool.id, provider.type, given);
  }
  const updated: IdentityProvider = { ...provider, details, attributeMapping, idpIdentifiers, modifiedAt: app.now() };
  const result = await app.store.identityProviders.update(toRecord(app, updated));
  if (result === 'missing') throw new ResourceNotFoundException(`Identity provider ${provider.name} does not exist.`);
  if (typeof result === 'object') identifierTaken(result.identifierTaken);
  return updated;
}

export async function deleteProvider(app: Corral, poolId: string, name: string): Promise<void> {
  if (!(await app.store.identityProviders.delete(poolId, name, app.now()))) throw new ResourceNotFoundException(`Identity provider ${name} does not exist.`);
}

export async function listProviders(
  app: Corral,
  poolId: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<{ items: IdentityProvider[]; nextToken?: string }> {
  const max = maxResults || MAX_PAGE;
  const rows = await app.store.identityProviders.list(poolId, max + 1, afterToken(nextToken));
  const items = rows.slice(0, max).map((r) => fromRecord(app, r));
  return rows.length > max ? { items, nextToken: pageToken(items[items.length - 1]!.name) } : { items };
}

/** The provider as DescribeIdentityProvider returns it (private_key is never returned). */
export function identityProviderType(p: IdentityProvider): IdentityProviderType {
  return {
    UserPoolId: p.poolId,
    ProviderName: p.name,
    ProviderType: p.type,
    ProviderDetails: Object.fromEntries(Object.entries(p.details).filter(([k]) => !UNDESCRIBED_KEYS.has(k))),
    AttributeMapping: p.attributeMapping,
    IdpIdentifiers: p.idpIdentifiers,
    LastModifiedDate: new Date(p.modifiedAt),
    CreationDate: new Date(p.createdAt),
  };
}

export function providerDescription(p: IdentityProvider): ProviderDescription {
  return { ProviderName: p.name, ProviderType: p.type, LastModifiedDate: new Date(p.modifiedAt), CreationDate: new Date(p.createdAt) };
}

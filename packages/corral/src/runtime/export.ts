// `corral export`: the resources that exist, as a configuration file `corral apply` (and provisioning at start)
// accepts — user pools as CreateUserPool members (with their `Domain` prefix and `MfaConfig`), their clients as CreateUserPoolClient members, identity pools as
// CreateIdentityPool members with Roles and RoleMappings — so what was built by clicking can be committed. Read
// through an `Api` (reconcile.ts), like apply. Also the listing GET /_corral/resources serves.
import type { GetUserPoolMfaConfigResponse, SchemaAttributeType, UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { GetIdentityPoolRolesResponse, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { STANDARD_ATTRIBUTES } from '../domain/attribute-schema.js';
import { services } from '../wire/model.js';
import { byCreation, canon, listAll, modelMembers, same, schemaDecl, sortedKeys, type Api, type ResourceIds } from './reconcile.js';

type Json = Record<string, unknown>;
interface PoolSummary {
  Id?: string;
  Name?: string;
  CreationDate?: unknown;
}
interface ClientSummary {
  ClientId?: string;
  ClientName?: string;
}
interface IdentityPoolSummary {
  IdentityPoolId?: string;
  IdentityPoolName?: string;
}

const listPools = async (api: Api) => (await listAll<PoolSummary>(api, 'idp', 'ListUserPools', { MaxResults: 60 }, (p) => p.UserPools)).sort(byCreation);
const listClients = (api: Api, poolId: string) =>
  listAll<ClientSummary>(api, 'idp', 'ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 }, (p) => p.UserPoolClients);
const listIdentityPools = (api: Api) => listAll<IdentityPoolSummary>(api, 'identity', 'ListIdentityPools', { MaxResults: 60 }, (p) => p.IdentityPools);

/**
 * Every user pool (oldest first: of several with one name, the one a configuration file manages comes first) with
 * its clients, and every identity pool, by name and id.
 */
export async function listResources(api: Api): Promise<ResourceIds> {
  const userPools: ResourceIds['userPools'] = [];
  for (const pool of await listPools(api)) {
    const clients = (await listClients(api, pool.Id!)).map((c) => ({ name: c.ClientName!, id: c.ClientId! }));
    userPools.push({ name: pool.Name!, id: pool.Id!, clients });
  }
  const identityPools = (await listIdentityPools(api)).map((p) => ({ name: p.IdentityPoolName!, id: p.IdentityPoolId! }));
  return { userPools, identityPools };
}

export interface ExportOptions {
  /** Only this user pool (every pool of that name), its clients and the identity pools that use it. */
  pool?: string;
  /** Where the resources were read, for the description. */
  endpoint: string;
  now?: Date;
}

export interface ExportedFile {
  description: string;
  userPools: Json[];
  identityPools: Json[];
}

const inputMembers = (service: 'idp' | 'identity', action: string) => modelMembers(service, services[service].operations[action]!.input!);
const LEGACY_MESSAGES: [string, string][] = [
  ['SmsVerificationMessage', 'SmsMessage'],
  ['EmailVerificationMessage', 'EmailMessage'],
  ['EmailVerificationSubject', 'EmailSubject'],
];

/** The pool as CreateUserPool members: read-only members dropped, the schema as a `Schema` of what differs from a
 *  new pool's (the custom attributes, and standard ones whose settings are not the defaults). */
function poolDecl(p: UserPoolType, mfa: GetUserPoolMfaConfigResponse, clients: Json[]): Json {
  const described = p as Json;
  const template = (p.VerificationMessageTemplate ?? {}) as Json;
  const out: Json = { PoolName: p.Name };
  for (const k of inputMembers('idp', 'CreateUserPool')) {
    if (k === 'PoolName') continue;
    if (k === 'Schema') {
      const schema = schemaOf(p.SchemaAttributes ?? []);
      if (schema.length) out.Schema = schema;
      continue;
    }
    // The legacy message members repeat the template's (pool-settings.ts keeps them in step).
    const legacy = LEGACY_MESSAGES.find(([m]) => m === k);
    if (legacy && described[k] === template[legacy[1]]) continue;
    if (described[k] !== undefined && described[k] !== null) out[k] = sortedKeys(described[k]);
  }
  // Its prefix domain (CreateUserPoolDomain; DescribeUserPool shows it, CreateUserPool cannot set it).
  if (p.Domain) out.Domain = p.Domain;
  // The factors DescribeUserPool does not show (TOTP, email, WebAuthn), as SetUserPoolMfaConfig takes them.
  if ((mfa.MfaConfiguration ?? 'OFF') !== 'OFF' || mfa.WebAuthnConfiguration) out.MfaConfig = sortedKeys(canon(mfa));
  out.Clients = clients;
  return out;
}

function schemaOf(attributes: SchemaAttributeType[]): Json[] {
  const out: Json[] = [];
  for (const a of attributes) {
    const standard = STANDARD_ATTRIBUTES.find((s) => s.Name === a.Name);
    if (standard && same(standard, a)) continue;
    out.push(schemaDecl(a));
  }
  return out;
}

/** The client as CreateUserPoolClient members: `GenerateSecret` says whether it has a secret (never the secret). */
function clientDecl(c: UserPoolClientType): Json {
  const described = c as Json;
  const out: Json = { ClientName: c.ClientName, GenerateSecret: !!c.ClientSecret };
  for (const k of inputMembers('idp', 'CreateUserPoolClient')) {
    if (['UserPoolId', 'ClientName', 'GenerateSecret'].includes(k)) continue;
    if (described[k] !== undefined && described[k] !== null) out[k] = sortedKeys(described[k]);
  }
  return out;
}

/** The pool id a provider name (`cognito-idp.<region>.amazonaws.com/<poolId>`) names. */
const poolIdOfProvider = (name: string) => /^cognito-idp\.[^/]+\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/.exec(name)?.[1];

export async function exportConfig(api: Api, opts: ExportOptions): Promise<ExportedFile> {
  const all = await listPools(api);
  const pools = (opts.pool ? all.filter((p) => p.Name === opts.pool) : all).sort((a, b) => String(a.Name).localeCompare(String(b.Name)) || byCreation(a, b));
  if (opts.pool && !pools.length) {
    const names = [...new Set(all.map((p) => p.Name))].join(', ') || 'none';
    throw new Error(`there is no user pool named ${opts.pool} (there are: ${names})`);
  }

  // Names for ids: a provider of an exported pool and client is written by name when the names say which.
  const names = new Map<string, { pool: string; clients: Map<string, string> }>();
  const userPools: Json[] = [];
  for (const summary of pools) {
    const described = (await api('idp', 'DescribeUserPool', { UserPoolId: summary.Id })).UserPool as UserPoolType;
    const mfa = (await api('idp', 'GetUserPoolMfaConfig', { UserPoolId: summary.Id })) as GetUserPoolMfaConfigResponse;
    const clients: UserPoolClientType[] = [];
    for (const c of await listClients(api, summary.Id!)) {
      clients.push((await api('idp', 'DescribeUserPoolClient', { UserPoolId: summary.Id, ClientId: c.ClientId })).UserPoolClient);
    }
    clients.sort((a, b) => String(a.ClientName).localeCompare(String(b.ClientName)));
    const unique = (n: string | undefined) => clients.filter((c) => c.ClientName === n).length === 1;
    names.set(summary.Id!, {
      pool: summary.Name!,
      clients: new Map(clients.filter((c) => unique(c.ClientName)).map((c) => [c.ClientId!, c.ClientName!])),
    });
    userPools.push(poolDecl(described, mfa, clients.map(clientDecl)));
  }
  const uniquePool = (id: string) => {
    const entry = names.get(id);
    return entry && pools.filter((p) => p.Name === entry.pool).length === 1 ? entry : undefined;
  };
  const byName = (providerName: string, clientId: string) => {
    const poolId = poolIdOfProvider(providerName);
    const entry = poolId ? uniquePool(poolId) : undefined;
    const client = entry?.clients.get(clientId);
    return entry && client ? { UserPool: entry.pool, Client: client } : undefined;
  };

  const identityPools: Json[] = [];
  const summaries = (await listIdentityPools(api)).sort((a, b) => String(a.IdentityPoolName).localeCompare(String(b.IdentityPoolName)));
  for (const summary of summaries) {
    const described = (await api('identity', 'DescribeIdentityPool', { IdentityPoolId: summary.IdentityPoolId })) as IdentityPool;
    const providers = described.CognitoIdentityProviders ?? [];
    if (opts.pool && !providers.some((p) => names.has(poolIdOfProvider(p.ProviderName ?? '') ?? ''))) continue;
    const roles = (await api('identity', 'GetIdentityPoolRoles', { IdentityPoolId: summary.IdentityPoolId })) as GetIdentityPoolRolesResponse;
    const out: Json = { IdentityPoolName: described.IdentityPoolName, AllowUnauthenticatedIdentities: described.AllowUnauthenticatedIdentities ?? false };
    const d = described as unknown as Json;
    for (const k of inputMembers('identity', 'CreateIdentityPool')) {
      if (k in out || d[k] === undefined || d[k] === null) continue;
      if (k === 'CognitoIdentityProviders') {
        out[k] = providers.map((p) => {
          const named = byName(p.ProviderName!, p.ClientId!);
          const check = p.ServerSideTokenCheck !== undefined ? { ServerSideTokenCheck: p.ServerSideTokenCheck } : {};
          return named ? { ...named, ...check } : { ProviderName: p.ProviderName, ClientId: p.ClientId, ...check };
        });
      } else out[k] = sortedKeys(d[k]);
    }
    if (roles.Roles && Object.keys(roles.Roles).length) out.Roles = sortedKeys(roles.Roles);
    if (roles.RoleMappings && Object.keys(roles.RoleMappings).length) {
      out.RoleMappings = Object.fromEntries(
        Object.entries(roles.RoleMappings)
          .map(([k, v]): [string, unknown] => {
            const m = /^(.*):([\w+]+)$/.exec(k);
            const named = m ? byName(m[1]!, m[2]!) : undefined;
            return [named ? `${named.UserPool}/${named.Client}` : k, sortedKeys(v)];
          })
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    identityPools.push(out);
  }

  const when = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const scope = opts.pool ? `user pool ${opts.pool}, its app clients and the identity pools that use it` : 'every user pool, app client and identity pool';
  return {
    description:
      `Exported by corral export from ${opts.endpoint} at ${when}: ${scope}. Apply it with corral apply <file> (or as ` +
      'corral.config.json at start): resources are found by name, created when missing and updated when they differ.',
    userPools,
    identityPools,
  };
}

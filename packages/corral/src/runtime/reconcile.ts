// Configuration as code: makes the resources a configuration file names match it. `planReconcile` reads what exists
// (List*/Describe* through an `Api`) and diffs it with the file: a plan of API calls, or refusals for what AWS
// cannot change in place. Nothing is written until the whole plan is known to be valid; `applyPlan` then runs it.
// The `Api` is the transport: in-process at start (provision.ts localApi), or SigV4 over HTTP to a running Corral
// (remote-api.ts, `corral apply`).
//
// Rules: resources are found by name; what the file does not mention keeps its current value (UpdateUserPool and
// UpdateUserPoolClient reset what they are not sent, so they are sent the current description overlaid with the
// file's members, member by member: a member the file gives replaces the current one whole, as CreateUserPool
// would set it); nothing is deleted unless the file says `"Delete": true`. A pool's `Domain` (its prefix domain,
// which DescribeUserPool shows and CreateUserPool cannot set) is created when the pool has none, removed by
// `"Domain": null`, and never renamed in place (refused: AWS cannot either); a deleted pool's domain goes first.
import type {
  GetUserPoolMfaConfigResponse,
  ListUserPoolClientsResponse,
  ListUserPoolsResponse,
  SchemaAttributeType,
  SetUserPoolMfaConfigRequest,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { GetIdentityPoolRolesResponse, IdentityPool, ListIdentityPoolsResponse } from '@aws-sdk/client-cognito-identity';
import { buildSchema, isCustomAttribute, withCustomAttributes } from '../domain/attribute-schema.js';
import { clientSettings } from '../domain/clients.js';
import { applyMfaConfig } from '../domain/pool-mfa.js';
import { checkMfaSettings, mutableSettings, signInSettings } from '../domain/pool-settings.js';
import type { Pool } from '../storage/pools.js';
import { regionOfId } from '../regions.js';
import { services, type ServiceKey } from '../wire/model.js';
import { validateInput } from '../wire/validate.js';

/** One API call: an action of `cognito-idp` ('idp') or `cognito-identity` ('identity'), answered as JSON. */
export type Api = (service: ServiceKey, action: string, input: object) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where the resources are made: the region of new ones and the account role names expand in. */
export interface Target {
  region: string;
  accountId: string;
}

/** The declarations, as provision.ts's schema reads them (API members pass through). */
export interface ClientDecl {
  ClientName: string;
  Delete?: boolean;
  [member: string]: unknown;
}
export interface UserPoolDecl {
  PoolName: string;
  Clients: ClientDecl[];
  Delete?: boolean;
  /** SetUserPoolMfaConfig's members: the factors DescribeUserPool does not show (TOTP, email, WebAuthn). */
  MfaConfig?: Record<string, unknown>;
  /** The pool's prefix domain (CreateUserPoolDomain); null removes it. */
  Domain?: string | null;
  [member: string]: unknown;
}
export type ProviderDecl =
  { UserPool: string; Client: string; ServerSideTokenCheck?: boolean } | { ProviderName: string; ClientId: string; ServerSideTokenCheck?: boolean };
export interface IdentityPoolDecl {
  IdentityPoolName: string;
  AllowUnauthenticatedIdentities?: boolean;
  CognitoIdentityProviders?: ProviderDecl[];
  Roles?: { authenticated?: string; unauthenticated?: string };
  RoleMappings?: Record<string, unknown>;
  Delete?: boolean;
  [member: string]: unknown;
}
export interface Declarations {
  userPools: UserPoolDecl[];
  identityPools: IdentityPoolDecl[];
}

/** The declared resources (those not deleted) by name and id, in the file's order. */
export interface ResourceIds {
  userPools: { name: string; id: string; clients: { name: string; id: string }[] }[];
  identityPools: { name: string; id: string }[];
}

/** Ids known so far: the existing resources the file names, then those the plan creates as it runs. */
interface State {
  pools: Map<string, string>;
  clients: Map<string, Map<string, string>>;
  identityPools: Map<string, string>;
}

export interface Step {
  verb: 'create' | 'update' | 'delete';
  /** `user pool WildRydes`, `app client web of user pool WildRydes`, `identity pool wildrydes_identity_pool`. */
  what: string;
  /** What changes, one line each: `Policies.PasswordPolicy.MinimumLength 8 → 12`. */
  details: string[];
  /** Runs the step's calls; a create answers the new id. */
  run(api: Api, state: State): Promise<string | void>;
}

export interface Plan {
  steps: Step[];
  /** Changes AWS cannot make in place, bad members, broken references: any one stops the whole plan. */
  refusals: string[];
  /** Worth saying, not stopping for (several resources with one name). */
  notes: string[];
  /** @internal ids known before the run, and what the file declares. */
  state: State;
  decl: Declarations;
}

/** A plan with refusals: nothing was changed. */
export class ReconcileRefused extends Error {
  constructor(
    readonly refusals: string[],
    lead = 'the configuration cannot be applied (nothing was changed)',
  ) {
    super(`${lead}:\n${refusals.map((r) => `  - ${r}`).join('\n')}`);
    this.name = 'ReconcileRefused';
  }
}

/** A call that failed while the plan ran: what was done before it stays done. */
export class ReconcileFailed extends Error {
  constructor(
    message: string,
    readonly done: string[],
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ReconcileFailed';
  }
}

/** An error answer of the API as `Type: message` (CognitoError in-process, or the wire's `__type`). */
export function apiErrorText(err: unknown): string {
  const e = err as { type?: unknown; message?: unknown };
  return typeof e?.type === 'string' ? `${e.type}: ${String(e.message)}` : String((err as Error)?.message ?? err);
}

// ---- What AWS says about settings fixed at creation (Amazon Cognito Developer Guide, "Updating user pool
// configuration", docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html; the schema rule
// is AWS::Cognito::UserPool's Schema property in the CloudFormation reference). ----
const AWS_SAYS = {
  signIn: 'To change user pool sign-in options, create a new user pool.',
  caseSensitivity: 'To change case sensitivity, create a new user pool.',
  schema: 'During a user pool update, you can add new schema attributes but you cannot modify or delete an existing schema attribute.',
  customRemoved: "You can change the value of a user's custom attribute, but you can't delete a custom attribute from your user pool.",
  secret: 'To change a client secret, create a new app client in the same user pool.',
};

// ---- JSON helpers ----

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value with undefined and null members dropped (null in a file means "not set"), recursively. */
export function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (isObject(v)) {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = canon(x);
    return out;
  }
  return v;
}

/** JSON with object keys sorted: the same value always prints the same. */
export function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (isObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedKeys(v[k])]),
    );
  return v;
}

const key = (v: unknown) => JSON.stringify(sortedKeys(canon(v)));
export const same = (a: unknown, b: unknown): boolean => key(a) === key(b);
const show = (v: unknown) => (v === undefined || v === null ? '(none)' : JSON.stringify(canon(v)));

/** The leaves that differ, as `path before → after` (objects are compared member by member, lists whole). */
export function leafDiff(before: unknown, after: unknown, path = ''): string[] {
  const b = canon(before);
  const a = canon(after);
  if (isObject(b) && isObject(a)) {
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.flatMap((k) => leafDiff(b[k], a[k], path ? `${path}.${k}` : k));
  }
  return same(b, a) ? [] : [`${path} ${show(b)} → ${show(a)}`];
}

/** Members of a structure of a service's model, in the model's order. */
export function modelMembers(service: ServiceKey, shape: string): string[] {
  return Object.keys(services[service].shapes[shape]?.members ?? {});
}

function pick(o: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

/** The members but `keys`, nulls kept (a null in the file unsets the member). */
function without(o: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => !keys.includes(k) && v !== undefined));
}

/** The members with nulls dropped: what a Create* call is sent. */
function dropNulls(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/** `base` with each member of `members` replacing its own (a null one removing it). */
function overlayMembers(base: Json, members: Json, keys: string[] = Object.keys(members)): Json {
  const out: Json = { ...base };
  for (const k of keys) {
    if (!(k in members)) continue;
    if (members[k] === null || members[k] === undefined) delete out[k];
    else out[k] = members[k];
  }
  return out;
}

/** The input shape of an action. */
function inputShape(service: ServiceKey, action: string): string {
  return services[service].operations[action]!.input!;
}

const validate = (service: ServiceKey, action: string, input: Json) => validateInput(services[service], inputShape(service, action), input);

export async function listAll<T>(
  api: Api,
  service: ServiceKey,
  action: string,
  input: Json,
  items: (page: Awaited<ReturnType<Api>>) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let NextToken: string | undefined;
  do {
    const page = await api(service, action, { ...input, ...(NextToken ? { NextToken } : {}) });
    out.push(...(items(page) ?? []));
    NextToken = page?.NextToken;
  } while (NextToken);
  return out;
}

export function roleArn(target: Target, role: string): string {
  return role.startsWith('arn:') ? role : `arn:aws:iam::${target.accountId}:role/${role}`;
}

export function providerNameOf(poolId: string, fallbackRegion: string): string {
  return `cognito-idp.${regionOfId(poolId, fallbackRegion)}.amazonaws.com/${poolId}`;
}

const POOL_EXTRAS = ['Clients', 'Delete', 'MfaConfig', 'Domain'];
const CLIENT_EXTRAS = ['Delete'];
const IDENTITY_EXTRAS = ['Roles', 'RoleMappings', 'Delete'];
/** The verification messages: the legacy members and the template are one setting (pool-settings.ts verification). */
const MESSAGES = ['VerificationMessageTemplate', 'SmsVerificationMessage', 'EmailVerificationMessage', 'EmailVerificationSubject'];

const createPoolMembers = () => modelMembers('idp', inputShape('idp', 'CreateUserPool'));
const updatePoolMembers = () => modelMembers('idp', inputShape('idp', 'UpdateUserPool')).filter((k) => k !== 'UserPoolId' && k !== 'PoolName');
const createClientMembers = () => modelMembers('idp', inputShape('idp', 'CreateUserPoolClient')).filter((k) => k !== 'UserPoolId');
const updateClientMembers = () =>
  modelMembers('idp', inputShape('idp', 'UpdateUserPoolClient')).filter((k) => !['UserPoolId', 'ClientId', 'ClientName'].includes(k));
const createIdentityMembers = () => modelMembers('identity', inputShape('identity', 'CreateIdentityPool'));

/** Stand-in ids for resources the plan has yet to create (valid for the model's patterns, never sent). */
const NEW_POOL_ID = (region: string) => `${region}_NewPool`;
const NEW_CLIENT_ID = 'newclient';
const NEW_IDENTITY_POOL_ID = (region: string) => `${region}:00000000-0000-0000-0000-000000000000`;

/** The current settings of a user pool, and what the plan learned about it. */
interface PoolFacts {
  described: UserPoolType;
  mfa: GetUserPoolMfaConfigResponse;
  clients: { ClientId: string; ClientName: string }[];
}

/**
 * Reads what exists and diffs it with the declarations. Never writes. Refusals are collected for the whole file
 * (a plan with any is not to be run).
 */
export async function planReconcile(api: Api, decl: Declarations, target: Target): Promise<Plan> {
  const steps: Step[] = [];
  const refusals: string[] = [];
  const notes: string[] = [];
  const deletes: Step[] = [];
  const state: State = { pools: new Map(), clients: new Map(), identityPools: new Map() };
  const refuse = (what: string, message: string) => refusals.push(`${what}: ${message}`);
  const attempt = (what: string, check: () => void) => {
    try {
      check();
    } catch (err) {
      refuse(what, apiErrorText(err));
    }
  };

  // Names declared twice are ambiguous.
  const dupes = (names: string[]) => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  for (const n of dupes(decl.userPools.map((p) => p.PoolName))) refuse(`user pool ${n}`, 'declared more than once in the file');
  for (const n of dupes(decl.identityPools.map((p) => p.IdentityPoolName))) refuse(`identity pool ${n}`, 'declared more than once in the file');
  const domains = decl.userPools.filter((p) => !p.Delete && typeof p.Domain === 'string').map((p) => p.Domain as string);
  for (const d of dupes(domains)) refuse(`domain ${d}`, 'declared for more than one user pool in the file');

  const existingPools = (
    await listAll<NonNullable<ListUserPoolsResponse['UserPools']>[number]>(api, 'idp', 'ListUserPools', { MaxResults: 60 }, (p) => p.UserPools)
  ).sort(byCreation);
  /** Which of several same-named resources the file manages: the oldest (the one /_corral/resources lists first). */
  const poolNamed = (name: string) => {
    const all = existingPools.filter((p) => p.Name === name);
    if (all.length > 1) notes.push(`${all.length} user pools are named ${name}; the file manages the oldest, ${all[0]!.Id}`);
    return all[0];
  };

  // ---- user pools and their clients ----
  const facts = new Map<string, PoolFacts>();
  /** The schema a pool has once the plan ran (for the clients' ReadAttributes/WriteAttributes). */
  const schemaAfter = new Map<string, SchemaAttributeType[]>();
  for (const pool of decl.userPools) {
    const name = pool.PoolName;
    const what = `user pool ${name}`;
    const found = poolNamed(name);
    if (pool.Delete) {
      if (found) {
        const described = (await api('idp', 'DescribeUserPool', { UserPoolId: found.Id })).UserPool as UserPoolType;
        if (described.DeletionProtection === 'ACTIVE') {
          refuse(what, 'Delete is refused while its DeletionProtection is ACTIVE; set "DeletionProtection": "INACTIVE" and apply first');
        }
        deletes.push({
          verb: 'delete',
          what,
          details: described.Domain ? [`with its domain ${described.Domain}`] : [],
          async run(a) {
            // A pool with a domain cannot be deleted until the domain is.
            if (described.Domain) await a('idp', 'DeleteUserPoolDomain', { UserPoolId: found.Id, Domain: described.Domain });
            await a('idp', 'DeleteUserPool', { UserPoolId: found.Id });
          },
        });
      }
      continue;
    }
    checkMembers(refuse, what, pool, [...createPoolMembers(), ...POOL_EXTRAS]);
    for (const n of dupes(pool.Clients.map((c) => c.ClientName))) refuse(`app client ${n} of ${what}`, 'declared more than once in the file');
    const members = without(pool, POOL_EXTRAS);
    const mfaConfig = isObject(pool.MfaConfig) ? pool.MfaConfig : undefined;
    if (mfaConfig?.MfaConfiguration != null && members.MfaConfiguration != null && mfaConfig.MfaConfiguration !== members.MfaConfiguration) {
      refuse(
        what,
        `MfaConfiguration ${JSON.stringify(members.MfaConfiguration)} and MfaConfig.MfaConfiguration ${JSON.stringify(mfaConfig.MfaConfiguration)} disagree; give one of them, or the same value in both`,
      );
    }
    const domain = 'Domain' in pool ? pool.Domain : undefined;
    if (typeof domain === 'string') await checkDomain(api, what, domain, found?.Id, refuse, attempt, target);

    if (!found) {
      // A new pool: CreateUserPool, then SetUserPoolMfaConfig for the factors CreateUserPool cannot set.
      const input = mfaConfig ? { ...dropNulls(members), MfaConfiguration: 'OFF' } : dropNulls(members);
      let settings: Partial<UserPoolType> = {};
      attempt(what, () => {
        validate('idp', 'CreateUserPool', input);
        settings = mutableSettings(input);
        checkMfaSettings(settings, false);
        signInSettings(input);
      });
      let schema: SchemaAttributeType[] = [];
      attempt(what, () => (schema = buildSchema(input.Schema as SchemaAttributeType[] | undefined)));
      schemaAfter.set(name, schema);
      const mfaInput = mfaConfig && { ...mfaConfig, MfaConfiguration: mfaConfig.MfaConfiguration ?? pool.MfaConfiguration ?? 'OFF' };
      if (mfaInput) attempt(what, () => checkMfa(name, settings, schema, mfaInput));
      steps.push({
        verb: 'create',
        what,
        details: typeof domain === 'string' ? [`with the domain ${domain}`] : [],
        async run(a, s) {
          const id = (await a('idp', 'CreateUserPool', input)).UserPool.Id as string;
          s.pools.set(name, id);
          s.clients.set(name, new Map());
          if (mfaInput) await a('idp', 'SetUserPoolMfaConfig', { ...mfaInput, UserPoolId: id });
          if (typeof domain === 'string') await a('idp', 'CreateUserPoolDomain', { UserPoolId: id, Domain: domain });
          return id;
        },
      });
    } else {
      const id = found.Id!;
      state.pools.set(name, id);
      const described = (await api('idp', 'DescribeUserPool', { UserPoolId: id })).UserPool as UserPoolType;
      const mfa = (await api('idp', 'GetUserPoolMfaConfig', { UserPoolId: id })) as GetUserPoolMfaConfigResponse;
      const clients = (
        await listAll<NonNullable<ListUserPoolClientsResponse['UserPoolClients']>[number]>(
          api,
          'idp',
          'ListUserPoolClients',
          { UserPoolId: id, MaxResults: 60 },
          (p) => p.UserPoolClients,
        )
      ).map((c) => ({ ClientId: c.ClientId!, ClientName: c.ClientName! }));
      facts.set(name, { described, mfa, clients });
      const step = planPoolUpdate(what, id, pool, members, mfaConfig, described, mfa, refuse, attempt);
      schemaAfter.set(name, step.schema);
      if (step.step) steps.push(step.step);
      const have = described.Domain || undefined;
      if (typeof domain === 'string' && have && domain !== have) {
        refuse(
          what,
          `Domain cannot be renamed in place (UpdateUserPoolDomain changes only its managed login version): apply "Domain": null to remove ${have} first, then the new name, or put back ${JSON.stringify(have)}`,
        );
      } else if (typeof domain === 'string' && !have) {
        steps.push({
          verb: 'update',
          what,
          details: [`Domain (none) → ${JSON.stringify(domain)}`],
          run: (a) => a('idp', 'CreateUserPoolDomain', { UserPoolId: id, Domain: domain }),
        });
      } else if (domain === null && have) {
        deletes.unshift({
          verb: 'update',
          what,
          details: [`Domain ${JSON.stringify(have)} → (none)`],
          run: (a) => a('idp', 'DeleteUserPoolDomain', { UserPoolId: id, Domain: have }),
        });
      }
    }

    // The pool's clients.
    const known = new Map<string, string>();
    state.clients.set(name, known);
    const poolFacts = facts.get(name);
    const poolLike = { id: found?.Id ?? NEW_POOL_ID(target.region), name, settings: { SchemaAttributes: schemaAfter.get(name) } } as Pool;
    for (const client of pool.Clients) {
      const cwhat = `app client ${client.ClientName} of ${what}`;
      const all = poolFacts?.clients.filter((c) => c.ClientName === client.ClientName) ?? [];
      if (all.length > 1) notes.push(`${all.length} app clients of ${what} are named ${client.ClientName}; the file manages the first, ${all[0]!.ClientId}`);
      const existing = all[0];
      if (client.Delete) {
        if (existing) {
          deletes.unshift({
            verb: 'delete',
            what: cwhat,
            details: [],
            run: (a) => a('idp', 'DeleteUserPoolClient', { UserPoolId: found!.Id, ClientId: existing.ClientId }),
          });
        }
        continue;
      }
      checkMembers(refuse, cwhat, client, [...createClientMembers(), ...CLIENT_EXTRAS]);
      const members = without(client, CLIENT_EXTRAS);
      if (!existing) {
        const input = dropNulls(members);
        attempt(cwhat, () => {
          validate('idp', 'CreateUserPoolClient', { ...input, UserPoolId: poolLike.id });
          const { ClientName: _n, GenerateSecret, ...rest } = input;
          clientSettings(poolLike, rest, !!GenerateSecret, 'creating');
        });
        steps.push({
          verb: 'create',
          what: cwhat,
          details: [],
          async run(a, s) {
            const poolId = s.pools.get(name)!;
            const id = (await a('idp', 'CreateUserPoolClient', { ...input, UserPoolId: poolId })).UserPoolClient.ClientId as string;
            s.clients.get(name)!.set(client.ClientName, id);
            return id;
          },
        });
        continue;
      }
      known.set(client.ClientName, existing.ClientId);
      const current = (await api('idp', 'DescribeUserPoolClient', { UserPoolId: found!.Id, ClientId: existing.ClientId })).UserPoolClient as UserPoolClientType;
      const step = planClientUpdate(cwhat, current, members, poolLike, refuse, attempt);
      if (step) steps.push(step);
    }
  }

  // ---- identity pools ----
  const existingIdentityPools = await listAll<NonNullable<ListIdentityPoolsResponse['IdentityPools']>[number]>(
    api,
    'identity',
    'ListIdentityPools',
    { MaxResults: 60 },
    (p) => p.IdentityPools,
  );
  const deleted = new Set(decl.userPools.filter((p) => p.Delete).map((p) => p.PoolName));
  const deletedClients = new Set(decl.userPools.flatMap((p) => p.Clients.filter((c) => c.Delete).map((c) => `${p.PoolName}/${c.ClientName}`)));
  const declaredClients = new Set(
    decl.userPools.flatMap((p) => (p.Delete ? [] : p.Clients.filter((c) => !c.Delete).map((c) => `${p.PoolName}/${c.ClientName}`))),
  );
  /**
   * The provider name and client id of a declared pool/client: from `ids` (those known), else a stand-in — one the
   * model's patterns accept (to validate the calls), or one that says what it stands for (to show the plan).
   */
  const resolver = (ids: State, standIn?: 'valid' | 'shown') => {
    const poolId = (pool: string) =>
      ids.pools.get(pool) ?? (standIn === 'valid' ? NEW_POOL_ID(target.region) : standIn ? `<new user pool ${pool}>` : undefined);
    const clientId = (pool: string, client: string) =>
      ids.clients.get(pool)?.get(client) ?? (standIn === 'valid' ? NEW_CLIENT_ID : standIn ? `<new app client ${client}>` : undefined);
    return {
      providers(list: ProviderDecl[]) {
        return list.map((p) => {
          if ('ProviderName' in p) return canon(p) as Json;
          const pid = poolId(p.UserPool);
          const cid = clientId(p.UserPool, p.Client);
          if (!pid || !cid) throw new Error(`${p.UserPool}/${p.Client} has no id`);
          const name = pid.startsWith('<') ? `cognito-idp.${target.region}.amazonaws.com/${pid}` : providerNameOf(pid, target.region);
          return canon({ ProviderName: name, ClientId: cid, ServerSideTokenCheck: p.ServerSideTokenCheck }) as Json;
        });
      },
      mappings(m: Record<string, unknown>) {
        return Object.fromEntries(
          Object.entries(m).map(([k, v]) => {
            const named = /^([^/]+)\/([^/]+)$/.exec(k);
            if (!named || !declaredClients.has(k)) return [k, v];
            const pid = poolId(named[1]!)!;
            const name = pid.startsWith('<') ? `cognito-idp.${target.region}.amazonaws.com/${pid}` : providerNameOf(pid, target.region);
            return [`${name}:${clientId(named[1]!, named[2]!)}`, v];
          }),
        );
      },
    };
  };
  const atPlan = resolver(state, 'valid');
  const shown = resolver(state, 'shown');

  for (const ip of decl.identityPools) {
    const name = ip.IdentityPoolName;
    const what = `identity pool ${name}`;
    const all = existingIdentityPools.filter((p) => p.IdentityPoolName === name);
    if (all.length > 1) notes.push(`${all.length} identity pools are named ${name}; the file manages the first listed, ${all[0]!.IdentityPoolId}`);
    const found = all[0];
    if (ip.Delete) {
      if (found)
        deletes.unshift({ verb: 'delete', what, details: [], run: (a) => a('identity', 'DeleteIdentityPool', { IdentityPoolId: found.IdentityPoolId }) });
      continue;
    }
    checkMembers(refuse, what, ip, [...createIdentityMembers(), ...IDENTITY_EXTRAS]);
    let referencesOk = true;
    for (const p of ip.CognitoIdentityProviders ?? []) {
      if (!('UserPool' in p)) continue;
      const ref = `${p.UserPool}/${p.Client}`;
      if (deleted.has(p.UserPool) || deletedClients.has(ref)) {
        refuse(what, `CognitoIdentityProviders names ${ref}, which the file deletes`);
        referencesOk = false;
      } else if (!declaredClients.has(ref)) {
        refuse(what, `CognitoIdentityProviders names ${ref}, which is not declared in userPools`);
        referencesOk = false;
      }
    }
    if (!referencesOk) continue;
    const members = without(ip, IDENTITY_EXTRAS);
    const rolesGiven = ip.Roles !== undefined || ip.RoleMappings !== undefined;
    const wantRoles = (r: ReturnType<typeof resolver>, current?: GetIdentityPoolRolesResponse) => ({
      Roles: ip.Roles ? Object.fromEntries(Object.entries(canon(ip.Roles) as Json).map(([k, v]) => [k, roleArn(target, String(v))])) : (current?.Roles ?? {}),
      RoleMappings: ip.RoleMappings ? r.mappings(ip.RoleMappings) : (current?.RoleMappings ?? {}),
    });
    const rolesInput = (id: string, roles: { Roles: Json; RoleMappings: Json }) => ({
      IdentityPoolId: id,
      Roles: roles.Roles,
      ...(Object.keys(roles.RoleMappings).length ? { RoleMappings: roles.RoleMappings } : {}),
    });
    const inputOf = (r: ReturnType<typeof resolver>, base: Json = {}) => {
      const out = overlayMembers(base, members);
      if (ip.CognitoIdentityProviders) out.CognitoIdentityProviders = r.providers(ip.CognitoIdentityProviders);
      out.AllowUnauthenticatedIdentities ??= false;
      return out;
    };

    if (!found) {
      attempt(what, () => {
        validate('identity', 'CreateIdentityPool', inputOf(atPlan));
        if (rolesGiven) validate('identity', 'SetIdentityPoolRoles', rolesInput(NEW_IDENTITY_POOL_ID(target.region), wantRoles(atPlan)));
      });
      steps.push({
        verb: 'create',
        what,
        details: [],
        async run(a, s) {
          const r = resolver(s);
          const id = (await a('identity', 'CreateIdentityPool', inputOf(r))).IdentityPoolId as string;
          s.identityPools.set(name, id);
          if (rolesGiven) await a('identity', 'SetIdentityPoolRoles', rolesInput(id, wantRoles(r)));
          return id;
        },
      });
      continue;
    }
    const id = found.IdentityPoolId!;
    state.identityPools.set(name, id);
    const { IdentityPoolId: _id, ...current } = (await api('identity', 'DescribeIdentityPool', { IdentityPoolId: id })) as IdentityPool;
    const currentRoles = (await api('identity', 'GetIdentityPoolRoles', { IdentityPoolId: id })) as GetIdentityPoolRolesResponse;
    const details = leafDiff(identityState(current as Json), identityState(inputOf(shown, current as Json)));
    const haveRoles = { Roles: currentRoles.Roles ?? {}, RoleMappings: currentRoles.RoleMappings ?? {} };
    const roleDetails = leafDiff(haveRoles, wantRoles(shown, currentRoles));
    attempt(what, () => {
      validate('identity', 'UpdateIdentityPool', { IdentityPoolId: id, ...inputOf(atPlan, current as Json) });
      if (roleDetails.length) validate('identity', 'SetIdentityPoolRoles', rolesInput(id, wantRoles(atPlan, currentRoles)));
    });
    if (!details.length && !roleDetails.length) continue;
    steps.push({
      verb: 'update',
      what,
      details: [...details, ...roleDetails],
      async run(a, s) {
        const r = resolver(s);
        if (details.length) await a('identity', 'UpdateIdentityPool', { IdentityPoolId: id, ...inputOf(r, current as Json) });
        if (roleDetails.length) await a('identity', 'SetIdentityPoolRoles', rolesInput(id, wantRoles(r, currentRoles)));
      },
    });
  }

  // Deletes run last (identity pools, then clients, then pools): a failing create or update deletes nothing.
  return { steps: [...steps, ...deletes], refusals, notes, state, decl };
}

export function byCreation(a: { CreationDate?: unknown; Id?: string }, b: { CreationDate?: unknown; Id?: string }): number {
  const t = (d: unknown) => (typeof d === 'number' ? d : d instanceof Date ? d.getTime() / 1000 : Number(d ?? 0));
  return t(a.CreationDate) - t(b.CreationDate) || String(a.Id).localeCompare(String(b.Id));
}

/** Words a prefix domain may not contain (domain/oauth/domains.ts, as Cognito says: "Domain cannot contain reserved
 *  word: …"). */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];

/** A domain the file gives a pool: one CreateUserPoolDomain accepts, and not another pool's. */
async function checkDomain(
  api: Api,
  what: string,
  domain: string,
  poolId: string | undefined,
  refuse: (what: string, m: string) => void,
  attempt: (what: string, check: () => void) => void,
  target: Target,
): Promise<void> {
  let valid = true;
  attempt(what, () => {
    try {
      validate('idp', 'CreateUserPoolDomain', { UserPoolId: poolId ?? NEW_POOL_ID(target.region), Domain: domain });
    } catch (err) {
      valid = false;
      throw err;
    }
  });
  if (!valid) return;
  const reserved = RESERVED_DOMAIN_WORDS.find((w) => domain.includes(w));
  if (reserved) return refuse(what, `Domain cannot contain reserved word: ${reserved}`);
  const holder = (await api('idp', 'DescribeUserPoolDomain', { Domain: domain }))?.DomainDescription?.UserPoolId as string | undefined;
  if (holder && holder !== poolId) refuse(what, `Domain ${domain} is already associated with another user pool (${holder})`);
}

/** Members the request does not have are refused by name (a typo would otherwise be dropped silently). */
function checkMembers(refuse: (what: string, m: string) => void, what: string, decl: Json, allowed: string[]): void {
  const unknown = Object.keys(decl).filter((k) => !allowed.includes(k));
  if (unknown.length) refuse(what, `unknown member${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
}

/** The pool as SetUserPoolMfaConfig would leave it, checked as the action checks it. */
function checkMfa(name: string, settings: Partial<UserPoolType>, schema: SchemaAttributeType[], input: Json): UserPoolType {
  return applyMfaConfig({ id: 'x', name, settings: { ...settings, SchemaAttributes: schema } } as Pool, input as unknown as SetUserPoolMfaConfigRequest);
}

/** The MFA configuration as GetUserPoolMfaConfig reports it (for diffs). */
function mfaView(m: Json, pool: Partial<UserPoolType>): Json {
  const sms = isObject(m.SmsMfaConfiguration) ? m.SmsMfaConfiguration : undefined;
  return canon({
    MfaConfiguration: m.MfaConfiguration ?? 'OFF',
    SmsMfaConfiguration:
      sms && (sms.SmsConfiguration ?? pool.SmsConfiguration)
        ? {
            SmsAuthenticationMessage: sms.SmsAuthenticationMessage ?? pool.SmsAuthenticationMessage,
            SmsConfiguration: sms.SmsConfiguration ?? pool.SmsConfiguration,
          }
        : undefined,
    SoftwareTokenMfaConfiguration: { Enabled: isObject(m.SoftwareTokenMfaConfiguration) && m.SoftwareTokenMfaConfiguration.Enabled === true },
    EmailMfaConfiguration: m.EmailMfaConfiguration,
    WebAuthnConfiguration: m.WebAuthnConfiguration,
  }) as Json;
}

function planPoolUpdate(
  what: string,
  id: string,
  pool: UserPoolDecl,
  members: Json,
  mfaConfig: Json | undefined,
  described: UserPoolType,
  mfa: GetUserPoolMfaConfigResponse,
  refuse: (what: string, m: string) => void,
  attempt: (what: string, check: () => void) => void,
): { step?: Step; schema: SchemaAttributeType[] } {
  const cur = described as Json;
  const putBack = (member: string, value: unknown) =>
    value === undefined || (Array.isArray(value) && value.length === 0) ? `or remove ${member} from the file` : `or put back ${JSON.stringify(canon(value))}`;

  // Fixed at creation: refused when the file says otherwise.
  for (const member of ['AliasAttributes', 'UsernameAttributes'] as const) {
    if (!(member in members)) continue;
    const want = [...new Set((members[member] as string[] | null) ?? [])].sort();
    const have = [...new Set(described[member] ?? [])].sort();
    if (!same(want, have)) {
      refuse(
        what,
        `${member} cannot be changed after the pool is created (AWS: "${AWS_SAYS.signIn}"); delete and re-create the pool, ${putBack(member, described[member])}`,
      );
    }
  }
  if ('UsernameConfiguration' in members) {
    const norm = (v: unknown) => (isObject(v) ? { CaseSensitive: v.CaseSensitive ?? true } : { CaseSensitive: true });
    if (!same(norm(members.UsernameConfiguration), norm(described.UsernameConfiguration))) {
      refuse(
        what,
        `UsernameConfiguration cannot be changed after the pool is created (AWS: "${AWS_SAYS.caseSensitivity}"); delete and re-create the pool, ${putBack('UsernameConfiguration', described.UsernameConfiguration)}`,
      );
    }
  }

  // The schema: new custom attributes are added; a changed or missing existing attribute is refused.
  const currentSchema = described.SchemaAttributes ?? [];
  let schema = currentSchema;
  const added: SchemaAttributeType[] = [];
  if ('Schema' in members) {
    const defs = (members.Schema as SchemaAttributeType[] | null) ?? [];
    let desired: SchemaAttributeType[] | undefined;
    attempt(what, () => (desired = buildSchema(defs)));
    if (desired) {
      for (const want of desired) {
        const have = currentSchema.find((a) => a.Name === want.Name);
        if (!have) {
          const def = isCustomAttribute(want.Name!) ? defs.find((d) => attributeName(d) === want.Name) : undefined;
          if (def) added.push(def);
        } else if (!same(want, have)) {
          refuse(
            what,
            `Schema attribute ${want.Name} cannot be changed after the pool is created (AWS: "${AWS_SAYS.schema}"); delete and re-create the pool, or put back ${JSON.stringify(schemaDecl(have))}`,
          );
        }
      }
      for (const have of currentSchema) {
        if (isCustomAttribute(have.Name!) && !desired.some((a) => a.Name === have.Name)) {
          refuse(
            what,
            `Schema attribute ${have.Name} cannot be removed (AWS: "${AWS_SAYS.customRemoved}"); delete and re-create the pool, or put back ${JSON.stringify(schemaDecl(have))}`,
          );
        }
      }
      if (added.length) attempt(what, () => (schema = withCustomAttributes(currentSchema, added)));
    }
  }

  // Settings UpdateUserPool can change: the current ones overlaid with the file's, member by member.
  const updatable = updatePoolMembers();
  const base = pick(cur, updatable);
  const overlay = overlayMembers(MESSAGES.some((k) => k in members) ? without(base, MESSAGES) : base, members, updatable);
  // Tags go through TagResource/UntagResource; the factors of MfaConfig through SetUserPoolMfaConfig.
  overlay.UserPoolTags = base.UserPoolTags ?? {};
  if (mfaConfig) overlay.MfaConfiguration = base.MfaConfiguration ?? 'OFF';
  let details: string[] = [];
  let after: Partial<UserPoolType> = {};
  attempt(what, () => {
    const before = without(mutableSettings(base) as Json, ['UserPoolTags']);
    after = mutableSettings(overlay);
    details = leafDiff(before, without(after as Json, ['UserPoolTags']));
    if (!details.length) return;
    validate('idp', 'UpdateUserPool', { UserPoolId: id, ...overlay });
    checkMfaSettings(after, !!(mfa.SoftwareTokenMfaConfiguration?.Enabled || mfa.EmailMfaConfiguration));
  });
  const update = details.length > 0;

  // Tags.
  const haveTags = (described.UserPoolTags ?? {}) as Record<string, string>;
  const wantTags = 'UserPoolTags' in members ? ((members.UserPoolTags ?? {}) as Record<string, string>) : haveTags;
  const tagDetails = leafDiff({ UserPoolTags: haveTags }, { UserPoolTags: wantTags });
  const tagged = Object.fromEntries(Object.entries(wantTags).filter(([k, v]) => haveTags[k] !== v));
  const untagged = Object.keys(haveTags).filter((k) => !(k in wantTags));
  if (Object.keys(wantTags).length > 50) refuse(what, 'A user pool can have at most 50 tags.');

  // MFA factors.
  let mfaDetails: string[] = [];
  let mfaInput: Json | undefined;
  if (mfaConfig) {
    mfaInput = { ...mfaConfig, MfaConfiguration: mfaConfig.MfaConfiguration ?? members.MfaConfiguration ?? described.MfaConfiguration ?? 'OFF' };
    if (!mfaInput.WebAuthnConfiguration && mfa.WebAuthnConfiguration) mfaInput.WebAuthnConfiguration = mfa.WebAuthnConfiguration;
    const settingsAfter = update ? after : described;
    attempt(what, () => checkMfa(pool.PoolName, settingsAfter, schema, mfaInput!));
    mfaDetails = leafDiff({ MfaConfig: mfaView(mfa as Json, described) }, { MfaConfig: mfaView(mfaInput, settingsAfter) });
  }

  const schemaDetails = added.length ? [`Schema ${added.map((a) => attributeName(a)).join(', ')} added`] : [];
  const all = [...schemaDetails, ...details, ...tagDetails, ...mfaDetails];
  if (!all.length) return { schema };
  return {
    schema,
    step: {
      verb: 'update',
      what,
      details: all,
      async run(a) {
        if (added.length) await a('idp', 'AddCustomAttributes', { UserPoolId: id, CustomAttributes: added });
        if (update) await a('idp', 'UpdateUserPool', { UserPoolId: id, ...overlay });
        if (Object.keys(tagged).length) await a('idp', 'TagResource', { ResourceArn: described.Arn, Tags: tagged });
        if (untagged.length) await a('idp', 'UntagResource', { ResourceArn: described.Arn, TagKeys: untagged });
        // After an UpdateUserPool too: it recomputes the SMS factor from the settings it is sent.
        if (mfaInput && (mfaDetails.length || update)) await a('idp', 'SetUserPoolMfaConfig', { ...mfaInput, UserPoolId: id });
      },
    },
  };
}

const attributeName = (a: SchemaAttributeType) => `${a.DeveloperOnlyAttribute ? 'dev:' : ''}custom:${(a.Name ?? '').replace(/^(dev:)?(custom:)?/, '')}`;

/** An attribute of DescribeUserPool's SchemaAttributes as CreateUserPool's Schema declares it. */
export function schemaDecl(a: SchemaAttributeType): Json {
  const custom = isCustomAttribute(a.Name ?? '');
  const out: Json = {
    Name: custom ? a.Name!.replace(/^(dev:)?custom:/, '') : a.Name,
    AttributeDataType: a.AttributeDataType,
  };
  if (custom && a.DeveloperOnlyAttribute) out.DeveloperOnlyAttribute = true;
  out.Mutable = a.Mutable;
  if (!custom) out.Required = a.Required;
  if (a.StringAttributeConstraints && Object.keys(a.StringAttributeConstraints).length)
    out.StringAttributeConstraints = sortedKeys(a.StringAttributeConstraints);
  if (a.NumberAttributeConstraints && Object.keys(a.NumberAttributeConstraints).length)
    out.NumberAttributeConstraints = sortedKeys(a.NumberAttributeConstraints);
  return out;
}

function planClientUpdate(
  what: string,
  current: UserPoolClientType,
  members: Json,
  pool: Pool,
  refuse: (what: string, m: string) => void,
  attempt: (what: string, check: () => void) => void,
): Step | undefined {
  const hasSecret = !!current.ClientSecret;
  if ('GenerateSecret' in members && !!members.GenerateSecret !== hasSecret) {
    refuse(
      what,
      `GenerateSecret cannot be changed after the client is created (AWS: "${AWS_SAYS.secret}"); delete and re-create the client, or put back ${hasSecret}`,
    );
  }
  const updatable = updateClientMembers();
  const base = pick(current as Json, updatable);
  const overlay = overlayMembers(base, members, updatable);
  let details: string[] = [];
  attempt(what, () => {
    details = leafDiff(clientSettings(pool, base, hasSecret, 'updating'), clientSettings(pool, overlay, hasSecret, 'updating'));
    if (details.length) validate('idp', 'UpdateUserPoolClient', { UserPoolId: current.UserPoolId, ClientId: current.ClientId, ...overlay });
  });
  if (!details.length) return undefined;
  return {
    verb: 'update',
    what,
    details,
    run: (a) => a('idp', 'UpdateUserPoolClient', { UserPoolId: current.UserPoolId, ClientId: current.ClientId, ClientName: current.ClientName, ...overlay }),
  };
}

/** An identity pool's settings with the members Cognito always returns filled in (identity-pools.ts normalize). */
function identityState(p: Json): Json {
  const providers = p.CognitoIdentityProviders as Json[] | undefined;
  return canon({
    ...p,
    AllowUnauthenticatedIdentities: p.AllowUnauthenticatedIdentities ?? false,
    AllowClassicFlow: p.AllowClassicFlow ?? false,
    SupportedLoginProviders: p.SupportedLoginProviders ?? {},
    CognitoIdentityProviders: providers?.map((x) => ({ ...x, ServerSideTokenCheck: x.ServerSideTokenCheck ?? false })),
    IdentityPoolTags: p.IdentityPoolTags ?? {},
  }) as Json;
}

const PAST = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/** A step as lines: `updated user pool WildRydes: Policies.PasswordPolicy.MinimumLength 8 → 12` (or `would update …`). */
export function stepLines(step: Step, done: boolean, id?: string): string[] {
  const verb = done ? PAST[step.verb] : `would ${step.verb}`;
  if (!step.details.length) return [`${verb} ${step.what}${id ? ` (${id})` : ''}`];
  return step.details.map((d) => `${verb} ${step.what}: ${d}`);
}

/** Runs a plan without refusals, one step after the other; `report` gets each line as its step is done. */
export async function applyPlan(api: Api, plan: Plan, report: (line: string) => void = () => {}): Promise<ResourceIds> {
  if (plan.refusals.length) throw new ReconcileRefused(plan.refusals);
  const state: State = {
    pools: new Map(plan.state.pools),
    clients: new Map([...plan.state.clients].map(([k, v]) => [k, new Map(v)])),
    identityPools: new Map(plan.state.identityPools),
  };
  const done: string[] = [];
  for (const step of plan.steps) {
    let id: string | void;
    try {
      id = await step.run(api, state);
    } catch (err) {
      const before = done.length ? ` (done before it: ${done.join('; ')})` : ' (nothing was changed before it)';
      throw new ReconcileFailed(`could not ${step.verb} ${step.what}: ${apiErrorText(err)}${before}`, done, { cause: err });
    }
    for (const line of stepLines(step, true, id ?? undefined)) {
      done.push(line);
      report(line);
    }
  }
  return {
    userPools: plan.decl.userPools
      .filter((p) => !p.Delete)
      .map((p) => ({
        name: p.PoolName,
        id: state.pools.get(p.PoolName)!,
        clients: p.Clients.filter((c) => !c.Delete).map((c) => ({ name: c.ClientName, id: state.clients.get(p.PoolName)!.get(c.ClientName)! })),
      })),
    identityPools: plan.decl.identityPools
      .filter((p) => !p.Delete)
      .map((p) => ({ name: p.IdentityPoolName, id: state.identityPools.get(p.IdentityPoolName)! })),
  };
}

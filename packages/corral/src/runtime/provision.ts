// Provisioning: the resources a deployment declares in a file (corral.config.json), applied at start through the
// same action handlers (and the same model validation) the API uses. Idempotent by resource name: a resource
// that exists is left as it is, so ids stay stable across restarts.
import type {
  CreateUserPoolClientResponse,
  CreateUserPoolResponse,
  ListUserPoolClientsResponse,
  ListUserPoolsResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { GetIdentityPoolRolesResponse, IdentityPool, ListIdentityPoolsResponse } from '@aws-sdk/client-cognito-identity';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CognitoError } from '../errors.js';
import { loadActions } from '../wire/actions.js';
import { operationForTarget, services, type ServiceKey } from '../wire/model.js';
import { validateInput } from '../wire/validate.js';
import type { Corral } from './app.js';
import type { Config, FunctionSource } from './config.js';
import { regionOfId } from '../regions.js';

// API members (PoolName, Schema, ClientName, …) pass through to the actions, whose model validation checks them.
const ClientDecl = z.looseObject({ ClientName: z.string().min(1) });
const UserPoolDecl = z.looseObject({ PoolName: z.string().min(1), Clients: z.array(ClientDecl).default([]) });
const IdentityPoolDecl = z.looseObject({
  IdentityPoolName: z.string().min(1),
  AllowUnauthenticatedIdentities: z.boolean().default(false),
  /** Providers by the names declared above; resolved to ProviderName `cognito-idp.<region>.amazonaws.com/<poolId>`. */
  CognitoIdentityProviders: z
    .array(z.strictObject({ UserPool: z.string().min(1), Client: z.string().min(1), ServerSideTokenCheck: z.boolean().optional() }))
    .default([]),
  /** Role ARNs, or role names (expanded to `arn:aws:iam::<account>:role/<name>`). */
  Roles: z.strictObject({ authenticated: z.string().min(1).optional(), unauthenticated: z.string().min(1).optional() }).default({}),
});
/** Trigger functions by name (a LambdaConfig ARN `arn:aws:lambda:…:function:<name>` names one): an ES module path
 * relative to this file, or an HTTP endpoint. */
const FunctionDecl = z.union([z.strictObject({ module: z.string().min(1) }), z.strictObject({ url: z.url() })]);
export const ProvisionFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  functions: z.record(z.string().regex(/^[\w-]{1,64}$/, 'a function name (letters, digits, - and _)'), FunctionDecl).default({}),
  userPools: z.array(UserPoolDecl).default([]),
  identityPools: z.array(IdentityPoolDecl).default([]),
});
export type ProvisionFile = z.infer<typeof ProvisionFileSchema>;

/** What was provisioned: printed at start, written to `<dataDir>/resources.json`, served at GET /_corral/resources. */
export interface Resources {
  region: string;
  endpoint: string;
  userPools: { name: string; id: string; clients: { name: string; id: string }[] }[];
  identityPools: { name: string; id: string }[];
}

export const RESOURCES_FILE = 'resources.json';

/** The file to apply: CORRAL_CONFIG (must exist), else `corral.config.json` in the working directory if present. */
export function resolveProvisionFile(config: Config, cwd = process.cwd()): string | undefined {
  if (config.provisionFile) {
    const file = resolve(cwd, config.provisionFile);
    if (!existsSync(file)) throw new Error(`CORRAL_CONFIG names ${file}, which does not exist`);
    return file;
  }
  const fallback = resolve(cwd, 'corral.config.json');
  return existsSync(fallback) ? fallback : undefined;
}

export function readProvisionFile(file: string): ProvisionFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ProvisionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n');
    throw new Error(`${file} is not a valid Corral configuration:\n${issues}`);
  }
  return parsed.data;
}

/** The file's functions with module paths made absolute (relative to the file). */
export function declaredFunctions(file: string, decl: ProvisionFile): Record<string, FunctionSource> {
  return Object.fromEntries(
    Object.entries(decl.functions).map(([name, f]) => [name, 'module' in f ? { module: resolve(dirname(file), f.module) } : { url: f.url }]),
  );
}

/** Calls an action handler as the API would (input validated against the model), as the admin. */
async function invoke<O>(app: Corral, service: ServiceKey, name: string, input: unknown): Promise<O> {
  const operation = operationForTarget(`${services[service].targetPrefix}.${name}`);
  const handler = (await loadActions()).get(`${service}:${name}`);
  if (!operation || !handler) throw new Error(`provisioning needs ${name}, which Corral does not implement yet`);
  const valid = validateInput(operation.model, operation.input, input);
  return (await handler(valid, {
    app,
    log: app.log,
    requestId: `provision-${randomUUID()}`,
    operation,
    accessKeyId: app.secrets.admin.accessKeyId,
    sourceIp: '127.0.0.1',
    headers: {},
  })) as O;
}

/** Collects every page of a List* action. */
async function listAll<T, P extends { NextToken?: string }>(fetch: (token?: string) => Promise<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(items(page) ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function roleArn(app: Corral, role: string | undefined): string | undefined {
  if (!role) return undefined;
  return role.startsWith('arn:') ? role : `arn:aws:iam::${app.config.accountId}:role/${role}`;
}

function context(what: string, err: unknown): Error {
  const detail = err instanceof CognitoError ? `${err.type}: ${err.message}` : (err as Error).message;
  return new Error(`provisioning ${what} failed: ${detail}`, { cause: err });
}

/** Applies the declarations: creates what is missing (found by name), leaves what exists. */
export async function provision(app: Corral, decl: ProvisionFile): Promise<Resources> {
  const resources: Resources = { region: app.config.region, endpoint: app.config.publicUrl, userPools: [], identityPools: [] };

  const pools = await listAll(
    (NextToken) => invoke<ListUserPoolsResponse>(app, 'idp', 'ListUserPools', { MaxResults: 60, NextToken }),
    (p) => p.UserPools,
  );
  for (const { Clients, ...input } of decl.userPools) {
    const name = input.PoolName;
    let id: string;
    try {
      const existing = pools.find((p) => p.Name === name);
      if (existing) {
        id = existing.Id!;
      } else {
        id = (await invoke<CreateUserPoolResponse>(app, 'idp', 'CreateUserPool', input)).UserPool!.Id!;
        app.log.info({ userPool: name, id }, 'provisioned user pool');
      }
    } catch (err) {
      throw context(`user pool ${name}`, err);
    }
    const entry: Resources['userPools'][number] = { name, id, clients: [] };
    const clients = await listAll(
      (NextToken) => invoke<ListUserPoolClientsResponse>(app, 'idp', 'ListUserPoolClients', { UserPoolId: id, MaxResults: 60, NextToken }),
      (p) => p.UserPoolClients,
    );
    for (const client of Clients) {
      try {
        const existing = clients.find((c) => c.ClientName === client.ClientName);
        const clientId =
          existing?.ClientId ??
          (await invoke<CreateUserPoolClientResponse>(app, 'idp', 'CreateUserPoolClient', { ...client, UserPoolId: id })).UserPoolClient!.ClientId!;
        if (!existing) app.log.info({ userPool: name, client: client.ClientName, id: clientId }, 'provisioned app client');
        entry.clients.push({ name: client.ClientName, id: clientId });
      } catch (err) {
        throw context(`app client ${client.ClientName} of ${name}`, err);
      }
    }
    resources.userPools.push(entry);
  }

  const identityPools = await listAll(
    (NextToken) => invoke<ListIdentityPoolsResponse>(app, 'identity', 'ListIdentityPools', { MaxResults: 60, NextToken }),
    (p) => p.IdentityPools,
  );
  for (const { Roles, CognitoIdentityProviders, ...input } of decl.identityPools) {
    const name = input.IdentityPoolName;
    try {
      const providers = CognitoIdentityProviders.map((p) => {
        const pool = resources.userPools.find((u) => u.name === p.UserPool);
        const client = pool?.clients.find((c) => c.name === p.Client);
        if (!pool || !client) throw new Error(`CognitoIdentityProviders names ${p.UserPool}/${p.Client}, which is not declared in userPools`);
        return {
          ProviderName: `cognito-idp.${regionOfId(pool.id, app.config.region)}.amazonaws.com/${pool.id}`,
          ClientId: client.id,
          ...(p.ServerSideTokenCheck !== undefined ? { ServerSideTokenCheck: p.ServerSideTokenCheck } : {}),
        };
      });
      let id = identityPools.find((p) => p.IdentityPoolName === name)?.IdentityPoolId;
      if (!id) {
        const created = await invoke<IdentityPool>(app, 'identity', 'CreateIdentityPool', { ...input, CognitoIdentityProviders: providers });
        id = created.IdentityPoolId!;
        app.log.info({ identityPool: name, id }, 'provisioned identity pool');
      }
      const roles = { authenticated: roleArn(app, Roles.authenticated), unauthenticated: roleArn(app, Roles.unauthenticated) };
      const current = await invoke<GetIdentityPoolRolesResponse>(app, 'identity', 'GetIdentityPoolRoles', { IdentityPoolId: id });
      if (Object.keys(current.Roles ?? {}).length === 0 && (roles.authenticated || roles.unauthenticated)) {
        await invoke(app, 'identity', 'SetIdentityPoolRoles', { IdentityPoolId: id, Roles: JSON.parse(JSON.stringify(roles)) });
      }
      resources.identityPools.push({ name, id });
    } catch (err) {
      throw context(`identity pool ${name}`, err);
    }
  }
  return resources;
}

export function writeResources(config: Config, resources: Resources): void {
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(join(config.dataDir, RESOURCES_FILE), JSON.stringify(resources, null, 2) + '\n');
}

/** The resources written at the last start, or none. */
export function readResources(config: Config): Resources {
  const file = join(config.dataDir, RESOURCES_FILE);
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as Resources), endpoint: config.publicUrl, region: config.region };
  return { region: config.region, endpoint: config.publicUrl, userPools: [], identityPools: [] };
}

/** The walkthrough's "scratch pad": the values a client needs, one per line. */
export function scratchPad(resources: Resources): string {
  const rows: [string, string][] = [
    ['Region', resources.region],
    ['Endpoint', resources.endpoint],
  ];
  for (const pool of resources.userPools) {
    rows.push([`User Pool Id (${pool.name})`, pool.id]);
    for (const c of pool.clients) rows.push([`App Client Id (${c.name})`, c.id]);
  }
  for (const pool of resources.identityPools) rows.push([`Identity Pool Id (${pool.name})`, pool.id]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${(k + ':').padEnd(width + 1)} ${v}`).join('\n');
}

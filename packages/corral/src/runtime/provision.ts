// Provisioning: the resources a deployment declares in a file (corral.config.json), reconciled at start through the
// same action handlers (and the same model validation) the API uses: created when missing, updated when they differ,
// deleted only when the file says `"Delete": true` (runtime/reconcile.ts has the rules). Resources are found by name,
// so ids stay stable across restarts. `corral apply` runs the same reconciliation against a running server.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadActions } from '../wire/actions.js';
import { toWireJson } from '../wire/http.js';
import { operationForTarget, services, type ServiceKey } from '../wire/model.js';
import { validateInput } from '../wire/validate.js';
import type { Corral } from './app.js';
import type { Config, FunctionSource } from './config.js';
import { applyPlan, planReconcile, ReconcileRefused, type Api, type ResourceIds } from './reconcile.js';
import { listResources } from './export.js';

// API members (PoolName, Schema, ClientName, …) pass through to the actions, whose model validation checks them;
// members no request has are refused by name (reconcile.ts). `"Delete": true` deletes the resource.
const ClientDecl = z.looseObject({ ClientName: z.string().min(1), Delete: z.boolean().optional() });
const UserPoolDecl = z.looseObject({
  PoolName: z.string().min(1),
  Clients: z.array(ClientDecl).default([]),
  Delete: z.boolean().optional(),
  /** SetUserPoolMfaConfig's members (TOTP, email and WebAuthn factors, which CreateUserPool cannot set). */
  MfaConfig: z.looseObject({}).optional(),
});
const ProviderByName = z.strictObject({ UserPool: z.string().min(1), Client: z.string().min(1), ServerSideTokenCheck: z.boolean().optional() });
const ProviderById = z.strictObject({ ProviderName: z.string().min(1), ClientId: z.string().min(1), ServerSideTokenCheck: z.boolean().optional() });
const IdentityPoolDecl = z.looseObject({
  IdentityPoolName: z.string().min(1),
  AllowUnauthenticatedIdentities: z.boolean().optional(),
  /** Providers by the names declared above (resolved to ProviderName `cognito-idp.<region>.amazonaws.com/<poolId>`
   *  and the client's id), or as the API names them (`ProviderName`, `ClientId`). */
  CognitoIdentityProviders: z.array(z.union([ProviderByName, ProviderById])).optional(),
  /** Role ARNs, or role names (expanded to `arn:aws:iam::<account>:role/<name>`). */
  Roles: z.strictObject({ authenticated: z.string().min(1).optional(), unauthenticated: z.string().min(1).optional() }).optional(),
  /** SetIdentityPoolRoles's RoleMappings; a key `<PoolName>/<ClientName>` names a declared client. */
  RoleMappings: z.record(z.string(), z.looseObject({})).optional(),
  Delete: z.boolean().optional(),
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

/** What was provisioned (printed at start, written to `<dataDir>/resources.json`), or what exists (served at GET
 *  /_corral/resources). */
export interface Resources extends ResourceIds {
  region: string;
  endpoint: string;
  /** CORRAL_ACCOUNT_ID: the account of ARNs (`corral apply` expands role names in it). */
  accountId: string;
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
async function invoke(app: Corral, service: ServiceKey, name: string, input: unknown): Promise<unknown> {
  const operation = operationForTarget(`${services[service].targetPrefix}.${name}`);
  const handler = (await loadActions()).get(`${service}:${name}`);
  if (!operation || !handler) throw new Error(`provisioning needs ${name}, which Corral does not implement yet`);
  const valid = validateInput(operation.model, operation.input, input);
  return handler(valid, {
    app,
    log: app.log,
    requestId: `provision-${randomUUID()}`,
    operation,
    accessKeyId: app.secrets.admin.accessKeyId,
    sourceIp: '127.0.0.1',
    headers: {},
  });
}

/** The API in-process, answering exactly what the wire would (dates as epoch seconds). */
export function localApi(app: Corral): Api {
  return async (service, action, input) => JSON.parse(toWireJson((await invoke(app, service, action, input)) ?? {}));
}

/** Reconciles the declarations (reconcile.ts): refused as a whole before anything changes, or applied step by step,
 *  each change logged. */
export async function provision(app: Corral, decl: ProvisionFile): Promise<Resources> {
  const api = localApi(app);
  const plan = await planReconcile(api, decl, { region: app.config.region, accountId: app.config.accountId });
  for (const note of plan.notes) app.log.warn(`provisioning: ${note}`);
  if (plan.refusals.length) throw new ReconcileRefused(plan.refusals, 'provisioning refused the configuration (nothing was changed)');
  const ids = await applyPlan(api, plan, (line) => app.log.info(`provisioning: ${line}`));
  return { region: app.config.region, endpoint: app.config.publicUrl, accountId: app.config.accountId, ...ids };
}

/** What exists now (every user pool with its clients, every identity pool), as GET /_corral/resources serves it. */
export async function currentResources(app: Corral): Promise<Resources> {
  const ids = await listResources(localApi(app));
  return { region: app.config.region, endpoint: app.config.publicUrl, accountId: app.config.accountId, ...ids };
}

export function writeResources(config: Config, resources: Resources): void {
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(join(config.dataDir, RESOURCES_FILE), JSON.stringify(resources, null, 2) + '\n');
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

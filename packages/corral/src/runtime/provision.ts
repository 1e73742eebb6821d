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
import type { CodeFunctionSource, Config, FunctionSource } from './config.js';
import { ENVIRONMENT_MAX_BYTES, ENVIRONMENT_NAME, RESERVED_ENVIRONMENT } from '../triggers/runtime/environment.js';
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
  /** The pool's prefix domain (CreateUserPoolDomain); null removes it. */
  Domain: z.string().min(1).nullable().optional(),
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
/** Trigger functions by name (a LambdaConfig ARN `arn:aws:lambda:…:function:<name>` names one): code run in child
 * processes (triggers/runtime/) — `module` (a file path relative to this file; export `handler`, or `lambda_handler`
 * for a `.py`) or `handler` (Lambda's handler string `<path without extension>.<export>`, relative to this file) —
 * with Lambda's settings, or an HTTP endpoint. */
const RUNTIME = /^(nodejs(\d+\.x)?|python3(\.\d+)?)$/;
const FunctionEnvironment = z.record(z.string(), z.string()).superRefine((vars, ctx) => {
  const names = Object.keys(vars);
  const bad = names.filter((k) => !ENVIRONMENT_NAME.test(k));
  if (bad.length) ctx.addIssue({ code: 'custom', message: `${bad.join(', ')}: an environment variable name is a letter, then letters, digits and _` });
  const reserved = names.filter((k) => (RESERVED_ENVIRONMENT as readonly string[]).includes(k));
  if (reserved.length) {
    ctx.addIssue({
      code: 'custom',
      message: `Lambda reserves ${reserved.join(', ')}: a function's environment cannot set ${reserved.length > 1 ? 'them' : 'it'}`,
    });
  }
  const bytes = Object.entries(vars).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > ENVIRONMENT_MAX_BYTES) ctx.addIssue({ code: 'custom', message: `${bytes} bytes: Lambda allows ${ENVIRONMENT_MAX_BYTES} of variables` });
});
const CodeSettings = {
  runtime: z.string().regex(RUNTIME, 'nodejs, nodejs<N>.x, python3 or python3.<N>').optional(),
  /** Seconds (Lambda: 1–900); default 5, Cognito's limit. */
  timeout: z.number().int().min(1).max(900).optional(),
  /** MB (Lambda: 128–10240); default 128. */
  memorySize: z.number().int().min(128).max(10240).optional(),
  environment: FunctionEnvironment.optional(),
  /** Invocations at once (Lambda's reserved concurrency); default 10; 0 refuses every invocation. */
  reservedConcurrency: z.number().int().min(0).max(1000).optional(),
};
const isPython = (f: { runtime?: string | undefined }) => f.runtime?.startsWith('python') ?? false;
const ModuleDecl = z
  .strictObject({ module: z.string().min(1), ...CodeSettings })
  .refine((f) => !f.runtime || isPython(f) === f.module.endsWith('.py'), { message: 'a python runtime runs a .py module, a nodejs runtime a JavaScript one' });
const HandlerDecl = z.strictObject({
  handler: z.string().regex(/^[^\s]*[^\s/.][.][\w$]+(?:[.][\w$]+)*$/, 'a Lambda handler string: <file path without extension>.<exported function>'),
  ...CodeSettings,
});
const UrlDecl = z.strictObject({ url: z.url() });
type FunctionDeclared = z.infer<typeof ModuleDecl> | z.infer<typeof HandlerDecl> | z.infer<typeof UrlDecl>;
/** One of the three, chosen by its members (`url`, else `handler` without `module`, else `module`), so a refusal says
 *  what is wrong with the declaration rather than that it matches none of them. */
const FunctionDecl = z.unknown().transform((value, ctx): FunctionDeclared => {
  const has = (key: string) => typeof value === 'object' && value !== null && key in value;
  const schema = has('url') ? UrlDecl : has('handler') && !has('module') ? HandlerDecl : ModuleDecl;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
  return z.NEVER;
});
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

/** Lambda's split of a handler string: Node.js at the first `.` after the last `/` (`dir/index.nested.fn` →
 *  `dir/index`, `nested.fn`); Python at the last `.`, the module's other dots being directories as for an import
 *  (`dir/pkg.app.lambda_handler` → `dir/pkg/app`, `lambda_handler`). */
export function splitHandler(handler: string, python: boolean): { modulePath: string; exportName: string } {
  if (python) {
    const dot = handler.lastIndexOf('.');
    const path = handler.slice(0, dot);
    const slash = path.lastIndexOf('/');
    return { modulePath: path.slice(0, slash + 1) + path.slice(slash + 1).replace(/\./g, '/'), exportName: handler.slice(dot + 1) };
  }
  const dot = handler.indexOf('.', handler.lastIndexOf('/') + 1);
  return { modulePath: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/** The file's functions with paths made absolute (relative to the file). */
export function declaredFunctions(file: string, decl: ProvisionFile): Record<string, FunctionSource> {
  const dir = dirname(file);
  return Object.fromEntries(
    Object.entries(decl.functions).map(([name, f]): [string, FunctionSource] => {
      if ('url' in f) return [name, { url: f.url }];
      const settings: Omit<CodeFunctionSource, 'module'> = {};
      if (f.runtime !== undefined) settings.runtime = f.runtime;
      if (f.timeout !== undefined) settings.timeout = f.timeout;
      if (f.memorySize !== undefined) settings.memorySize = f.memorySize;
      if (f.environment !== undefined) settings.environment = f.environment;
      if (f.reservedConcurrency !== undefined) settings.reservedConcurrency = f.reservedConcurrency;
      if ('module' in f) return [name, { module: resolve(dir, f.module), ...settings }];
      const { modulePath, exportName } = splitHandler(f.handler, isPython(f));
      return [name, { module: resolve(dir, modulePath), exportName, handler: f.handler, taskRoot: dir, ...settings }];
    }),
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

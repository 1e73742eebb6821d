// The API of a running Corral over HTTP, for `corral apply` and `corral export`: AWS JSON 1.1 POSTs signed with
// SigV4 with the admin key pair, as the AWS SDK would send them.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { regionOfId } from '../regions.js';
import { services } from '../wire/model.js';
import type { AccessKey } from '../wire/sigv4.js';
import type { Api, Target } from './reconcile.js';

export const DEFAULT_ENDPOINT = 'http://localhost:9229';

/** An error answer of the server: its `__type` and message. */
export class RemoteApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RemoteApiError';
  }
}

/** The answers that mean the key pair is not the server's. */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);
export const isCredentialError = (err: unknown): err is RemoteApiError => err instanceof RemoteApiError && CREDENTIAL_ERRORS.has(err.type);

/** `--endpoint`, else CORRAL_URL, else http://localhost:9229. */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (flag ?? env.CORRAL_URL ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
}

/**
 * The admin key pair: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else CORRAL_ACCESS_KEY_ID/CORRAL_SECRET_ACCESS_KEY,
 * else the data directory's credentials.json (CORRAL_DATA_DIR, default .corral; runtime/secrets.ts writes it). Never
 * generates one.
 */
export function resolveCredentials(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { key: AccessKey; source: string } {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { key: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }, source: 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY' };
  }
  if (env.CORRAL_ACCESS_KEY_ID && env.CORRAL_SECRET_ACCESS_KEY) {
    return {
      key: { accessKeyId: env.CORRAL_ACCESS_KEY_ID, secretAccessKey: env.CORRAL_SECRET_ACCESS_KEY },
      source: 'CORRAL_ACCESS_KEY_ID/CORRAL_SECRET_ACCESS_KEY',
    };
  }
  const file = join(resolve(cwd, env.CORRAL_DATA_DIR ?? '.corral'), 'credentials.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AccessKey>;
    if (parsed.accessKeyId && parsed.secretAccessKey)
      return { key: { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey }, source: file };
  }
  throw new Error(
    `no admin credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or CORRAL_ACCESS_KEY_ID and CORRAL_SECRET_ACCESS_KEY) ` +
      `to the server's key pair (\`corral credentials\` prints it), or run from the directory whose ${file} has it`,
  );
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const c = (err as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (err as Error).message;
    throw new Error(`cannot reach Corral at ${new URL(url).origin} (${cause}); is it running? (--endpoint or CORRAL_URL names it)`, { cause: err });
  }
}

/**
 * What the running server says about itself (GET /_corral/resources): its region (where new pools are made unless
 * CORRAL_REGION says otherwise) and account (role names expand in it).
 */
export async function serverTarget(endpoint: string, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const res = await send(`${endpoint}/_corral/resources`, { headers: { accept: 'application/json' } });
  const listed = res.ok ? ((await res.json()) as { region?: string; accountId?: string }) : {};
  return {
    region: env.CORRAL_REGION ?? listed.region ?? 'us-east-1',
    accountId: env.CORRAL_ACCOUNT_ID ?? listed.accountId ?? '000000000000',
  };
}

/** The region a call is signed for: the one its resource's id names, else `fallback` (where new resources go). */
function signingRegion(input: Record<string, unknown>, fallback: string): string {
  for (const k of ['UserPoolId', 'IdentityPoolId']) if (typeof input[k] === 'string') return regionOfId(input[k], fallback);
  const arn = typeof input.ResourceArn === 'string' ? input.ResourceArn.split(':')[3] : undefined;
  return arn || fallback;
}

export function remoteApi(endpoint: string, key: AccessKey, region: string): Api {
  const url = new URL(endpoint);
  return async (service, action, input) => {
    const model = services[service];
    const body = JSON.stringify(input);
    const signer = new SignatureV4({
      credentials: key,
      region: signingRegion(input as Record<string, unknown>, region),
      service: model.signingName,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname.replace(/\/?$/, '/'),
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${model.targetPrefix}.${action}` },
      body,
    });
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    const res = await send(new URL(url.pathname.replace(/\/?$/, '/'), url).toString(), { method: 'POST', headers, body });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (res.ok) throw new Error(`${action}: Corral at ${url.origin} answered something that is not JSON`);
    }
    if (!res.ok) {
      const type = String(json.__type ?? res.headers.get('x-amzn-errortype') ?? `HTTP ${res.status}`)
        .replace(/:.*$/, '')
        .replace(/^.*#/, '');
      throw new RemoteApiError(type, String(json.message ?? json.Message ?? text), res.status);
    }
    return json;
  };
}

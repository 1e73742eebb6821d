// Every call the console makes: the public API (AWS JSON 1.1 at POST /), SigV4-signed here in the browser with the
// admin key pair of the signed-in session, exactly as the AWS SDK or CLI would send it. The console can do nothing
// the API cannot.
//
//   idp('ListUsers', { UserPoolId, Filter })      → ListUsersResponse     (cognito-idp, AWSCognitoIdentityProviderService)
//   identity('ListIdentityPools', { MaxResults }) → ListIdentityPoolsResponse (cognito-identity, AWSCognitoIdentityService)
//   corral('ListMessages', { … })                  → Corral's own admin actions (signing name `corral`, CorralAdmin)
//   Failures throw ApiError { type (the Cognito exception name), message }.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type * as Idp from '@aws-sdk/client-cognito-identity-provider';
import type * as Identity from '@aws-sdk/client-cognito-identity';
import { currentSession, touchSession } from './session';
import type * as Admin from './corral-admin';

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

type IdpModule = typeof Idp;
type IdentityModule = typeof Identity;
/** `<Action>` of a client module's `<Action>Command`, with its input and output types. */
type Actions<M> = { [K in keyof M & `${string}Command` as K extends `${infer A}Command` ? A : never]: M[K] };
type InputOf<C> = C extends new (input: infer I) => unknown ? I : never;
type OutputOf<C> = C extends new (...args: never[]) => { resolveMiddleware(...args: never[]): (...a: never[]) => Promise<{ output: infer O }> }
  ? Omit<O, '$metadata'>
  : never;

export type IdpAction = keyof Actions<IdpModule>;
export type IdpInput<A extends IdpAction> = InputOf<Actions<IdpModule>[A]>;
export type IdpOutput<A extends IdpAction> = OutputOf<Actions<IdpModule>[A]>;
export type IdentityAction = keyof Actions<IdentityModule>;
export type IdentityInput<A extends IdentityAction> = InputOf<Actions<IdentityModule>[A]>;
export type IdentityOutput<A extends IdentityAction> = OutputOf<Actions<IdentityModule>[A]>;

const SERVICES = {
  idp: { target: 'AWSCognitoIdentityProviderService', signingName: 'cognito-idp' },
  identity: { target: 'AWSCognitoIdentityService', signingName: 'cognito-identity' },
  corral: { target: 'CorralAdmin', signingName: 'corral' },
} as const;

/** Dates travel as epoch seconds (AWS JSON); they come back as Date objects for members the SDK types as Date. */
function reviveDates(_key: string, value: unknown): unknown {
  return value;
}

async function call(service: keyof typeof SERVICES, action: string, input: unknown): Promise<unknown> {
  const session = currentSession();
  if (!session) throw new ApiError('NotSignedIn', 'Sign in to the console first.', 401);
  const { target, signingName } = SERVICES[service];
  const url = new URL('/', window.location.origin);
  const body = JSON.stringify(input ?? {});
  const signer = new SignatureV4({
    service: signingName,
    region: session.region,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${target}.${action}`,
    },
    body,
  });
  const headers = { ...signed.headers } as Record<string, string>;
  delete headers.host; // the browser sends it (the same value, signed above)
  touchSession();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text, reviveDates) as Record<string, unknown>) : {};
  } catch {
    throw new ApiError('InternalErrorException', `Corral answered ${res.status} with a body that is not JSON.`, res.status);
  }
  if (!res.ok) {
    const type = String(json.__type ?? res.headers.get('x-amzn-errortype') ?? 'UnknownError')
      .replace(/^.*#/, '')
      .replace(/:.*$/, '');
    throw new ApiError(type, String(json.message ?? json.Message ?? `HTTP ${res.status}`), res.status);
  }
  return json;
}

export function idp<A extends IdpAction>(action: A, input: IdpInput<A>): Promise<IdpOutput<A>> {
  return call('idp', action, input) as Promise<IdpOutput<A>>;
}

export function identity<A extends IdentityAction>(action: A, input: IdentityInput<A>): Promise<IdentityOutput<A>> {
  return call('identity', action, input) as Promise<IdentityOutput<A>>;
}

export function corral<A extends keyof Admin.Actions>(action: A, input: Admin.Actions[A]['input']): Promise<Admin.Actions[A]['output']> {
  return call('corral', action, input) as Promise<Admin.Actions[A]['output']>;
}

/** Timestamps arrive as epoch seconds (numbers) on the wire. */
export function asDate(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (value instanceof Date) return value;
  if (typeof value === 'string' && value) return new Date(value);
  return undefined;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.type}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

// App clients: settings from CreateUserPoolClient/UpdateUserPoolClient with Cognito's defaults and rules, storage,
// and the shape DescribeUserPoolClient returns. (Reading a client for sign-in: findClient/requireClient in pools.ts.)
import type { CreateUserPoolClientRequest, ExplicitAuthFlowsType, TimeUnitsType, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidOAuthFlowException, InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import { encrypt } from '../crypto/box.js';
import type { Corral } from '../runtime/app.js';
import { checkClientPermissions } from './attribute-schema.js';
import { CLIENT_SECRET_PURPOSE, findClient, randomChars, type Client, type Pool } from './pools.js';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_AUTH_FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'];
const LEGACY_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);
/** The standard OAuth scopes (oauth/scopes.ts STANDARD_SCOPES; not imported: scopes.ts → tokens.ts → here is a cycle). */
const STANDARD_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin']);

export const newClientId = () => randomChars(26, LOWER_ALNUM);
export const newClientSecret = () => randomChars(51, LOWER_ALNUM);

type ClientInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret'>;

const invalid = (m: string): never => {
  throw new InvalidParameterException(m);
};

const SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** A token validity in seconds, from a value and its unit (default hours for ID/access, days for refresh). */
export function validitySeconds(value: number, unit: TimeUnitsType | undefined, fallback: TimeUnitsType): number {
  return value * SECONDS[unit ?? fallback];
}

/** Token lifetimes of a client in seconds: ID and access 1 h, refresh 30 days unless the client says otherwise. */
export function tokenLifetimes(client: Client): { id: number; access: number; refresh: number } {
  const s = client.settings;
  const u = s.TokenValidityUnits ?? {};
  return {
    id: s.IdTokenValidity ? validitySeconds(s.IdTokenValidity, u.IdToken, 'hours') : 3600,
    access: s.AccessTokenValidity ? validitySeconds(s.AccessTokenValidity, u.AccessToken, 'hours') : 3600,
    refresh: validitySeconds(s.RefreshTokenValidity || 30, u.RefreshToken, 'days'),
  };
}

function checkValidity(input: ClientInput): void {
  const u = input.TokenValidityUnits ?? {};
  const out = (v: number, min: number, max: number) => v < min || v > max;
  if (input.AccessTokenValidity !== undefined && out(validitySeconds(input.AccessTokenValidity, u.AccessToken, 'hours'), 300, 86400))
    invalid('Invalid range for token validity.');
  if (input.IdTokenValidity !== undefined && out(validitySeconds(input.IdTokenValidity, u.IdToken, 'hours'), 300, 86400))
    invalid('Invalid range for token validity.');
  if (input.RefreshTokenValidity && out(validitySeconds(input.RefreshTokenValidity, u.RefreshToken, 'days'), 3600, 315360000))
    invalid('Invalid range for token validity.');
}

function authFlows(flows: ExplicitAuthFlowsType[] | undefined): ExplicitAuthFlowsType[] {
  if (!flows || flows.length === 0) return [...DEFAULT_AUTH_FLOWS];
  const legacy = flows.filter((f) => LEGACY_FLOWS.has(f));
  // The rule is AWS's ("You can't assign these legacy ExplicitAuthFlows values to user pool clients at the same time
  // as values that begin with ALLOW_", API reference, UserPoolClientType.ExplicitAuthFlows); AWS's own message for
  // it was not found in any public source (docs, issues, emulators), so this wording is Corral's.
  if (legacy.length && legacy.length !== flows.length) invalid('ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.');
  // A list of ALLOW_ names must enable refresh: AWS answers InvalidParameterException "REFRESH_TOKEN_AUTH should
  // always be allowed." (aws/aws-cdk#7625, the CloudFormation error of a client with only ALLOW_USER_SRP_AUTH; CDK
  // now always adds ALLOW_REFRESH_TOKEN_AUTH, aws/aws-cdk#10561). Legacy lists enable refresh implicitly.
  if (!legacy.length && !flows.includes('ALLOW_REFRESH_TOKEN_AUTH')) invalid('REFRESH_TOKEN_AUTH should always be allowed.');
  // Stored as given (legacy names are not translated): DescribeUserPoolClient returns what was set, as on AWS.
  return [...new Set(flows)];
}

function checkOAuth(input: ClientInput, hasSecret: boolean): void {
  const flows = input.AllowedOAuthFlows ?? [];
  if (!input.AllowedOAuthFlowsUserPoolClient) return;
  if (flows.includes('client_credentials') && flows.length > 1)
    throw new InvalidOAuthFlowException('client_credentials flow can not be selected along with code flow or implicit flow.');
  if (flows.includes('client_credentials') && !hasSecret)
    throw new InvalidOAuthFlowException('client_credentials flow can not be selected if client does not have a client secret.');
  // client_credentials grants custom scopes only: "InvalidOAuthFlowException: openid is not supported with
  // client_credentials flow" (hashicorp/terraform-provider-aws#4984, AWS's answer to UpdateUserPoolClient).
  const standard = flows.includes('client_credentials') ? input.AllowedOAuthScopes?.find((s) => STANDARD_SCOPES.has(s)) : undefined;
  if (standard) throw new InvalidOAuthFlowException(`${standard} is not supported with client_credentials flow`);
  if ((flows.includes('code') || flows.includes('implicit')) && !input.CallbackURLs?.length)
    invalid('CallbackURLs must be provided with code or implicit flows.');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkUrls(input: ClientInput): void {
  for (const url of [...(input.CallbackURLs ?? []), ...(input.LogoutURLs ?? [])]) {
    let u: URL | undefined;
    try {
      u = new URL(url);
    } catch {
      invalid(`${url} is not a valid URL.`);
    }
    if (u!.hash) invalid(`${url} must not contain a fragment.`);
    // HTTP only for localhost and, since August 2025, the loopback IP literals (an AWS engineer's answer in
    // microsoft/vscode#256122); AWS's words otherwise: "http://localhost.com/ cannot use the HTTP protocol."
    // (aws-amplify/amplify-cli#5419).
    if (u!.protocol === 'http:' && !LOOPBACK.has(u!.hostname)) invalid(`${url} cannot use the HTTP protocol.`);
  }
  if (input.DefaultRedirectURI && !input.CallbackURLs?.includes(input.DefaultRedirectURI)) {
    invalid('DefaultRedirectURI must be in the CallbackURLs list.');
  }
}

/** The settings of a client (without ids, name, secret and dates) from a create or update request. */
export function clientSettings(pool: Pool, input: ClientInput, hasSecret: boolean, verb: 'creating' | 'updating'): UserPoolClientType {
  checkValidity(input);
  checkUrls(input);
  checkOAuth(input, hasSecret);
  if (input.EnablePropagateAdditionalUserContextData && !hasSecret) {
    invalid('EnablePropagateAdditionalUserContextData can only be enabled for clients with a client secret.');
  }
  const s: UserPoolClientType = {
    RefreshTokenValidity: input.RefreshTokenValidity || 30,
    ...(input.AccessTokenValidity !== undefined ? { AccessTokenValidity: input.AccessTokenValidity } : {}),
    ...(input.IdTokenValidity !== undefined ? { IdTokenValidity: input.IdTokenValidity } : {}),
    TokenValidityUnits: input.TokenValidityUnits ?? {},
    ...checkClientPermissions(pool, input.ReadAttributes, input.WriteAttributes, verb),
    ExplicitAuthFlows: authFlows(input.ExplicitAuthFlows),
    SupportedIdentityProviders: input.SupportedIdentityProviders,
    CallbackURLs: input.CallbackURLs,
    LogoutURLs: input.LogoutURLs,
    DefaultRedirectURI: input.DefaultRedirectURI,
    AllowedOAuthFlows: input.AllowedOAuthFlows,
    AllowedOAuthScopes: input.AllowedOAuthScopes,
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    AnalyticsConfiguration: input.AnalyticsConfiguration,
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'LEGACY',
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
  };
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as UserPoolClientType;
}

/**
 * SupportedIdentityProviders of a client: each name COGNITO or an identity provider of the pool. Cognito's words
 * otherwise: "The provider Salesforce does not exist for User Pool us-east-1_…" (lgallard/terraform-aws-cognito-user-pool#71).
 */
export async function checkSupportedProviders(app: Corral, poolId: string, names: string[] | undefined): Promise<void> {
  const wanted = (names ?? []).filter((n) => n !== 'COGNITO');
  if (!wanted.length) return;
  const known = new Set(await app.store.identityProviders.names(poolId));
  const missing = wanted.find((n) => !known.has(n));
  if (missing !== undefined) invalid(`The provider ${missing} does not exist for User Pool ${poolId}.`);
}

export async function saveClient(app: Corral, client: Client, insert: boolean): Promise<void> {
  const { secret, ...rest } = client;
  if (insert) {
    const encryptedSecret = secret ? encrypt(app.secrets.serverKey, CLIENT_SECRET_PURPOSE, secret) : null;
    await app.store.pools.insertClient({ ...rest, encryptedSecret }, app.now());
  } else {
    await app.store.pools.updateClient(rest, app.now());
  }
}

/** DeleteUserPoolClient. */
export async function deleteClient(app: Corral, client: Client): Promise<void> {
  await app.store.pools.deleteClient(client.poolId, client.id);
}

/** A client of the given pool, as the admin client actions look it up. */
export async function requirePoolClient(app: Corral, poolId: string, clientId: string): Promise<Client> {
  const client = await findClient(app, clientId);
  if (!client || client.poolId !== poolId) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return client;
}

/** The client as DescribeUserPoolClient returns it (the secret only when it has one). */
export function describeClient(client: Client): UserPoolClientType {
  const { CreationDate, LastModifiedDate, ...rest } = client.settings;
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret ? { ClientSecret: client.secret } : {}),
    LastModifiedDate,
    CreationDate,
    ...rest,
  };
}

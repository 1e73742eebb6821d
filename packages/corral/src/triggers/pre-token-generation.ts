// PreTokenGeneration: shapes the claims of new ID and access tokens (domain/tokens.ts mintTokens calls it once).
//   triggerSource: TokenGeneration_Authentication, _RefreshTokens, _NewPasswordChallenge, _AuthenticateDevice.
//   V1_0 (LambdaConfig.PreTokenGeneration, or PreTokenGenerationConfig LambdaVersion V1_0): event version '1',
//     response.claimsOverrideDetails { claimsToAddOrOverride, claimsToSuppress, groupOverrideDetails } → ID token
//     (groupOverrideDetails → cognito:groups of both tokens).
//   V2_0 / V3_0: event version '2' / '3' with request.scopes; response.claimsAndScopeOverrideDetails
//     { idTokenGeneration, accessTokenGeneration { claimsToAddOrOverride, claimsToSuppress, scopesToAdd,
//     scopesToSuppress }, groupOverrideDetails }.
//   A claim both added and suppressed is suppressed. groupOverrideDetails replaces cognito:groups / cognito:roles /
//   cognito:preferred_role; given as null or {} it removes them. Reserved claims (RESERVED_CLAIMS: iss, sub, aud,
//   token_use, exp, iat, auth_time, jti, origin_jti, event_id, cognito:username, …) are never changed: Cognito does
//   not let a trigger modify them, so Corral leaves them as they are and logs a warning.
import type { Corral } from '../runtime/app.js';
import type { Client, Pool } from '../storage/pools.js';
import { eventAttributes, hasTrigger, invalidResponse, invokeTrigger } from './invoke.js';

export type TokenGenerationSource =
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_HostedAuth';

/** Claims a trigger may not add, change or suppress (the Cognito developer guide's list, and Corral's own). */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'c_hash',
  'cognito:username',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
  'event_id',
  // access token claims Cognito owns
  'client_id',
  'scope',
  'username',
  'version',
  'device_key',
  // group claims change only through groupOverrideDetails
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
]);

type Claims = Record<string, unknown>;

export interface TokenShapeInput {
  pool: Pool;
  client: Client;
  user: { username: string; attributes: Record<string, string> };
  source: TokenGenerationSource;
  idClaims: Claims;
  accessClaims: Claims;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function strings(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) invalidResponse(`Invalid lambda response: ${field} must be a list of strings.`);
  return v as string[];
}

interface ClaimChanges {
  claimsToAddOrOverride?: unknown;
  claimsToSuppress?: unknown;
  scopesToAdd?: unknown;
  scopesToSuppress?: unknown;
}

function applyClaims(app: Corral, claims: Claims, changes: unknown, field: string, access: boolean): Claims {
  if (changes === undefined || changes === null) return claims;
  if (!isObject(changes)) invalidResponse(`Invalid lambda response: ${field} must be an object.`);
  const c = changes as ClaimChanges;
  const out = { ...claims };
  const add = c.claimsToAddOrOverride;
  if (add !== undefined && add !== null && !isObject(add)) invalidResponse(`Invalid lambda response: ${field}.claimsToAddOrOverride must be an object.`);
  const suppress = strings(c.claimsToSuppress, `${field}.claimsToSuppress`);
  const refused: string[] = [];
  for (const [name, value] of Object.entries((add as Claims | undefined) ?? {})) {
    if (RESERVED_CLAIMS.has(name)) refused.push(name);
    else if (value !== undefined && value !== null) out[name] = value;
  }
  for (const name of suppress) {
    if (RESERVED_CLAIMS.has(name)) refused.push(name);
    else delete out[name];
  }
  if (access) {
    const scopes = new Set(
      String(out.scope ?? '')
        .split(' ')
        .filter(Boolean),
    );
    for (const s of strings(c.scopesToAdd, `${field}.scopesToAdd`)) scopes.add(s);
    for (const s of strings(c.scopesToSuppress, `${field}.scopesToSuppress`)) scopes.delete(s);
    out.scope = [...scopes].join(' ');
  }
  if (refused.length) app.log.warn({ claims: [...new Set(refused)], field }, 'PreTokenGeneration tried to change reserved claims; they are left as they are');
  return out;
}

function applyGroups(claims: Claims, details: unknown, withRoles: boolean): Claims {
  const out = { ...claims };
  delete out['cognito:groups'];
  if (withRoles) {
    delete out['cognito:roles'];
    delete out['cognito:preferred_role'];
  }
  if (!isObject(details)) return out;
  const groups = strings(details.groupsToOverride, 'groupOverrideDetails.groupsToOverride');
  if (groups.length) out['cognito:groups'] = groups;
  if (withRoles) {
    const roles = strings(details.iamRolesToOverride, 'groupOverrideDetails.iamRolesToOverride');
    if (roles.length) out['cognito:roles'] = roles;
    if (typeof details.preferredRole === 'string' && details.preferredRole) out['cognito:preferred_role'] = details.preferredRole;
  }
  return out;
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : [];
}

/** The claims after the pool's PreTokenGeneration trigger (unchanged without one). */
export async function preTokenGeneration(app: Corral, input: TokenShapeInput): Promise<{ idClaims: Claims; accessClaims: Claims }> {
  const { pool, idClaims, accessClaims } = input;
  if (!hasTrigger(pool, 'PreTokenGeneration')) return { idClaims, accessClaims };
  const lambdaVersion = pool.settings.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion ?? 'V1_0';
  const v2 = lambdaVersion !== 'V1_0';
  const response = await invokeTrigger(app, pool, {
    trigger: 'PreTokenGeneration',
    source: input.source,
    version: v2 ? lambdaVersion.slice(1, 2) : '1',
    userName: input.user.username,
    clientId: input.client.id,
    request: {
      userAttributes: eventAttributes(input.user.attributes),
      groupConfiguration: {
        groupsToOverride: asList(idClaims['cognito:groups']),
        iamRolesToOverride: asList(idClaims['cognito:roles']),
        ...(typeof idClaims['cognito:preferred_role'] === 'string' ? { preferredRole: idClaims['cognito:preferred_role'] } : {}),
      },
      ...(v2
        ? {
            scopes: String(accessClaims.scope ?? '')
              .split(' ')
              .filter(Boolean),
          }
        : {}),
      clientMetadata: {},
    },
  });
  if (!response) return { idClaims, accessClaims };
  const field = v2 ? 'claimsAndScopeOverrideDetails' : 'claimsOverrideDetails';
  const details = response[field];
  if (details === undefined || details === null) return { idClaims, accessClaims };
  if (!isObject(details)) invalidResponse(`Invalid lambda response: ${field} must be an object.`);
  let id = idClaims;
  let access = accessClaims;
  if (v2) {
    id = applyClaims(app, id, details.idTokenGeneration, `${field}.idTokenGeneration`, false);
    access = applyClaims(app, access, details.accessTokenGeneration, `${field}.accessTokenGeneration`, true);
  } else {
    id = applyClaims(app, id, details, field, false);
  }
  if ('groupOverrideDetails' in details) {
    id = applyGroups(id, details.groupOverrideDetails, true);
    access = applyGroups(access, details.groupOverrideDetails, false);
  }
  return { idClaims: id, accessClaims: access };
}

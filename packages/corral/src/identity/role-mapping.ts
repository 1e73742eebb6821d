// Which IAM role an identity's credentials carry (GetCredentialsForIdentity), from the pool's roles and RoleMappings.
//
// chooseRole(app, { roles, logins, customRoleArn }) → role ARN
//   Unauthenticated (no logins): Roles.unauthenticated. Authenticated: the RoleMapping keyed
//   `<ProviderName>:<ClientId>` of the first login's provider (the canonical provider name is tried too), else
//   Roles.authenticated.
//   - Type Token: CustomRoleArn when it is one of the token's cognito:roles, else cognito:preferred_role, else the only
//     role of cognito:roles; otherwise ambiguous.
//   - Type Rules: the first rule whose Claim is present in the ID token and matches Value (Equals, Contains,
//     StartsWith, NotEqual; a list claim such as cognito:groups matches when one element does); otherwise ambiguous.
//   - Ambiguous: AmbiguousRoleResolution AuthenticatedRole → Roles.authenticated; Deny (or unset) →
//     NotAuthorizedException 'The ambiguous role mapping rules denied this request.'
//   No role to give: InvalidIdentityPoolConfigurationException 'Invalid identity pool configuration. Check assigned
//   IAM roles for this pool.'
import type { MappingRule, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { InvalidIdentityPoolConfigurationException, NotAuthorizedException } from '../errors.js';
import type { IdentityPoolRoles } from './identity-pools.js';
import type { VerifiedLogin } from './identities.js';

export const ROLE_MESSAGES = {
  denied: 'The ambiguous role mapping rules denied this request.',
  noRole: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
};

export interface RoleChoice {
  roles: IdentityPoolRoles;
  logins: VerifiedLogin[];
  customRoleArn?: string;
}

function claimValues(claim: unknown): string[] | undefined {
  if (claim === undefined || claim === null) return undefined;
  if (Array.isArray(claim)) return claim.map(String);
  return [String(claim)];
}

export function ruleMatches(rule: MappingRule, claims: Record<string, unknown>): boolean {
  const values = claimValues(claims[rule.Claim!]);
  if (!values) return false;
  const want = rule.Value!;
  switch (rule.MatchType) {
    case 'Equals':
      return values.some((v) => v === want);
    case 'Contains':
      return values.some((v) => v.includes(want));
    case 'StartsWith':
      return values.some((v) => v.startsWith(want));
    case 'NotEqual':
      return values.every((v) => v !== want);
    default:
      return false;
  }
}

function fromToken(claims: Record<string, unknown>, customRoleArn: string | undefined): string | undefined {
  const roles = Array.isArray(claims['cognito:roles']) ? (claims['cognito:roles'] as unknown[]).map(String) : [];
  if (customRoleArn && roles.includes(customRoleArn)) return customRoleArn;
  const preferred = claims['cognito:preferred_role'];
  if (typeof preferred === 'string' && preferred) return preferred;
  return roles.length === 1 ? roles[0] : undefined;
}

function mappingFor(roles: IdentityPoolRoles, login: VerifiedLogin): RoleMapping | undefined {
  const mappings = roles.RoleMappings ?? {};
  return mappings[`${login.configuredName}:${login.clientId}`] ?? mappings[`${login.provider}:${login.clientId}`];
}

export function chooseRole({ roles, logins, customRoleArn }: RoleChoice): string {
  const need = (arn: string | undefined): string => {
    if (!arn) throw new InvalidIdentityPoolConfigurationException(ROLE_MESSAGES.noRole);
    return arn;
  };
  const login = logins[0];
  if (!login) return need(roles.Roles.unauthenticated);
  const mapping = mappingFor(roles, login);
  if (!mapping) return need(roles.Roles.authenticated);
  const claims = login.claims as Record<string, unknown>;
  const chosen =
    mapping.Type === 'Token' ? fromToken(claims, customRoleArn) : mapping.RulesConfiguration?.Rules?.find((rule) => ruleMatches(rule, claims))?.RoleARN;
  if (chosen) return chosen;
  if (mapping.AmbiguousRoleResolution === 'AuthenticatedRole') return need(roles.Roles.authenticated);
  throw new NotAuthorizedException(ROLE_MESSAGES.denied);
}

// Which IAM role an identity's credentials carry (GetCredentialsForIdentity), from the pool's roles and RoleMappings.
//
// chooseRole(app, { roles, logins, customRoleArn }) → role ARN
//   Unauthenticated (no logins): Roles.unauthenticated. Authenticated: the RoleMapping of the first login's provider —
//   keyed `<ProviderName>:<ClientId>` for a user pool (the canonical provider name is tried too), the provider name
//   (issuer host+path, e.g. `accounts.example.com`) or its IAM ARN for an OIDC provider, the ARN for a SAML provider —
//   else Roles.authenticated. Rules read the login's claims: the user pool's or the OIDC provider's ID token claims,
//   the SAML assertion's attributes.
//   - Type Token: CustomRoleArn when it is one of the token's cognito:roles, else cognito:preferred_role, else the only
//     role of cognito:roles; otherwise ambiguous. SAML: the roles of the assertion's
//     `https://aws.amazon.com/SAML/Attributes/Role` attribute for this provider (CustomRoleArn when listed, else the
//     first) — also what a SAML login without a mapping gets, before Roles.authenticated.
//   - Type Rules: the first rule whose Claim is present in the ID token and matches Value (Equals, Contains,
//     StartsWith, NotEqual; a list claim such as cognito:groups matches when one element does); otherwise ambiguous.
//   - Ambiguous: AmbiguousRoleResolution AuthenticatedRole → Roles.authenticated; Deny (or unset) →
//     NotAuthorizedException 'The ambiguous role mapping rules denied this request.'
//   No role to give: InvalidIdentityPoolConfigurationException 'Invalid identity pool configuration. Check assigned
//   IAM roles for this pool.'
import type { MappingRule, RoleMapping } from '@aws-sdk/client-cognito-identity';
import { InvalidIdentityPoolConfigurationException, NotAuthorizedException } from '../errors.js';
import type { IdentityPoolRoles } from './identity-pools.js';
import type { VerifiedLogin } from './logins.js';
import { samlRoles } from './saml-login.js';

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

/** User pools: `<ProviderName>:<ClientId>` (or the canonical name); OIDC: the provider name (issuer host+path) or its
 *  ARN; SAML: the provider's ARN. */
/** SAML: the assertion's Role attribute (`role ARN,provider ARN`): CustomRoleArn when it is one of them, else the first. */
function fromSamlRoles(attributes: Record<string, unknown>, providerArn: string, customRoleArn: string | undefined): string | undefined {
  const roles = samlRoles(attributes, providerArn);
  if (customRoleArn && roles.includes(customRoleArn)) return customRoleArn;
  return roles[0];
}

function mappingFor(roles: IdentityPoolRoles, login: VerifiedLogin): RoleMapping | undefined {
  const mappings = roles.RoleMappings ?? {};
  if (login.clientId !== undefined) return mappings[`${login.configuredName}:${login.clientId}`] ?? mappings[`${login.provider}:${login.clientId}`];
  return mappings[login.configuredName] ?? mappings[login.provider] ?? (login.arn ? mappings[login.arn] : undefined);
}

export function chooseRole({ roles, logins, customRoleArn }: RoleChoice): string {
  const need = (arn: string | undefined): string => {
    if (!arn) throw new InvalidIdentityPoolConfigurationException(ROLE_MESSAGES.noRole);
    return arn;
  };
  const login = logins[0];
  if (!login) return need(roles.Roles.unauthenticated);
  const mapping = mappingFor(roles, login);
  const claims = login.claims as Record<string, unknown>;
  if (!mapping) return (login.kind === 'saml' ? fromSamlRoles(claims, login.arn!, customRoleArn) : undefined) ?? need(roles.Roles.authenticated);
  const fromClaims = () => (login.kind === 'saml' ? fromSamlRoles(claims, login.arn!, customRoleArn) : fromToken(claims, customRoleArn));
  const chosen = mapping.Type === 'Token' ? fromClaims() : mapping.RulesConfiguration?.Rules?.find((rule) => ruleMatches(rule, claims))?.RoleARN;
  if (chosen) return chosen;
  if (mapping.AmbiguousRoleResolution === 'AuthenticatedRole') return need(roles.Roles.authenticated);
  throw new NotAuthorizedException(ROLE_MESSAGES.denied);
}

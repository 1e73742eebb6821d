// Identity pool helpers: an identity pool over a test user pool, and ID tokens of signed-in users (SRP, as the
// walkthrough's client signs in).
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
  type CreateIdentityPoolCommandInput,
} from '@aws-sdk/client-cognito-identity';
import { InitiateAuthCommand, RespondToAuthChallengeCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { TestCorral } from './corral.js';
import type { SeedPool } from './pools.js';
import { SrpClient, type PasswordVerifierChallenge } from './srp-client.js';

export const AUTH_ROLE = 'arn:aws:iam::000000000000:role/Cognito_wildrydesAuth_Role';
export const UNAUTH_ROLE = 'arn:aws:iam::000000000000:role/Cognito_wildrydesUnauth_Role';

/** The canonical Logins key / ProviderName of a user pool. */
export const providerName = (poolId: string, region = 'us-east-1') => `cognito-idp.${region}.amazonaws.com/${poolId}`;

/** The Logins key Amplify v6 builds: the ID token's iss without the scheme. */
export const amplifyLoginsKey = (corral: TestCorral, poolId: string) => `${corral.url.replace(/^\w+:\/\//, '')}/${poolId}`;

export async function createIdentityPoolFor(corral: TestCorral, seed: SeedPool, input: Partial<CreateIdentityPoolCommandInput> = {}): Promise<string> {
  const created = await corral.identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'wildrydes_identity_pool',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: providerName(seed.poolId), ClientId: seed.clientId }],
      ...input,
    }),
  );
  return created.IdentityPoolId!;
}

/** A browser's Cognito Identity client: no credentials (GetId, GetCredentialsForIdentity, GetOpenIdToken). */
export function publicIdentityClient(corral: TestCorral): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: 'us-east-1', endpoint: corral.url, maxAttempts: 1 });
}

/** SetIdentityPoolRoles: AUTH_ROLE and UNAUTH_ROLE, no role mappings. */
export async function setDefaultRoles(corral: TestCorral, identityPoolId: string): Promise<void> {
  await corral.identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
  );
}

/** CreateIdentityPool with `input`, then its default roles (setDefaultRoles); → its id. */
export async function createIdentityPoolWithRoles(corral: TestCorral, input: CreateIdentityPoolCommandInput): Promise<string> {
  const created = await corral.identity.send(new CreateIdentityPoolCommand(input));
  await setDefaultRoles(corral, created.IdentityPoolId!);
  return created.IdentityPoolId!;
}

/** Signs in with USER_SRP_AUTH and returns the ID token. */
export async function srpIdToken(pub: CognitoIdentityProviderClient, seed: SeedPool, username: string, password: string): Promise<string> {
  const srp = new SrpClient(seed.poolId);
  const start = await pub.send(
    new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }),
  );
  const answer = await pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: seed.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: start.Session,
      ChallengeResponses: srp.respond(password, start.ChallengeParameters as PasswordVerifierChallenge),
    }),
  );
  return answer.AuthenticationResult!.IdToken!;
}

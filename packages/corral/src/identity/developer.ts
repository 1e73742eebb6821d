// Developer-authenticated identities: the identity pool's DeveloperProviderName names the developer's own sign-in,
// whose users (DeveloperUserIdentifier) the developer's back end — SigV4-signed, with the admin key pair — links to
// identities. Stored as logins like any other: provider = the developer provider name, subject = the user identifier.
//
//   getOpenIdTokenForDeveloperIdentity   Logins: the developer provider name → the user identifier, plus any public
//     provider tokens to link. Without IdentityId: the identity of those logins (found, created, linked, merged as
//     GetId does). With IdentityId: that identity; when it has logins, one of the Logins must be linked to it already
//     ("Logins don't match…"); a user identifier of another identity is DeveloperUserAlreadyRegisteredException.
//     → { IdentityId, Token } — a token of this Corral (identity/openid-token.ts) for TokenDuration seconds (default
//     15 minutes), which GetCredentialsForIdentity takes as Logins { 'cognito-identity.amazonaws.com': Token }.
//   lookupDeveloperIdentity   by IdentityId and/or DeveloperUserIdentifier (both: they must agree, else
//     ResourceConflictException) → the identity and its user identifiers, a page of MaxResults (NextToken).
//   mergeDeveloperIdentities  the source user's identity merged into the destination user's (identities.ts
//     mergeIdentityInto: every login of the source identity moves; the source identity is gone) → the destination id.
//   unlinkDeveloperIdentity   removes one user identifier from the identity.
// A pool without DeveloperProviderName, or a call naming another one: NotAuthorizedException "This identity pool does
// not support the specified developer provider" (Cognito's words, as developers quote them; the exception's name is
// Corral's guess).
import type {
  GetOpenIdTokenForDeveloperIdentityInput,
  GetOpenIdTokenForDeveloperIdentityResponse,
  IdentityPool,
  LookupDeveloperIdentityInput,
  LookupDeveloperIdentityResponse,
} from '@aws-sdk/client-cognito-identity';
import {
  DeveloperUserAlreadyRegisteredException,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceConflictException,
  ResourceNotFoundException,
} from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { requireIdentityPool } from './identity-pools.js';
import { DEVELOPER_MESSAGES, mergeIdentityInto, requireIdentity, settleLogins, type Identity } from './identities.js';
import { developerLogin, MESSAGES, verifyLogins } from './logins.js';
import { mintOpenIdToken } from './openid-token.js';

export const DEVELOPER_TOKEN_TTL_SECONDS = 15 * 60;
const LOOKUP_PAGE = 60;

export const DEVELOPER_PROVIDER_MESSAGES = {
  unsupported: 'This identity pool does not support the specified developer provider',
  lookupNeedsOne: 'Either IdentityId or DeveloperUserIdentifier is required.',
  userNotFound: (id: string) => `Developer user identifier '${id}' not found.`,
  mismatch: 'The IdentityId and the DeveloperUserIdentifier do not belong to the same identity.',
};

async function developerPool(app: Corral, poolId: string, name?: string): Promise<IdentityPool & { DeveloperProviderName: string }> {
  const pool = await requireIdentityPool(app, poolId);
  if (!pool.DeveloperProviderName || (name !== undefined && name !== pool.DeveloperProviderName)) {
    throw new NotAuthorizedException(DEVELOPER_PROVIDER_MESSAGES.unsupported);
  }
  return pool as IdentityPool & { DeveloperProviderName: string };
}

/** The identity of the pool, or ResourceNotFoundException (another pool's identity is not found either). */
async function identityOfPool(app: Corral, poolId: string, identityId: string): Promise<Identity> {
  const identity = await requireIdentity(app, identityId);
  if (identity.poolId !== poolId) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
  return identity;
}

async function identityOfUser(app: Corral, pool: IdentityPool & { DeveloperProviderName: string }, user: string): Promise<string | undefined> {
  const [id] = await app.store.identity.identityIdsForLogins(pool.IdentityPoolId!, [{ provider: pool.DeveloperProviderName, subject: user }]);
  return id;
}

export async function getOpenIdTokenForDeveloperIdentity(
  app: Corral,
  input: GetOpenIdTokenForDeveloperIdentityInput,
): Promise<GetOpenIdTokenForDeveloperIdentityResponse> {
  const pool = await developerPool(app, input.IdentityPoolId!);
  const { [pool.DeveloperProviderName]: user, ...others } = input.Logins ?? {};
  if (user === undefined) throw new NotAuthorizedException(DEVELOPER_PROVIDER_MESSAGES.unsupported);
  const logins = [developerLogin(pool, user), ...(await verifyLogins(app, pool, others))];
  let id: string;
  if (input.IdentityId) {
    const identity = await identityOfPool(app, pool.IdentityPoolId!, input.IdentityId);
    const owner = await identityOfUser(app, pool, user);
    if (owner && owner !== identity.id) throw new DeveloperUserAlreadyRegisteredException(DEVELOPER_MESSAGES.alreadyRegistered);
    const proven = logins.some((l) => identity.logins.some((x) => x.provider === l.provider && x.subject === l.subject));
    if (identity.logins.length > 0 && !proven) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    id = await settleLogins(app, pool, logins, { into: identity.id, developerOwned: true });
  } else {
    id = await settleLogins(app, pool, logins);
  }
  const token = await mintOpenIdToken(app, {
    identityId: id,
    identityPoolId: pool.IdentityPoolId!,
    logins,
    ttlSeconds: input.TokenDuration ?? DEVELOPER_TOKEN_TTL_SECONDS,
    principalTags: input.PrincipalTags,
  });
  return { IdentityId: id, Token: token };
}

export async function lookupDeveloperIdentity(app: Corral, input: LookupDeveloperIdentityInput): Promise<LookupDeveloperIdentityResponse> {
  const pool = await developerPool(app, input.IdentityPoolId!);
  if (!input.IdentityId && input.DeveloperUserIdentifier === undefined) throw new InvalidParameterException(DEVELOPER_PROVIDER_MESSAGES.lookupNeedsOne);
  let identityId = input.IdentityId;
  if (input.DeveloperUserIdentifier !== undefined) {
    const owner = await identityOfUser(app, pool, input.DeveloperUserIdentifier);
    if (!owner) throw new ResourceNotFoundException(DEVELOPER_PROVIDER_MESSAGES.userNotFound(input.DeveloperUserIdentifier));
    if (identityId && identityId !== owner) throw new ResourceConflictException(DEVELOPER_PROVIDER_MESSAGES.mismatch);
    identityId = owner;
  }
  const identity = await identityOfPool(app, pool.IdentityPoolId!, identityId!);
  const users = identity.logins
    .filter((l) => l.provider === pool.DeveloperProviderName)
    .map((l) => l.subject)
    .sort();
  const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : undefined;
  const rest = after === undefined ? users : users.filter((u) => u > after);
  const max = input.MaxResults ?? LOOKUP_PAGE;
  const page = rest.slice(0, max);
  return {
    IdentityId: identity.id,
    DeveloperUserIdentifierList: page,
    ...(rest.length > max ? { NextToken: Buffer.from(page[page.length - 1]!).toString('base64url') } : {}),
  };
}

export async function mergeDeveloperIdentities(
  app: Corral,
  input: { IdentityPoolId: string; DeveloperProviderName: string; SourceUserIdentifier: string; DestinationUserIdentifier: string },
): Promise<string> {
  const pool = await developerPool(app, input.IdentityPoolId, input.DeveloperProviderName);
  for (let attempt = 0; attempt < 5; attempt++) {
    const source = await identityOfUser(app, pool, input.SourceUserIdentifier);
    if (!source) throw new ResourceNotFoundException(DEVELOPER_PROVIDER_MESSAGES.userNotFound(input.SourceUserIdentifier));
    const destination = await identityOfUser(app, pool, input.DestinationUserIdentifier);
    if (!destination) throw new ResourceNotFoundException(DEVELOPER_PROVIDER_MESSAGES.userNotFound(input.DestinationUserIdentifier));
    if (source === destination || (await mergeIdentityInto(app, pool, source, destination))) return destination;
    // One of them was merged away meanwhile: look the users up again.
  }
  throw new Error('MergeDeveloperIdentities lost a race 5 times');
}

export async function unlinkDeveloperIdentity(
  app: Corral,
  input: { IdentityPoolId: string; IdentityId: string; DeveloperProviderName: string; DeveloperUserIdentifier: string },
): Promise<void> {
  const pool = await developerPool(app, input.IdentityPoolId, input.DeveloperProviderName);
  const identity = await identityOfPool(app, pool.IdentityPoolId!, input.IdentityId);
  const login = { provider: pool.DeveloperProviderName, subject: input.DeveloperUserIdentifier };
  if (!(await app.store.identity.unlinkLogin(identity.id, login, app.now()))) {
    throw new ResourceNotFoundException(DEVELOPER_PROVIDER_MESSAGES.userNotFound(input.DeveloperUserIdentifier));
  }
}

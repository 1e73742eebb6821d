// Identities of identity pools (cognito-identity): Logins checked against the pool's providers, identities found or
// created by linked login, listed, described, deleted and unlinked. Stored in `identities` / `identity_logins` (0008).
//
// API:
//   verifyLogins(app, pool, logins) → VerifiedLogin[]
//     Each Logins entry must name a user pool provider of the identity pool, in either key form:
//     `cognito-idp.<region>.amazonaws.com/<poolId>` (canonical; the SDKs and Amplify v5) or the ID token's `iss` minus
//     the scheme (what Amplify v6 builds, e.g. `localhost:9229/<poolId>`). The token is an ID token of that user pool
//     for the provider's ClientId (verifyIdToken). NotAuthorizedException, worded as Cognito's:
//       'Token is not from a supported provider of this identity pool.'  (unknown provider, or another app client)
//       "Invalid login token. Issuer doesn't match providerName"        (a token of another user pool under the key)
//       'Invalid login token. Token expired: <now> >= <exp>'
//       "Invalid login token. Couldn't verify signed token."           (malformed, bad signature, unknown key)
//   getOrCreateIdentity(app, pool, logins) → identity id   GetId: the identity linked to any of the logins, linking the
//     others to it; a new identity when none is. No logins: a new unauthenticated identity (the pool must allow them).
//     Concurrent calls for the same user agree: the unique (pool, provider, subject) index makes one insert win, the
//     loser rereads.
//   requireIdentity(app, id) → Identity        ResourceNotFoundException "Identity '<id>' not found."
//   authorizeIdentity(app, identity, logins, { link? }) → { pool, logins, identity }   GetCredentialsForIdentity / GetOpenIdToken /
//     UnlinkIdentity: an identity with linked logins needs Logins naming at least one of them; an identity without
//     needs the pool to allow unauthenticated identities (then Logins may link it, as Cognito does).
//   listIdentities / describeIdentity / deleteIdentities / unlinkLogins
import type { IdentityDescription, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { randomUUID } from 'node:crypto';
import { NotAuthorizedException, ResourceNotFoundException } from '../errors.js';
import { decodeJwt } from '../crypto/signing-keys.js';
import type { Corral } from '../runtime/app.js';
import type { Identity } from '../storage/identity.js';
import { issuer, verifyIdToken, type IdTokenClaims } from '../domain/tokens.js';
import { requireIdentityPool } from './identity-pools.js';
import { regionOfId } from '../regions.js';

export const MESSAGES = {
  unsupportedProvider: 'Token is not from a supported provider of this identity pool.',
  issuerMismatch: "Invalid login token. Issuer doesn't match providerName",
  unverified: "Invalid login token. Couldn't verify signed token.",
  unauthenticated: 'Unauthenticated access is not supported for this identity pool.',
  loginsMismatch: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
};

export interface VerifiedLogin {
  /** Canonical provider name: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  provider: string;
  /** The provider as configured in the identity pool (the RoleMappings key is `<ProviderName>:<ClientId>`). */
  configuredName: string;
  clientId: string;
  userPoolId: string;
  /** The user pool `sub`. */
  subject: string;
  claims: IdTokenClaims;
}

export type { Identity } from '../storage/identity.js';

/** `cognito-idp.<region>.amazonaws.com/<userPoolId>`, in the region the pool id names. */
export function canonicalProvider(app: Corral, userPoolId: string): string {
  return `cognito-idp.${regionOfId(userPoolId, app.config.region)}.amazonaws.com/${userPoolId}`;
}

const CANONICAL = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

/** The user pool id a provider name / Logins key names, in either form; undefined when it names none. */
export function userPoolIdOfProvider(app: Corral, name: string): string | undefined {
  const m = CANONICAL.exec(name);
  if (m) return m[1] === regionOfId(m[2]!, app.config.region) ? m[2] : undefined; // the pool's own region only
  const local = app.config.publicUrl.replace(/^\w+:\/\//, '');
  for (const base of [local, app.config.publicUrl]) {
    if (name.startsWith(`${base}/`)) {
      const rest = name.slice(base.length + 1);
      if (/^[\w-]+_[0-9a-zA-Z]+$/.test(rest)) return rest;
    }
  }
  return undefined;
}

/** Checks each Logins entry against the identity pool's user pool providers (see the header). */
export async function verifyLogins(app: Corral, pool: IdentityPool, logins: Record<string, string> | undefined): Promise<VerifiedLogin[]> {
  const out: VerifiedLogin[] = [];
  for (const [key, token] of Object.entries(logins ?? {})) {
    const userPoolId = userPoolIdOfProvider(app, key);
    const candidates = (pool.CognitoIdentityProviders ?? []).filter((p) => p.ProviderName && userPoolIdOfProvider(app, p.ProviderName) === userPoolId);
    if (!userPoolId || candidates.length === 0) throw new NotAuthorizedException(MESSAGES.unsupportedProvider);
    const jwt = decodeJwt(token);
    if (!jwt) throw new NotAuthorizedException(MESSAGES.unverified);
    if (jwt.payload.iss !== issuer(app, userPoolId)) throw new NotAuthorizedException(MESSAGES.issuerMismatch);
    let claims: IdTokenClaims;
    try {
      claims = await verifyIdToken(app, token, { poolId: userPoolId });
    } catch (err) {
      const exp = jwt.payload.exp;
      if (err instanceof NotAuthorizedException && err.message === 'Id Token has expired' && typeof exp === 'number') {
        throw new NotAuthorizedException(`Invalid login token. Token expired: ${Math.floor(app.now() / 1000)} >= ${exp}`);
      }
      throw new NotAuthorizedException(MESSAGES.unverified);
    }
    const provider = candidates.find((p) => p.ClientId === claims.aud);
    if (!provider) throw new NotAuthorizedException(MESSAGES.unsupportedProvider);
    out.push({
      provider: canonicalProvider(app, userPoolId),
      configuredName: provider.ProviderName!,
      clientId: provider.ClientId!,
      userPoolId,
      subject: claims.sub,
      claims,
    });
  }
  return out;
}

/** The (provider, subject) pairs of verified logins, as storage links them. */
const linkable = (logins: VerifiedLogin[]) => logins.map(({ provider, subject }) => ({ provider, subject }));

async function identityIdsFor(app: Corral, poolId: string, logins: VerifiedLogin[]): Promise<string[]> {
  return app.store.identity.identityIdsForLogins(poolId, linkable(logins));
}

/** GetId (see the header). */
export async function getOrCreateIdentity(app: Corral, pool: IdentityPool, logins: VerifiedLogin[]): Promise<string> {
  const poolId = pool.IdentityPoolId!;
  if (logins.length === 0 && !pool.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(MESSAGES.unauthenticated);
  for (let attempt = 0; ; attempt++) {
    const found = await identityIdsFor(app, poolId, logins);
    if (found.length > 1) throw new NotAuthorizedException(MESSAGES.loginsMismatch); // Corral does not merge identities
    const now = app.now();
    let stored: boolean;
    let id: string;
    if (found.length === 1) {
      id = found[0]!;
      const linked = await app.store.identity.loginsOf(id);
      const missing = logins.filter((l) => !linked.some((x) => x.provider === l.provider && x.subject === l.subject));
      stored = await app.store.identity.linkLogins(id, poolId, linkable(missing), now);
    } else {
      id = `${regionOfId(poolId, app.config.region)}:${randomUUID()}`; // an identity is in its pool's region
      stored = await app.store.identity.createIdentity(id, poolId, linkable(logins), now);
    }
    if (stored) return id;
    // Another instance linked one of these logins first: read its identity.
    if (attempt >= 3) throw new Error('GetId lost the race to link its logins 4 times');
  }
}

export async function findIdentity(app: Corral, id: string): Promise<Identity | undefined> {
  return app.store.identity.findIdentity(id);
}

export async function requireIdentity(app: Corral, id: string): Promise<Identity> {
  const identity = await findIdentity(app, id);
  if (!identity) throw new ResourceNotFoundException(`Identity '${id}' not found.`);
  return identity;
}

/**
 * The logins a call about `identity` presents, checked (see the header). Logins for an unauthenticated identity of a
 * pool that allows them link it (it becomes authenticated), or — when they are already linked to another identity —
 * answer for that identity instead (Cognito: "the IdentityId returned may not match the one passed on input"; Amplify
 * v6 keeps a guest's id across sign-in and stores the one returned).
 */
export async function authorizeIdentity(
  app: Corral,
  identity: Identity,
  logins: Record<string, string> | undefined,
  opts: { link?: boolean } = {},
): Promise<{ pool: IdentityPool; logins: VerifiedLogin[]; identity: Identity }> {
  const pool = await requireIdentityPool(app, identity.poolId);
  const verified = await verifyLogins(app, pool, logins);
  if (identity.logins.length === 0) {
    if (verified.length === 0) {
      if (!pool.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(MESSAGES.unauthenticated);
      return { pool, logins: [], identity };
    }
    if (opts.link === false) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    const owners = await identityIdsFor(app, identity.poolId, verified);
    if (owners.length > 1) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    if (owners.length === 1) return authorizeIdentity(app, await requireIdentity(app, owners[0]!), logins, opts);
    if (!(await app.store.identity.linkLogins(identity.id, identity.poolId, linkable(verified), app.now()))) {
      // Linked elsewhere meanwhile: answer for that identity.
      const [owner] = await identityIdsFor(app, identity.poolId, verified);
      if (!owner) throw new Error(`linking logins to identity ${identity.id} lost a race to no identity`);
      return authorizeIdentity(app, await requireIdentity(app, owner), logins, opts);
    }
    identity.logins.push(...verified.map((l) => ({ provider: l.provider, subject: l.subject })));
    return { pool, logins: verified, identity };
  }
  const matching = verified.filter((l) => identity.logins.some((x) => x.provider === l.provider && x.subject === l.subject));
  if (matching.length === 0 || matching.length !== verified.length) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
  return { pool, logins: matching, identity };
}

export function describeIdentity(identity: Identity): IdentityDescription {
  return {
    IdentityId: identity.id,
    Logins: [...new Set(identity.logins.map((l) => l.provider))],
    CreationDate: new Date(identity.createdAt),
    LastModifiedDate: new Date(identity.updatedAt),
  };
}

/** One page of a pool's identities in id order; the token is the last id of the previous page. */
export async function listIdentities(
  app: Corral,
  poolId: string,
  max: number,
  nextToken?: string,
): Promise<{ identities: IdentityDescription[]; nextToken?: string }> {
  await requireIdentityPool(app, poolId);
  const after = nextToken ? Buffer.from(nextToken, 'base64url').toString('utf8') : undefined;
  const rows = await app.store.identity.listIdentities(poolId, { after, limit: max + 1 });
  const page = rows.slice(0, max);
  return {
    identities: page.map(describeIdentity),
    nextToken: rows.length > max ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : undefined,
  };
}

/** Deletes the identities that exist; unknown ids are ignored (nothing left to delete). */
export async function deleteIdentities(app: Corral, ids: string[]): Promise<void> {
  await app.store.identity.deleteIdentities(ids);
}

/** Removes the logins of the named providers (either key form) from the identity. */
export async function unlinkLogins(app: Corral, identity: Identity, providerNames: string[]): Promise<void> {
  const providers = providerNames.map((n) => {
    const userPoolId = userPoolIdOfProvider(app, n);
    return userPoolId ? canonicalProvider(app, userPoolId) : n;
  });
  if (providers.length === 0) return;
  await app.store.identity.unlinkProviders(identity.id, providers, app.now());
}

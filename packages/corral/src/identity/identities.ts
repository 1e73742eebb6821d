// Identities of identity pools (cognito-identity): found or created by linked login, linked to several logins, merged
// as Cognito merges them, listed, described, deleted and unlinked. Stored in `identities` / `identity_logins` (0008).
// The Logins themselves are checked in identity/logins.ts.
//
// API:
//   getOrCreateIdentity(app, pool, logins) → identity id   GetId: the identity linked to the logins (settleLogins);
//     no logins: a new unauthenticated identity (the pool must allow them).
//   settleLogins(app, pool, logins, { into?, developerOwned? }) → identity id   The one identity logins verified
//     together belong to: an identity none of them is linked to is created (or `into` is used), the ones not yet
//     linked are linked to it, and other identities some of them are linked to are merged into it — Cognito's rule:
//     logins presented together are one user. The kept identity is `into`, else the oldest. Two identities linked to
//     one provider as different users are not merged (ResourceConflictException). `developerOwned`: a developer login
//     linked to another identity than `into` is DeveloperUserAlreadyRegisteredException, not merged.
//     Concurrent calls agree: the unique (pool, provider, subject) index makes one link win, the loser rereads; a
//     merge locks both identities (storage/identity.ts).
//   mergeIdentityInto(app, pool, fromId, intoId)   MergeDeveloperIdentities and settleLogins.
//   requireIdentity(app, id) → Identity        ResourceNotFoundException "Identity '<id>' not found."
//   authorizeIdentity(app, identity, logins, { link? }) → { pool, logins, identity }   GetCredentialsForIdentity /
//     GetOpenIdToken / UnlinkIdentity: an identity with linked logins needs Logins naming at least one of them, or a
//     `cognito-identity.amazonaws.com` token for it; further logins are then linked (or merged) to it. An identity
//     without needs the pool to allow unauthenticated identities (then Logins may link it, as Cognito does).
//   listIdentities / describeIdentity / deleteIdentities / unlinkLogins
import type { IdentityDescription, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { randomUUID } from 'node:crypto';
import { DeveloperUserAlreadyRegisteredException, NotAuthorizedException, ResourceConflictException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Identity, LinkedLogin } from '../storage/identity.js';
import { requireIdentityPool } from './identity-pools.js';
import { regionOfId } from '../regions.js';
import { MESSAGES, storedProviderName, verifyLogins, type VerifiedLogin } from './logins.js';

export { MESSAGES, canonicalProvider, userPoolIdOfProvider, verifyLogins, type VerifiedLogin } from './logins.js';
export type { Identity } from '../storage/identity.js';

export const DEVELOPER_MESSAGES = {
  alreadyRegistered: 'The provided developer user identifier is already registered with Cognito under a different identity ID.',
};

/** The (provider, subject) pairs of verified logins, as storage links them. */
const linkable = (logins: Pick<VerifiedLogin, 'provider' | 'subject'>[]): LinkedLogin[] => logins.map(({ provider, subject }) => ({ provider, subject }));
const sameLogin = (a: LinkedLogin, b: LinkedLogin) => a.provider === b.provider && a.subject === b.subject;
const isLinked = (identity: Identity, l: LinkedLogin) => identity.logins.some((x) => sameLogin(x, l));

async function identityIdsFor(app: Corral, poolId: string, logins: LinkedLogin[]): Promise<string[]> {
  return app.store.identity.identityIdsForLogins(poolId, linkable(logins));
}

const newIdentityId = (app: Corral, poolId: string) => `${regionOfId(poolId, app.config.region)}:${randomUUID()}`; // in its pool's region

/** GetId (see the header). */
export async function getOrCreateIdentity(app: Corral, pool: IdentityPool, logins: VerifiedLogin[]): Promise<string> {
  if (logins.length > 0) return settleLogins(app, pool, logins);
  if (!pool.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(MESSAGES.unauthenticated);
  const id = newIdentityId(app, pool.IdentityPoolId!);
  await app.store.identity.createIdentity(id, pool.IdentityPoolId!, [], app.now());
  return id;
}

/** Refuses to merge identities linked to one provider as different users ("the same public provider, but as two
 *  different users"); a developer provider may have several users on one identity. */
function checkMergeable(pool: IdentityPool, into: Identity, from: Identity): void {
  for (const a of from.logins) {
    if (a.provider === pool.DeveloperProviderName) continue;
    if (into.logins.some((b) => b.provider === a.provider && b.subject !== a.subject)) {
      throw new ResourceConflictException(`The identities cannot be merged: both are linked to ${a.provider}, as different users.`);
    }
  }
}

/** Merges `fromId` into `intoId` (its logins move, it is deleted): false when either is gone meanwhile. */
export async function mergeIdentityInto(app: Corral, pool: IdentityPool, fromId: string, intoId: string): Promise<boolean> {
  const [into, from] = [await findIdentity(app, intoId), await findIdentity(app, fromId)];
  if (!into || !from) return false;
  checkMergeable(pool, into, from);
  return app.store.identity.mergeIdentities(pool.IdentityPoolId!, fromId, intoId, app.now());
}

async function oldest(app: Corral, ids: string[]): Promise<string | undefined> {
  const found = (await Promise.all(ids.map((id) => findIdentity(app, id)))).filter((i): i is Identity => i !== undefined);
  found.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return found[0]?.id;
}

/** The one identity of logins verified together (see the header). */
export async function settleLogins(
  app: Corral,
  pool: IdentityPool,
  logins: Pick<VerifiedLogin, 'kind' | 'provider' | 'subject'>[],
  opts: { into?: string; developerOwned?: boolean } = {},
): Promise<string> {
  const poolId = pool.IdentityPoolId!;
  for (let attempt = 0; attempt < 5; attempt++) {
    const owners = await identityIdsFor(app, poolId, logins);
    if (opts.into && opts.developerOwned) {
      for (const l of logins.filter((x) => x.kind === 'developer')) {
        const [owner] = await identityIdsFor(app, poolId, [l]);
        if (owner && owner !== opts.into) throw new DeveloperUserAlreadyRegisteredException(DEVELOPER_MESSAGES.alreadyRegistered);
      }
    }
    const id = opts.into ?? (await oldest(app, owners));
    if (!id) {
      const created = newIdentityId(app, poolId);
      if (await app.store.identity.createIdentity(created, poolId, linkable(logins), app.now())) return created;
      continue; // another call linked one of these logins first: settle on its identity
    }
    let merged = true;
    for (const other of owners.filter((o) => o !== id)) merged &&= await mergeIdentityInto(app, pool, other, id);
    if (!merged) continue;
    const linked = await app.store.identity.loginsOf(id);
    const missing = logins.filter((l) => !linked.some((x) => sameLogin(x, l)));
    if (await app.store.identity.linkLogins(id, poolId, linkable(missing), app.now())) return id;
  }
  throw new Error('settling logins on one identity lost a race 5 times');
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
 * v6 keeps a guest's id across sign-in and stores the one returned). `logins` in the answer are what the role is
 * chosen by: the external logins presented, else an authenticated Cognito token's.
 */
export async function authorizeIdentity(
  app: Corral,
  identity: Identity,
  logins: Record<string, string> | undefined,
  opts: { link?: boolean } = {},
): Promise<{ pool: IdentityPool; logins: VerifiedLogin[]; identity: Identity }> {
  const pool = await requireIdentityPool(app, identity.poolId);
  const verified = await verifyLogins(app, pool, logins, { cognitoToken: true });
  const proofs = verified.filter((l) => l.kind === 'cognito');
  if (proofs.some((p) => p.subject !== identity.id)) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
  const external = verified.filter((l) => l.kind !== 'cognito');
  const authenticatedProofs = proofs.filter((p) => Array.isArray(p.claims.amr) && p.claims.amr.includes('authenticated'));
  if (proofs.length === 0 && !external.some((l) => isLinked(identity, l))) {
    if (identity.logins.length > 0) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    if (external.length === 0) {
      if (!pool.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(MESSAGES.unauthenticated);
      return { pool, logins: [], identity };
    }
    if (opts.link === false) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    // A guest signing in: the logins' own identity when they have one, else this one.
    const owned = (await identityIdsFor(app, identity.poolId, external)).length > 0;
    const id = await settleLogins(app, pool, external, owned ? {} : { into: identity.id });
    return { pool, logins: external, identity: await requireIdentity(app, id) };
  }
  if (external.some((l) => !isLinked(identity, l))) {
    if (opts.link === false) throw new NotAuthorizedException(MESSAGES.loginsMismatch);
    await settleLogins(app, pool, external, { into: identity.id });
    identity = await requireIdentity(app, identity.id);
  }
  if (external.length === 0 && authenticatedProofs.length === 0 && !pool.AllowUnauthenticatedIdentities) {
    throw new NotAuthorizedException(MESSAGES.unauthenticated);
  }
  return { pool, logins: external.length ? external : authenticatedProofs, identity };
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
  const providers = providerNames.map((n) => storedProviderName(app, n));
  if (providers.length === 0) return;
  await app.store.identity.unlinkProviders(identity.id, providers, app.now());
}

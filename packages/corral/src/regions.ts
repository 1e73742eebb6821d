// Regions. Cognito names a resource's region in its id: user pools `<region>_<9 alphanumerics>`, identity pools and
// identities `<region>:<uuid>`. A pool is created in the region its CreateUserPool / CreateIdentityPool call was
// signed for (the credential scope, wire/sigv4.ts); provisioning and calls without a signature use CORRAL_REGION.
// Everything else that names a region (ARNs, provider names, identity ids, the triggers' `region`) takes it from the
// id of the pool it is about, so a pool keeps its region whatever CORRAL_REGION says later.

/**
 * A region an id can carry: lowercase words joined by `-` (`eu-west-1`, `us-gov-west-1`, `local`), at most 18
 * characters so that `<region>:<uuid>` fits the 55 characters of an IdentityPoolId / IdentityId.
 */
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_REGION = 18;

export function isIdRegion(region: string): boolean {
  return region.length <= MAX_REGION && REGION.test(region);
}

/** The region named by a pool, identity pool or identity id (what precedes its `_` or `:`); `fallback` for none. */
export function regionOfId(id: string, fallback: string): string {
  const m = /^([a-z0-9-]+)[_:]/.exec(id);
  return m && isIdRegion(m[1]!) ? m[1]! : fallback;
}

/** The region a CreateUserPool / CreateIdentityPool call creates in: its signature's when an id can carry it, else `fallback` (CORRAL_REGION). */
export function regionForNew(signingRegion: string | undefined, fallback: string): string {
  return signingRegion !== undefined && isIdRegion(signingRegion) ? signingRegion : fallback;
}

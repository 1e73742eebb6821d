// PLACEHOLDER (being built by a helper): replaced by the real page.
export function IdentityPools() {
  return <p>IdentityPools: not built yet.</p>;
}

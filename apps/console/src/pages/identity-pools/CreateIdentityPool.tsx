// PLACEHOLDER (being built by a helper): replaced by the real page.
export function CreateIdentityPool() {
  return <p>CreateIdentityPool: not built yet.</p>;
}

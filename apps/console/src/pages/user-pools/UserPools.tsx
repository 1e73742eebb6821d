// PLACEHOLDER (being built by a helper): replaced by the real page.
export function UserPools() {
  return <p>UserPools: not built yet.</p>;
}

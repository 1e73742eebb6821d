// PLACEHOLDER (being built by a helper): replaced by the real page.
export function Functions() {
  return <p>Functions: not built yet.</p>;
}

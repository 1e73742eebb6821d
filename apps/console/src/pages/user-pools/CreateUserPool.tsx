// PLACEHOLDER (being built by a helper): replaced by the real page.
export function CreateUserPool() {
  return <p>CreateUserPool: not built yet.</p>;
}

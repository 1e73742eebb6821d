// PLACEHOLDER (being built by a helper): replaced by the real page.
export function PoolPages() {
  return <p>PoolPages: not built yet.</p>;
}

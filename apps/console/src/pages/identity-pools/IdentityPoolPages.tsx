// PLACEHOLDER (being built by a helper): replaced by the real page.
export function IdentityPoolPages() {
  return <p>IdentityPoolPages: not built yet.</p>;
}

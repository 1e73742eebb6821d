// PLACEHOLDER (being built by a helper): replaced by the real page.
export function Mailbox() {
  return <p>Mailbox: not built yet.</p>;
}

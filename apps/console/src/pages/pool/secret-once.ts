// A new app client's secret, kept in this page's memory only until its page has shown it once (never in storage,
// the URL or history state, so a reload or a later visit does not show it again).
const pending = new Map<string, string>();

export function holdSecret(clientId: string, secret: string): void {
  pending.set(clientId, secret);
}

export function peekSecret(clientId: string): string | undefined {
  return pending.get(clientId);
}

export function forgetSecret(clientId: string): void {
  pending.delete(clientId);
}

// The signed-in console session: the admin key pair, kept only in this tab's sessionStorage (gone when the tab
// closes), and ended after IDLE_MINUTES without a call or a keystroke.
const KEY = 'corral.console.session';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Epoch ms of the last activity. */
  lastActive: number;
  idleMinutes: number;
}

export function currentSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Session;
    if (now - s.lastActive > s.idleMinutes * 60_000) {
      endSession('idle');
      return undefined;
    }
    return s;
  } catch {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
}

export function startSession(s: Omit<Session, 'lastActive'>): void {
  sessionStorage.setItem(KEY, JSON.stringify({ ...s, lastActive: Date.now() }));
  window.dispatchEvent(new Event('corral-session'));
}

export function touchSession(): void {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return;
  const s = JSON.parse(raw) as Session;
  s.lastActive = Date.now();
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export type EndReason = 'signed-out' | 'idle';
let lastEnd: EndReason | undefined;

export function endSession(reason: EndReason): void {
  sessionStorage.removeItem(KEY);
  lastEnd = reason;
  window.dispatchEvent(new Event('corral-session'));
}

/** Why the last session ended (shown once on the sign-in page). */
export function takeEndReason(): EndReason | undefined {
  const r = lastEnd;
  lastEnd = undefined;
  return r;
}

/** Console settings Corral serves without signing: GET /_corral/console-config. */
export interface ConsoleConfig {
  region: string;
  /** Corral's AWS account id (CORRAL_ACCOUNT_ID): the account of the ARNs it makes (pools, roles, functions). */
  accountId: string;
  endpoint: string;
  passwordSignIn: boolean;
  idleMinutes: number;
}

export async function fetchConsoleConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/_corral/console-config', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`Corral answered ${res.status} for its console settings.`);
  return (await res.json()) as ConsoleConfig;
}

// The signed-in console session: the admin key pair, kept only in this tab's sessionStorage (gone when the tab
// closes), and ended after IDLE_MINUTES without a call, a keystroke or a click (noteActivity). Unfinished forms
// (drafts) are kept beside it, so that a session that ends mid-form loses nothing: signing in again returns to the
// form as it was; signing out forgets them.
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

/** A keystroke or a click in the console: activity, as an API call is. An expired session is ended, not revived. */
export function noteActivity(now = Date.now()): void {
  const s = currentSession(now);
  if (s && now - s.lastActive > 1000) touchSession();
}

const DRAFT = 'corral.console.draft.';

/** An unfinished form's values (never a secret: forms keep what the API is to be sent, not what it answers). */
export function saveDraft(name: string, value: unknown): void {
  try {
    sessionStorage.setItem(DRAFT + name, JSON.stringify(value));
  } catch {
    // storage full or off: the form still works, it just is not kept
  }
}

export function loadDraft<T>(name: string): T | undefined {
  const raw = sessionStorage.getItem(DRAFT + name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    sessionStorage.removeItem(DRAFT + name);
    return undefined;
  }
}

export function clearDraft(name: string): void {
  sessionStorage.removeItem(DRAFT + name);
}

export type EndReason = 'signed-out' | 'idle';
let lastEnd: EndReason | undefined;

export function endSession(reason: EndReason): void {
  sessionStorage.removeItem(KEY);
  if (reason === 'signed-out') {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(DRAFT)) sessionStorage.removeItem(k);
  }
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

// The upstream `state` of a sign-in through an external provider: everything the callback needs, sealed (AES-GCM with
// the server key, purpose-bound, 1 hour), never kept in server memory — the app's AuthorizeRequest, the provider's
// name, the nonce and PKCE verifier Corral sent upstream, the base the flow started under (its callback URL), and the
// keyed hash of the browser's binding cookie (`csrf-state`, as Cognito names it), so that a state copied into another
// browser does not open.
import { randomBytes } from 'node:crypto';
import { keyedHash, safeEqual, seal, unseal } from '../../crypto/box.js';
import type { Corral } from '../../runtime/app.js';
import type { AuthorizeRequest } from '../oauth/authorize.js';

export interface FederationState {
  request: AuthorizeRequest;
  /** ProviderName. */
  provider: string;
  /** The nonce sent in the upstream authorization request (checked in the provider's ID token). */
  nonce: string;
  /** The upstream PKCE code_verifier. */
  verifier: string;
  /** `/<poolId>` or `/_domains/<prefix>`: the callback is `<publicUrl><base>/oauth2/idpresponse`. */
  base: string;
}

const PURPOSE = 'federation-state';
const BROWSER_PURPOSE = 'federation-browser';
export const STATE_TTL_SECONDS = 3600;

/** The cookie that binds the upstream state to the browser that left for the provider (Cognito's name). */
export const STATE_COOKIE = 'csrf-state';

/** The browser's binding: the value it sent when well-formed (32 random bytes, base64url), else a new one. */
export function stateBinding(sent: string | undefined): string {
  return sent && /^[A-Za-z0-9_-]{43}$/.test(sent) ? sent : randomBytes(32).toString('base64url');
}

const browserHash = (app: Corral, binding: string) => keyedHash(app.secrets.serverKey, BROWSER_PURPOSE, binding);

export function sealState(app: Corral, state: FederationState, binding: string): string {
  return seal(app.secrets.serverKey, PURPOSE, { ...state, browser: browserHash(app, binding) }, STATE_TTL_SECONDS, app.now());
}

export type OpenedState = { ok: true; state: FederationState } | { ok: false; reason: 'invalid' | 'expired' | 'other-browser' };

export function openState(app: Corral, sealed: string | undefined, binding: string | undefined): OpenedState {
  if (!sealed || sealed.length > 8192) return { ok: false, reason: 'invalid' };
  const r = unseal<FederationState & { browser?: string }>(app.secrets.serverKey, PURPOSE, sealed, app.now());
  if (!r.ok) return { ok: false, reason: r.reason };
  const { browser, ...state } = r.payload;
  if (!browser || !binding || !safeEqual(browserHash(app, binding), browser)) return { ok: false, reason: 'other-browser' };
  return { ok: true, state };
}

// The pool's passkey settings as Cognito applies them:
//   - passkeys work when Policies.SignInPolicy.AllowedFirstAuthFactors includes WEB_AUTHN (else
//     WebAuthnNotEnabledException);
//   - the relying party id is the WebAuthnConfiguration's RelyingPartyId (SetUserPoolMfaConfig), else the host of
//     the pool's domain — Cognito's default. Corral serves a prefix domain at its public URL (`/_domains/<prefix>`),
//     so that default is the public URL's host name. No id and no domain: WebAuthnConfigurationMissingException.
//   - user verification is WebAuthnConfiguration.UserVerification, `preferred` by default.
//   - an origin is allowed when its host is the relying party id or a subdomain of it, over https (http only for a
//     loopback host, as browsers treat those as secure contexts).
import { WebAuthnConfigurationMissingException, WebAuthnNotEnabledException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { poolMfa, type Pool } from '../pools.js';

export type UserVerification = 'required' | 'preferred';

export interface RelyingParty {
  id: string;
  userVerification: UserVerification;
}

/** (Read from the policy here, not through challenges/user-auth.ts, which imports this module.) */
export function webAuthnEnabled(pool: Pool): boolean {
  return (pool.settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []).includes('WEB_AUTHN');
}

export function assertWebAuthnEnabled(pool: Pool): void {
  if (!webAuthnEnabled(pool)) throw new WebAuthnNotEnabledException('WebAuthn is not enabled for this user pool.');
}

/** The relying party, or undefined when the pool has neither a RelyingPartyId nor a domain. */
export function relyingPartyOf(app: Corral, pool: Pool): RelyingParty | undefined {
  const config = poolMfa(pool).webAuthn;
  const userVerification: UserVerification = config?.UserVerification === 'required' ? 'required' : 'preferred';
  if (config?.RelyingPartyId) return { id: config.RelyingPartyId.toLowerCase(), userVerification };
  if (pool.settings.CustomDomain) return { id: pool.settings.CustomDomain.toLowerCase(), userVerification };
  if (pool.settings.Domain) return { id: new URL(app.config.publicUrl).hostname.toLowerCase(), userVerification };
  return undefined;
}

export function requireRelyingParty(app: Corral, pool: Pool): RelyingParty {
  const rp = relyingPartyOf(app, pool);
  if (!rp) throw new WebAuthnConfigurationMissingException('The user pool has no relying party id and no domain for WebAuthn.');
  return rp;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Whether a ceremony at `origin` may use the relying party id `rpId`. */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (LOOPBACK.test(host) || host.endsWith('.localhost')))) return false;
  return host === rpId || host.endsWith(`.${rpId}`);
}

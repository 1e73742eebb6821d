// Passkey sign-in (USER_AUTH WEB_AUTHN): the CREDENTIAL_REQUEST_OPTIONS a challenge carries, and the check of the
// assertion that answers it.
//   Options: a fresh random challenge (kept in the sealed Session), the pool's relying party id, the user's
//   passkeys for that relying party as allowCredentials, the pool's user verification.
//   Answer: the credential must be one of the user's, for the current relying party; the client data must be a
//   webauthn.get with the Session's challenge from an allowed origin; the authenticator data must hash the
//   relying party id, show user presence (and verification when the pool requires it); the signature must verify
//   with the stored public key (@simplewebauthn/server). The sign count must grow when either count is non-zero —
//   a count not greater than the stored one is a cloned authenticator — and it is stored by compare-and-set, so of
//   answers racing with one count at most one signs in. Every refusal is NotAuthorizedException.
import { randomBytes } from 'node:crypto';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { NotAuthorizedException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { Pool } from '../pools.js';
import type { User } from '../users.js';
import { authenticatorData, b64urlBytes, clientDataOf, credentialJson, madeFor } from './ceremony.js';
import { userPasskeys, type WebAuthnCredential } from './credentials.js';
import { originAllowed, relyingPartyOf, webAuthnEnabled, type RelyingParty } from './relying-party.js';

/** How long the browser is told it may take (the Session's own lifetime bounds the answer). */
const TIMEOUT_MS = 180_000;

/** The user's passkeys that work with the pool's current relying party (none when passkeys are off). */
export async function usablePasskeys(app: Corral, pool: Pool, user: User): Promise<{ rp: RelyingParty; passkeys: WebAuthnCredential[] } | undefined> {
  if (!webAuthnEnabled(pool)) return undefined;
  const rp = relyingPartyOf(app, pool);
  if (!rp) return undefined;
  const passkeys = (await userPasskeys(app, pool.id, user.sub)).filter((c) => c.relyingPartyId === rp.id);
  return passkeys.length ? { rp, passkeys } : undefined;
}

/** CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptionsJSON) and the challenge to keep. */
export function requestOptions(rp: RelyingParty, passkeys: WebAuthnCredential[]): { options: string; challenge: string } {
  const challenge = randomBytes(32).toString('base64url');
  const options = {
    challenge,
    timeout: TIMEOUT_MS,
    rpId: rp.id,
    allowCredentials: passkeys.map((c) => ({ type: 'public-key', id: c.credentialId, ...(c.transports.length ? { transports: c.transports } : {}) })),
    userVerification: rp.userVerification,
  };
  return { options: JSON.stringify(options), challenge };
}

const refused = (why = 'Invalid WebAuthn credential.') => new NotAuthorizedException(why);

/** Checks CREDENTIAL against the challenge; on success the stored sign count has moved (or both counts are 0). */
export async function verifyAssertion(app: Corral, pool: Pool, user: User, challenge: string, credential: unknown): Promise<void> {
  const rp = relyingPartyOf(app, pool);
  if (!webAuthnEnabled(pool) || !rp) throw refused();
  const c = credentialJson(credential, ['clientDataJSON', 'authenticatorData', 'signature']);
  const stored = await app.store.webAuthnCredentials.find(pool.id, c.id);
  if (!stored || stored.userId !== user.sub || stored.relyingPartyId !== rp.id) throw refused();
  if (typeof c.response.userHandle === 'string' && c.response.userHandle && c.response.userHandle !== isoBase64URL.fromUTF8String(user.sub)) throw refused();
  const client = clientDataOf(c, 'webauthn.get');
  if (client.challenge !== challenge) throw refused();
  if (!originAllowed(client.origin, rp.id)) throw refused(`The origin ${client.origin} is not allowed for the relying party ${rp.id}.`);
  const data = authenticatorData(b64urlBytes(c.response.authenticatorData as string));
  if (!madeFor(data, rp.id)) throw refused();
  if (rp.userVerification === 'required' && !data.flags.uv) throw refused('User verification is required.');
  // A clone: the count did not grow (checked here and again by the library).
  if ((data.counter > 0 || stored.signCount > 0) && data.counter <= stored.signCount) throw refused();

  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: c as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: client.origin,
      expectedRPID: rp.id,
      credential: { id: stored.credentialId, publicKey: b64urlBytes(stored.publicKey), counter: stored.signCount, transports: [] },
      requireUserVerification: rp.userVerification === 'required',
    });
  } catch {
    throw refused();
  }
  if (!verified.verified) throw refused();
  const next = verified.authenticationInfo.newCounter;
  if (!(await app.store.webAuthnCredentials.advanceSignCount(pool.id, stored.credentialId, stored.signCount, next, app.now()))) throw refused();
}

// Passkey registration for the signed-in user (StartWebAuthnRegistration, CompleteWebAuthnRegistration).
//   Start: CredentialCreationOptions as Cognito returns them — rp {id, name} from the pool's relying party
//   (relying-party.ts), user {id: the sub as base64url, name and displayName: the username}, ES256 and RS256, the
//   user's passkeys as excludeCredentials, a discoverable (resident) credential with the pool's user verification.
//   The challenge *is* a sealed token (pool, user, client, relying party; 5 minutes): no state is kept between the
//   two calls, so a registration started on one instance completes on another.
//   Complete: the challenge from the client data is opened (WebAuthnChallengeNotFoundException when it is not one,
//   has expired, is another user's or was used), must be the token's client's (WebAuthnClientMismatchException),
//   is spent (single use), then the origin (WebAuthnOriginNotAllowedException), the relying party id hash
//   (WebAuthnRelyingPartyMismatchException), user verification, the algorithm and the attestation
//   (WebAuthnCredentialNotSupportedException) are checked — the attestation by @simplewebauthn/server.
import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { decodeAttestationObject, decodeCredentialPublicKey, isoBase64URL } from '@simplewebauthn/server/helpers';
import {
  InvalidParameterException,
  LimitExceededException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnCredentialNotSupportedException,
  WebAuthnOriginNotAllowedException,
  WebAuthnRelyingPartyMismatchException,
} from '../../errors.js';
import { seal, unseal } from '../../crypto/box.js';
import type { Corral } from '../../runtime/app.js';
import type { Caller } from '../access.js';
import { spentSessionHash } from '../auth-session.js';
import { authenticatorData, b64urlBytes, clientDataOf, credentialJson, madeFor, type Bytes } from './ceremony.js';
import { friendlyName, userPasskeys, MAX_PASSKEYS_PER_USER } from './credentials.js';
import { assertWebAuthnEnabled, originAllowed, requireRelyingParty } from './relying-party.js';

const PURPOSE = 'webauthn-registration';
const TTL_SECONDS = 300;
/** COSE algorithms offered (pubKeyCredParams) and accepted: ES256, RS256. */
const ALGORITHMS = [-7, -257];

interface Pending {
  /** pool, sub, client, relying party id */
  p: string;
  s: string;
  c: string;
  r: string;
}

export async function startRegistration(app: Corral, caller: Caller): Promise<Record<string, unknown>> {
  const { pool, user, claims } = caller;
  assertWebAuthnEnabled(pool);
  const rp = requireRelyingParty(app, pool);
  const pending: Pending = { p: pool.id, s: user.sub, c: String(claims.client_id), r: rp.id };
  const token = seal(app.secrets.serverKey, PURPOSE, pending, TTL_SECONDS, app.now());
  const existing = await userPasskeys(app, pool.id, user.sub);
  return {
    challenge: isoBase64URL.fromUTF8String(token),
    rp: { id: rp.id, name: rp.id },
    user: { id: isoBase64URL.fromUTF8String(user.sub), name: user.username, displayName: user.username },
    pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
    timeout: 60_000,
    excludeCredentials: existing.map((c) => ({ type: 'public-key', id: c.credentialId, ...(c.transports.length ? { transports: c.transports } : {}) })),
    authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: rp.userVerification },
    extensions: { credProps: true },
  };
}

/** The registration the challenge names, spent; throws Cognito's error when it is not this caller's to complete. */
async function openPending(app: Corral, caller: Caller, challenge: string): Promise<Pending> {
  const notFound = () => new WebAuthnChallengeNotFoundException('The WebAuthn registration challenge was not found or has expired.');
  let token: string;
  try {
    token = isoBase64URL.toUTF8String(challenge);
  } catch {
    throw notFound();
  }
  const r = unseal<Pending>(app.secrets.serverKey, PURPOSE, token, app.now());
  if (!r.ok || r.payload.p !== caller.pool.id || r.payload.s !== caller.user.sub) throw notFound();
  if (r.payload.c !== String(caller.claims.client_id)) {
    throw new WebAuthnClientMismatchException('The access token is for a different client than the one that started the registration.');
  }
  if (!(await app.store.spentSessions.spend(spentSessionHash(app, token), app.now() + TTL_SECONDS * 1000))) throw notFound();
  return r.payload;
}

export async function completeRegistration(app: Corral, caller: Caller, credential: unknown): Promise<void> {
  const { pool, user } = caller;
  assertWebAuthnEnabled(pool);
  const rp = requireRelyingParty(app, pool);
  const c = credentialJson(credential, ['clientDataJSON', 'attestationObject']);
  const client = clientDataOf(c, 'webauthn.create');
  const pending = await openPending(app, caller, client.challenge);
  if (!originAllowed(client.origin, rp.id)) {
    throw new WebAuthnOriginNotAllowedException(`The origin ${client.origin} is not allowed for the relying party ${rp.id}.`);
  }
  let fmt: string;
  let authData: Bytes;
  try {
    const attestation = decodeAttestationObject(b64urlBytes(c.response.attestationObject as string));
    fmt = attestation.get('fmt');
    authData = attestation.get('authData');
  } catch {
    throw new InvalidParameterException('The credential has no valid attestationObject.');
  }
  const data = authenticatorData(authData);
  if (!madeFor(data, rp.id) || pending.r !== rp.id) {
    throw new WebAuthnRelyingPartyMismatchException(`The credential was made for another relying party than ${rp.id}.`);
  }
  if (!data.credentialID || !data.credentialPublicKey) throw new InvalidParameterException('The attestation carries no credential.');
  if (isoBase64URL.fromBuffer(data.credentialID) !== c.id) throw new InvalidParameterException('The credential id does not match the attestation.');
  const notSupported = (why: string) => new WebAuthnCredentialNotSupportedException(why);
  if (rp.userVerification === 'required' && !data.flags.uv)
    throw notSupported('The user pool requires user verification; the authenticator did not verify the user.');
  let alg: number | undefined;
  try {
    alg = decodeCredentialPublicKey(data.credentialPublicKey).get(3 /* alg */);
  } catch {
    throw notSupported('The credential public key cannot be read.');
  }
  if (alg === undefined || !ALGORITHMS.includes(alg)) throw notSupported(`The credential algorithm ${String(alg)} is not supported.`);

  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: c as unknown as RegistrationResponseJSON,
      expectedChallenge: client.challenge,
      expectedOrigin: client.origin,
      expectedRPID: rp.id,
      requireUserVerification: rp.userVerification === 'required',
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (err) {
    throw notSupported(`The credential could not be verified (${fmt}): ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!verified.verified) throw notSupported('The credential could not be verified.');
  const info = verified.registrationInfo;

  if ((await app.store.webAuthnCredentials.countForUser(pool.id, user.sub)) >= MAX_PASSKEYS_PER_USER) {
    throw new LimitExceededException(`A user can register at most ${MAX_PASSKEYS_PER_USER} passkeys.`);
  }
  const transports = Array.isArray(c.response.transports) ? c.response.transports.filter((t): t is string => typeof t === 'string') : [];
  const created = await app.store.webAuthnCredentials.create({
    poolId: pool.id,
    credentialId: info.credential.id,
    userId: user.sub,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    signCount: info.credential.counter,
    transports,
    attachment: typeof c.authenticatorAttachment === 'string' ? c.authenticatorAttachment : null,
    friendlyName: friendlyName(info.aaguid, c.authenticatorAttachment),
    relyingPartyId: rp.id,
    createdAt: app.now(),
    lastUsedAt: null,
  });
  if (!created) throw new InvalidParameterException('This passkey is already registered.');
}

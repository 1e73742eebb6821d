// Cognito's SRP-6a (USER_SRP_AUTH / PASSWORD_VERIFIER), server side, as amazon-cognito-identity-js and aws-amplify v6
// compute it (cognito-wire.md §4). Every 3072-bit modular exponentiation goes through OpenSSL via one long-lived
// DiffieHellman object (a plain BigInt square-and-multiply is ~6× slower).
//
// API (all synchronous; nothing here touches storage):
//   makeVerifier(poolName, userIdForSrp, password)        → { salt, verifier }   at sign-up / password change.
//       Store `salt.toString('hex')` and `encrypt(verifier)`; send SALT = salt hex (clients parse it as an integer).
//   startSrp(verifier, srpA)                              → { srpB, b } | undefined   InitiateAuth USER_SRP_AUTH.
//       undefined: SRP_A is not hex or A mod N = 0 (refuse the sign-in). Keep `b` secret (in the sealed Session) and
//       send SRP_B = srpB. One modexp.
//   verifyClaim({ poolName, userIdForSrp, salt, verifier, srpA, srpB, b, secretBlock, timestamp, signature }) → boolean
//       RespondToAuthChallenge PASSWORD_VERIFIER: true when PASSWORD_CLAIM_SIGNATURE proves the password. Constant-time.
//       Two modexps. The caller still checks that PASSWORD_CLAIM_SECRET_BLOCK is the SECRET_BLOCK it issued and that
//       `validTimestamp(TIMESTAMP)` holds.
//   checkPassword(poolName, userIdForSrp, password, salt, verifier) → boolean    USER_PASSWORD_AUTH etc. One modexp.
//   fakeSaltAndB(serverKey, poolId, usernameKey, srpA)    → { salt, srpB, b } | undefined
//       For a user that does not exist (PreventUserExistenceErrors): the salt is stable per (pool, username) like a
//       real user's, SRP_B is fresh per call like a real user's (a stable B would itself reveal the user is unknown),
//       and the cost is the same one modexp. No claim ever verifies against it. `fakeVerifier` gives the stable
//       verifier behind it.
//   validTimestamp(ts)                                    → boolean   `ddd MMM D HH:mm:ss UTC YYYY`, a real date.
//   passwordClaimSignature(...)                           → string    the claim both sides compute (for clients/tests).
// Low-level (for the test client and the benchmark): N, g, k, powG(e), modPow(base, e), padHex, hashHex, toBigInt.
//
// `poolName` is the part of the pool id after `_`; `userIdForSrp` is USER_ID_FOR_SRP (the internal username).
import { createDiffieHellman, createHash, createHmac, getDiffieHellman, hkdfSync, randomBytes, timingSafeEqual, type DiffieHellman } from 'node:crypto';

/** RFC 3526 group 15 (3072-bit MODP) prime. */
const N_BYTES = getDiffieHellman('modp15').getPrime();
export const N: bigint = toBigInt(N_BYTES);
export const g = 2n;
const N_LEN = N_BYTES.length; // 384

/** Big-endian unsigned bytes → bigint. */
export function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex'));
}

/** bigint → big-endian unsigned bytes, left-padded to `len` when given. */
export function toBytes(n: bigint, len = 0): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const b = Buffer.from(hex, 'hex');
  return b.length >= len ? b : Buffer.concat([Buffer.alloc(len - b.length), b]);
}

/** The clients' padHex: even-length hex, with `00` prepended when the top bit is set (non-negative values only). */
export function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return /^[89a-f]/.test(hex) ? '00' + hex : hex;
}

/** SHA-256 of the bytes a hex string denotes, as 64 hex digits. */
export function hashHex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function hashUtf8(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** k = H(padHex(N) ‖ padHex(g)). */
export const k: bigint = BigInt('0x' + hashHex(padHex(N) + padHex(g)));

// One DiffieHellman object for the process: constructing one with generator 2 is cheap; with any other generator
// OpenSSL's DH_check takes over a second, so bases other than g go through computeSecret instead.
let dh: DiffieHellman | undefined;
function engine(): DiffieHellman {
  return (dh ??= createDiffieHellman(N_BYTES, Buffer.from([2])));
}

/** g^e mod N (OpenSSL). */
export function powG(e: bigint): bigint {
  const d = engine();
  d.setPrivateKey(toBytes(e));
  d.generateKeys();
  return toBigInt(d.getPublicKey());
}

/** base^e mod N (OpenSSL), or undefined when base mod N is degenerate (0, 1 or N−1), which OpenSSL refuses. */
export function modPow(base: bigint, e: bigint): bigint | undefined {
  const b = ((base % N) + N) % N;
  if (b <= 1n || b === N - 1n) return undefined;
  const d = engine();
  d.setPrivateKey(toBytes(e));
  try {
    return toBigInt(d.computeSecret(toBytes(b, N_LEN)));
  } catch {
    return undefined;
  }
}

/** x = H(padHex(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)), the salt read as an integer. */
function computeX(poolName: string, userIdForSrp: string, password: string, salt: Buffer): bigint {
  return BigInt('0x' + hashHex(padHex(toBigInt(salt)) + hashUtf8(`${poolName}${userIdForSrp}:${password}`)));
}

export interface Verifier {
  /** 16 random bytes; send as hex (SALT). */
  salt: Buffer;
  /** v = g^x mod N, 384 bytes big-endian. Secret: encrypt at rest. */
  verifier: Buffer;
}

export function makeVerifier(poolName: string, userIdForSrp: string, password: string): Verifier {
  const salt = randomBytes(16);
  return { salt, verifier: toBytes(powG(computeX(poolName, userIdForSrp, password, salt)), N_LEN) };
}

/** USER_PASSWORD_AUTH and friends: recomputes v from the password and compares in constant time. */
export function checkPassword(poolName: string, userIdForSrp: string, password: string, salt: Buffer, verifier: Buffer): boolean {
  const v = toBytes(powG(computeX(poolName, userIdForSrp, password, salt)), N_LEN);
  const stored = toBytes(toBigInt(verifier), N_LEN);
  return stored.length === N_LEN && timingSafeEqual(v, stored);
}

/** Parses SRP_A / SRP_B: hex digits only (any length, case-insensitive). */
function parseHex(hex: string): bigint | undefined {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{1,2048}$/.test(hex)) return undefined;
  return BigInt('0x' + hex);
}

export interface SrpStart {
  /** SRP_B, lowercase hex (unpadded, as Cognito sends it). */
  srpB: string;
  /** The server's secret exponent (32 bytes); keep it in the sealed session, never send it. */
  b: Buffer;
}

export function startSrp(verifier: Buffer, srpA: string): SrpStart | undefined {
  const A = parseHex(srpA);
  if (A === undefined || A % N === 0n) return undefined;
  const v = toBigInt(verifier);
  for (;;) {
    const b = randomBytes(32);
    const B = (k * v + powG(toBigInt(b))) % N;
    if (B !== 0n) return { srpB: B.toString(16), b };
  }
}

/** u = H(padHex(A) ‖ padHex(B)). */
function computeU(A: bigint, B: bigint): bigint {
  return BigInt('0x' + hashHex(padHex(A) + padHex(B)));
}

/** The 16-byte key: HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key" ‖ 0x01), truncated. */
export function derivedKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk).update(Buffer.from('Caldera Derived Key\u0001', 'utf8')).digest().subarray(0, 16);
}

/** base64(HMAC-SHA256(K, poolName ‖ userIdForSrp ‖ base64decode(secretBlock) ‖ timestamp)). */
export function passwordClaimSignature(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: string, timestamp: string): string {
  return claimMac(key, poolName, userIdForSrp, secretBlock, timestamp).toString('base64');
}

function claimMac(key: Buffer, poolName: string, userIdForSrp: string, secretBlock: string, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.from(poolName, 'utf8'))
    .update(Buffer.from(userIdForSrp, 'utf8'))
    .update(Buffer.from(secretBlock, 'base64'))
    .update(Buffer.from(timestamp, 'utf8'))
    .digest();
}

export interface Claim {
  poolName: string;
  userIdForSrp: string;
  salt: Buffer;
  verifier: Buffer;
  /** SRP_A as the client sent it at InitiateAuth. */
  srpA: string;
  /** SRP_B as sent, and the b behind it (from the session). */
  srpB: string;
  b: Buffer;
  /** PASSWORD_CLAIM_SECRET_BLOCK (base64), TIMESTAMP and PASSWORD_CLAIM_SIGNATURE (base64) as the client sent them. */
  secretBlock: string;
  timestamp: string;
  signature: string;
}

export function verifyClaim(c: Claim): boolean {
  const A = parseHex(c.srpA);
  const B = parseHex(c.srpB);
  if (A === undefined || B === undefined || A % N === 0n) return false;
  const u = computeU(A, B);
  if (u === 0n) return false;
  // S = (A · v^u)^b mod N
  const vu = modPow(toBigInt(c.verifier), u);
  if (vu === undefined) return false;
  const S = modPow(A * vu, toBigInt(c.b));
  if (S === undefined) return false;
  const expected = claimMac(derivedKey(S, u), c.poolName, c.userIdForSrp, c.secretBlock, c.timestamp);
  const given = typeof c.signature === 'string' ? Buffer.from(c.signature, 'base64') : Buffer.alloc(0);
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}

/** A stable (salt, verifier) for a username that does not exist, derived from the server key. */
export function fakeVerifier(serverKey: Buffer, poolId: string, usernameKey: string): Verifier {
  // One HKDF expansion (16 bytes of salt + 416 reduced mod N): about as cheap as opening a real user's verifier.
  const okm = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `corral:srp-fake\u0000${poolId}\u0000${usernameKey}`, 16 + 416));
  const salt = okm.subarray(0, 16);
  const v = toBigInt(okm.subarray(16)) % N;
  return { salt, verifier: toBytes(v < 2n ? 2n : v, N_LEN) };
}

export function fakeSaltAndB(serverKey: Buffer, poolId: string, usernameKey: string, srpA: string): (SrpStart & { salt: Buffer }) | undefined {
  const fake = fakeVerifier(serverKey, poolId, usernameKey);
  const start = startSrp(fake.verifier, srpA);
  return start && { ...start, salt: fake.salt };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;

/** TIMESTAMP as the clients write it: `ddd MMM D HH:mm:ss UTC YYYY` (English names, day unpadded), a real date. */
export function validTimestamp(ts: string): boolean {
  const m = typeof ts === 'string' ? TIMESTAMP.exec(ts) : null;
  if (!m) return false;
  const month = MONTHS.indexOf(m[2]!);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(Number(m[7]), month, day));
  return d.getUTCMonth() === month && d.getUTCDate() === day;
}

/** Formats an instant the way the clients do (for the test client and tests). */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

// SRP: our server math against our test client, amazon-cognito-identity-js and aws-amplify v6's own helpers.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  N,
  checkPassword,
  fakeSaltAndB,
  fakeVerifier,
  formatTimestamp,
  makeVerifier,
  modPow,
  padHex,
  powG,
  startSrp,
  validTimestamp,
  verifyClaim,
  type Claim,
} from '../../src/crypto/srp.js';
import { SrpClient } from '../support/srp-client.js';

const POOL_ID = 'us-east-1_TestPool1';
const POOL_NAME = 'TestPool1';
const USER = 'a1b2c3d4-0000-4000-8000-000000000001';
const PASSWORD = 'Corral-Passw0rd!';
const SECRET_BLOCK = randomBytes(64).toString('base64');

function claimFor(
  v: { salt: Buffer; verifier: Buffer },
  srpA: string,
  start: { srpB: string; b: Buffer },
  r: { TIMESTAMP: string; PASSWORD_CLAIM_SIGNATURE: string; PASSWORD_CLAIM_SECRET_BLOCK: string },
): Claim {
  return {
    poolName: POOL_NAME,
    userIdForSrp: USER,
    salt: v.salt,
    verifier: v.verifier,
    srpA,
    srpB: start.srpB,
    b: start.b,
    secretBlock: r.PASSWORD_CLAIM_SECRET_BLOCK,
    timestamp: r.TIMESTAMP,
    signature: r.PASSWORD_CLAIM_SIGNATURE,
  };
}

function modPowBigInt(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

describe('SRP primitives', () => {
  it('powG and modPow agree with plain BigInt arithmetic', () => {
    const e = BigInt('0x' + randomBytes(32).toString('hex'));
    const base = BigInt('0x' + randomBytes(300).toString('hex'));
    expect(powG(e)).toBe(modPowBigInt(2n, e, N));
    expect(modPow(base, e)).toBe(modPowBigInt(base, e, N));
    expect(modPow(-base, e)).toBe(modPowBigInt(N - (base % N), e, N));
  });

  it('modPow refuses degenerate bases', () => {
    for (const base of [0n, 1n, N - 1n, N, N + 1n]) expect(modPow(base, 12345n)).toBeUndefined();
  });

  it('padHex follows the clients', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x1abn)).toBe('01ab');
    expect(padHex(0x8abn)).toBe('08ab');
    expect(padHex(0xf00n)).toBe('0f00');
    expect(padHex(0x8000n)).toBe('008000');
  });
});

describe('SRP: test client against server', () => {
  it('signs in with the right password', () => {
    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    expect(v.salt).toHaveLength(16);
    expect(v.verifier).toHaveLength(384);
    const client = new SrpClient(POOL_ID);
    const start = startSrp(v.verifier, client.srpA)!;
    expect(start.srpB).toMatch(/^[0-9a-f]+$/);
    const r = client.respond(PASSWORD, { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER });
    expect(validTimestamp(r.TIMESTAMP)).toBe(true);
    expect(verifyClaim(claimFor(v, client.srpA, start, r))).toBe(true);
  });

  it('works when the salt has leading zero bytes (clients read SALT as an integer)', () => {
    for (const head of [
      [0x00, 0x80],
      [0x00, 0x00, 0x05],
      [0x00, 0x7f],
    ]) {
      const salt = Buffer.concat([Buffer.from(head), randomBytes(16 - head.length)]);
      const v = withSalt(salt);
      const client = new SrpClient(POOL_ID);
      const start = startSrp(v.verifier, client.srpA)!;
      for (const SALT of [salt.toString('hex'), BigInt('0x' + salt.toString('hex')).toString(16)]) {
        const r = client.respond(PASSWORD, { SALT, SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER });
        expect(verifyClaim(claimFor(v, client.srpA, start, r))).toBe(true);
      }
    }
  });

  it('fails with a wrong password, a wrong user id, a tampered secret block or timestamp', () => {
    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    const client = new SrpClient(POOL_ID);
    const start = startSrp(v.verifier, client.srpA)!;
    const params = { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER };
    const wrong = client.respond('Corral-Passw0rd?', params);
    expect(verifyClaim(claimFor(v, client.srpA, start, wrong))).toBe(false);
    const good = client.respond(PASSWORD, params);
    expect(verifyClaim(claimFor(v, client.srpA, start, good))).toBe(true);
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), userIdForSrp: 'someone-else' })).toBe(false);
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), secretBlock: randomBytes(64).toString('base64') })).toBe(false);
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), timestamp: formatTimestamp(Date.now() + 7_000_000) })).toBe(false);
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), signature: 'AAAA' })).toBe(false);
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), signature: '' })).toBe(false);
    // A different b (another InitiateAuth) does not verify the old claim.
    const other = startSrp(v.verifier, client.srpA)!;
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, good), b: other.b })).toBe(false);
  });

  it('refuses degenerate or malformed A', () => {
    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    expect(startSrp(v.verifier, '0')).toBeUndefined();
    expect(startSrp(v.verifier, N.toString(16))).toBeUndefined();
    expect(startSrp(v.verifier, (2n * N).toString(16))).toBeUndefined();
    expect(startSrp(v.verifier, 'xyz')).toBeUndefined();
    expect(startSrp(v.verifier, '')).toBeUndefined();
    // A ≡ 1 or N−1 (mod N) still gets a B, but a claim made without the password cannot verify against it.
    for (const A of [1n, N - 1n, N + 1n]) {
      const start = startSrp(v.verifier, A.toString(16));
      if (!start) continue;
      const r = { TIMESTAMP: formatTimestamp(Date.now()), PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: 'x' };
      expect(verifyClaim(claimFor(v, A.toString(16), start, r))).toBe(false);
    }
    // The claim check itself refuses A ≡ 0.
    const client = new SrpClient(POOL_ID);
    const start = startSrp(v.verifier, client.srpA)!;
    const r = client.respond(PASSWORD, { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER });
    expect(verifyClaim({ ...claimFor(v, client.srpA, start, r), srpA: N.toString(16) })).toBe(false);
  });

  it('checkPassword recomputes the verifier', () => {
    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    expect(checkPassword(POOL_NAME, USER, PASSWORD, v.salt, v.verifier)).toBe(true);
    expect(checkPassword(POOL_NAME, USER, PASSWORD + ' ', v.salt, v.verifier)).toBe(false);
    expect(checkPassword('OtherPool', USER, PASSWORD, v.salt, v.verifier)).toBe(false);
    expect(checkPassword(POOL_NAME, USER, PASSWORD, v.salt, Buffer.alloc(0))).toBe(false);
  });

  it('fake users have a stable salt, a fresh B, and never verify', () => {
    const key = randomBytes(32);
    const client = new SrpClient(POOL_ID);
    const one = fakeSaltAndB(key, POOL_ID, 'nobody', client.srpA)!;
    const two = fakeSaltAndB(key, POOL_ID, 'nobody', client.srpA)!;
    expect(one.salt.equals(two.salt)).toBe(true);
    expect(one.srpB).not.toBe(two.srpB);
    expect(fakeSaltAndB(key, POOL_ID, 'somebody', client.srpA)!.salt.equals(one.salt)).toBe(false);
    expect(fakeSaltAndB(randomBytes(32), POOL_ID, 'nobody', client.srpA)!.salt.equals(one.salt)).toBe(false);
    expect(fakeSaltAndB(key, POOL_ID, 'nobody', '0')).toBeUndefined();
    const fake = fakeVerifier(key, POOL_ID, 'nobody');
    const r = client.respond(PASSWORD, { SALT: one.salt.toString('hex'), SRP_B: one.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: 'nobody' });
    expect(verifyClaim({ ...claimFor(fake, client.srpA, one, r), userIdForSrp: 'nobody' })).toBe(false);
  });

  it('validTimestamp accepts the clients’ format only', () => {
    expect(validTimestamp('Tue Mar 5 09:04:07 UTC 2024')).toBe(true);
    expect(validTimestamp('Sun Dec 31 23:59:59 UTC 2023')).toBe(true);
    expect(validTimestamp(formatTimestamp(Date.UTC(2024, 1, 29, 0, 0, 0)))).toBe(true);
    expect(formatTimestamp(Date.UTC(2024, 2, 5, 9, 4, 7))).toBe('Tue Mar 5 09:04:07 UTC 2024');
    for (const bad of [
      'Tue Mar 05 09:04:07 UTC 2024',
      'Tue Mar 5 9:04:07 UTC 2024',
      'Tue Mar 5 09:04:07 GMT 2024',
      'tue mar 5 09:04:07 UTC 2024',
      'Tue Feb 30 09:04:07 UTC 2024',
      'Tue Mar 5 24:00:00 UTC 2024',
      '2024-03-05T09:04:07Z',
      '',
    ])
      expect(validTimestamp(bad), bad).toBe(false);
  });
});

/** A verifier for a chosen salt, by the formula: v = g^H(padHex(salt) ‖ H(poolName ‖ user ‖ ":" ‖ password)). */
function withSalt(salt: Buffer): { salt: Buffer; verifier: Buffer } {
  const inner = createHash('sha256').update(`${POOL_NAME}${USER}:${PASSWORD}`, 'utf8').digest('hex');
  const x = BigInt(
    '0x' +
      createHash('sha256')
        .update(Buffer.from(padHex(BigInt('0x' + salt.toString('hex'))) + inner, 'hex'))
        .digest('hex'),
  );
  const verifier = Buffer.from(powG(x).toString(16).padStart(768, '0'), 'hex');
  expect(checkPassword(POOL_NAME, USER, PASSWORD, salt, verifier)).toBe(true);
  return { salt, verifier };
}

// ---------------------------------------------------------------------------------------------------------------
// Real client libraries, with fixed inputs.

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

interface CognitoBigInteger {
  toString(radix: number): string;
}
interface LegacyHelper {
  smallAValue: CognitoBigInteger;
  largeAValue?: CognitoBigInteger;
  getLargeAValue(cb: (err: unknown, A: CognitoBigInteger) => void): void;
  getPasswordAuthenticationKey(
    user: string,
    password: string,
    B: CognitoBigInteger,
    salt: CognitoBigInteger,
    cb: (err: unknown, hkdf: Uint8Array) => void,
  ): void;
}

const FIXED_A = BigInt('0x' + '5a'.repeat(128)); // a 1024-bit secret, as the libraries use
const FIXED_TS = 'Tue Mar 5 09:04:07 UTC 2024';

describe('SRP: amazon-cognito-identity-js computes the same claim', () => {
  it('AuthenticationHelper’s key signs a claim our server accepts, identical to our client’s', async () => {
    const { AuthenticationHelper } = require('amazon-cognito-identity-js') as { AuthenticationHelper: new (pool: string) => LegacyHelper };
    const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => CognitoBigInteger }).default;
    const helper = new AuthenticationHelper(POOL_NAME);
    helper.smallAValue = new BigInteger(FIXED_A.toString(16), 16);
    helper.largeAValue = undefined;
    const A = await new Promise<string>((res, rej) => helper.getLargeAValue((e, a) => (e ? rej(e) : res(a.toString(16)))));
    const ours = new SrpClient(POOL_ID, { a: FIXED_A });
    expect(A).toBe(ours.srpA);

    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    const start = startSrp(v.verifier, A)!;
    const hkdf = await new Promise<Uint8Array>((res, rej) =>
      helper.getPasswordAuthenticationKey(USER, PASSWORD, new BigInteger(start.srpB, 16), new BigInteger(v.salt.toString('hex'), 16), (e, h) =>
        e ? rej(e) : res(h),
      ),
    );
    // The signature exactly as CognitoUser.authenticateUserDefaultAuth builds it.
    const signature = createHmac('sha256', Buffer.from(hkdf))
      .update(Buffer.concat([Buffer.from(POOL_NAME, 'utf8'), Buffer.from(USER, 'utf8'), Buffer.from(SECRET_BLOCK, 'base64'), Buffer.from(FIXED_TS, 'utf8')]))
      .digest('base64');
    const r = { TIMESTAMP: FIXED_TS, PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: signature };
    expect(verifyClaim(claimFor(v, A, start, r))).toBe(true);

    const mine = ours.respond(
      PASSWORD,
      { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER },
      Date.UTC(2024, 2, 5, 9, 4, 7),
    );
    expect(mine.TIMESTAMP).toBe(FIXED_TS);
    expect(mine.PASSWORD_CLAIM_SIGNATURE).toBe(signature);
  }, 30_000);
});

describe('SRP: aws-amplify v6 computes the same claim', () => {
  const srpDir = join(root, 'node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp');

  it('Amplify’s AuthenticationHelper and getSignatureString give a claim our server accepts', async () => {
    type AmpBig = CognitoBigInteger;
    const AmpHelper = (await import(join(srpDir, 'AuthenticationHelper/AuthenticationHelper.mjs'))).default as new (o: {
      userPoolName: string;
      a: AmpBig;
      g: AmpBig;
      A: AmpBig;
      N: AmpBig;
    }) => { getPasswordAuthenticationKey(o: { username: string; password: string; serverBValue: AmpBig; salt: AmpBig }): Promise<Uint8Array> };
    const AmpBigInteger = (await import(join(srpDir, 'BigInteger/BigInteger.mjs'))).default as new (hex: string, radix: number) => AmpBig;
    const { calculateA } = (await import(join(srpDir, 'calculate/calculateA.mjs'))) as { calculateA(o: { a: AmpBig; g: AmpBig; N: AmpBig }): Promise<AmpBig> };
    const { getSignatureString } = (await import(join(srpDir, 'getSignatureString.mjs'))) as {
      getSignatureString(o: { userPoolName: string; username: string; challengeParameters: Record<string, string>; dateNow: string; hkdf: Uint8Array }): string;
    };

    const a = new AmpBigInteger(FIXED_A.toString(16), 16);
    const g = new AmpBigInteger('2', 16);
    const bigN = new AmpBigInteger(N.toString(16), 16);
    const A = await calculateA({ a, g, N: bigN });
    expect(A.toString(16)).toBe(new SrpClient(POOL_ID, { a: FIXED_A }).srpA);
    const helper = new AmpHelper({ userPoolName: POOL_NAME, a, g, A, N: bigN });

    const v = makeVerifier(POOL_NAME, USER, PASSWORD);
    const start = startSrp(v.verifier, A.toString(16))!;
    const challengeParameters = { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK, USER_ID_FOR_SRP: USER, USERNAME: USER };
    const hkdf = await helper.getPasswordAuthenticationKey({
      username: USER,
      password: PASSWORD,
      serverBValue: new AmpBigInteger(start.srpB, 16),
      salt: new AmpBigInteger(challengeParameters.SALT, 16),
    });
    const signature = getSignatureString({ userPoolName: POOL_NAME, username: USER, challengeParameters, dateNow: FIXED_TS, hkdf });
    const r = { TIMESTAMP: FIXED_TS, PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: signature };
    expect(verifyClaim(claimFor(v, A.toString(16), start, r))).toBe(true);
    const mine = new SrpClient(POOL_ID, { a: FIXED_A }).respond(PASSWORD, challengeParameters, Date.UTC(2024, 2, 5, 9, 4, 7));
    expect(mine.PASSWORD_CLAIM_SIGNATURE).toBe(signature);

    // And with the wrong password Amplify's claim is refused.
    const bad = await helper.getPasswordAuthenticationKey({
      username: USER,
      password: 'nope',
      serverBValue: new AmpBigInteger(start.srpB, 16),
      salt: new AmpBigInteger(challengeParameters.SALT, 16),
    });
    const badSig = getSignatureString({ userPoolName: POOL_NAME, username: USER, challengeParameters, dateNow: FIXED_TS, hkdf: bad });
    expect(verifyClaim(claimFor(v, A.toString(16), start, { ...r, PASSWORD_CLAIM_SIGNATURE: badSig }))).toBe(false);
  }, 30_000);
});

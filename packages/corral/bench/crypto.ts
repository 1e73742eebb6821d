// The cryptographic floor of each bench operation — what it costs if nothing but its crypto ran — from the parts, in
// CPU time (comparable with the server's CPU accounting, and less disturbed than wall time when other processes share
// the cores): a 3072-bit modexp with a 256-bit exponent, as g^e (OpenSSL generateKeys: password hashing, SRP's g^b) or
// with an arbitrary base (computeSecret: SRP's v^u and (A·v^u)^b), an RS256 signature and verification over a
// Cognito-sized token. See architecture.md "Cost of a sign-in".
//   SignUp: g^x (the verifier)        USER_PASSWORD_AUTH: g^x + 2 RS256 signatures (ID and access token)
//   SRP sign-in: g^b + 2 modexp + 2 signatures        REFRESH_TOKEN_AUTH: 2 signatures        GetUser: 1 verification
//   AdminGetUser, ListUsers: none (a SigV4 HMAC, microseconds)
// `measureCrypto()` is used by the bench; run alone it prints the figures:
//   npx tsc -p packages/corral/tsconfig.bench.json && node packages/corral/dist/bench-build/bench/crypto.js [iterations]
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { makeVerifier, modPow, powG, startSrp, toBigInt, verifyClaim, type Claim } from '../src/crypto/srp.js';
import { decodeJwt, signJwt, verifyJwtSignature, type SigningKey } from '../src/crypto/signing-keys.js';
import { SrpClient } from '../test/support/srp-client.js';
import type { OpName } from './ops.js';

export interface CryptoFigures {
  iterations: number;
  /** One 3072-bit modexp, 256-bit exponent, arbitrary base (OpenSSL computeSecret), ms. */
  modexpMs: number;
  /** One g^e (OpenSSL generateKeys), ms. */
  powGMs: number;
  /** One RS256 signature over a Cognito-sized access token, ms. */
  rs256SignMs: number;
  /** One RS256 verification (what GetUser pays), ms. */
  rs256VerifyMs: number;
  /** 1 × g^b + 2 × modexp + 2 × RS256 sign, measured back to back, ms: the bare floor of a sign-in. */
  floorMs: number;
  /** The same floor in this process's CPU time (user + system), ms: comparable with a server's CPU accounting, and
   *  less disturbed than wall time when other processes share the cores. */
  floorCpuMs: number;
  /** The real server SRP path (startSrp + verifyClaim, hashing included) + 2 signatures, ms. */
  srpServerMs: number;
  /** 1000 / floorMs: sign-ins per second per core if nothing else cost anything. */
  floorPerSecond: number;
  /** The parts in CPU time, ms. */
  cpu: { powG: number; modexp: number; rs256Sign: number; rs256Verify: number };
  /** Each operation's floor in CPU time, ms (undefined: no crypto to speak of). */
  floors: Record<OpName, number | undefined>;
}

/** CPU time (user + system) per call, ms, after a warm-up. */
function cpuTime(iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / iterations;
}

function time(iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(50, iterations); i++) fn(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations;
}

export async function measureCrypto(iterations = 300): Promise<CryptoFigures> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key: SigningKey = { kid: 'bench', privateKey };
  const claims = {
    sub: randomUUID(),
    iss: 'http://localhost:9229/us-east-1_Bench0001',
    client_id: 'a'.repeat(26),
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: 1_700_000_000,
    exp: 1_700_003_600,
    iat: 1_700_000_000,
    jti: randomUUID(),
    username: 'bench-user',
    version: 2,
  };
  const exp = () => toBigInt(randomBytes(32));
  const base = toBigInt(randomBytes(384)) >> 2n;

  const modexpMs = time(iterations, () => void modPow(base, exp()));
  const powGMs = time(iterations, () => void powG(exp()));
  const rs256SignMs = time(iterations, () => void signJwt(key, claims));
  const token = decodeJwt(signJwt(key, claims))!;
  const publicKey = (await import('node:crypto')).createPublicKey(privateKey);
  const rs256VerifyMs = time(iterations, () => void verifyJwtSignature(token, publicKey));
  const floor = () => {
    powG(exp());
    modPow(base, exp());
    modPow(base, exp());
    signJwt(key, claims);
    signJwt(key, claims);
  };
  const cpu0 = process.cpuUsage();
  const floorMs = time(iterations, floor);
  const used = process.cpuUsage(cpu0);
  const floorCpuMs = (used.user + used.system) / 1000 / (iterations + Math.min(50, iterations)); // warm-up included

  // The actual server path: startSrp (InitiateAuth) + verifyClaim (RespondToAuthChallenge) + two signatures, with the
  // client's answers computed beforehand, outside the timed loop.
  const poolName = 'Bench0001';
  const user = 'bench-user';
  const password = 'Bench-Passw0rd!';
  const v = makeVerifier(poolName, user, password);
  const secretBlock = randomBytes(64).toString('base64');
  const claims64: Claim[] = Array.from({ length: 64 }, () => {
    const client = new SrpClient(`us-east-1_${poolName}`);
    const start = startSrp(v.verifier, client.srpA)!;
    const r = client.respond(password, { SALT: v.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: user });
    return {
      poolName,
      userIdForSrp: user,
      salt: v.salt,
      verifier: v.verifier,
      srpA: client.srpA,
      srpB: start.srpB,
      b: start.b,
      secretBlock,
      timestamp: r.TIMESTAMP,
      signature: r.PASSWORD_CLAIM_SIGNATURE,
    };
  });
  let i = 0;
  const srpServerMs = time(iterations, () => {
    const c = claims64[i++ % claims64.length]!;
    if (!startSrp(v.verifier, c.srpA) || !verifyClaim(c)) throw new Error('benchmark claim did not verify');
    signJwt(key, claims);
    signJwt(key, claims);
  });

  const cpu = {
    powG: cpuTime(iterations, () => void powG(exp())),
    modexp: cpuTime(iterations, () => void modPow(base, exp())),
    rs256Sign: cpuTime(iterations, () => void signJwt(key, claims)),
    rs256Verify: cpuTime(iterations * 4, () => void verifyJwtSignature(token, publicKey)),
  };
  const floors: Record<OpName, number | undefined> = {
    signUp: cpu.powG,
    passwordSignIn: cpu.powG + 2 * cpu.rs256Sign,
    srpSignIn: cpu.powG + 2 * cpu.modexp + 2 * cpu.rs256Sign,
    refresh: 2 * cpu.rs256Sign,
    getUser: cpu.rs256Verify,
    adminGetUser: undefined,
    listUsers: undefined,
  };

  return {
    cpu,
    floors,
    iterations,
    modexpMs,
    powGMs,
    rs256SignMs,
    rs256VerifyMs,
    floorMs,
    floorCpuMs,
    srpServerMs,
    floorPerSecond: 1000 / floorMs,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const iterations = Number(process.argv[2] ?? 300);
  const f = await measureCrypto(iterations);
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  console.log(`Sign-in crypto floor (${f.iterations} iterations, node ${process.version})`);
  console.log(`  modexp 3072-bit, 256-bit exponent  ${ms(f.modexpMs)}`);
  console.log(`  g^e (generateKeys)                 ${ms(f.powGMs)}`);
  console.log(`  RS256 sign                         ${ms(f.rs256SignMs)}`);
  console.log(`  RS256 verify                       ${ms(f.rs256VerifyMs)}`);
  console.log(`  floor: 3 modexp + 2 sign           ${ms(f.floorMs)}  (${f.floorPerSecond.toFixed(0)} sign-ins/s/core; CPU ${ms(f.floorCpuMs)})`);
  console.log(`  server SRP path + 2 sign           ${ms(f.srpServerMs)}`);
  console.log(
    `  floors (CPU): ${Object.entries(f.floors)
      .map(([op, v]) => `${op} ${v === undefined ? '–' : ms(v)}`)
      .join(', ')}`,
  );
}

// A fast SRP client (the client side of cognito-wire.md §4) for tests and benchmarks, on node:crypto/OpenSSL.
// It computes what amazon-cognito-identity-js and Amplify v6 compute, with a 256-bit secret `a` (they use 1024 bits;
// the math is the same, only faster).
//
//   const srp = new SrpClient(poolId);                      // or new SrpClient(poolId, { a }) for fixed inputs
//   InitiateAuth({ AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA } })
//   const ChallengeResponses = srp.respond(password, ChallengeParameters)   // { USERNAME, PASSWORD_CLAIM_*, TIMESTAMP }
//   RespondToAuthChallenge({ ChallengeName: 'PASSWORD_VERIFIER', Session, ChallengeResponses })
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { N, formatTimestamp, hashHex, k, modPow, padHex, powG } from '../../src/crypto/srp.js';

export interface PasswordVerifierChallenge {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
  USERNAME?: string;
  [key: string]: string | undefined;
}

export interface PasswordVerifierResponses {
  USERNAME: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  TIMESTAMP: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  [key: string]: string;
}

export class SrpClient {
  readonly poolName: string;
  private readonly a: bigint;
  private readonly A: bigint;

  constructor(poolId: string, opts: { a?: bigint } = {}) {
    this.poolName = poolId.split('_')[1] ?? poolId;
    this.a = opts.a ?? BigInt('0x' + randomBytes(32).toString('hex'));
    this.A = powG(this.a);
  }

  /** SRP_A: unpadded lowercase hex of g^a mod N. */
  get srpA(): string {
    return this.A.toString(16);
  }

  /** The PASSWORD_VERIFIER answer; throws when the server's B is unusable (as the real clients do). */
  respond(password: string, params: PasswordVerifierChallenge, now = Date.now()): PasswordVerifierResponses {
    const userId = params.USER_ID_FOR_SRP;
    const B = BigInt('0x' + params.SRP_B);
    if (B % N === 0n) throw new Error('B cannot be zero.');
    const u = BigInt('0x' + hashHex(padHex(this.A) + padHex(B)));
    if (u === 0n) throw new Error('U cannot be zero.');
    const inner = createHash('sha256').update(`${this.poolName}${userId}:${password}`, 'utf8').digest('hex');
    const x = BigInt('0x' + hashHex(padHex(BigInt('0x' + params.SALT)) + inner));
    // S = (B − k·g^x)^(a + u·x) mod N
    const S = modPow(B - k * powG(x), this.a + u * x);
    if (S === undefined) throw new Error('degenerate SRP_B');
    const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
      .update(Buffer.from(padHex(S), 'hex'))
      .digest();
    const key = createHmac('sha256', prk)
      .update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])]))
      .digest()
      .subarray(0, 16);
    const timestamp = formatTimestamp(now);
    const signature = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(this.poolName), Buffer.from(userId), Buffer.from(params.SECRET_BLOCK, 'base64'), Buffer.from(timestamp)]))
      .digest('base64');
    return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
  }
}

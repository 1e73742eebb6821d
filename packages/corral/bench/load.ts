// The bench's load generator (bench/bench.ts forks it: its CPU never counts as the server's). It runs one operation at
// a time against Corral over plain HTTP/1.1 keep-alive (node:http, `concurrency` sockets), with `concurrency`
// operations in flight, for a fixed time, and reports throughput, latencies and its own CPU. It is kept cheap: request
// bodies are built before the window (or with one template string), admin calls carry a SigV4 signature from a
// signing key derived once (bench/sigv4.ts), answers are checked by status and a substring, parsed only where the
// next call needs them (the SRP challenge).
//
// Protocol (IPC with the parent): parent → { type: 'init', data: LoadData } → child { type: 'ready' }; then per
// operation: parent → { type: 'run', op, warmupMs, durationMs, concurrency }; child runs the warm-up, → { type:
// 'warm' }; parent samples the server's CPU, → { type: 'go' }; child runs the window, → { type: 'done', result }
// once nothing is in flight; parent samples again. { type: 'exit' } ends it.
import { Agent, request } from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { N, formatTimestamp, hashHex, k, modPow, padHex, powG } from '../src/crypto/srp.js';
import type { LoadData, OpName, OpResult, RunRequest } from './ops.js';
import { Signer } from './sigv4.js';

const TARGET = 'AWSCognitoIdentityProviderService.';
const JSON_TYPE = 'application/x-amz-json-1.1';

interface Answer {
  status: number;
  text: string;
}

function send(agent: Agent, url: URL, headers: Record<string, string | number>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: '/', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const publicHeaders = (operation: string, body: Buffer) => ({ 'content-type': JSON_TYPE, 'x-amz-target': TARGET + operation, 'content-length': body.length });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

function expect(op: string, a: Answer, contains: string): void {
  if (a.status !== 200 || !a.text.includes(contains)) throw new Error(`${op}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
}

/**
 * The client side of SRP for a benchmark: per user a fixed secret `a` (A = g^a computed once) and, once the salt is
 * known, k·g^x cached — so a sign-in costs the client one modexp, (B − k·g^x)^(a + u·x) with a ~512-bit exponent.
 * The server still draws a fresh b each time; nothing about its work changes.
 */
class BenchSrp {
  private readonly poolName: string;
  private readonly a = BigInt('0x' + randomBytes(32).toString('hex'));
  private readonly A = powG(this.a);
  readonly srpA = this.A.toString(16);
  private cached?: { salt: string; x: bigint; kgx: bigint };

  constructor(
    poolId: string,
    private readonly password: string,
  ) {
    this.poolName = poolId.split('_')[1] ?? poolId;
  }

  respond(params: Record<string, string>): Record<string, string> {
    const userId = params.USER_ID_FOR_SRP!;
    if (this.cached?.salt !== params.SALT) {
      const inner = createHash('sha256').update(`${this.poolName}${userId}:${this.password}`, 'utf8').digest('hex');
      const x = BigInt('0x' + hashHex(padHex(BigInt('0x' + params.SALT)) + inner));
      this.cached = { salt: params.SALT!, x, kgx: (k * powG(x)) % N };
    }
    const { x, kgx } = this.cached;
    const B = BigInt('0x' + params.SRP_B);
    const u = BigInt('0x' + hashHex(padHex(this.A) + padHex(B)));
    const S = modPow((((B - kgx) % N) + N) % N, this.a + u * x);
    if (S === undefined) throw new Error('degenerate SRP_B');
    const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
      .update(Buffer.from(padHex(S), 'hex'))
      .digest();
    const key = createHmac('sha256', prk)
      .update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])]))
      .digest()
      .subarray(0, 16);
    const timestamp = formatTimestamp(Date.now());
    const signature = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(this.poolName), Buffer.from(userId), Buffer.from(params.SECRET_BLOCK!, 'base64'), Buffer.from(timestamp)]))
      .digest('base64');
    return { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
  }
}

type Operation = (i: number) => Promise<void>;

/** The operation `op` as a function of its sequence number, with everything it can prepare prepared. */
function operation(op: OpName, d: LoadData, agent: Agent, url: URL, srp: BenchSrp[]): Operation {
  const n = d.users.length;
  switch (op) {
    case 'signUp': {
      const headers = { 'content-type': JSON_TYPE, 'x-amz-target': TARGET + 'SignUp' };
      const password = JSON.stringify(d.users[0]!.password);
      return async (i) => {
        const name = `su${d.tag}x${i}`;
        const body = Buffer.from(
          `{"ClientId":"${d.clientId}","Username":"${name}","Password":${password},"UserAttributes":[{"Name":"email","Value":"${name}@example.com"}]}`,
        );
        expect('SignUp', await send(agent, url, { ...headers, 'content-length': body.length }, body), '"UserSub"');
      };
    }
    case 'passwordSignIn': {
      const bodies = d.users.map((u) =>
        json({ ClientId: d.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.username, PASSWORD: u.password } }),
      );
      const headers = bodies.map((b) => publicHeaders('InitiateAuth', b));
      return async (i) => expect('InitiateAuth USER_PASSWORD_AUTH', await send(agent, url, headers[i % n]!, bodies[i % n]!), '"RefreshToken"');
    }
    case 'srpSignIn': {
      const starts = d.users.map((u, j) =>
        json({ ClientId: d.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: u.username, SRP_A: srp[j]!.srpA } }),
      );
      const startHeaders = starts.map((b) => publicHeaders('InitiateAuth', b));
      return async (i) => {
        const j = i % n;
        const started = await send(agent, url, startHeaders[j]!, starts[j]!);
        expect('InitiateAuth USER_SRP_AUTH', started, '"PASSWORD_VERIFIER"');
        const challenge = JSON.parse(started.text) as { Session: string; ChallengeParameters: Record<string, string> };
        const body = json({
          ClientId: d.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: challenge.Session,
          ChallengeResponses: srp[j]!.respond(challenge.ChallengeParameters),
        });
        expect('RespondToAuthChallenge', await send(agent, url, publicHeaders('RespondToAuthChallenge', body), body), '"RefreshToken"');
      };
    }
    case 'refresh': {
      const bodies = d.refreshTokens.map((t) => json({ ClientId: d.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t } }));
      const headers = bodies.map((b) => publicHeaders('InitiateAuth', b));
      return async (i) => expect('InitiateAuth REFRESH_TOKEN_AUTH', await send(agent, url, headers[i % n]!, bodies[i % n]!), '"AccessToken"');
    }
    case 'getUser': {
      const bodies = d.accessTokens.map((t) => json({ AccessToken: t }));
      const headers = bodies.map((b) => publicHeaders('GetUser', b));
      return async (i) => expect('GetUser', await send(agent, url, headers[i % n]!, bodies[i % n]!), '"UserAttributes"');
    }
    case 'adminGetUser': {
      // 1024 requests over users spread through the whole pool, signed before the window (valid 15 minutes).
      const signer = new Signer(d.admin, url.host);
      const prepared = Array.from({ length: 1024 }, () => {
        const body = json({ UserPoolId: d.poolId, Username: `user${Math.floor(Math.random() * d.poolSize)}` });
        return { body, headers: signer.headers(TARGET + 'AdminGetUser', body) };
      });
      return async (i) => {
        const p = prepared[i % prepared.length]!;
        expect('AdminGetUser', await send(agent, url, p.headers, p.body), '"UserAttributes"');
      };
    }
    case 'listUsers': {
      const signer = new Signer(d.admin, url.host);
      const body = json({ UserPoolId: d.poolId, Filter: d.listFilter, Limit: 60 });
      const headers = signer.headers(TARGET + 'ListUsers', body);
      return async () => expect('ListUsers', await send(agent, url, headers, body), '"Users"');
    }
  }
}

/** Runs `op` with `concurrency` in flight until `ms` have passed; → latencies (ms) and failures. */
async function runFor(
  fn: Operation,
  concurrency: number,
  ms: number,
  first: number,
): Promise<{ latencies: number[]; failures: number; firstFailure?: string; next: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = first;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const t0 = performance.now();
        try {
          await fn(i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          failures++;
          firstFailure ??= String(err instanceof Error ? err.message : err);
        }
      }
    }),
  );
  return { latencies, failures, firstFailure, next };
}

function waitFor<T extends { type: string }>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T) => {
      if (m.type !== type) return;
      process.off('message', on);
      resolve(m);
    };
    process.on('message', on);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

if (process.send) {
  const { data } = await waitFor<{ type: 'init'; data: LoadData }>('init');
  const url = new URL(data.url);
  const srp = data.users.map((u) => new BenchSrp(data.poolId, u.password));
  let seq = 0;
  process.send({ type: 'ready' });
  for (;;) {
    const m = await new Promise<RunRequest | { type: 'exit' }>((resolve) => process.once('message', resolve));
    if (m.type === 'exit') break;
    const agent = new Agent({ keepAlive: true, maxSockets: m.concurrency });
    const fn = operation(m.op, data, agent, url, srp);
    const warm = await runFor(fn, m.concurrency, m.warmupMs, seq);
    seq = warm.next;
    if (warm.failures) {
      process.send({ type: 'failed', error: `${m.op} warm-up: ${warm.failures} failed; first: ${warm.firstFailure}` });
      agent.destroy();
      continue;
    }
    process.send({ type: 'warm' });
    await waitFor('go');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = await runFor(fn, m.concurrency, m.durationMs, seq);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    seq = run.next;
    agent.destroy();
    const sorted = run.latencies.sort((a, b) => a - b);
    const result: OpResult = {
      op: m.op,
      count: sorted.length,
      failures: run.failures,
      firstFailure: run.firstFailure,
      wallMs,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      meanMs: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
      clientCpuMs: (cpu.user + cpu.system) / 1000,
    };
    process.send({ type: 'done', result });
  }
  process.exit(0);
}

// The load generator of the sign-in benchmark (bench/signin.ts forks it: it runs in its own process so its CPU never
// counts as the server's). It performs full two-step SRP sign-ins over plain HTTP/1.1 keep-alive:
//   InitiateAuth USER_SRP_AUTH → RespondToAuthChallenge PASSWORD_VERIFIER
// with `concurrency` sign-ins in flight, and reports latencies and its own CPU time.
//
// Protocol (IPC with the parent): parent → { type: 'start', ...LoadConfig }; child prepares every SRP_A up front
// (one modexp each, outside the measured window), runs `warmup` sign-ins, → { type: 'warm' }; parent samples the
// server's CPU and → { type: 'go' }; child runs `count` sign-ins, → { type: 'done', ...LoadResult } once none is in
// flight; the parent samples the server's CPU again.
import { Agent, request } from 'node:http';
import { SrpClient, type PasswordVerifierChallenge } from '../test/support/srp-client.js';

export interface LoadConfig {
  /** http://127.0.0.1:PORT */
  url: string;
  poolId: string;
  clientId: string;
  users: { username: string; password: string }[];
  count: number;
  warmup: number;
  concurrency: number;
}

export interface LoadResult {
  count: number;
  failures: number;
  firstFailure?: string;
  /** Wall time of the measured window, ms. */
  wallMs: number;
  /** Full sign-in latencies (both calls), ms, sorted. */
  latencies: number[];
  /** This process's CPU during the window, ms. */
  clientCpuMs: number;
}

type Message = ({ type: 'start' } & LoadConfig) | { type: 'go' };

const TARGET = 'AWSCognitoIdentityProviderService.';

function call(agent: Agent, url: URL, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': TARGET + operation,
          'content-length': payload.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`${operation}: HTTP ${res.statusCode} ${text}`));
          try {
            resolve(JSON.parse(text) as Record<string, unknown>);
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function signIn(agent: Agent, url: URL, cfg: LoadConfig, user: { username: string; password: string }, srp: SrpClient): Promise<void> {
  const started = await call(agent, url, 'InitiateAuth', {
    ClientId: cfg.clientId,
    AuthFlow: 'USER_SRP_AUTH',
    AuthParameters: { USERNAME: user.username, SRP_A: srp.srpA },
  });
  if (started.ChallengeName !== 'PASSWORD_VERIFIER') throw new Error(`InitiateAuth: unexpected answer ${JSON.stringify(started)}`);
  const challenge = started.ChallengeParameters as PasswordVerifierChallenge;
  const done = await call(agent, url, 'RespondToAuthChallenge', {
    ClientId: cfg.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: started.Session,
    ChallengeResponses: srp.respond(user.password, challenge),
  });
  const result = done.AuthenticationResult as { IdToken?: string; AccessToken?: string; RefreshToken?: string } | undefined;
  if (!result?.IdToken || !result.AccessToken || !result.RefreshToken) throw new Error(`RespondToAuthChallenge: no tokens in ${JSON.stringify(done)}`);
}

/** Runs `n` sign-ins, `concurrency` at a time, with the prepared SRP clients. */
async function run(
  agent: Agent,
  url: URL,
  cfg: LoadConfig,
  clients: SrpClient[],
  n: number,
  latencies: number[],
): Promise<{ failures: number; firstFailure?: string }> {
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const user = cfg.users[i % cfg.users.length]!;
      const t0 = performance.now();
      try {
        await signIn(agent, url, cfg, user, clients.pop()!);
        latencies.push(performance.now() - t0);
      } catch (err) {
        failures++;
        firstFailure ??= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  return { failures, firstFailure };
}

function waitFor(type: Message['type']): Promise<Message> {
  return new Promise((resolve) => {
    const on = (m: Message) => {
      if (m.type !== type) return;
      process.off('message', on);
      resolve(m);
    };
    process.on('message', on);
  });
}

if (process.send) {
  const cfg = (await waitFor('start')) as LoadConfig & { type: 'start' };
  const url = new URL(cfg.url);
  const agent = new Agent({ keepAlive: true, maxSockets: cfg.concurrency });
  // SRP_A = g^a costs a modexp: computed for every sign-in before the window, so the client does less per sign-in.
  const clients = Array.from({ length: cfg.count + cfg.warmup }, () => new SrpClient(cfg.poolId));
  const warm = await run(agent, url, cfg, clients, cfg.warmup, []);
  if (warm.failures) {
    process.send({ type: 'failed', error: warm.firstFailure });
    process.exit(1);
  }
  process.send({ type: 'warm' });
  await waitFor('go');
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { failures, firstFailure } = await run(agent, url, cfg, clients, cfg.count, latencies);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const result: LoadResult = { count: cfg.count, failures, firstFailure, wallMs, latencies, clientCpuMs: (cpu.user + cpu.system) / 1000 };
  process.send({ type: 'done', ...result }, () => {
    agent.destroy();
    process.exit(0);
  });
}

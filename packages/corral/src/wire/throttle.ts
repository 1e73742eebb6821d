// Rate limits (issue 8 item 7), decided before an action runs:
//   1. Cognito's request rate quotas, per user pool and quota category (wire/quotas.ts; CORRAL_RATE_LIMITS), counted
//      in fixed windows of CORRAL_RATE_WINDOW_SECONDS (1 s: a quota of r RPS admits r requests per second). A request
//      over its category's quota is answered TooManyRequestsException "Too many requests", as Cognito answers, and is
//      not counted.
//   2. A throttle on guesses (CORRAL_SIGNIN_THROTTLE, e.g. 100/60): per source address, user pool and username, at
//      most N unsuccessful sign-in or code attempts per window. An attempt is counted before it is checked (so a
//      burst cannot outrun the count) and given back when it succeeds, so a user signing in again and again is never
//      throttled, while a guesser is refused before the guess is looked at.
//
// Where the counts live. On SQLite one instance owns the database file, so the counts are this process's memory:
// nothing on the sign-in path touches the disk. The workers of `corral start --workers N` on SQLite share counts kept
// by their primary (runtime/cluster.ts `primaryCounters`), counted as below. On PostgreSQL instances share the counts
// in the `counters` table
// (storage/counters.ts; one upsert `… ON CONFLICT DO UPDATE SET n = n + excluded.n RETURNING n`):
//   - quotas are batched: the first request of a window on this instance adds itself synchronously and learns the
//     shared total; later ones are decided on (last shared total + counted here since) and the increments are
//     flushed every FLUSH_MS in one upsert per counter, each flush learning the shared total again. Another instance's
//     requests are seen within one flush interval, so all instances together may exceed a quota by at most what
//     each admits in one interval.
//   - guesses are low-rate and matter for security: each attempt is one upsert, decided on the shared total; a
//     success gives its attempt back with the next flush (less what this instance has yet to give back).
// The keys of guess counters in the database are hashes: no username or address is stored.
import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { TooManyRequestsException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { primaryCounters } from '../runtime/cluster.js';
import { countThrottle } from '../metrics.js';
import type { CountersRepository } from '../storage/counters.js';
import type { Operation } from './model.js';
import { CHALLENGE_RESPONSE_FACTOR, categoryOf, isChallengeResponse, type QuotaCategory } from './quotas.js';

const MESSAGE = 'Too many requests';
/** How often (ms) an instance on PostgreSQL adds its quota counts to the shared ones. */
export const FLUSH_MS = 200;
/** The bucket of calls that name no user pool (CreateUserPool, ListUserPools, an unknown ClientId…). */
const ACCOUNT = '*';
const SWEEP_MS = 60_000;
const CLIENT_CACHE_MAX = 10_000;
const POOL_ID = /^[\w-]{1,50}_[0-9a-zA-Z]{1,50}$/;

interface Window {
  index: number;
  /** When the window ends, epoch ms. */
  end: number;
}

function windowAt(now: number, seconds: number): Window {
  const ms = seconds * 1000;
  const index = Math.floor(now / ms);
  return { index, end: (index + 1) * ms };
}

/** Where counts are kept: this process (SQLite) or the database (PostgreSQL). */
interface Counts {
  /** Counts one request under `key` in `win` if the total stays within `limit`; → whether it did. */
  admit(key: string, limit: number, win: Window, now: number): boolean | Promise<boolean>;
  /** Counts one attempt under `key` in `win`; → the total with it. */
  reserve(key: string, win: Window, now: number): number | Promise<number>;
  /** Gives back one attempt reserved in `win`. */
  release(key: string, win: Window): void | Promise<void>;
}

/** Counts in this process's memory (one instance per SQLite file). */
class MemoryCounts implements Counts {
  private readonly counts = new Map<string, { index: number; end: number; n: number }>();
  private sweepAt = 0;

  private entry(key: string, win: Window, now: number) {
    if (now >= this.sweepAt) this.sweep(now);
    let e = this.counts.get(key);
    if (!e || e.index !== win.index) {
      e = { index: win.index, end: win.end, n: 0 };
      this.counts.set(key, e);
    }
    return e;
  }

  private sweep(now: number): void {
    this.sweepAt = now + SWEEP_MS;
    for (const [key, e] of this.counts) if (e.end <= now) this.counts.delete(key);
  }

  admit(key: string, limit: number, win: Window, now: number): boolean {
    const e = this.entry(key, win, now);
    if (e.n >= limit) return false;
    e.n++;
    return true;
  }

  reserve(key: string, win: Window, now: number): number {
    return ++this.entry(key, win, now).n;
  }

  release(key: string, win: Window): void {
    const e = this.counts.get(key);
    if (e && e.index === win.index && e.n > 0) e.n--;
  }
}

interface SharedEntry {
  /** The shared total as last answered by the database (this instance's flushed counts included). */
  known: number;
  /** Counted here since, not yet added to the shared total (negative: a refused request to take back). */
  pending: number;
  end: number;
  /** When `known` was last answered by the database (epoch ms). */
  syncedAt: number;
  /** A synchronous add, while it runs (requests arriving meanwhile wait for its answer). */
  ready?: Promise<void>;
}

/** Counts in the database, shared by every instance (PostgreSQL), or by the primary for its workers (SQLite). */
class SharedCounts implements Counts {
  private readonly entries = new Map<string, SharedEntry>();
  /** Attempts given back, not yet subtracted from the shared counts. */
  private readonly releases = new Map<string, { n: number; end: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private sweepAt = 0;
  private warned = false;

  constructor(
    private readonly store: Pick<CountersRepository, 'add' | 'deleteExpired'>,
    private readonly log: Corral['log'],
  ) {}

  async admit(key: string, limit: number, win: Window): Promise<boolean> {
    const k = `${key}:${win.index}`;
    let e = this.entries.get(k);
    while (e?.ready) {
      await e.ready.catch(() => undefined);
      e = this.entries.get(k);
    }
    if (e && Date.now() - e.syncedAt < FLUSH_MS) {
      // Known recently enough: decided here, added to the shared total by the next flush.
      if (e.known + e.pending >= limit) return false;
      e.pending++;
      this.schedule();
      return true;
    }
    // The window's first request here, or the shared total is older than a flush interval: this request (with
    // whatever is pending) is added synchronously and decided on the shared total the database answers.
    const entry: SharedEntry = e ?? { known: 0, pending: 0, end: win.end, syncedAt: 0 };
    this.entries.set(k, entry);
    const sent = entry.pending + 1;
    entry.pending = 0;
    let total = 0;
    entry.ready = this.store.add(k, sent, win.end).then(
      (n) => {
        total = n;
        entry.known = n;
        entry.syncedAt = Date.now();
        entry.ready = undefined;
      },
      (err: unknown) => {
        entry.pending += sent - 1;
        entry.ready = undefined;
        throw err;
      },
    );
    await entry.ready;
    if (total <= limit) return true;
    entry.pending -= 1; // refused: not counted
    this.schedule();
    return false;
  }

  /** The shared total with this attempt, less what this instance has given back but not yet flushed. */
  async reserve(key: string, win: Window): Promise<number> {
    const k = `${key}:${win.index}`;
    const n = await this.store.add(k, 1, win.end);
    return n - (this.releases.get(k)?.n ?? 0);
  }

  /** Given back with the next flush: a count that stays high a moment longer only errs on the safe side. */
  release(key: string, win: Window): void {
    const k = `${key}:${win.index}`;
    const r = this.releases.get(k);
    if (r) r.n++;
    else this.releases.set(k, { n: 1, end: win.end });
    this.schedule();
  }

  private closed = false;

  /** Flushes what is pending and stops (the store is about to close). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.flushing) await this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer || this.flushing || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Adds every counter's pending counts to the shared totals (one upsert each) and learns the totals. */
  async flush(): Promise<void> {
    this.timer = undefined;
    this.flushing = true;
    const now = Date.now();
    let again = false;
    const releases = [...this.releases];
    this.releases.clear();
    try {
      const givenBack = releases.map(([k, r]) =>
        this.store.add(k, -r.n, r.end).catch((err: unknown) => {
          if (!this.warned) this.log.warn({ err }, 'rate limit counters: could not give attempts back');
          this.warned = true;
        }),
      );
      await Promise.all(
        [...this.entries].map(async ([k, e]) => {
          if (e.ready) {
            again ||= e.pending !== 0;
            return;
          }
          if (e.pending === 0) {
            if (e.end <= now) this.entries.delete(k);
            return;
          }
          const sent = e.pending;
          e.pending -= sent;
          try {
            e.known = await this.store.add(k, sent, e.end);
            e.syncedAt = Date.now();
          } catch (err) {
            e.pending += sent; // kept for the next flush, which the next counted request schedules
            if (!this.warned) this.log.warn({ err }, 'rate limit counters: could not add to the shared counts');
            this.warned = true;
            return;
          }
          again ||= e.pending !== 0;
        }),
      );
      await Promise.all(givenBack);
      if (now >= this.sweepAt) {
        this.sweepAt = now + SWEEP_MS;
        await this.store.deleteExpired(now).catch(() => undefined);
      }
    } finally {
      this.flushing = false;
    }
    if (again || this.releases.size > 0) this.schedule();
  }
}

interface Limiter {
  counts: Counts;
  /** Shared counts hash the guess keys (no usernames or addresses in the database). */
  hashKeys: boolean;
  /** ClientId → pool id of the clients seen (a client never moves to another pool). */
  clientPools: Map<string, string>;
}

const limiters = new WeakMap<Corral, Limiter | null>();

function limiterOf(app: Corral): Limiter | null {
  let limiter = limiters.get(app);
  if (limiter === undefined) {
    const { rateLimits, signInThrottle } = app.config;
    const counters = app.store.counters;
    const store = counters.backend === 'postgres' ? counters : cluster.isWorker ? primaryCounters() : undefined;
    const shared = store ? new SharedCounts(store, app.log) : undefined;
    limiter = rateLimits || signInThrottle ? { counts: shared ?? new MemoryCounts(), hashKeys: !!shared, clientPools: new Map() } : null;
    limiters.set(app, limiter);
    if (limiter && shared) {
      // A graceful stop adds the last counts to the shared ones before the store closes.
      const close = app.close.bind(app);
      app.close = async () => {
        await shared.close().catch(() => undefined);
        await close();
      };
    }
  }
  return limiter;
}

/** The unverified claims of a JWT (only to pick a counter: the action verifies the token itself). */
function tokenClaims(token: unknown): { pool?: string; sub?: string } | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (!payload || payload.length > 8192) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    const pool = iss.slice(iss.lastIndexOf('/') + 1);
    return { pool: POOL_ID.test(pool) ? pool : undefined, sub: typeof claims.sub === 'string' ? claims.sub : undefined };
  } catch {
    return undefined;
  }
}

type Input = Record<string, unknown>;

/** The user pool a call is counted in: its UserPoolId, its ClientId's pool, its access token's issuer, or none. */
async function poolOf(app: Corral, limiter: Limiter, input: Input): Promise<string> {
  if (typeof input.UserPoolId === 'string') return POOL_ID.test(input.UserPoolId) ? input.UserPoolId : ACCOUNT;
  if (typeof input.ClientId === 'string') {
    const known = limiter.clientPools.get(input.ClientId);
    if (known) return known;
    const client = await app.store.pools.findClient(input.ClientId);
    if (!client) return ACCOUNT;
    if (limiter.clientPools.size >= CLIENT_CACHE_MAX) limiter.clientPools.clear();
    limiter.clientPools.set(input.ClientId, client.poolId);
    return client.poolId;
  }
  return tokenClaims(input.AccessToken)?.pool ?? ACCOUNT;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const sha = (v: string): string => createHash('sha256').update(v).digest('base64url').slice(0, 22);

/** Whose guess a call is (a username, or the subject of its access token), for calls that check a secret. */
function guesser(operation: string, input: Input): string | undefined {
  const params = (input.AuthParameters ?? {}) as Input;
  switch (operation) {
    case 'InitiateAuth':
    case 'AdminInitiateAuth': {
      const flow = input.AuthFlow;
      const checksSecret =
        flow === 'USER_PASSWORD_AUTH' ||
        flow === 'ADMIN_USER_PASSWORD_AUTH' ||
        flow === 'ADMIN_NO_SRP_AUTH' ||
        (flow === 'USER_AUTH' && params.PASSWORD !== undefined);
      return checksSecret ? str(params.USERNAME) : undefined;
    }
    case 'RespondToAuthChallenge':
    case 'AdminRespondToAuthChallenge':
      return str(((input.ChallengeResponses ?? {}) as Input).USERNAME);
    case 'ConfirmSignUp':
    case 'ConfirmForgotPassword':
      return str(input.Username);
    case 'VerifyUserAttribute':
    case 'ChangePassword':
      return tokenClaims(input.AccessToken)?.sub;
    case 'VerifySoftwareToken': {
      const sub = tokenClaims(input.AccessToken)?.sub;
      if (sub) return sub;
      const session = str(input.Session);
      return session && `session:${sha(session)}`;
    }
    default:
      return undefined;
  }
}

async function checkQuota(limiter: Limiter, config: Corral['config'], pool: string, category: QuotaCategory, operation: string, now: number): Promise<void> {
  const limits = config.rateLimits;
  const rps = limits?.[category];
  if (!rps) return;
  const seconds = config.rateWindowSeconds;
  const win = windowAt(now, seconds);
  const limit = Math.max(1, Math.round(rps * seconds));
  const key = `q:${pool}:${category}`;
  // RespondToAuthChallenge has its own 3× quota first; only what exceeds it counts towards UserAuthentication.
  if (isChallengeResponse(operation) && (await limiter.counts.admit(`${key}:challenge`, limit * CHALLENGE_RESPONSE_FACTOR, win, now))) return;
  if (!(await limiter.counts.admit(key, limit, win, now))) {
    countThrottle('quota', category); // metrics
    throw new TooManyRequestsException(MESSAGE);
  }
}

/**
 * Runs `run` as one attempt of `who` (a username) from `sourceIp` in `poolId`, under the guess throttle: refused with
 * TooManyRequestsException once the unsuccessful attempts of the window reach the limit; an attempt that ends in
 * success (`run` resolves and `succeeded` says so) is given back.
 */
export async function throttleAttempt<T>(
  app: Corral,
  poolId: string,
  sourceIp: string,
  who: string,
  run: () => Promise<T>,
  succeeded: (result: T) => boolean = () => true,
): Promise<T> {
  const throttle = app.config.signInThrottle;
  const limiter = throttle && limiterOf(app);
  if (!throttle || !limiter) return run();
  const now = app.now();
  const win = windowAt(now, throttle.windowSeconds);
  const id = `${poolId}\u0000${sourceIp}\u0000${who.toLowerCase()}`;
  const key = `a:${limiter.hashKeys ? sha(id) : id}`;
  if ((await limiter.counts.reserve(key, win, now)) > throttle.attempts) {
    countThrottle('sign_in'); // metrics
    throw new TooManyRequestsException(MESSAGE);
  }
  const result = await run();
  if (succeeded(result)) await limiter.counts.release(key, win);
  return result;
}

/** Counts a hosted (managed login) sign-in in its pool's UserAuthentication quota. */
export async function hostedSignInQuota(app: Corral, poolId: string): Promise<void> {
  const limiter = app.config.rateLimits && limiterOf(app);
  if (limiter) await checkQuota(limiter, app.config, poolId, 'UserAuthentication', 'HostedSignIn', app.now());
}

/** Runs an action under the rate limits: its quota category's, then (for calls that check a secret) the guess throttle. */
export async function throttled<T>(app: Corral, operation: Operation, input: unknown, sourceIp: string, run: () => Promise<T>): Promise<T> {
  if (operation.service !== 'idp') return run();
  const limiter = limiterOf(app);
  if (!limiter) return run();
  const fields = (input ?? {}) as Input;
  const category = app.config.rateLimits ? categoryOf(operation.name) : undefined;
  const who = app.config.signInThrottle ? guesser(operation.name, fields) : undefined;
  if (!category && !who) return run();
  const pool = await poolOf(app, limiter, fields);
  if (category) await checkQuota(limiter, app.config, pool, category, operation.name, app.now());
  return who ? throttleAttempt(app, pool, sourceIp, who, run) : run();
}

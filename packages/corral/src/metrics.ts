// What operators watch: Prometheus metrics, served at GET /metrics (http/metrics.ts), in prom-client's registry and
// exposition format (Node's default metrics included).
//
//   CORRAL_METRICS   loopback (default): served to requests from this machine only (the connection's address and the
//                    Host both loopback, no CORS); on: to anyone (put it behind your network's rules); off: 404, and
//                    nothing is counted.
//
// The process's figures. With `corral start --workers N` (runtime/cluster.ts) the worker a scrape reaches asks the
// primary, which gathers every worker's figures over the IPC channel and sums them (prom-client's
// AggregatorRegistry.aggregate): a scrape sees the whole server, whichever worker answers it. Several Corrals in one
// process (the tests) share the figures.
//
// Cost. What runs per request is counting into plain maps (Family below: one map lookup per label, no label hashing,
// no allocation once a series exists): a wire request costs two updates (count, latency), a query one. The series
// are turned into prom-client's form only when scraped.
//
// Cardinality. Every label takes values from a set fixed by the code or the API models, whatever the traffic: the
// service and action (an unknown target is `unknown`), the outcome (`success` or the Cognito error name: one class
// per name, errors.ts), the AuthFlow / ChallengeName (model enums), the quota category, the trigger source, the
// delivery medium and kind, the route pattern (never the path), the query kind. No user, pool, client or address.
import cluster from 'node:cluster';
import { AggregatorRegistry, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operationForTarget, type Operation } from './wire/model.js';

export type MetricsMode = 'off' | 'loopback' | 'on';

/** CORRAL_METRICS → its mode (default loopback); throws a sentence for another value. */
export function metricsMode(raw: string | undefined): MetricsMode {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'loopback' || v === 'local') return 'loopback';
  if (/^(off|false|0|no)$/.test(v)) return 'off';
  if (/^(on|true|1|yes)$/.test(v)) return 'on';
  throw new Error(`CORRAL_METRICS must be off, loopback (the default: this machine only) or on (anyone), not ${JSON.stringify(raw)}`);
}

type Labels = Record<string, string>;
/** A series as prom-client's registry formats and aggregates it (what its own metrics' get() return). */
interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}
interface MetricJson {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: MetricValue[];
}

/** Series of one metric by label values (at most three labels): nested maps, one level per label. */
class Family<S extends { labels: Labels }> {
  private readonly root = new Map<string, unknown>();
  readonly series: S[] = [];
  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: Labels) => S,
  ) {
    if (labelNames.length > 3) throw new Error('Family: at most three labels');
  }

  private static below(level: Map<string, unknown>, key: string): Map<string, unknown> {
    let next = level.get(key) as Map<string, unknown> | undefined;
    if (!next) level.set(key, (next = new Map()));
    return next;
  }

  /** The series of these label values (as many as the labels), made on first use. */
  at(a = '', b = '', c = ''): S {
    const depth = this.labelNames.length;
    let level = this.root;
    if (depth >= 2) level = Family.below(level, a);
    if (depth >= 3) level = Family.below(level, b);
    const key = depth === 3 ? c : depth === 2 ? b : a;
    let s = level.get(key) as S | undefined;
    if (!s) {
      const values = [a, b, c];
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      s = this.make(labels);
      level.set(key, s);
      this.series.push(s);
    }
    return s;
  }

  clear(): void {
    this.root.clear();
    this.series.length = 0;
  }
}

interface CounterSeries {
  labels: Labels;
  n: number;
}

/** A counter in prom-client's metric interface (registry.registerMetric), counted cheaply (Family). */
class LeanCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly family: Family<CounterSeries>;
  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
  ) {
    this.family = new Family(labelNames, (labels) => ({ labels, n: 0 }));
  }
  inc(a?: string, b?: string, c?: string): void {
    this.family.at(a, b, c).n++;
  }
  get(): MetricJson {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.family.series.map((s) => ({ labels: { ...s.labels }, value: s.n })),
    };
  }
  reset(): void {
    this.family.clear();
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative), the last one +Inf. */
  counts: Float64Array;
  sum: number;
}

/** A histogram in prom-client's metric interface, observed cheaply (Family, a scan of the bounds). */
class LeanHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly family: Family<HistogramSeries>;
  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    this.family = new Family(labelNames, (labels) => ({ labels, counts: new Float64Array(bounds.length + 1), sum: 0 }));
  }
  observe(seconds: number, a?: string, b?: string, c?: string): void {
    const s = this.family.at(a, b, c);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += seconds;
  }
  get(): MetricJson {
    const values: MetricValue[] = [];
    for (const s of this.family.series) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += s.counts[i]!;
        const le = i < this.bounds.length ? this.bounds[i]! : '+Inf';
        values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: cumulative });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
  reset(): void {
    this.family.clear();
  }
}

const LATENCY = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
const TRIGGER = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** This process's metrics. */
export const registry = new Registry();

const m = {
  requests: new LeanCounter('corral_requests_total', 'API requests (X-Amz-Target) by service, action and outcome: success or the error name', [
    'service',
    'action',
    'outcome',
  ]),
  requestSeconds: new LeanHistogram(
    'corral_request_duration_seconds',
    'API request latency, from arrival to the last byte answered',
    ['service', 'action'],
    LATENCY,
  ),
  http: new LeanCounter(
    'corral_http_requests_total',
    'Other HTTP requests (JWKS, OAuth, hosted UI, console, mailbox, health…) by route pattern, method and status',
    ['route', 'method', 'status'],
  ),
  httpSeconds: new LeanHistogram('corral_http_request_duration_seconds', 'Other HTTP requests: latency by route pattern', ['route'], LATENCY),
  signIns: new LeanCounter(
    'corral_sign_ins_total',
    'Sign-in steps (InitiateAuth, RespondToAuthChallenge and their Admin forms) by AuthFlow / ChallengeName answered and outcome: success (tokens), challenge (another step asked), or the error name',
    ['action', 'flow', 'outcome'],
  ),
  lockouts: new LeanCounter(
    'corral_lockouts_total',
    'Attempts refused because the user is locked out after failed passwords (NotAuthorizedException "Password attempts exceeded")',
    ['action'],
  ),
  throttled: new LeanCounter(
    'corral_throttled_total',
    'Requests refused with TooManyRequestsException: kind quota (CORRAL_RATE_LIMITS, by quota category) or sign_in (CORRAL_SIGNIN_THROTTLE)',
    ['kind', 'category'],
  ),
  codesSent: new LeanCounter(
    'corral_codes_sent_total',
    'Messages sent (codes, invitations) by delivery medium, kind and way: outbox, smtp, sms_webhook or custom_sender',
    ['medium', 'kind', 'via'],
  ),
  deliveryFailures: new LeanCounter(
    'corral_code_delivery_failures_total',
    'Messages whose transport failed (CodeDeliveryFailureException) by medium and kind',
    ['medium', 'kind'],
  ),
  triggers: new LeanCounter(
    'corral_trigger_invocations_total',
    'Lambda trigger invocations by trigger source and outcome (Succeeded, Failed, TimedOut, Unavailable)',
    ['trigger_source', 'outcome'],
  ),
  triggerSeconds: new LeanHistogram(
    'corral_trigger_duration_seconds',
    'Lambda trigger run time by trigger source and outcome',
    ['trigger_source', 'outcome'],
    TRIGGER,
  ),
  querySeconds: new LeanHistogram(
    'corral_db_query_duration_seconds',
    'Database statements by backend and kind (select, insert, update, delete, other)',
    ['backend', 'kind'],
    QUERY,
  ),
  queryErrors: new LeanCounter('corral_db_query_errors_total', 'Database statements that failed, by backend', ['backend']),
  busyRetries: new LeanCounter(
    'corral_db_sqlite_busy_retries_total',
    'SQLite statements tried again because another process held the write lock (SQLITE_BUSY)',
    [],
  ),
};
for (const metric of Object.values(m)) registry.registerMetric(metric as never);

/** The PostgreSQL pools of this process (pg.Pool's counts), read when scraped. */
interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
  ended?: boolean;
}
const pools = new Set<PoolLike>();
const livePools = (): PoolLike[] => {
  for (const p of pools) if (p.ended) pools.delete(p);
  return [...pools];
};
new Gauge({
  name: 'corral_db_pool_connections',
  help: 'PostgreSQL pool connections by state (idle, busy)',
  labelNames: ['state'],
  registers: [registry],
  collect() {
    const live = livePools();
    const total = live.reduce((n, p) => n + p.totalCount, 0);
    const idle = live.reduce((n, p) => n + p.idleCount, 0);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'busy' }, total - idle);
  },
});
new Gauge({
  name: 'corral_db_pool_waiting',
  help: 'Requests waiting for a PostgreSQL pool connection',
  registers: [registry],
  collect() {
    this.set(livePools().reduce((n, p) => n + p.waitingCount, 0));
  },
});
new Gauge({
  name: 'corral_db_pool_max',
  help: 'The PostgreSQL pools’ size (connections at most)',
  registers: [registry],
  collect() {
    this.set(livePools().reduce((n, p) => n + (p.options?.max ?? 0), 0));
  },
});

/** The workers gauges: the primary's in a cluster (its registry, merged into the sum), this process's alone. */
function workerGauges(register: Registry, alive: () => number, configured: number, reporting?: () => number): void {
  new Gauge({
    name: 'corral_workers',
    help: 'Processes serving the port (corral start --workers N): alive now',
    registers: [register],
    collect() {
      this.set(alive());
    },
  });
  new Gauge({
    name: 'corral_workers_configured',
    help: 'Processes serving the port: configured',
    registers: [register],
    collect() {
      this.set(configured);
    },
  });
  if (reporting) {
    new Gauge({
      name: 'corral_metrics_workers_reporting',
      help: 'Workers whose figures this scrape includes (a worker starting or stuck is left out)',
      registers: [register],
      collect() {
        this.set(reporting());
      },
    });
  }
}

let enabled = false;
let started = false;

/** Whether anything is counted (a Corral of this process has metrics on). */
export function metricsEnabled(): boolean {
  return enabled;
}

/**
 * Called as a Corral opens (runtime/app.ts): checks CORRAL_METRICS, and unless off turns counting on for this
 * process — the default metrics, the workers gauges, and in a cluster worker the answer to the primary's requests.
 */
export function enableMetrics(config: { metrics?: string }): MetricsMode {
  const mode = metricsMode(config.metrics);
  if (mode === 'off' || started) return mode;
  started = enabled = true;
  collectDefaultMetrics({ register: registry });
  if (cluster.isWorker) answerPrimary();
  else workerGauges(registry, () => 1, 1);
  return mode;
}

// ---- what the rest of Corral reports (each a few nanoseconds; nothing when off) ----

const SIGN_IN_FLOW: Record<string, 'AuthFlow' | 'ChallengeName'> = {
  InitiateAuth: 'AuthFlow',
  AdminInitiateAuth: 'AuthFlow',
  RespondToAuthChallenge: 'ChallengeName',
  AdminRespondToAuthChallenge: 'ChallengeName',
};
/** A sign-in step in flight: its flow (validated input: a model enum value) and, once answered, whether a challenge
 *  was asked. Kept on the request (`corralSignIn`, declared by http/metrics.ts so that requests keep one shape). */
interface SignInNote {
  flow: string;
  challenge: boolean;
}
type Noted = { corralSignIn?: SignInNote | null };

/** wire/http.ts, once the input is valid: remembers a sign-in step's flow. */
export function noteInput(req: object, operation: Operation, input: unknown): void {
  if (!enabled) return;
  const member = SIGN_IN_FLOW[operation.name];
  if (!member) return;
  const flow = (input as Record<string, unknown> | undefined)?.[member];
  (req as Noted).corralSignIn = { flow: typeof flow === 'string' ? flow : 'unknown', challenge: false };
}

/** wire/http.ts, with the action's answer: a sign-in step that asks another challenge. */
export function noteOutput(req: object, output: unknown): void {
  if (!enabled) return;
  const note = (req as Noted).corralSignIn;
  if (note) note.challenge = typeof (output as { ChallengeName?: unknown } | undefined)?.ChallengeName === 'string';
}

const PASSWORD_ATTEMPTS_EXCEEDED = 'Password attempts exceeded';
const errorNames = new Map<string, string>();
/** `NotAuthorizedException:` (the x-amzn-errortype header) → `NotAuthorizedException`. */
function errorName(header: string): string {
  let name = errorNames.get(header);
  if (name === undefined) {
    name = header.replace(/:.*$/, '') || 'unknown';
    if (errorNames.size < 1000) errorNames.set(header, name);
  }
  return name;
}

/** Every response (the server's onResponse hook, http/metrics.ts). */
export function observeResponse(req: FastifyRequest, reply: FastifyReply): void {
  const seconds = reply.elapsedTime / 1000;
  const route = req.routeOptions.url;
  if (route !== '*' || req.method !== 'POST') {
    const r = route ?? 'unmatched';
    m.http.inc(r, req.method, String(reply.statusCode));
    m.httpSeconds.observe(seconds, r);
    return;
  }
  const target = req.headers['x-amz-target'];
  const operation = typeof target === 'string' ? operationForTarget(target) : undefined;
  const service = operation?.service ?? 'unknown';
  const action = operation?.name ?? 'unknown';
  const type = reply.getHeader('x-amzn-errortype');
  const outcome = typeof type === 'string' ? errorName(type) : reply.statusCode < 400 ? 'success' : `HTTP${reply.statusCode}`;
  m.requests.inc(service, action, outcome);
  m.requestSeconds.observe(seconds, service, action);
  const note = (req as Noted).corralSignIn;
  if (note) m.signIns.inc(action, note.flow, outcome !== 'success' ? outcome : note.challenge ? 'challenge' : 'success');
  if (outcome === 'NotAuthorizedException' && reply.getHeader('x-amzn-errormessage') === PASSWORD_ATTEMPTS_EXCEEDED) m.lockouts.inc(action);
}

/** wire/throttle.ts: a request refused TooManyRequestsException (`quota` with its category, or `sign_in`). */
export function countThrottle(kind: 'quota' | 'sign_in', category = ''): void {
  if (enabled) m.throttled.inc(kind, category);
}

/** messaging/: a message sent (`via` the custom sender, or as the configuration says: SMTP, the SMS webhook, the
 *  outbox alone). */
export function countCodeSent(config: { smtpUrl?: string; smsWebhookUrl?: string }, medium: string, kind: string, via?: 'custom_sender'): void {
  if (!enabled) return;
  const way = via ?? (medium === 'EMAIL' && config.smtpUrl ? 'smtp' : medium === 'SMS' && config.smsWebhookUrl ? 'sms_webhook' : 'outbox');
  m.codesSent.inc(medium, kind, way);
}

/** messaging/: a transport failed. */
export function countDeliveryFailure(medium: string, kind: string): void {
  if (enabled) m.deliveryFailures.inc(medium, kind);
}

/** triggers/invoke.ts: one invocation, as recorded for the Functions page. */
export function observeTrigger(source: string, outcome: string, durationMs: number): void {
  if (!enabled) return;
  m.triggers.inc(source, outcome);
  m.triggerSeconds.observe(durationMs / 1000, source, outcome);
}

const QUERY_KIND: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

/** What Kysely's `log` option hands over of a statement (its LogEvent, as far as the figures need it). */
export interface QueryEvent {
  level: 'query' | 'error';
  queryDurationMillis: number;
  query: { query: { kind: string } };
}

/** storage/db.ts: Kysely's `log` option timing every statement, or undefined (no cost at all) when metrics are off. */
export function queryLog(backend: 'sqlite' | 'postgres'): ((event: QueryEvent) => void) | undefined {
  if (!enabled) return undefined;
  return (event) => {
    if (event.level === 'error') m.queryErrors.inc(backend);
    m.querySeconds.observe(event.queryDurationMillis / 1000, backend, QUERY_KIND[event.query.query.kind] ?? 'other');
  };
}

/** storage/db.ts: a PostgreSQL pool whose connections the gauges show. */
export function watchPool(pool: PoolLike): void {
  if (enabled) pools.add(pool);
}

/** storage/db.ts: a statement tried again after SQLITE_BUSY. */
export function countBusyRetry(): void {
  if (enabled) m.busyRetries.inc();
}

// ---- the whole server's figures ----

interface MetricsMessage {
  corral: 'metrics';
  /** collect: a worker asks the primary for everything; report: the primary asks a worker for its figures (and
   *  the worker answers with `metrics`); text: the primary's answer to collect. */
  op: 'collect' | 'report' | 'text';
  id: number;
  metrics?: unknown[];
  text?: string;
  error?: string;
}

const COLLECT_TIMEOUT_MS = 2_000;
let nextId = 0;
const waiting = new Map<number, (m: MetricsMessage) => void>();

/** In a worker: answers the primary's `report` requests, and receives its answers to `collect`. */
function answerPrimary(): void {
  process.on('message', (msg: MetricsMessage) => {
    if (msg?.corral !== 'metrics') return;
    if (msg.op === 'text') return waiting.get(msg.id)?.(msg);
    if (msg.op !== 'report') return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ corral: 'metrics', op: 'report', id: msg.id, metrics } satisfies MetricsMessage),
      (err: Error) => process.send?.({ corral: 'metrics', op: 'report', id: msg.id, error: err.message } satisfies MetricsMessage),
    );
  });
}

/** The text GET /metrics answers: this process's figures, or in a cluster worker the whole server's (the primary's). */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  const contentType = registry.contentType;
  if (!cluster.isWorker || !process.send) return { contentType, text: await registry.metrics() };
  const id = ++nextId;
  const answer = await new Promise<MetricsMessage>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary did not answer with the workers’ metrics'));
    }, COLLECT_TIMEOUT_MS * 2);
    timer.unref();
    waiting.set(id, (msg) => {
      waiting.delete(id);
      clearTimeout(timer);
      resolve(msg);
    });
    process.send!({ corral: 'metrics', op: 'collect', id } satisfies MetricsMessage);
  });
  if (answer.error !== undefined || answer.text === undefined) throw new Error(answer.error ?? 'no metrics');
  return { contentType, text: answer.text };
}

/**
 * In the primary of `corral start --workers N` (runtime/cluster.ts): answers a worker's `collect` by asking every
 * connected worker for its figures (those that do not answer within COLLECT_TIMEOUT_MS are left out), summing them
 * with its own workers gauges, and sending back the text.
 */
export function servePrimaryMetrics(configured: number): void {
  const own = new Registry();
  let reporting = 0;
  const connected = () => Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
  workerGauges(
    own,
    () => connected().length,
    configured,
    () => reporting,
  );
  let next = 0;
  const pending = new Map<number, { left: number; got: unknown[][]; done(): void }>();
  cluster.on('message', (worker, msg: MetricsMessage) => {
    if (msg?.corral !== 'metrics') return;
    if (msg.op === 'report') {
      const p = pending.get(msg.id);
      if (!p) return;
      if (Array.isArray(msg.metrics)) p.got.push(msg.metrics);
      if (--p.left === 0) p.done();
      return;
    }
    if (msg.op !== 'collect') return;
    const id = ++next;
    const workers = connected();
    const got: unknown[][] = [];
    const finish = () => {
      if (!pending.delete(id)) return;
      clearTimeout(timer);
      reporting = got.length;
      void own
        .getMetricsAsJSON()
        .then((mine) => AggregatorRegistry.aggregate([...got, mine] as never).metrics())
        .then(
          (text) => ({ corral: 'metrics', op: 'text', id: msg.id, text }) satisfies MetricsMessage,
          (err: Error) => ({ corral: 'metrics', op: 'text', id: msg.id, error: err.message }) satisfies MetricsMessage,
        )
        .then((answer) => {
          if (worker.isConnected()) worker.send(answer);
        });
    };
    const timer = setTimeout(finish, COLLECT_TIMEOUT_MS);
    timer.unref();
    pending.set(id, { left: workers.length, got, done: finish });
    for (const w of workers) w!.send({ corral: 'metrics', op: 'report', id } satisfies MetricsMessage);
    if (workers.length === 0) finish();
  });
}

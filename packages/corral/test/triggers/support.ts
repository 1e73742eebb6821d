// Trigger test helpers: functions the test controls, as a module run in Corral's function processes (the "probe"
// module asks the test process, over a Unix socket, to run the handler the test set on globalThis for its function
// name) and as an HTTP endpoint (an in-process server).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export type TriggerEvent = {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown> & { userAttributes: Record<string, string> };
  response: Record<string, unknown>;
};
export type ProbeHandler = (event: TriggerEvent) => unknown;

declare global {
  var __corralProbe: Record<string, ProbeHandler> | undefined;
}

let probeSocket: string | undefined;

/** The test process's side of the probe: runs globalThis.__corralProbe[name](event) for the function processes. */
function probeServer(): string {
  if (probeSocket) return probeSocket;
  const socket = join(mkdtempSync(join(tmpdir(), 'corral-probe-')), 'probe.sock');
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { name, event } = JSON.parse(body) as { name: string; event: TriggerEvent };
      const answer = (out: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      const h = globalThis.__corralProbe?.[name];
      if (!h) return answer({ error: 'no probe handler for ' + name });
      Promise.resolve()
        .then(() => h(event))
        .then(
          (out) => answer({ value: out === undefined ? event : out }),
          (err: unknown) => answer({ error: err instanceof Error ? err.message : String(err) }),
        );
    });
  });
  server.listen(socket);
  server.unref();
  probeSocket = socket;
  return socket;
}

/** Writes the probe module; each function name registered with it runs globalThis.__corralProbe[name] of this test
 *  process (the event goes there and back as JSON, as it goes to a Lambda function). */
export function probeModule(): string {
  const socket = probeServer();
  const dir = mkdtempSync(join(tmpdir(), 'corral-fn-'));
  const file = join(dir, 'probe.mjs');
  writeFileSync(
    file,
    `import { request } from 'node:http';
export async function handler(event, context) {
  const body = JSON.stringify({ name: context.functionName, event });
  const out = await new Promise((resolve, reject) => {
    const req = request({ socketPath: ${JSON.stringify(socket)}, path: '/', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });
  if ('error' in out) throw new Error(out.error);
  return out.value;
}
`,
  );
  return file;
}

/** Sets what the function `name` does (and records the events it sees). */
export function onTrigger(name: string, handler: ProbeHandler): TriggerEvent[] {
  const seen: TriggerEvent[] = [];
  globalThis.__corralProbe ??= {};
  globalThis.__corralProbe[name] = (event) => {
    seen.push(structuredClone(event));
    return handler(event);
  };
  return seen;
}

export function clearTriggers(): void {
  globalThis.__corralProbe = {};
}

export const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

export interface UrlFunction {
  url: string;
  events: TriggerEvent[];
  /** What the endpoint does next: answer the event (after `fn` changes it), or fail with Lambda's error shape. */
  handle: (fn: (event: TriggerEvent) => TriggerEvent | { error: string } | { raw: string }) => void;
  close(): Promise<void>;
}

/** An HTTP function endpoint in this process. */
export async function startUrlFunction(): Promise<UrlFunction> {
  const events: TriggerEvent[] = [];
  let fn: (event: TriggerEvent) => TriggerEvent | { error: string } | { raw: string } = (e) => e;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const event = JSON.parse(body) as TriggerEvent;
      events.push(structuredClone(event));
      const out = fn(event);
      if ('error' in out) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errorType: 'Error', errorMessage: out.error }));
      } else if ('raw' in out) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(out.raw);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/invoke`,
    events,
    handle: (f) => (fn = f),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The payload of a JWT, unverified (tests look at claims). */
export function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The newest message the outbox holds for `to`. */
export async function latestMessage(baseUrl: string, to: string): Promise<{ subject: string | null; body: string; kind: string } | undefined> {
  const res = await fetch(`${baseUrl}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
  const { messages } = (await res.json()) as { messages: { subject: string | null; body: string; kind: string }[] };
  return messages[0];
}

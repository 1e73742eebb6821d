// Slow and greedy clients: a request whose body never finishes (stalled, or trickled a byte at a time) is closed
// after CORRAL_REQUEST_TIMEOUT_MS, an idle keep-alive connection after CORRAL_KEEP_ALIVE_TIMEOUT_MS, and a source
// address gets at most CORRAL_MAX_CONNECTIONS_PER_SOURCE connections open at once. Timeouts are shortened here.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/runtime/config.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';

const REQUEST_TIMEOUT_MS = 1000;
const KEEP_ALIVE_MS = 500;
const MAX_PER_SOURCE = 4;

interface Conn {
  socket: Socket;
  received: () => string;
  /** Resolves with the ms from connect to close. */
  closed: Promise<number>;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => {}); // a reset is a close here
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

const head = (length: number) =>
  'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
  `X-Amz-Target: AWSCognitoIdentityService.GetId\r\nContent-Length: ${length}\r\n\r\n`;

/** Closed within `ms`, or 'open'. */
const closedWithin = (c: Conn, ms: number) => Promise.race([c.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]);

describe('slow and greedy clients', () => {
  let corral: TestCorral;
  let port: number;
  beforeAll(async () => {
    corral = await startTestCorral({
      env: {
        CORRAL_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        CORRAL_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
        CORRAL_MAX_CONNECTIONS_PER_SOURCE: String(MAX_PER_SOURCE),
      },
    });
    port = Number(new URL(corral.url).port);
  });
  afterAll(() => corral?.stop());

  it('closes a connection whose body stalls after the headers and part of the body', async () => {
    const c = await open(port);
    c.socket.write(head(200) + '{"IdentityPoolId":');
    const t = await closedWithin(c, REQUEST_TIMEOUT_MS * 4);
    expect(t).not.toBe('open');
    expect(t as number).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that trickles its body a byte at a time (never idle, never done)', async () => {
    const c = await open(port);
    c.socket.write(head(200));
    const trickle = setInterval(() => c.socket.writable && c.socket.write(' '), 100);
    try {
      const t = await closedWithin(c, REQUEST_TIMEOUT_MS * 4);
      expect(t).not.toBe('open');
      expect(t as number).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    } finally {
      clearInterval(trickle);
    }
  });

  it('closes a connection whose headers never end', async () => {
    const c = await open(port);
    c.socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await closedWithin(c, REQUEST_TIMEOUT_MS * 4)).not.toBe('open');
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const c = await open(port);
    const body = '{}';
    c.socket.write(head(body.length).replace('GetId', 'NoSuchThing') + body);
    const t = await closedWithin(c, KEEP_ALIVE_MS * 6);
    expect(c.received()).toMatch(/^HTTP\/1\.1 400 /); // answered, then kept alive until idle
    expect(t).not.toBe('open');
  });

  it(`keeps at most ${MAX_PER_SOURCE} connections open from one source`, async () => {
    const kept = await Promise.all(Array.from({ length: MAX_PER_SOURCE }, () => open(port)));
    try {
      await new Promise((r) => setTimeout(r, 50)); // the server has seen them all
      const extra = await open(port);
      expect(await closedWithin(extra, 1000)).not.toBe('open');
      expect(extra.received()).toBe('');
      // The ones within the cap still work.
      const body = '{}';
      kept[0]!.socket.write(head(body.length).replace('GetId', 'NoSuchThing') + body);
      await expect.poll(() => kept[0]!.received(), { timeout: 2000 }).toMatch(/^HTTP\/1\.1 400 /);
      for (const c of kept) expect(await closedWithin(c, 0)).toBe('open');
      // A closed one frees its place.
      kept[1]!.socket.destroy();
      await kept[1]!.closed;
      await new Promise((r) => setTimeout(r, 50));
      const again = await open(port);
      expect(await closedWithin(again, 300)).toBe('open');
      again.socket.destroy();
    } finally {
      for (const c of kept) c.socket.destroy();
    }
  });

  it('reads the limits from the environment, with defaults and 0 for off', () => {
    const d = configFromEnv({});
    expect([d.requestTimeoutMs, d.connectionTimeoutMs, d.keepAliveTimeoutMs, d.maxConnectionsPerSource]).toEqual([30_000, 120_000, 72_000, 256]);
    const off = configFromEnv({ CORRAL_REQUEST_TIMEOUT_MS: '0', CORRAL_MAX_CONNECTIONS_PER_SOURCE: '0' });
    expect([off.requestTimeoutMs, off.maxConnectionsPerSource]).toEqual([0, 0]);
    expect(() => configFromEnv({ CORRAL_REQUEST_TIMEOUT_MS: '30s' })).toThrow(/CORRAL_REQUEST_TIMEOUT_MS must be a whole number/);
  });
});

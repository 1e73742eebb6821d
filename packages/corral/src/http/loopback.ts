// What the routes for this machine only check (the mailbox, the console, /metrics, the owner's view of
// /_corral/resources): loopback names and addresses, a loopback Host header (so a page whose DNS name rebinds to
// 127.0.0.1 is told apart), a loopback page origin, and replies without the CORS headers the server's onRequest hook
// adds to every route.
import type { FastifyReply } from 'fastify';

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'vary',
];

/** Removes the CORS headers from the reply: no other origin's script can read it, and its preflight is refused. */
export function withoutCors(reply: FastifyReply): void {
  for (const h of CORS_HEADERS) reply.removeHeader(h);
}

/** Whether a host name or address (no port, IPv6 without brackets) is loopback: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!v4 && v4.slice(1).every((o) => Number(o) <= 255);
}

/** A Host header (`name[:port]`, `[v6][:port]`) naming a loopback address. */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (!header) return false;
  const h = header.trim();
  const v6 = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(h);
  if (v6) return isLoopbackHost(v6[1]!);
  const named = /^([^:[\]]+)(?::\d{1,5})?$/.exec(h);
  return !!named && isLoopbackHost(named[1]!);
}

/** A connection's address (`::ffff:127.0.0.1` included) on loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopbackHost(address.replace(/^::ffff:/i, ''));
}

/** A request without Origin (not a browser page's), or from a page served from a loopback name. */
export function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return isLoopbackHost(new URL(origin).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

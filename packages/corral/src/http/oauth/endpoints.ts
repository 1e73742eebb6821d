// What the endpoints of a pool's domain share (routes.ts: OAuth 2.0 / OIDC, saml.ts: SAML 2.0): the pool a request's
// base names, its cookies and raw form body, and the headers of their pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../../runtime/app.js';
import { findPool, type Pool } from '../../domain/pools.js';
import { domainOfPool, findDomain } from '../../domain/oauth/domains.js';

export type EndpointRequest = FastifyRequest<{ Params: { poolId?: string; domain?: string }; Querystring: Record<string, string> }>;

export interface Resolved {
  pool: Pool;
  /** The path the endpoints sit under: `/<poolId>` or `/_domains/<prefix>`. */
  base: string;
}

/** The pool of `/<poolId>/…` (only when it has a domain) or of `/_domains/<prefix>/…`; undefined: 404. */
export async function resolve(app: Corral, req: EndpointRequest): Promise<Resolved | undefined> {
  if (req.params.domain !== undefined) {
    const d = await findDomain(app, req.params.domain);
    const pool = d && (await findPool(app, d.poolId));
    return pool && { pool, base: `/_domains/${d.domain}` };
  }
  const pool = await findPool(app, req.params.poolId ?? '');
  if (!pool || !(await domainOfPool(app, pool.id))) return undefined;
  return { pool, base: `/${pool.id}` };
}

/** A cookie's value from the request's Cookie header (the first one of that name: the most specific path's). */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The body as text (bodies arrive as Buffers: the wire protocol's catch-all parser), to read as form-urlencoded. */
export function bodyText(req: FastifyRequest): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : typeof req.body === 'string' ? req.body : '';
}

/** What Cognito's hosted pages say when a form comes back that they did not serve to this browser. */
export const FOREIGN_FORM = 'An error was encountered with the requested page.';

export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
};

export function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .status(status)
    .headers(SECURITY_HEADERS)
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(body);
}

// The Corral console (apps/console, issue 10): the built single-page app at /console/, and its two plain routes.
//   GET  /console                 → 301 /console/
//   GET  /console/*               the files of the built console (CORRAL_CONSOLE_DIR, else apps/console/dist beside
//                                 the corral package), never one outside it (`..`, dotfiles, or a symbolic link
//                                 that leads out); a path without a file extension that names no file is the
//                                 app's own route: index.html. /console/assets/* (hashed names) are cached for good,
//                                 everything else is revalidated. Not built: 503 and how to build it.
//   GET  /_corral/console-config  → { region, accountId, endpoint, passwordSignIn, idleMinutes }
//   POST /_corral/console-session {password} → the admin key pair, when CORRAL_CONSOLE_PASSWORD is set and matches.
// The console signs every API call in the browser with that pair: it can do nothing the API cannot.
// CORRAL_CONSOLE=off registers none of these routes (404).
//
// The password exchange is the one place a guess buys keys, so: the comparison is constant-time (of two hashes);
// wrong attempts are counted per source address (an IPv6 one by its /64) in the database counters
// (storage/counters.ts, one atomic upsert shared by the instances), and past CONSOLE_FAILURES in a window every
// attempt is refused, even a right one; the route sends no CORS headers, refuses its preflight and any request from
// a page of another origin (403); the password is never logged (the request log line names the URL only).
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { isLoopbackHost, isLoopbackHostHeader, withoutCors } from './loopback.js';

/** Wrong console passwords allowed per source address per window. */
export const CONSOLE_FAILURES = 10;
/** The window of CONSOLE_FAILURES, in seconds. */
export const CONSOLE_FAILURE_WINDOW_SECONDS = 15 * 60;

const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** apps/console/dist of the monorepo: this file is packages/corral/{src,dist}/http/console.{ts,js}. */
export function defaultConsoleDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'apps', 'console', 'dist');
}

function consoleHeaders(reply: FastifyReply): void {
  withoutCors(reply);
  reply
    .header('content-security-policy', CSP)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff');
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Corral console not built</title></head>
<body><h1>The Corral console is not built</h1>
<p>Build it with <code>npm run build -w console</code> (<code>npm start</code> builds it too), then reload this page.</p>
</body></html>
`;

/** The file a console path names inside `root`, or undefined when it would leave it (or names a dotfile). */
export function consoleFile(root: string, path: string): string | undefined {
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return undefined;
  const file = resolve(root, ...segments);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Whether `file`, with every symbolic link on its way followed, is still inside `root` (itself resolved): a link
 *  in the console directory that points out of it is not served. */
async function staysInside(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}

/**
 * Whose attempts a console password guess counts against: the IPv4 address (an IPv4-mapped IPv6 one as IPv4), or
 * the /64 network of an IPv6 one — one host is routinely given a whole /64, so counting per IPv6 address would
 * give it 2^64 windows of CONSOLE_FAILURES guesses.
 */
export function attemptSource(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Whether a request comes from a page of another origin (a request without Origin is not a browser page's). */
function foreignOrigin(req: FastifyRequest, app: Corral): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return true;
  }
  try {
    if (url.origin === new URL(app.config.publicUrl).origin) return false;
  } catch {
    // a public URL that is not one: only the Host comparison below
  }
  // The page's origin is the address it reached us at (a dev proxy, a loopback name): same-origin, unless that Host
  // is a name a page of another site could rebind to us (only loopback names and the public URL's host are ours).
  const host = req.headers.host;
  if (!host || url.host !== host.toLowerCase()) return true;
  let publicHost = '';
  try {
    publicHost = new URL(app.config.publicUrl).host;
  } catch {
    publicHost = '';
  }
  return !(isLoopbackHostHeader(host) || host.toLowerCase() === publicHost || isLoopbackHost(url.hostname));
}

const digest = (v: string): Buffer => createHash('sha256').update(v, 'utf8').digest();

function passwordMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export async function consoleRoutes(server: FastifyInstance, app: Corral): Promise<void> {
  if (!app.config.console) return;
  const root = resolve(app.config.consoleDir ?? defaultConsoleDir());

  server.get('/console', async (req, reply) => {
    consoleHeaders(reply);
    const q = req.url.indexOf('?');
    return reply.redirect(`/console/${q >= 0 ? req.url.slice(q) : ''}`, 301);
  });

  server.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => {
    consoleHeaders(reply);
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    const path = req.params['*'] ?? '';
    const file = consoleFile(root, path);
    if (file === undefined) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    let served: string | undefined;
    if (file !== root && (await isFile(file))) served = (await staysInside(root, file)) ? file : undefined;
    else if (extname(path.split('/').pop() ?? '') === '') served = index;
    if (!served) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    const immutable = served !== index && /^assets\//.test(path.replace(/^\/+/, ''));
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.type(TYPES[extname(served).toLowerCase()] ?? 'application/octet-stream');
    return reply.send(await readFile(served));
  });

  server.get('/_corral/console-config', async (_req, reply) => {
    withoutCors(reply);
    reply.header('cache-control', 'no-store');
    return {
      region: app.config.region,
      accountId: app.config.accountId,
      endpoint: app.config.publicUrl,
      passwordSignIn: !!app.config.consolePassword,
      idleMinutes: app.config.consoleIdleMinutes,
    };
  });

  const refuseCrossOrigin = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    withoutCors(reply);
    reply.header('cache-control', 'no-store');
    if (foreignOrigin(req, app)) {
      await reply.status(403).send({ message: 'The console signs in only from its own page.' });
    }
  };

  server.options('/_corral/console-session', { onRequest: refuseCrossOrigin }, async (_req, reply) =>
    reply.status(403).send({ message: 'Console sign-in does not answer cross-origin requests.' }),
  );

  server.post('/_corral/console-session', { onRequest: refuseCrossOrigin }, async (req, reply) => {
    const expected = app.config.consolePassword;
    if (!expected) return reply.status(404).send({ message: 'Console password sign-in is off (CORRAL_CONSOLE_PASSWORD is not set).' });
    let password: unknown;
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      password = (JSON.parse(raw) as { password?: unknown } | null)?.password;
    } catch {
      password = undefined;
    }
    if (typeof password !== 'string' || password === '') {
      return reply.status(400).send({ message: 'Send {"password": "…"} as JSON.' });
    }

    // The attempt is counted before the password is looked at (a burst cannot outrun the count) and given back
    // when it is right: only wrong ones add up.
    const now = app.now();
    const windowMs = CONSOLE_FAILURE_WINDOW_SECONDS * 1000;
    const windowIndex = Math.floor(now / windowMs);
    const key = `console:${createHash('sha256').update(attemptSource(req.ip)).digest('base64url').slice(0, 22)}:${windowIndex}`;
    const expiresAt = (windowIndex + 1) * windowMs;
    const attempts = await app.store.counters.add(key, 1, expiresAt);
    if (Math.random() < 0.02) await app.store.counters.deleteExpired(now).catch(() => undefined);
    if (attempts > CONSOLE_FAILURES) {
      await app.store.counters.add(key, -1, expiresAt);
      const minutes = Math.max(1, Math.ceil((expiresAt - now) / 60_000));
      return reply
        .status(429)
        .header('retry-after', String(Math.ceil((expiresAt - now) / 1000)))
        .send({ message: `Too many incorrect console passwords from this address: try again in ${minutes} minute(s).` });
    }
    if (!passwordMatches(password, expected)) {
      req.log.warn({ ip: req.ip, attempts }, 'incorrect console password');
      return reply.status(401).send({ message: 'Incorrect console password.' });
    }
    await app.store.counters.add(key, -1, expiresAt);
    const { accessKeyId, secretAccessKey } = app.secrets.admin;
    return { accessKeyId, secretAccessKey };
  });
}

#!/usr/bin/env node
// Serves the built Wild Rydes site (dist/) with SPA fallback, /config.json (see config-source.mjs), and relays
// GET /_corral/mail to Corral's local mailbox, server-side: the mailbox sends no CORS headers (only its owner may
// read it), so the site's mailbox page reads it from its own origin. Like Corral's, the relay answers only requests
// addressed to a loopback name (localhost, 127.0.0.0/8, [::1]): a DNS-rebound page is refused.
// Plain node:http, no dependencies. Env: WEB_PORT (3000), WEB_HOST (localhost), CORRAL_URL (http://localhost:9229),
// WILDRYDES_CONFIG (a config file instead of apps/wildrydes/config.json), WILDRYDES_TILE_URL.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadSiteConfig } from './config-source.mjs';

const appDir = dirname(fileURLToPath(import.meta.url));
const distDir = resolve(appDir, 'dist');
const port = Number(process.env.WEB_PORT ?? 3000);
const host = process.env.WEB_HOST ?? 'localhost';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function sendFile(req, res, file) {
  const immutable = file.startsWith(join(distDir, 'assets') + sep);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

async function serveConfig(res) {
  try {
    const { config } = await loadSiteConfig({ appDir, log: (m) => console.log(`[wildrydes] ${m}`) });
    send(res, 200, JSON.stringify(config, null, 2), 'application/json; charset=utf-8');
  } catch (err) {
    const status = err instanceof ConfigError ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[wildrydes] /config.json: ${message}`);
    send(res, status, JSON.stringify({ error: message }), 'application/json; charset=utf-8');
  }
}

/** A Host header naming a loopback address: localhost, 127.0.0.0/8 or [::1], with any port. */
function isLoopbackHostHeader(header) {
  if (!header) return false;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(String(header).trim());
  const name = (m?.[1] ?? m?.[2] ?? '').toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name === '::1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return !!v4 && v4.slice(1).every((o) => Number(o) <= 255);
}

/** Where Corral is: CORRAL_URL, else the config file's corralUrl, else http://localhost:9229. */
async function corralBase() {
  if (process.env.CORRAL_URL) return process.env.CORRAL_URL.replace(/\/+$/, '');
  const file = process.env.WILDRYDES_CONFIG ? resolve(process.env.WILDRYDES_CONFIG) : resolve(appDir, 'config.json');
  if (existsSync(file)) return (await loadSiteConfig({ appDir })).config.corralUrl;
  return 'http://localhost:9229';
}

/** GET /_corral/mail?to=&poolId=&limit= → Corral's answer (status and JSON), without its headers. */
async function relayMailbox(req, res, search) {
  if (!isLoopbackHostHeader(req.headers.host)) {
    return send(
      res,
      403,
      JSON.stringify({ message: 'The local mailbox answers only requests to localhost from this machine.' }),
      'application/json; charset=utf-8',
    );
  }
  const query = new URLSearchParams();
  for (const key of ['to', 'poolId', 'limit']) if (search.has(key)) query.set(key, search.get(key));
  let base = 'http://localhost:9229';
  try {
    base = await corralBase();
    const upstream = await fetch(`${base}/_corral/mail?${query}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
    const body = await upstream.text();
    send(res, upstream.status, body, upstream.headers.get('content-type') ?? 'application/json; charset=utf-8');
  } catch (err) {
    const message = `cannot reach Corral's mailbox at ${base} (${err instanceof Error ? (err.cause?.code ?? err.message) : err})`;
    console.error(`[wildrydes] /_corral/mail: ${message}`);
    send(res, 502, JSON.stringify({ message }), 'application/json; charset=utf-8');
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
  let pathname;
  let search;
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    pathname = decodeURIComponent(url.pathname);
    search = url.searchParams;
  } catch {
    return send(res, 400, 'Bad request');
  }
  if (pathname === '/config.json') return void serveConfig(res);
  if (pathname === '/_corral/mail') return void relayMailbox(req, res, search);
  if (pathname === '/health') return send(res, 200, 'ok');

  const index = join(distDir, 'index.html');
  if (!existsSync(index)) {
    return send(res, 503, 'Wild Rydes is not built yet: run `npm run build -w wildrydes` (or `npm run build`).');
  }
  const file = normalize(join(distDir, pathname));
  if (file.startsWith(distDir + sep) && existsSync(file) && statSync(file).isFile()) return sendFile(req, res, file);
  // Asset-looking paths that do not exist are real 404s; everything else is a route of the single-page app.
  if (pathname.startsWith('/assets/') || extname(pathname)) return send(res, 404, 'Not found');
  return sendFile(req, res, index);
});

server.listen(port, host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.log(`Wild Rydes listening on http://${host}:${actual}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

#!/usr/bin/env node
// Serves the built Wild Rydes site (dist/) with SPA fallback, and /config.json (see config-source.mjs).
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

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return send(res, 400, 'Bad request');
  }
  if (pathname === '/config.json') return void serveConfig(res);
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

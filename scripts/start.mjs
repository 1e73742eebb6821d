#!/usr/bin/env node
// `npm start`: runs Corral (:9229) and, when the Wild Rydes site is built, its server (:3000) together.
// Corral runs `corral start` with its default number of workers (one per core; runtime/cluster.ts), or what
// `npm start -- --workers N` (or CORRAL_WORKERS) says.
// Ctrl-C / SIGTERM is passed to both, once, as SIGTERM: they stop gracefully. The children run in process groups of
// their own, so a terminal's Ctrl-C (and npm passing it on again) reaches them only through here; another signal a
// second or more later kills them. When either exits, the other is stopped and the exit code passed on.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corralCli = join(root, 'packages/corral/dist/cli.js');
const siteServer = join(root, 'apps/wildrydes/server.mjs');
const siteBuilt = existsSync(siteServer) && existsSync(join(root, 'apps/wildrydes/dist/index.html'));

if (!existsSync(corralCli)) {
  console.error('Corral is not built: run `npm run build` first (npm start does).');
  process.exit(1);
}

const corralPort = process.env.PORT ?? '9229';
const children = [];
function run(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
  child.on('exit', (code, signal) => onExit(name, code, signal));
  children.push(child);
  return child;
}

let exitCode;
function onExit(name, code, signal) {
  if (exitCode === undefined) {
    exitCode = code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
    if (code) console.error(`${name} exited with code ${code}; stopping the rest.`);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  }
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
}

// `npm start -- --workers N`: the options go to `corral start`, which checks them.
run('corral', [corralCli, 'start', ...process.argv.slice(2)], {});
if (siteBuilt) {
  run('wildrydes', [siteServer], {
    WEB_PORT: process.env.WEB_PORT ?? '3000',
    CORRAL_URL: process.env.CORRAL_URL ?? `http://localhost:${corralPort}`,
  });
} else {
  console.log('(The Wild Rydes site is not built: only Corral runs. `npm run build -w wildrydes` builds it.)');
}

let signalledAt;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    if (signalledAt === undefined) {
      signalledAt = Date.now();
      for (const c of running) c.kill('SIGTERM');
    } else if (Date.now() - signalledAt > 1000) {
      for (const c of running) c.kill('SIGKILL');
    }
  });
}

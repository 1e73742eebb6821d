// Starting the pieces `npm start` runs (Corral and the site server) as real processes, on free ports.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const REPO = resolve(APP_DIR, '../..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, 'localhost', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => ok(port));
    });
  });
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `node <args>` and resolves once its output contains `ready`. */
export async function startNode(args: string[], env: Record<string, string>, ready: string, timeoutMs = 30_000): Promise<Proc> {
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${args.join(' ')} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes(ready)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
  return { child, output: () => out, stop };
}

export interface Corral extends Proc {
  url: string;
  /** The admin key pair the process was started with (SigV4 for the admin API). */
  admin: { accessKeyId: string; secretAccessKey: string };
  region: string;
}

export async function startCorral(): Promise<Corral> {
  const cli = join(REPO, 'packages/corral/dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build -w corral\` (root \`npm test\` does).`);
  const port = await freePort();
  // The admin key pair is chosen here (not generated into the data dir) so the test can sign admin calls.
  const admin = { accessKeyId: 'AKIAWILDRYDESTEST' + randomBytes(4).toString('hex').toUpperCase(), secretAccessKey: randomBytes(24).toString('base64url') };
  const region = 'us-east-1';
  const env: Record<string, string> = {
    PORT: String(port),
    CORRAL_DATA_DIR: tempDir('wildrydes-corral-'),
    LOG_LEVEL: 'warn',
    CORRAL_WORKERS: '1',
    CORRAL_REGION: region,
    CORRAL_ACCESS_KEY_ID: admin.accessKeyId,
    CORRAL_SECRET_ACCESS_KEY: admin.secretAccessKey,
  };
  const provisioning = join(REPO, 'corral.config.json');
  if (existsSync(provisioning)) env.CORRAL_CONFIG = provisioning;
  const proc = await startNode([cli, 'start'], env, 'Corral listening on');
  return { ...proc, url: `http://localhost:${port}`, admin, region };
}

export interface Site extends Proc {
  url: string;
}

export async function startSite(env: Record<string, string>): Promise<Site> {
  const port = await freePort();
  const proc = await startNode([join(APP_DIR, 'server.mjs')], { WEB_PORT: String(port), ...env }, 'Wild Rydes listening on');
  return { ...proc, url: `http://localhost:${port}` };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds a Vite app (the site by default; the console passes its own directory) unless dist/ is newer than every
 *  source file. */
export function ensureBuilt(appDir = APP_DIR): void {
  const index = join(appDir, 'dist/index.html');
  const sources = Math.max(newestMtime(join(appDir, 'src')), statSync(join(appDir, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: appDir,
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would give React's development build: test what ships.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** The provisioned pool and its web client, as Corral lists them at GET /_corral/resources. */
export async function provisioned(corralUrl: string, poolName = 'WildRydes', clientName = 'wildrydes-web-app'): Promise<{ poolId: string; clientId: string }> {
  const res = await fetch(`${corralUrl}/_corral/resources`);
  if (!res.ok) throw new Error(`GET /_corral/resources answered ${res.status}`);
  const body = (await res.json()) as { userPools: Array<{ name: string; id: string; clients: Array<{ name: string; id: string }> }> };
  const pool = body.userPools.find((p) => p.name === poolName);
  const client = pool?.clients.find((c) => c.name === clientName);
  if (!pool || !client) throw new Error(`Corral has no pool ${poolName} with client ${clientName}: ${JSON.stringify(body)}`);
  return { poolId: pool.id, clientId: client.id };
}

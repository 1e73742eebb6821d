// A private PostgreSQL cluster for tests that stop and restart the database (never the machine's shared one).
// Debian's binaries live in /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root, so as root the
// cluster belongs to the `postgres` OS user (runuser); otherwise to the current user. Trust auth, a free port on
// 127.0.0.1, the unix socket in the cluster's own temp dir, fsync off (a test cluster: its power never fails).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './cli.js';

const run = promisify(execFile);

/** The newest Debian PostgreSQL bin dir with initdb and pg_ctl, or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export interface PrivateCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dir: string;
  /** pg_ctl stop (fast: active sessions get 57P01 `terminating connection due to administrator command`). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /**
   * SIGSTOP the server and its backends: connections stay open but nothing answers (a hung server or a silent
   * network). `thaw` sends SIGCONT.
   */
  freeze(): Promise<void>;
  thaw(): void;
  /** Whether the server runs (pg_ctl status). */
  running(): Promise<boolean>;
  /** Stops it (immediate) if it runs and removes its files; safe to call twice. */
  destroy(): Promise<void>;
  /** The server log so far (for failure messages). */
  log(): string;
}

async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', user])).stdout.trim());
  const gid = Number((await run('id', ['-g', user])).stdout.trim());
  return { uid, gid };
}

export async function startPrivateCluster(bin = postgresBinDir()): Promise<PrivateCluster> {
  if (!bin) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/<version>/bin');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'corral-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asRoot) {
    const { uid, gid } = await ids('postgres');
    chownSync(dir, uid, gid);
  }
  // As root, every PostgreSQL binary runs as the postgres user.
  const pgRun = (tool: string, args: string[], timeout = 60_000) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout, cwd: dir }) : run(join(bin, tool), args, { timeout, cwd: dir });

  const port = await freePort();
  await pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    `-c fsync=off`,
    `-c synchronous_commit=off`,
    `-c full_page_writes=off`,
    `-c shared_buffers=16MB`,
    `-c max_connections=60`,
  ].join(' ');
  let destroyed = false;
  let frozen: number[] = [];
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async start() {
      await pgRun('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);
    },
    async stop(mode = 'fast') {
      await pgRun('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    },
    async freeze() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = (await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)])).stdout
        .split('\n')
        .map((l) => Number(l.trim()))
        .filter((pid) => pid > 0);
      frozen = [postmaster, ...children];
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          /* gone */
        }
      }
      frozen = [];
    },
    async running() {
      try {
        await pgRun('pg_ctl', ['-D', data, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      cluster.thaw();
      try {
        if (existsSync(join(data, 'postmaster.pid'))) await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    log() {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    const log = cluster.log();
    await cluster.destroy();
    throw new Error(`private PostgreSQL did not start: ${String(err)}\n${log}`);
  }
  return cluster;
}

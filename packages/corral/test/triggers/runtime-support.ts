// Helpers of the function-runtime tests (isolation, handler styles, Python): function files in a temp directory with
// a provisioning file naming them, Corral's responsiveness while a function misbehaves, and the processes Corral runs.
import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SeedPool } from '../support/pools.js';

export const PASSWORD = 'Unicorn!Ride42';

/** Writes `files` (path → text) under a new temp directory; → the directory. */
export function functionFiles(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'corral-fns-'))): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A provisioning file in `dir` declaring `functions` (and no pools); → its path. */
export function provisioningFile(dir: string, functions: Record<string, unknown>): string {
  const file = join(dir, 'corral.config.json');
  writeFileSync(file, JSON.stringify({ functions, userPools: [], identityPools: [] }, null, 2));
  return file;
}

export const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** SignUp of `username` (email `<username>@example.com`); → the answer or the error. */
export async function trySignUp(
  pub: CognitoIdentityProviderClient,
  seed: SeedPool,
  username: string,
): Promise<{ ok: true; confirmed: boolean } | { ok: false; name: string; message: string }> {
  try {
    const out = await pub.send(
      new SignUpCommand({
        ClientId: seed.clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
    return { ok: true, confirmed: out.UserConfirmed === true };
  } catch (err) {
    const e = err as { name: string; message: string };
    return { ok: false, name: e.name, message: e.message };
  }
}

/** Polls GET /health every 25 ms until `until` settles; → the slowest answer (ms) and how many were made. */
export async function healthWhile(url: string, until: Promise<unknown>): Promise<{ slowestMs: number; polls: number }> {
  let done = false;
  void until.finally(() => (done = true));
  let slowestMs = 0;
  let polls = 0;
  while (!done) {
    const t = performance.now();
    const res = await fetch(`${url}/health`);
    await res.text();
    if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
    slowestMs = Math.max(slowestMs, performance.now() - t);
    polls++;
    await new Promise((r) => setTimeout(r, 25));
  }
  return { slowestMs, polls };
}

/** The processes whose parent is `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

/** Whether a process runs (a zombie does not count). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

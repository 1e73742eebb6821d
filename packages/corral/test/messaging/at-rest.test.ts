// No code and no temporary password at rest in clear or in the server's output (issue 8 item 2), on both backends:
// the built CLI runs as a user runs it (umask 022, a fresh data directory, generated admin credentials, every log
// level), the walkthrough's messages are sent — sign-up code, ForgotPassword code, AdminCreateUser temporary password
// — and read back from the mailbox; then the database's bytes (SQLite file, WAL and SHM; PostgreSQL: every table of
// the schema as text) and everything the process printed are searched for them. Also: file modes 0700 / 0600, and
// the admin secret printed once, on the start that generated it.
//
// Run: npm run build -w corral && npx vitest run packages/corral/test/messaging/at-rest.test.ts
import {
  AdminCreateUserCommand,
  ChallengeNameType,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, freePort } from '../support/cli.js';
import { describeEachBackend, POSTGRES_URL } from '../support/corral.js';

interface Proc {
  child: ChildProcess;
  output: () => string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** `node dist/cli.js <args>` under `umask 022`, stdout and stderr captured together. */
function cli(args: string[], env: Record<string, string>, cwd: string): Proc {
  const child = spawn('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const m = out.match(re);
          if (m) return resolve(m);
          if (done) return reject(new Error(`exited before printing ${re}:\n${out}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${re}:\n${out}`));
          setTimeout(tick, 25);
        };
        tick();
      });
    },
    async stop() {
      if (!done) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describeEachBackend('codes and temporary passwords at rest and in the output', (backend) => {
  const root = mkdtempSync(join(tmpdir(), 'corral-at-rest-'));
  const dataDir = join(root, 'data'); // created by Corral itself, under umask 022
  const schema = `t_rest_${Math.random().toString(16).slice(2, 10)}`;
  const dbFile = join(dataDir, 'corral.sqlite');
  let env: Record<string, string>;
  let proc: Proc | undefined;
  let url: string;
  let admin: { accessKeyId: string; secretAccessKey: string };
  let output = '';
  /** Every secret the walkthrough handled, by name. */
  const secrets: Record<string, string> = {};

  async function start(): Promise<Proc> {
    const p = cli(['start'], { ...env, PORT: String(await freePort()) }, root);
    url = (await p.waitFor(/Corral listening on (\S+)/))[1]!;
    return p;
  }

  beforeAll(async () => {
    env = {
      CORRAL_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      CORRAL_CHECK_OUTPUT: 'on',
      ...(backend === 'postgres' ? { CORRAL_DATABASE_URL: POSTGRES_URL, CORRAL_DATABASE_SCHEMA: schema } : {}),
    };
    proc = await start();
    const printed = proc.output();
    admin = {
      accessKeyId: /AWS_ACCESS_KEY_ID=(\S+)/.exec(printed)![1]!,
      secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(printed)![1]!,
    };
  }, 60_000);

  afterAll(async () => {
    await proc?.stop();
    if (backend === 'postgres') {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
    rmSync(root, { recursive: true, force: true });
  });

  async function mailbox(to: string): Promise<string> {
    const res = await fetch(`${url}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: { body: string }[] };
    return messages[0]?.body ?? '';
  }

  it('walkthrough: sign-up code, ForgotPassword code, AdminCreateUser temporary password, all through the mailbox', { timeout: 60_000 }, async () => {
    const base = { region: 'us-east-1', endpoint: url, maxAttempts: 1 };
    const idp = new CognitoIdentityProviderClient({ ...base, credentials: admin });
    const pub = new CognitoIdentityProviderClient({ ...base, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
    try {
      const pool = await idp.send(new CreateUserPoolCommand({ PoolName: 'AtRest', AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] }));
      const UserPoolId = pool.UserPool!.Id!;
      const client = await idp.send(
        new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      );
      const ClientId = client.UserPoolClient!.ClientId!;

      secrets.password = 'Unicorn!Ride42';
      await pub.send(
        new SignUpCommand({ ClientId, Username: 'rider', Password: secrets.password, UserAttributes: [{ Name: 'email', Value: 'rider@example.com' }] }),
      );
      secrets.signUpCode = /\b(\d{6})\b/.exec(await mailbox('rider@example.com'))![1]!;
      await pub.send(new ConfirmSignUpCommand({ ClientId, Username: 'rider', ConfirmationCode: secrets.signUpCode }));

      await pub.send(new ForgotPasswordCommand({ ClientId, Username: 'rider' }));
      secrets.resetCode = /\b(\d{6})\b/.exec(await mailbox('rider@example.com'))![1]!;
      expect(secrets.resetCode).not.toBe(secrets.signUpCode);
      secrets.newPassword = 'Unicorn!Gallop77';
      await pub.send(new ConfirmForgotPasswordCommand({ ClientId, Username: 'rider', ConfirmationCode: secrets.resetCode, Password: secrets.newPassword }));
      await pub.send(
        new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD: secrets.newPassword } }),
      );

      await idp.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username: 'invitee',
          UserAttributes: [
            { Name: 'email', Value: 'invitee@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      secrets.temporaryPassword = /temporary password is (\S+)\.\s*$/.exec(await mailbox('invitee@example.com'))![1]!;
      const first = await pub.send(
        new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'invitee', PASSWORD: secrets.temporaryPassword } }),
      );
      expect(first.ChallengeName).toBe(ChallengeNameType.NEW_PASSWORD_REQUIRED);
      secrets.inviteePassword = 'Unicorn!Canter99';
      const done = await pub.send(
        new RespondToAuthChallengeCommand({
          ClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'invitee', NEW_PASSWORD: secrets.inviteePassword },
        }),
      );
      expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    } finally {
      idp.destroy();
      pub.destroy();
    }
    expect(Object.keys(secrets)).toHaveLength(6);
  });

  /** Which secrets appear in `text`, by name. */
  /** (As written, and as a JSON string escapes it: a temporary password may hold `"` or `\`.) */
  const found = (text: string) =>
    Object.entries(secrets)
      .filter(([, v]) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)))
      .map(([k]) => k);

  it('the database holds none of them in clear', async () => {
    if (backend === 'sqlite') {
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
        if (!existsSync(f)) continue;
        expect(found(readFileSync(f).toString('latin1')), f).toEqual([]);
      }
      // The messages are there, sealed: the WAL or the database names the outbox's rows' kinds.
      const all = readFileSync(dbFile).toString('latin1') + (existsSync(`${dbFile}-wal`) ? readFileSync(`${dbFile}-wal`).toString('latin1') : '');
      expect(all).toContain('ForgotPassword');
    } else {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      try {
        const tables = (await c.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rows.map(
          (r) => r.table_name,
        );
        expect(tables).toContain('outbox');
        let text = '';
        for (const t of tables) {
          // Every value as stored (not a row's quoted text form, which would escape `"` and `\`).
          const rows = (await c.query<Record<string, unknown>>(`SELECT * FROM "${schema}"."${t}"`)).rows;
          if (t === 'outbox') expect(rows.length).toBeGreaterThanOrEqual(3);
          for (const r of rows)
            for (const v of Object.values(r))
              text +=
                (Buffer.isBuffer(v)
                  ? v.toString('latin1')
                  : v instanceof Date
                    ? v.toISOString()
                    : typeof v === 'object' && v !== null
                      ? JSON.stringify(v)
                      : String(v)) + '\n';
        }
        expect(found(text)).toEqual([]);
      } finally {
        await c.end();
      }
    }
  });

  it('the data directory is 0700, the database and its WAL/SHM 0600, under umask 022', () => {
    expect(mode(dataDir)).toBe('700');
    if (backend === 'sqlite') {
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(mode(f), f).toBe('600');
      }
    }
    for (const f of ['credentials.json', 'server-key.json']) expect(mode(join(dataDir, f)), f).toBe('600');
  });

  it('the output names the messages but holds none of the secrets; after a stop the database files still hold none', async () => {
    await proc!.stop();
    output = proc!.output();
    proc = undefined;
    expect(found(output)).toEqual([]);
    expect(output).toMatch(/"outbox":"[0-9a-f]{28}"/);
    expect(output).toContain('r***@e***');
    expect(output).not.toContain('rider@example.com');
    if (backend === 'sqlite') {
      for (const f of [dbFile, `${dbFile}-wal`]) if (existsSync(f)) expect(found(readFileSync(f).toString('latin1')), f).toEqual([]);
      expect(mode(dbFile)).toBe('600');
    }
  });

  it('prints the generated admin secret once: not at the next start; `corral credentials` on request', { timeout: 60_000 }, async () => {
    expect(output.split(admin.secretAccessKey).length - 1).toBe(1);
    proc = await start();
    await new Promise((r) => setTimeout(r, 200));
    expect(proc.output()).not.toContain(admin.secretAccessKey);
    expect(proc.output()).not.toContain('AWS_SECRET_ACCESS_KEY');
    await proc.stop();
    proc = undefined;
    const creds = cli(['credentials'], env, root);
    await creds.waitFor(/AWS_SECRET_ACCESS_KEY=\S+/);
    expect(creds.output()).toContain(`AWS_SECRET_ACCESS_KEY=${admin.secretAccessKey}`);
    await creds.stop();
  });
});

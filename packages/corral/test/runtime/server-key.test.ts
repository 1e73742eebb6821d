// Refuse to start wrong: `corral start` with a server key that does not open the database's secrets (another
// CORRAL_KEY, or none on a database made with one, so a new server-key.json is generated) exits with a message
// naming the expected key's fingerprint, before anything listens; the right key starts again. A database made before
// the fingerprint was recorded is checked by opening its stored secrets. Runs the built CLI (npm run build -w corral).
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { serverKeyFingerprint } from '../../src/runtime/server-key.js';
import { POSTGRES_URL, postgresAvailable } from '../support/corral.js';
import { freePort, runCli } from '../support/cli.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const fp = (k: string) => serverKeyFingerprint(Buffer.from(k, 'base64'));

const pgUp = await postgresAvailable();

for (const backend of ['sqlite', 'postgres'] as const) {
  (backend === 'postgres' && !pgUp ? describe.skip : describe)(`corral start with the wrong server key [${backend}]`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'corral-key-'));
    const schema = `k_${randomBytes(6).toString('hex')}`;
    const dbEnv: Record<string, string> = backend === 'postgres' ? { CORRAL_DATABASE_URL: POSTGRES_URL, CORRAL_DATABASE_SCHEMA: schema } : {};
    afterAll(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      }
    });

    /** Starts; resolves with the port once listening, after `whileUp` ran, and the CLI stopped cleanly. */
    async function startAndStop(env: Record<string, string>, whileUp: (port: number) => Promise<void> = async () => {}) {
      const port = await freePort();
      const cli = runCli(['start'], { CORRAL_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...dbEnv, ...env });
      await cli.waitFor(/Corral listening on /);
      try {
        await whileUp(port);
      } finally {
        cli.child.kill('SIGTERM');
      }
      expect(await cli.exited).toBe(0);
      return cli;
    }

    /** Starts and expects the start refused: exit 1, nothing listening, the message on stderr. */
    async function refused(env: Record<string, string>): Promise<string> {
      const port = await freePort();
      const cli = runCli(['start'], { CORRAL_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...dbEnv, ...env });
      const listening = cli.waitFor(/Corral listening on /).then(
        () => 'listening' as const,
        () => 'exited' as const,
      );
      if ((await Promise.race([cli.exited.then(() => 'exited' as const), listening])) === 'listening') {
        cli.child.kill('SIGTERM');
        await cli.exited;
        throw new Error(`started with the wrong key instead of refusing:\n${cli.stdout()}`);
      }
      expect(await cli.exited).toBe(1);
      return cli.stderr();
    }

    async function deleteRecord(): Promise<void> {
      if (backend === 'sqlite') {
        const db = new Database(join(dataDir, 'corral.sqlite'));
        db.prepare('DELETE FROM server_key').run();
        db.close();
      } else {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DELETE FROM "${schema}".server_key`);
        await c.end();
      }
    }

    it('starts with key A, creates signing keys; another key or none is refused naming A; A starts again', async () => {
      await startAndStop({ CORRAL_KEY: keyA }, async (port) => {
        // The provisioned pool's signing keys are created (encrypted with A) on the first JWKS request.
        const resources = (await (await fetch(`http://127.0.0.1:${port}/_corral/resources`)).json()) as { userPools: { id: string }[] };
        const jwks = await fetch(`http://127.0.0.1:${port}/${resources.userPools[0]!.id}/.well-known/jwks.json`);
        expect(jwks.status).toBe(200);
      });

      const withB = await refused({ CORRAL_KEY: keyB });
      expect(withB).toContain(`The database's secrets are encrypted with the server key whose fingerprint is ${fp(keyA)}`);
      expect(withB).toContain(`the key in use (from CORRAL_KEY) has fingerprint ${fp(keyB)}`);
      expect(withB).toContain('set CORRAL_KEY to it');
      expect(withB).not.toMatch(/\n\s+at /); // a message, not a stack trace

      const withNone = await refused({});
      expect(withNone).toContain(`fingerprint is ${fp(keyA)}`);
      expect(withNone).toContain(`${join(dataDir, 'server-key.json')} (generated at this start: CORRAL_KEY is not set)`);

      await startAndStop({ CORRAL_KEY: keyA });
    });

    it('on a database made before the fingerprint was recorded, opens its stored secrets to decide', async () => {
      await deleteRecord();
      const withB = await refused({ CORRAL_KEY: keyB });
      expect(withB).toContain("The database's secrets are encrypted with another server key (made before Corral recorded key fingerprints)");
      await startAndStop({ CORRAL_KEY: keyA }); // opens them: records A again
      expect(await refused({ CORRAL_KEY: keyB })).toContain(`fingerprint is ${fp(keyA)}`);
    });
  });
}

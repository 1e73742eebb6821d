#!/usr/bin/env node
// `corral start` runs the service; `corral credentials` prints the admin key pair; `corral apply` reconciles a
// running server with a configuration file; `corral export` writes a running server's resources as one.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configFromEnv } from './runtime/config.js';
import { loadSecrets } from './runtime/secrets.js';
import { startCorral } from './runtime/start.js';
import { runPrimary, startRole, workerCount, workerSignals } from './runtime/cluster.js';
import { declaredFunctions, readProvisionFile, resolveProvisionFile, scratchPad } from './runtime/provision.js';
import { applyPlan, planReconcile, ReconcileFailed, stepLines, type Api } from './runtime/reconcile.js';
import { exportConfig } from './runtime/export.js';
import { isCredentialError, remoteApi, resolveCredentials, resolveEndpoint, serverTarget } from './runtime/remote-api.js';
import { mailCommand } from './messaging/mail-cli.js';
import { functionsCommand } from './triggers/functions-cli.js';
import { importUsers } from './runtime/import-cli.js';

/** A failure the user can act on: its message is printed, without a stack, and the exit code is 1. */
class Refusal extends Error {}

/** `--name value` and `--flag` options, the rest positional. */
function parseArgs(args: string[], valued: string[], flags: string[]): { options: Record<string, string | true>; positional: string[] } {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') ? [arg.slice(2).split('=')[0]!, arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [];
    if (name === undefined) positional.push(arg);
    else if (flags.includes(name)) options[name] = true;
    else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Refusal(`--${name} needs a value`);
      options[name] = value;
    } else throw new Refusal(`unknown option --${name}`);
  }
  return { options, positional };
}

/** The admin API of the server at --endpoint / CORRAL_URL, signed with the admin key pair. */
async function remote(endpointFlag: string | true | undefined): Promise<{ api: Api; endpoint: string; region: string; accountId: string; source: string }> {
  const endpoint = resolveEndpoint(typeof endpointFlag === 'string' ? endpointFlag : undefined);
  const { key, source } = resolveCredentials();
  const target = await serverTarget(endpoint);
  return { api: remoteApi(endpoint, key, target.region), endpoint, source, ...target };
}

/** Turns a refusal of the key pair into a message that says what to do. */
function credentialHint(err: unknown, endpoint: string, source: string): unknown {
  if (!isCredentialError(err)) return err;
  return new Refusal(
    `Corral at ${endpoint} refused the admin credentials from ${source}: ${err.type}: ${err.message}\n` +
      `Use the server's admin key pair (\`corral credentials\` in its directory prints it).`,
  );
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async start(args) {
    // `corral start [--workers N]`: N processes (default: the cores; runtime/cluster.ts), 1 = a single process.
    const { options, positional } = parseArgs(args, ['workers'], []);
    if (positional.length) throw new Refusal('usage: corral start [--workers N]');
    let workers: number;
    try {
      workers = workerCount(typeof options.workers === 'string' ? options.workers : undefined);
    } catch (err) {
      throw new Refusal((err as Error).message);
    }
    const role = startRole();
    if (workers > 1 && role === 'alone') return runPrimary(workers);
    const config = configFromEnv();
    const provisionFile = resolveProvisionFile(config);
    // The admin secret is printed once, when it is generated; `corral credentials` prints it on request.
    const firstStart = !existsSync(join(config.dataDir, 'credentials.json'));
    // A cluster's first worker does the start's one-time work; the workers joining after it only serve.
    const running = await startCorral(config, { provisionFile, setup: role !== 'join' });
    const { app } = running;
    if (role === 'join') return workerSignals(running.stop, app.log);
    if (app.secrets.generated && firstStart) {
      console.log(`Admin credentials (generated in ${config.dataDir}/credentials.json):`);
      console.log(`  AWS_ACCESS_KEY_ID=${app.secrets.admin.accessKeyId}`);
      console.log(`  AWS_SECRET_ACCESS_KEY=${app.secrets.admin.secretAccessKey}`);
    }
    if (running.resources) {
      console.log(`Resources from ${provisionFile} (also in ${config.dataDir}/resources.json and GET /_corral/resources):`);
      console.log(scratchPad(running.resources));
    }
    // A cluster's primary says where it listens once every worker does.
    if (role === 'first') return workerSignals(running.stop, app.log);
    console.log(`Corral listening on ${running.url}`);
    let signals = 0;
    const shutdown = (signal: string) => {
      if (++signals > 1) process.exit(1);
      app.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  },
  async credentials() {
    const { admin } = loadSecrets(configFromEnv());
    console.log(`AWS_ACCESS_KEY_ID=${admin.accessKeyId}`);
    console.log(`AWS_SECRET_ACCESS_KEY=${admin.secretAccessKey}`);
  },
  async mail(args) {
    // `corral mail [--to ADDRESS] [--pool ID] [--last N]`: the outbox, newest first.
    await mailCommand(args);
  },
  async functions(args) {
    // `corral functions logs [NAME] [--last N]`: the functions' recent invocations and what they printed, oldest
    // first; `corral functions list`: the registry (the provisioning file's functions and CORRAL_FUNCTIONS_DIR's).
    const registry = () => {
      const config = configFromEnv();
      const file = resolveProvisionFile(config);
      if (file) config.functions = declaredFunctions(file, readProvisionFile(file));
      return config;
    };
    try {
      await functionsCommand(args, process.env, undefined, registry);
    } catch (err) {
      throw err instanceof Error && /^usage:|needs|unknown option|at most|not a valid|does not exist/m.test(err.message) ? new Refusal(err.message) : err;
    }
  },
  async apply(args) {
    // `corral apply [file] [--endpoint URL] [--dry-run]`: makes the running server's resources match the file.
    const { options, positional } = parseArgs(args, ['endpoint'], ['dry-run']);
    if (positional.length > 1) throw new Refusal('usage: corral apply [file] [--endpoint URL] [--dry-run]');
    const file = resolve(positional[0] ?? process.env.CORRAL_CONFIG ?? 'corral.config.json');
    if (!existsSync(file)) throw new Refusal(`${file} does not exist`);
    let decl;
    try {
      decl = readProvisionFile(file);
    } catch (err) {
      throw new Refusal((err as Error).message);
    }
    const { api, endpoint, region, accountId, source } = await remote(options.endpoint);
    let plan;
    try {
      plan = await planReconcile(api, decl, { region, accountId });
    } catch (err) {
      throw credentialHint(err, endpoint, source);
    }
    for (const note of plan.notes) console.log(`note: ${note}`);
    if (plan.refusals.length) {
      throw new Refusal(`${file} cannot be applied to ${endpoint} (nothing was changed):\n${plan.refusals.map((r) => `  ${r}`).join('\n')}`);
    }
    console.log(`${options['dry-run'] ? 'Plan for' : 'Applying'} ${file} to ${endpoint}:`);
    if (!plan.steps.length) console.log('  no changes: the resources match the file');
    if (options['dry-run']) for (const step of plan.steps) for (const line of stepLines(step, false)) console.log(`  ${line}`);
    else {
      try {
        await applyPlan(api, plan, (line) => console.log(`  ${line}`));
      } catch (err) {
        throw err instanceof ReconcileFailed ? new Refusal(err.message) : err;
      }
    }
    // Functions are read when the server starts (runtime/start.ts); a running server cannot be told of new ones.
    if (Object.keys(decl.functions).length) console.log('functions: read at start — restart Corral to change them');
  },
  async export(args) {
    // `corral export [--pool NAME] [--endpoint URL] [--out FILE]`: the running server's resources as a file apply accepts.
    const { options, positional } = parseArgs(args, ['pool', 'endpoint', 'out'], []);
    if (positional.length) throw new Refusal('usage: corral export [--pool NAME] [--endpoint URL] [--out FILE]');
    const { api, endpoint, source } = await remote(options.endpoint);
    let exported;
    try {
      exported = await exportConfig(api, { pool: typeof options.pool === 'string' ? options.pool : undefined, endpoint });
    } catch (err) {
      throw credentialHint(err, endpoint, source);
    }
    const json = JSON.stringify(exported, null, 2) + '\n';
    if (typeof options.out === 'string') {
      writeFileSync(options.out, json);
      const clients = exported.userPools.reduce((n, p) => n + (p.Clients as unknown[]).length, 0);
      console.error(
        `wrote ${resolve(options.out)}: ${exported.userPools.length} user pool(s), ${clients} app client(s), ${exported.identityPools.length} identity pool(s)`,
      );
    } else process.stdout.write(json);
  },
  async import(args) {
    // `corral import FILE --pool NAME [--endpoint URL] [--job-name NAME] [--role-arn ARN]`: a user import job of a
    // running server, with a progress bar (runtime/import-cli.ts); exit code 1 unless it Succeeded.
    const { options, positional } = parseArgs(args, ['pool', 'endpoint', 'job-name', 'role-arn'], []);
    const usage = 'usage: corral import FILE --pool NAME [--endpoint URL] [--job-name NAME] [--role-arn ARN]';
    if (positional.length !== 1 || typeof options.pool !== 'string') throw new Refusal(usage);
    const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
    let job;
    try {
      job = await importUsers({
        file: positional[0]!,
        pool: options.pool,
        endpoint: str(options.endpoint),
        jobName: str(options['job-name']),
        roleArn: str(options['role-arn']),
      });
    } catch (err) {
      // The server's answers, an unreachable server, a refused upload: a sentence. A bug keeps its stack.
      throw err instanceof Error && !(err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) ? new Refusal(err.message) : err;
    }
    if (job.Status !== 'Succeeded') process.exitCode = 1;
  },
};

const [name = 'start', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: corral <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
command(rest).catch((err: unknown) => {
  // apply and export say what went wrong in a sentence (cannot reach the server, the API's answer); start's
  // failures keep their stack.
  const sentence = err instanceof Refusal || ((name === 'apply' || name === 'export') && err instanceof Error);
  console.error(sentence ? (err as Error).message : err);
  process.exit(1);
});

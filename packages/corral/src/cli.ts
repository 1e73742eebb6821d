#!/usr/bin/env node
// `corral start` runs the service; `corral credentials` prints the admin key pair.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configFromEnv } from './runtime/config.js';
import { loadSecrets } from './runtime/secrets.js';
import { startCorral } from './runtime/start.js';
import { resolveProvisionFile, scratchPad } from './runtime/provision.js';
import { mailCommand } from './messaging/mail-cli.js';

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async start() {
    const config = configFromEnv();
    const provisionFile = resolveProvisionFile(config);
    // The admin secret is printed once, when it is generated; `corral credentials` prints it on request.
    const firstStart = !existsSync(join(config.dataDir, 'credentials.json'));
    const running = await startCorral(config, { provisionFile });
    const { app } = running;
    if (app.secrets.generated && firstStart) {
      console.log(`Admin credentials (generated in ${config.dataDir}/credentials.json):`);
      console.log(`  AWS_ACCESS_KEY_ID=${app.secrets.admin.accessKeyId}`);
      console.log(`  AWS_SECRET_ACCESS_KEY=${app.secrets.admin.secretAccessKey}`);
    }
    if (running.resources) {
      console.log(`Resources from ${provisionFile} (also in ${config.dataDir}/resources.json and GET /_corral/resources):`);
      console.log(scratchPad(running.resources));
    }
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
};

const [name = 'start', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: corral <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
command(rest).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

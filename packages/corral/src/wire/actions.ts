// Action handlers: one file per API action under actions/<service>/<Operation>.ts, found at start.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { Corral } from '../runtime/app.js';
import type { Operation, ServiceKey } from './model.js';

export interface ActionContext {
  app: Corral;
  log: Logger;
  requestId: string;
  operation: Operation;
  /** The access key id of a verified SigV4 signature (signed operations only). */
  accessKeyId?: string;
  /**
   * The region of a verified SigV4 signature's credential scope (signed operations only): where CreateUserPool /
   * CreateIdentityPool put what they create (regions.ts). Calls without one (provisioning) use CORRAL_REGION.
   */
  signingRegion?: string;
  sourceIp: string;
  headers: Record<string, string | string[] | undefined>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Action<I = any, O = any> = (input: I, ctx: ActionContext) => Promise<O>;

/** Declares an action handler; `I` and `O` are the AWS SDK's published request/response types. */
export function action<I, O>(handler: (input: I, ctx: ActionContext) => Promise<O>): Action<I, O> {
  return handler;
}

const actionsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'actions');
let loaded: Promise<Map<string, Action>> | undefined;

/** Loads every handler once; keys are `<service>:<Operation>`. */
export function loadActions(): Promise<Map<string, Action>> {
  loaded ??= (async () => {
    const table = new Map<string, Action>();
    for (const service of ['idp', 'identity', 'corral', 'kms'] as ServiceKey[]) {
      const dir = join(actionsDir, service);
      for (const file of existsSync(dir) ? readdirSync(dir) : []) {
        const m = /^([A-Z]\w+)\.(js|ts)$/.exec(file);
        if (!m || file.endsWith('.d.ts')) continue;
        const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Action };
        table.set(`${service}:${m[1]}`, mod.default);
      }
    }
    return table;
  })();
  return loaded;
}

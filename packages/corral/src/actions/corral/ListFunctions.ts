// CorralAdmin.ListFunctions: the functions registry (triggers/functions.ts) — the provisioning file's `functions`,
// then every `<name>.mjs` / `<name>.js` of CORRAL_FUNCTIONS_DIR that the file does not already name (the file's wins,
// as when a trigger is resolved; `.mjs` over `.js`). Sorted by name.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { action } from '../../wire/actions.js';
import type { FunctionSource } from '../../runtime/config.js';

interface FunctionInfo {
  Name: string;
  Runtime: 'nodejs' | 'http';
  Handler: string;
  Source: 'config' | 'directory';
}

const NAME = /^[\w-]{1,64}$/;

function info(name: string, source: FunctionSource, from: FunctionInfo['Source']): FunctionInfo {
  return 'module' in source
    ? { Name: name, Runtime: 'nodejs', Handler: `${source.module}.handler`, Source: from }
    : { Name: name, Runtime: 'http', Handler: source.url, Source: from };
}

export default action<Record<string, never>, { Functions: FunctionInfo[] }>(async (_input, ctx) => {
  const { functions = {}, functionsDir } = ctx.app.config;
  const found = new Map<string, FunctionInfo>();
  for (const [name, source] of Object.entries(functions)) found.set(name, info(name, source, 'config'));
  if (functionsDir && existsSync(functionsDir)) {
    const files = readdirSync(functionsDir, { withFileTypes: true }).filter((f) => f.isFile() || f.isSymbolicLink());
    for (const ext of ['.mjs', '.js']) {
      for (const f of files) {
        if (!f.name.endsWith(ext)) continue;
        const name = f.name.slice(0, -ext.length);
        if (!NAME.test(name) || found.has(name)) continue;
        found.set(name, info(name, { module: join(functionsDir, f.name) }, 'directory'));
      }
    }
  }
  return { Functions: [...found.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)) };
});

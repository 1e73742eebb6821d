// CorralAdmin.ListFunctions: the functions registry (triggers/functions.ts listFunctions) — the provisioning file's
// `functions`, then every `<name>.mjs` / `.js` / `.cjs` / `.py` of CORRAL_FUNCTIONS_DIR that the file does not already
// name (the file's wins, as when a trigger is resolved; `.mjs` over `.js` over `.cjs` over `.py`). Sorted by name.
import { action } from '../../wire/actions.js';
import { listFunctions } from '../../triggers/functions.js';

interface FunctionInfo {
  Name: string;
  Runtime: 'nodejs' | 'python' | 'http';
  Handler: string;
  Source: 'config' | 'directory';
}

export default action<Record<string, never>, { Functions: FunctionInfo[] }>(async (_input, ctx) => ({
  Functions: listFunctions(ctx.app.config).map((f) => ({ Name: f.name, Runtime: f.runtime, Handler: f.handler, Source: f.from })),
}));

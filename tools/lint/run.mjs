// `npm run lint`: the type-checks (TypeScript 7), the formatter's check (Prettier) and ESLint (typescript-eslint on
// TypeScript 6, installed here: README, "Linting"). Every step runs, each timed, so one log shows every problem;
// the exit code is non-zero when any step failed. `--fix` passes `--fix` to ESLint (the formatter: `npm run format`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const repoBin = (name) => join(root, 'node_modules', '.bin', name);
const lintBin = (name) => join(root, 'tools', 'lint', 'node_modules', '.bin', name);
const fix = process.argv.includes('--fix');

function run(title, cmd, args) {
  const started = process.hrtime.bigint();
  process.stdout.write(`\n--- ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ok = r.status === 0;
  process.stdout.write(`--- ${title}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)\n`);
  return { title, ok, seconds };
}

if (!existsSync(lintBin('eslint'))) {
  const r = run('installing the linter (npm ci --prefix tools/lint)', 'npm', ['ci', '--prefix', 'tools/lint', '--no-audit', '--no-fund']);
  if (!r.ok) process.exit(1);
}

const results = [
  run('tsc packages/corral (src)', repoBin('tsc'), ['-p', 'packages/corral', '--noEmit']),
  run('tsc packages/corral/tsconfig.test.json (src, test, bench)', repoBin('tsc'), ['-p', 'packages/corral/tsconfig.test.json', '--noEmit']),
  run('tsc packages/corral/tsconfig.bench.json', repoBin('tsc'), ['-p', 'packages/corral/tsconfig.bench.json', '--noEmit']),
  run('tsc apps/wildrydes (the site: vite build does not type-check)', repoBin('tsc'), ['-p', 'apps/wildrydes', '--noEmit']),
  run('tsc apps/console (the console: vite build does not type-check)', repoBin('tsc'), ['-p', 'apps/console', '--noEmit']),
  run('prettier --check', lintBin('prettier'), ['--check', '.']),
  run('eslint', lintBin('eslint'), ['--max-warnings', '0', ...(fix ? ['--fix'] : []), '.']),
];

const failed = results.filter((r) => !r.ok);
const total = results.reduce((s, r) => s + r.seconds, 0);
process.stdout.write(
  `\nlint: ${results.length - failed.length} of ${results.length} checks passed in ${total.toFixed(1)} s${failed.length ? `; failed: ${failed.map((r) => r.title).join(', ')}` : ''}\n`,
);
process.exit(failed.length ? 1 : 0);

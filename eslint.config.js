// House rules for the whole repo (docs/conventions.md): promises are awaited, type-only imports say so, no import
// cycles, only storage/ speaks SQL, and the server's layers point one way:
//   wire → actions (and http) → identity → domain → triggers, messaging, crypto → storage
// with errors.ts and runtime/app.ts (the Corral object's type) shared by all. `npm run lint` runs this, the
// formatter's check and the type-checks. The plugins come from tools/lint (its own install: README, "Linting").
import { createTypeScriptImportResolver, importX, tseslint } from './tools/lint/index.js';

const root = import.meta.dirname;
const src = 'packages/corral/src';

/** The TypeScript projects the type-aware rules use; every linted file belongs to one of them. */
const projects = ['packages/corral/tsconfig.test.json', 'apps/wildrydes/tsconfig.json', 'apps/console/tsconfig.json', 'tools/lint/tsconfig.js.json'];

// Layers of packages/corral/src, lowest last. A zone forbids `target` to import `from` (type imports included:
// a type a lower layer needs is defined in that layer or below it).
const under = (names) => names.map((n) => `./${src}/${n}`);
const layerZones = [
  {
    target: under(['triggers', 'messaging']),
    from: under(['domain', 'identity', 'actions', 'http', 'wire']),
    message: 'triggers/ and messaging/ sit below domain/: domain passes them what they need; types they use live in their own layer or in storage/.',
  },
  {
    target: under(['domain', 'identity', 'triggers', 'messaging', 'crypto', 'storage', 'errors.ts', 'cli.ts']),
    from: under(['actions', 'http']),
    message: 'Only wire/, server.ts and runtime/ reach actions/ and http/ (the request path starts there).',
  },
  {
    target: under(['domain', 'identity', 'triggers', 'messaging', 'crypto', 'storage', 'errors.ts']),
    from: under(['wire']),
    message: 'wire/ is the transport: the layers below it never import it.',
  },
  {
    target: under(['domain']),
    from: under(['identity']),
    message: 'identity/ (identity pools) builds on domain/ (it verifies user-pool tokens), not the reverse.',
  },
  {
    target: under(['crypto']),
    from: under(['domain', 'identity', 'triggers', 'messaging']),
    message: 'crypto/ sits below domain/, identity/, triggers/ and messaging/.',
  },
  {
    target: under(['storage']),
    from: under(['domain', 'identity', 'triggers', 'messaging', 'crypto', 'wire', 'actions', 'http']),
    message: 'storage/ is the bottom layer: it imports nothing above it.',
  },
  {
    target: under(['actions', 'domain', 'identity', 'triggers', 'messaging', 'crypto', 'storage', 'errors.ts']),
    from: under(['runtime']),
    except: ['./app.ts', './config.ts'],
    message: 'runtime/ (start, provision, secrets) assembles the layers; below it only runtime/app.ts and runtime/config.ts are shared.',
  },
  {
    target: under(['wire', 'http', 'actions', 'domain', 'identity', 'triggers', 'messaging', 'crypto', 'storage', 'errors.ts']),
    from: under(['server.ts', 'cli.ts']),
    message: 'server.ts and cli.ts are entry points: only runtime/ imports server.ts.',
  },
];

const sqlMessage = 'Only storage/ speaks SQL: call a repository through app.store (storage/index.ts); repository modules may be imported for their types.';

export default [
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.corral/**', '**/test-results/**', '**/screenshots/**', 'packages/corral/src/wire/models/**'],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: projects, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: projects.map((p) => `${root}/${p}`), noWarnOnMultipleProjects: true })],
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Plain JavaScript files have no type annotations to import.
    files: ['**/*.{js,mjs}'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: [`${src}/**/*.ts`],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'pg', 'better-sqlite3'].map((name) => ({ name, message: sqlMessage })),
          patterns: [
            { regex: '(^|/)storage/(db|sql)\\.js$|(^|/)storage/migrations(/|$)', message: sqlMessage },
            { regex: '(^|/)storage/(?!(index|db|sql)\\.js$)[^/]+\\.js$', allowTypeImports: true, message: sqlMessage },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='db'][object.name='app']", message: sqlMessage },
        { selector: "MemberExpression[property.name='db'][object.property.name='app']", message: sqlMessage },
      ],
    },
  },
  {
    files: [`${src}/storage/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
];

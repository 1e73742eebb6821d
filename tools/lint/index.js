// The lint toolchain, installed here on its own (`npm ci --prefix tools/lint`) and re-exported for the repo's
// eslint.config.js: typescript-eslint needs TypeScript's JS API, which TypeScript 7 (the repo's compiler, a native
// binary) no longer has, so this folder pins TypeScript 6.0 for the linter alone (README, "Linting").
export { default as tseslint } from 'typescript-eslint';
export { importX } from 'eslint-plugin-import-x';
export { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

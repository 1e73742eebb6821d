#!/usr/bin/env node
// The `corral` command (`npx corral start`, `npx corral credentials`). It lives outside dist/ so that npm links it
// at install time, before anything is built; it runs the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('corral is not built yet: run `npm run build -w corral` (or `npm start`) first.');
  process.exit(1);
}
await import(cli.href);

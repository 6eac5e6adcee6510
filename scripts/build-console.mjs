#!/usr/bin/env node
// Builds the reviewer console (apps/console, issue 14): its TypeScript compiled by tsc to plain
// ES modules the browser loads as they are (no bundler), and its static files (index.html,
// console.css, favicon) copied beside them. `npm run build` writes dist/console, which the API
// serves under /console (CONSOLE_DIR); the browser tests build into a folder of their own:
//   node scripts/build-console.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist/console'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'apps/console/tsconfig.json'), '--outDir', out], {
  stdio: 'inherit',
});
cpSync(join(root, 'apps/console/public'), out, { recursive: true });
console.log(`[console] built into ${out}`);

/**
 * `node -r ./test/support/ts-register.js file.ts`: runs the TypeScript sources as a real process,
 * compiled on the fly with swc (the compiler jest already uses), so tests can start an entry
 * point (the API's main.ts, a CLI) exactly as production starts it, without a build.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};

/**
 * How the TypeScript sources are compiled when they run without a build: by jest
 * (jest.config.js) and by processes tests start from the sources (ts-register.js). One set of
 * options, so a test process runs the same code as the tests around it.
 */
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

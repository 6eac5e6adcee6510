#!/usr/bin/env bash
# Runs a local Temporal dev server (`temporal server start-dev`) in the foreground, with the
# custom search attributes of libs/temporal/src/contract.ts registered at start.
#
# The attribute names/types are read from the compiled contract (dist/libs/temporal/src/contract.js),
# so `npm run build` must have run; this script runs it when dist is missing or older than the source.
#
# Usage: scripts/temporal-dev-server.sh [--data-dir DIR] [-- extra start-dev flags...]
#   --data-dir DIR / TEMPORAL_DATA_DIR   folder of the SQLite state (default <repo>/.data/temporal);
#                                        the file is DIR/temporal.sqlite
#   TEMPORAL_EPHEMERAL=1                 keep state in memory only (no SQLite file)
#   TEMPORAL_PORT (7233)                 front-end gRPC port, bound on 127.0.0.1
#   TEMPORAL_UI_PORT (8233)              Web UI port
#   TEMPORAL_NAMESPACE (default)         namespace to create (the "default" one always exists)
#   TEMPORAL_UI_CODEC_ENDPOINT           the Web UI's remote codec: the API's codec server
#                                        (default http://127.0.0.1:${API_PORT:-3000}/temporal-codec);
#                                        `off` for none. Payloads are encrypted (issue 12): without it
#                                        the UI shows ciphertext.
#   TEMPORAL_CLI                         CLI binary to use (see scripts/temporal-cli.sh)
# Any other arguments are passed on to `temporal server start-dev`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "[temporal-dev-server] $*" >&2; }

data_dir="${TEMPORAL_DATA_DIR:-${repo}/.data/temporal}"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) [ $# -ge 2 ] || { log "--data-dir needs a value"; exit 2; }; data_dir="$2"; shift 2 ;;
    --data-dir=*) data_dir="${1#--data-dir=}"; shift ;;
    --) shift; extra+=("$@"); break ;;
    *) extra+=("$1"); shift ;;
  esac
done

cli=$(bash "${repo}/scripts/temporal-cli.sh")

# Search attributes from the contract, as NAME=TYPE lines.
contract_js="${repo}/dist/libs/temporal/src/contract.js"
contract_ts="${repo}/libs/temporal/src/contract.ts"
if [ ! -f "${contract_js}" ] || [ "${contract_ts}" -nt "${contract_js}" ]; then
  log "dist is missing or stale: running npm run build"
  # tsc still emits on type errors elsewhere in the project; carry on if the contract is there.
  (cd "${repo}" && npm run --silent build) >&2 || log "npm run build failed; using ${contract_js} if it was emitted"
  [ -f "${contract_js}" ] || { log "${contract_js} is missing after the build"; exit 1; }
fi
mapfile -t attributes < <(node -e '
  const { SEARCH_ATTRIBUTE_REGISTRY } = require(process.argv[1]);
  for (const { name, type } of SEARCH_ATTRIBUTE_REGISTRY) console.log(`${name}=${type}`);
' "${contract_js}")
[ "${#attributes[@]}" -gt 0 ] || { log "no search attributes found in ${contract_js}"; exit 1; }

args=(
  server start-dev
  --ip 127.0.0.1
  --port "${TEMPORAL_PORT:-7233}"
  --ui-port "${TEMPORAL_UI_PORT:-8233}"
  --namespace "${TEMPORAL_NAMESPACE:-default}"
  --log-level warn
)
# The UI decodes payloads through the API's codec server, which answers an operator's staff session
# sent as the codec cookie. The dev server's UI has a flag for the endpoint only, not for sending
# cookies: tick "Include cross-origin credentials" once in the UI's codec settings (docs/operations.md).
codec_endpoint="${TEMPORAL_UI_CODEC_ENDPOINT:-http://127.0.0.1:${API_PORT:-3000}/temporal-codec}"
[ "${codec_endpoint}" = off ] || args+=(--ui-codec-endpoint "${codec_endpoint}")
for attribute in "${attributes[@]}"; do args+=(--search-attribute "${attribute}"); done

if [ "${TEMPORAL_EPHEMERAL:-0}" = "1" ]; then
  log "in-memory state (TEMPORAL_EPHEMERAL=1)"
else
  mkdir -p "${data_dir}"
  # WAL lets the UI and the SDKs read while the server writes; synchronous=normal is safe with WAL.
  args+=(--db-filename "${data_dir}/temporal.sqlite" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal)
fi

log "gRPC 127.0.0.1:${TEMPORAL_PORT:-7233}, UI http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}, search attributes: ${attributes[*]}"
exec "${cli}" "${args[@]}" "${extra[@]}"

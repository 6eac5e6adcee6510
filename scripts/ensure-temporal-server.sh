#!/usr/bin/env bash
# Builds the Temporal server and its sql schema tool (v1.29.1) for the local multi-node cluster
# (scripts/temporal-cluster.sh) and prints the install folder on stdout; progress goes to stderr.
#
#   <repo>/.tools/temporal-server/bin/temporal-server   go.temporal.io/server/cmd/server
#   <repo>/.tools/temporal-server/bin/temporal-sql-tool go.temporal.io/server/cmd/tools/sql
#   <repo>/.tools/temporal-server/schema/postgresql/v12/{temporal,visibility}/versioned
#   <repo>/.tools/temporal-server/VERSION                stamp: reused while it says v1.29.1
#
# The schema files are copied out of the module at build time so that runs never depend on the
# Go module cache. The build uses the same Go settings as the CLI build (scripts/temporal-cli.sh):
# the default GOCACHE/GOMODCACHE, so a machine that built the CLI has most modules already
# (about 3 minutes then). Parallel callers are serialised by flock on .tools/.temporal-server.lock.
#
#   TEMPORAL_SERVER_DIR   use that prepared folder instead (same layout; no build, no check)
#   --check               exit 0 if it is built (or TEMPORAL_SERVER_DIR is set), 1 if not; never builds
set -euo pipefail

TEMPORAL_SERVER_VERSION=1.29.1
TEMPORAL_SERVER_MODULE=go.temporal.io/server

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="${repo}/.tools"
dir="${TEMPORAL_SERVER_DIR:-${tools}/temporal-server}"
stamp="${dir}/VERSION"

log() { echo "[temporal-server] $*" >&2; }

is_ready() {
  [ -x "${dir}/bin/temporal-server" ] && [ -x "${dir}/bin/temporal-sql-tool" ] &&
    [ -d "${dir}/schema/postgresql/v12/temporal/versioned" ] &&
    [ -d "${dir}/schema/postgresql/v12/visibility/versioned" ] &&
    [ "$(cat "${stamp}" 2>/dev/null)" = "v${TEMPORAL_SERVER_VERSION}" ]
}

if [ -n "${TEMPORAL_SERVER_DIR:-}" ] || is_ready; then
  echo "${dir}"
  exit 0
fi
[ "${1:-}" != --check ] || exit 1

mkdir -p "${tools}"
exec 9>"${tools}/.temporal-server.lock"
flock 9
if ! is_ready; then
  command -v go >/dev/null 2>&1 || { log "Go is not installed; install Go >= 1.24"; exit 1; }
  started=$(date +%s)
  rm -f "${stamp}"
  build="${dir}/.build"
  rm -rf "${build}"
  mkdir -p "${build}" "${dir}/bin"
  log "building ${TEMPORAL_SERVER_MODULE} v${TEMPORAL_SERVER_VERSION} (server + sql tool) into ${dir}/bin (a few minutes the first time)"
  # Both commands in one `go install`, so shared packages compile once. -s -w: no debug symbols.
  GOBIN="${build}" nice -n 10 go install -ldflags "-s -w" \
    "${TEMPORAL_SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}" \
    "${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}" >&2
  mv -f "${build}/server" "${dir}/bin/temporal-server"
  mv -f "${build}/sql" "${dir}/bin/temporal-sql-tool"
  rm -rf "${build}"
  module_dir="$(go env GOMODCACHE)/${TEMPORAL_SERVER_MODULE}@v${TEMPORAL_SERVER_VERSION}"
  [ -d "${module_dir}/schema/postgresql/v12" ] || { log "no schema in ${module_dir}"; exit 1; }
  rm -rf "${dir}/schema"
  mkdir -p "${dir}/schema/postgresql"
  cp -R "${module_dir}/schema/postgresql/v12" "${dir}/schema/postgresql/v12"
  chmod -R u+w "${dir}/schema" # the module cache is read-only
  echo "v${TEMPORAL_SERVER_VERSION}" >"${stamp}"
  is_ready || { log "build finished but ${dir} is incomplete"; exit 1; }
  log "built in $(($(date +%s) - started))s"
fi
echo "${dir}"

#!/usr/bin/env bash
# Builds the Temporal Web UI server (github.com/temporalio/ui-server/v2 v2.42.1, the version the
# compose stack runs as temporalio/ui:2.42.1; its Go module ships the built UI) into
# .tools/temporal-ui/bin/temporal-ui and prints the binary's path; progress goes to stderr.
#
# `go install module@version` refuses this module (its go.mod has a replace directive), so it is
# built as a dependency of the tiny main module in scripts/temporal-ui/ (go.mod with the same
# replace, go.sum pinned). About 30 s with a warm module cache; reused while the stamp matches.
set -euo pipefail

TEMPORAL_UI_VERSION=2.42.1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir="${repo}/.tools/temporal-ui"
bin="${dir}/bin/temporal-ui"
log() { echo "[temporal-ui] $*" >&2; }

ready() { [ -x "${bin}" ] && [ "$(cat "${dir}/VERSION" 2>/dev/null)" = "v${TEMPORAL_UI_VERSION}" ]; }
if ready; then
  echo "${bin}"
  exit 0
fi
mkdir -p "${dir}/bin"
exec 9>"${repo}/.tools/.temporal-ui.lock"
flock 9
if ! ready; then
  command -v go >/dev/null 2>&1 || { log "Go is not installed"; exit 1; }
  grep -q "github.com/temporalio/ui-server/v2 v${TEMPORAL_UI_VERSION}$" "${repo}/scripts/temporal-ui/go.mod" ||
    { log "scripts/temporal-ui/go.mod does not require v${TEMPORAL_UI_VERSION}"; exit 1; }
  started=$(date +%s)
  log "building github.com/temporalio/ui-server/v2 v${TEMPORAL_UI_VERSION} into ${dir}/bin"
  rm -f "${dir}/VERSION"
  (cd "${repo}/scripts/temporal-ui" &&
    nice -n 10 go build -mod=readonly -ldflags "-s -w" -o "${bin}" github.com/temporalio/ui-server/v2/cmd/server) >&2
  echo "v${TEMPORAL_UI_VERSION}" >"${dir}/VERSION"
  log "built in $(($(date +%s) - started))s"
fi
echo "${bin}"

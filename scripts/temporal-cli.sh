#!/usr/bin/env bash
# Prints the path of a usable Temporal CLI (v1.5.1) on stdout; progress goes to stderr.
#
#   TEMPORAL_CLI=/path/to/temporal   use that binary (must be executable; no version check)
#   otherwise                        reuse <repo>/.tools/bin/temporal if it is v1.5.1, else build it
#                                    with `go install` (about 3-4 minutes on a cold Go cache)
#
# Parallel callers are serialised by flock on .tools/.temporal-build.lock, so it is built once.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.5.1
TEMPORAL_CLI_MODULE=github.com/temporalio/cli

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="${repo}/.tools"
bin="${tools}/bin/temporal"

log() { echo "[temporal-cli] $*" >&2; }

if [ -n "${TEMPORAL_CLI:-}" ]; then
  if [ ! -f "${TEMPORAL_CLI}" ] || [ ! -x "${TEMPORAL_CLI}" ]; then
    log "TEMPORAL_CLI=${TEMPORAL_CLI} is not an executable file"
    exit 1
  fi
  echo "${TEMPORAL_CLI}"
  exit 0
fi

# A binary from `go install` reports "0.0.0-DEV" unless linked with -X, so also ask the Go
# toolchain which module version it was built from.
is_wanted_version() {
  [ -x "$1" ] || return 1
  if "$1" --version 2>/dev/null | grep -q "version ${TEMPORAL_CLI_VERSION}\b"; then return 0; fi
  command -v go >/dev/null 2>&1 &&
    go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+${TEMPORAL_CLI_MODULE}\s+v${TEMPORAL_CLI_VERSION}\s"
}

# Fast path: no lock needed when the binary is already there.
if is_wanted_version "${bin}"; then
  echo "${bin}"
  exit 0
fi

mkdir -p "${tools}/bin"
exec 9>"${tools}/.temporal-build.lock"
flock 9
# Someone else may have built it while we waited for the lock.
if ! is_wanted_version "${bin}"; then
  if ! command -v go >/dev/null 2>&1; then
    log "Go is not installed; install Go >= 1.24 or set TEMPORAL_CLI=/path/to/temporal"
    exit 1
  fi
  log "building ${TEMPORAL_CLI_MODULE} v${TEMPORAL_CLI_VERSION} into ${tools}/bin (takes a few minutes the first time)"
  started=$(date +%s)
  # -X makes `temporal --version` report the real version instead of 0.0.0-DEV.
  GOBIN="${tools}/bin" go install \
    -ldflags "-s -w -X ${TEMPORAL_CLI_MODULE}/temporalcli.Version=${TEMPORAL_CLI_VERSION}" \
    "${TEMPORAL_CLI_MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}" >&2
  if ! is_wanted_version "${bin}"; then
    log "build finished but ${bin} is not v${TEMPORAL_CLI_VERSION}"
    exit 1
  fi
  log "built in $(($(date +%s) - started))s"
fi
echo "${bin}"

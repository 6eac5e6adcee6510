#!/usr/bin/env bash
# Installs the OpenAPI fuzzer that test/integration/fuzz.test.ts runs: schemathesis, pinned, from
# PyPI, in a Python virtual environment of its own. Default place: .tools/schemathesis-venv of
# this checkout (gitignored); FUZZ_VENV names another. A venv that already has the pinned version
# is kept, so with a warm cache this takes well under a second. Needs python3 with venv
# (Debian: python3-venv; .ci/run installs it when missing).
set -euo pipefail

# 4.x: OpenAPI 3.0 and 3.1, the `st run` CLI with its status-code and schema conformance checks.
SCHEMATHESIS_VERSION=4.32.5

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="${FUZZ_VENV:-${repo}/.tools/schemathesis-venv}"

if [ -x "${venv}/bin/st" ] && "${venv}/bin/st" --version 2>/dev/null | grep -qx "st, version ${SCHEMATHESIS_VERSION}"; then
  echo "[ensure-fuzzer] schemathesis ${SCHEMATHESIS_VERSION}: ${venv}/bin/st"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || { echo "[ensure-fuzzer] python3 is required" >&2; exit 1; }
echo "[ensure-fuzzer] installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}"
rm -rf "${venv}"
mkdir -p "$(dirname "${venv}")"
python3 -m venv "${venv}"
"${venv}/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
echo "[ensure-fuzzer] schemathesis: $("${venv}/bin/st" --version)"

#!/usr/bin/env bash
# Prepares the local Temporal tooling that tests and `npm start` need, so later runs start fast:
#   - the Temporal CLI v1.5.1 (dev server)   -> .tools/bin/temporal   (scripts/temporal-cli.sh)
#   - the time-skipping test server classpath -> .tools/test-server/lib (scripts/test-server.sh)
# Both are cached under .tools/ (gitignored); with a warm cache this takes well under a second.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cli=$(bash "${repo}/scripts/temporal-cli.sh")
echo "[ensure-tools] Temporal CLI: ${cli} ($("${cli}" --version 2>/dev/null | head -n1))"

bash "${repo}/scripts/test-server.sh" --prepare-only
echo "[ensure-tools] test server classpath: ${repo}/.tools/test-server/lib ($(find "${repo}/.tools/test-server/lib" -name '*.jar' | wc -l) jars)"

#!/usr/bin/env bash
# Runs Temporal's time-skipping test server (io.temporal:temporal-test-server, a Java program)
# from the classpath that scripts/test-server/pom.xml resolves into <repo>/.tools/test-server/lib.
#
# It is the `existing-path` executable of @temporalio/testing:
#   TestWorkflowEnvironment.createTimeSkipping({
#     server: { executable: { type: 'existing-path', path: '<repo>/scripts/test-server.sh' } },
#   })
# The SDK runs it as `test-server.sh <port> [extraArgs...]`; the Java main takes exactly
# `<port> [--enable-time-skipping]` (without the flag time skipping starts locked and the SDK
# unlocks it while a test awaits a workflow result, which is what the SDK expects).
# The SDK kills the process it started and then waits for its stdout/stderr to close, so the
# JVM must replace this shell (exec) and nothing else may keep those pipes open.
# The SDK gives the server 5 s to listen: warm the classpath first (scripts/ensure-tools.sh).
#
#   test-server.sh --prepare-only    only make sure the classpath is there, then exit
#   TEST_SERVER_JAVA_OPTS            JVM options (default: small, fast-starting JVM)
#   JAVA_HOME                        JVM to use (default: `java` on PATH)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pom="${repo}/scripts/test-server/pom.xml"
tools="${repo}/.tools"
lib="${tools}/test-server/lib"
log() { echo "[test-server] $*" >&2; }

# The version pinned in the pom (the <version> right after the temporal-test-server artifactId).
version=$(sed -n '/<artifactId>temporal-test-server<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;}' "${pom}")
[ -n "${version}" ] || { log "cannot read the temporal-test-server version from ${pom}"; exit 1; }
marker="${lib}/temporal-test-server-${version}.jar"

if [ ! -f "${marker}" ]; then
  mkdir -p "${tools}"
  exec 9>"${tools}/.test-server.lock"
  flock 9
  if [ ! -f "${marker}" ]; then
    command -v mvn >/dev/null 2>&1 || { log "Maven (mvn) is needed to resolve the test server classpath"; exit 1; }
    log "resolving io.temporal:temporal-test-server:${version} into ${lib}"
    # Resolve into a temporary folder and swap it in, so a half-copied classpath is never used.
    tmp="${lib}.tmp.$$"
    rm -rf "${tmp}"
    # Maven's output is shown only when it fails (-q still prints stray colour codes).
    if ! out=$(cd "${repo}/scripts/test-server" &&
      mvn -q -B dependency:copy-dependencies -DoutputDirectory="${tmp}" -DincludeScope=runtime 2>&1); then
      echo "${out}" >&2
      rm -rf "${tmp}"
      log "mvn dependency:copy-dependencies failed"
      exit 1
    fi
    [ -f "${tmp}/temporal-test-server-${version}.jar" ] || { log "Maven did not produce ${marker##*/}"; exit 1; }
    rm -rf "${lib}"
    mv "${tmp}" "${lib}"
  fi
  # Do not let the JVM inherit the lock.
  exec 9>&-
fi

if [ "${1:-}" = "--prepare-only" ]; then
  exit 0
fi

java="${JAVA_HOME:+${JAVA_HOME}/bin/}java"
# shellcheck disable=SC2086 # TEST_SERVER_JAVA_OPTS is a list of options
exec "${java}" ${TEST_SERVER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "${lib}/*" io.temporal.testserver.TestServer "$@"

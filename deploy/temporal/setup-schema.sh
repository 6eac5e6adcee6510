#!/bin/sh
# Creates or upgrades the Temporal server's two PostgreSQL databases with its sql tool, from the
# versioned schema files of the server's release. One script for every place that runs the server:
# the compose stack's `temporal-schema` service (temporalio/admin-tools image, which has the tool
# and the files) and the local cluster (scripts/temporal-cluster.sh, from .tools/temporal-server).
# Safe to run on every start: a database already set up is only upgraded to the newest version.
#
#   TEMPORAL_DB_HOST (127.0.0.1), TEMPORAL_DB_PORT (5432), TEMPORAL_DB_USER (temporal),
#   TEMPORAL_DB_PASSWORD, TEMPORAL_DB_NAME (temporal), TEMPORAL_VISIBILITY_DB_NAME
#   (temporal_visibility)                         as in deploy/temporal/config.yaml
#   TEMPORAL_SQL_TOOL (temporal-sql-tool)          the sql tool of the server's version
#   TEMPORAL_SCHEMA_DIR (/etc/temporal/schema/postgresql/v12)   holds temporal/ and visibility/
set -eu

tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
schema="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

# The password goes through the environment (SQL_PASSWORD), not the command line.
export SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-}"
sql() {
  db=$1
  shift
  "${tool}" --plugin postgres12 --endpoint "${TEMPORAL_DB_HOST:-127.0.0.1}" \
    --port "${TEMPORAL_DB_PORT:-5432}" --user "${TEMPORAL_DB_USER:-temporal}" --database "${db}" "$@"
}

for pair in "${TEMPORAL_DB_NAME:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  dir="${schema}/${pair#*:}/versioned"
  [ -d "${dir}" ] || { echo "[temporal-schema] no schema folder ${dir}" >&2; exit 1; }
  # Each step is safe to repeat: create-database ignores an existing database, setup-schema
  # -v 0.0 only creates the version tables where they are missing (and leaves a newer version as
  # it is), and update-schema applies the versioned steps above the database's version, in order.
  sql "${db}" create-database
  sql "${db}" setup-schema -v 0.0
  sql "${db}" update-schema -d "${dir}"
  echo "[temporal-schema] ${db}: up to date with ${dir}"
done

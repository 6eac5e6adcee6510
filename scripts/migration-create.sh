#!/usr/bin/env bash
# Usage: npm run migration:create -- <snake_case_name>
# Writes the next migration from the difference between the entities and the schema that the
# existing migrations produce, on a throw-away embedded PostgreSQL (or on the server named by
# MIGRATION_PG_ADMIN_URL, a role that may create databases). Runs are serialised with a lock, so
# two people (or agents) adding entities at once still get a consistent chain.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run migration:create -- <snake_case_name>}
mkdir -p .data
exec 9>.data/migration-create.lock
flock 9
npx tsc -p tsconfig.build.json
node dist/libs/persistence/src/cli/create-migration.js "$name" ${MIGRATION_PG_ADMIN_URL:+"$MIGRATION_PG_ADMIN_URL"}
npx prettier --write libs/persistence/src/migrations >/dev/null

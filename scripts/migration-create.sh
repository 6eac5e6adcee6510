#!/usr/bin/env bash
# Usage: npm run migration:create -- <snake_case_name>
# Writes the next migration for SQLite and PostgreSQL from the difference between the entities
# and the schema that the existing migrations produce. Runs are serialised with a lock, so two
# people (or agents) adding entities at once still get a consistent chain.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run migration:create -- <snake_case_name>}
mkdir -p .data
exec 9>.data/migration-create.lock
flock 9
bash scripts/postgres.sh >/dev/null
npx tsc -p tsconfig.build.json
node dist/libs/persistence/src/cli/create-migration.js "$name" \
  "${MIGRATION_PG_ADMIN_URL:-postgres://account_center:account_center@127.0.0.1:5432/postgres}"
npx prettier --write libs/persistence/src/migrations >/dev/null

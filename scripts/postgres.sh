#!/usr/bin/env bash
# Starts a local PostgreSQL (Debian's package) for integration tests and the production-like run,
# and makes sure the account_center role exists. Idempotent: safe to run again.
# Prints nothing but progress; the URL to use is postgres://account_center:account_center@127.0.0.1:5432/
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "[postgres] installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
if [ -z "${version}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  cluster=main
  pg_createcluster "${version}" "${cluster}" >/dev/null
fi

status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}')
if [ "${status}" != "online" ]; then
  echo "[postgres] starting cluster ${version}/${cluster}"
  pg_ctlcluster "${version}" "${cluster}" start
fi

for _ in $(seq 1 50); do
  if runuser -u postgres -- psql -qtAc 'select 1' >/dev/null 2>&1; then break; fi
  sleep 0.2
done

runuser -u postgres -- psql -qtA -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'account_center') THEN
    CREATE ROLE account_center LOGIN SUPERUSER PASSWORD 'account_center';
  END IF;
END $$;
SQL
if ! runuser -u postgres -- psql -qtAc "select 1 from pg_database where datname='account_center'" | grep -q 1; then
  runuser -u postgres -- createdb -O account_center account_center
fi
echo "[postgres] ready on 127.0.0.1:5432 (role account_center)"

#!/bin/sh
# Runs once, when the compose stack's PostgreSQL initialises its data folder
# (/docker-entrypoint-initdb.d). Two login roles, neither a superuser:
#   account_center  owns the application's database and nothing else;
#   temporal        may create databases (Temporal's setup creates `temporal` and
#                   `temporal_visibility`, which it then owns).
# The superuser (POSTGRES_USER) is for administration only; no service connects with it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$APP_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE account_center LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE account_center OWNER account_center;
REVOKE ALL ON DATABASE account_center FROM PUBLIC;
CREATE ROLE temporal LOGIN NOSUPERUSER CREATEDB NOCREATEROLE PASSWORD :'temporal_password';
SQL

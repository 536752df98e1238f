#!/bin/sh
# One-shot Temporal schema setup on PostgreSQL (run by the temporal-admin-tools
# service before the server starts). It runs on every `docker compose up`, so each
# step has to be safe to repeat: setup-schema leaves a newer schema version alone
# and update-schema applies only the missing versions.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required (temporal-sql-tool reads the password from it)}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_ROOT="${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
RETRY_SECONDS="${SETUP_RETRY_SECONDS:-2}"

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" "$@"
}

# depends_on already waits for pg_isready; this only covers a restart race.
attempt=1
until nc -z "$POSTGRES_SEEDS" "$DB_PORT"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "PostgreSQL at $POSTGRES_SEEDS:$DB_PORT is not reachable; giving up" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$RETRY_SECONDS"
done

setup_database() {
  db="$1"
  schema_dir="$SCHEMA_ROOT/$2/versioned"
  echo "Setting up Temporal schema in database '$db' from $schema_dir"
  # Some tool versions fail on an existing database; a missing database still
  # fails the setup-schema step right after, so tolerating this is safe.
  sql_tool --db "$db" create || echo "create '$db' failed (it most likely exists already); continuing"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$schema_dir"
}

setup_database "$DBNAME" temporal
setup_database "$VISIBILITY_DBNAME" visibility
echo "Temporal PostgreSQL schema is up to date"

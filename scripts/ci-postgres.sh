#!/usr/bin/env bash
# Gives the tests a real PostgreSQL on a Debian CI machine (run as root):
# installs Debian's `postgresql` if missing, starts its cluster, creates a test role and database
# (idempotent), and prints one line on stdout for the caller to eval:
#
#   eval "$(bash scripts/ci-postgres.sh)"
#
# Everything else goes to stderr, so the eval only ever sees the export line.
set -euo pipefail

role="${FOYER_TEST_PG_ROLE:-foyer_test}"
password="${FOYER_TEST_PG_PASSWORD:-foyer_test}"
database="${FOYER_TEST_PG_DATABASE:-foyer_test}"

log() { echo "ci-postgres: $*" >&2; }

# The role and database names are interpolated into SQL below: keep them to plain identifiers.
for name in "$role" "$database"; do
  if [[ ! "$name" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    log "invalid role or database name: $name"
    exit 1
  fi
done
if [[ "$password" == *"'"* ]]; then
  log "the password must not contain a single quote"
  exit 1
fi

installed_version() {
  ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -n 1 || true
}

version="$(installed_version)"
if [[ -z "$version" || ! -x "/usr/lib/postgresql/$version/bin/postgres" ]] || ! command -v pg_ctlcluster >/dev/null; then
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  version="$(installed_version)"
fi
if [[ -z "$version" ]]; then
  log "no PostgreSQL server found after installation"
  exit 1
fi

# The package creates the `main` cluster; recreate it only if someone removed it.
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi

port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
status="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }')"
if [[ "$status" != online* ]]; then
  log "starting cluster $version/main on port $port"
  pg_ctlcluster "$version" main start >&2 || log "pg_ctlcluster start returned an error; checking readiness anyway"
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  log "PostgreSQL $version did not become ready on 127.0.0.1:$port"
  exit 1
fi

as_postgres() {
  runuser -u postgres -- psql --no-psqlrc -v ON_ERROR_STOP=1 -q -p "$port" "$@" >&2
}

as_postgres -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$password';
  END IF;
END
\$\$;
SQL

if ! runuser -u postgres -- psql --no-psqlrc -tA -p "$port" -d postgres \
  -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  log "creating database $database"
  as_postgres -d postgres -c "CREATE DATABASE $database OWNER $role"
fi
# Each test suite creates and drops its own schema in this database.
as_postgres -d "$database" -c "GRANT CREATE ON DATABASE $database TO $role"

log "PostgreSQL $version ready on 127.0.0.1:$port, database $database"
echo "export FOYER_TEST_DATABASE_URL=postgres://$role:$password@127.0.0.1:$port/$database"

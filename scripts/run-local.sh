#!/usr/bin/env bash
# Runs the app locally in paper mode with zero secrets (SPEC §11):
#   project-local PostgreSQL (.data/postgres) + Azurite (.data/azurite), migrations, build, `func start`.
# Idempotent: services already running are reused. `scripts/run-local.sh stop` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/.data"
PG_DIR="$DATA/postgres"
PG_PORT="${BAT_LOCAL_PG_PORT:-55432}"
DB_NAME="bitcoin_auto_trading"
AZURITE_DIR="$DATA/azurite"
SETTINGS="src/BitcoinAutoTrading.Functions/local.settings.json"

fail() { echo "run-local: $*" >&2; exit 1; }

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  BIN=$(pg_bin); [ -n "$BIN" ] && [ -f "$PG_DIR/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$PG_DIR" -m fast stop || true
  [ -f "$AZURITE_DIR/azurite.pid" ] && kill "$(cat "$AZURITE_DIR/azurite.pid")" 2>/dev/null || true
  rm -f "$AZURITE_DIR/azurite.pid"; echo "run-local: stopped PostgreSQL and Azurite."; exit 0
fi

# 1. Prerequisites, each with the way to get it.
command -v dotnet >/dev/null || fail ".NET SDK 10 is missing: install it from https://dot.net (dotnet --version must print 10.x)."
BIN=$(pg_bin)
[ -n "$BIN" ] || fail "PostgreSQL 15+ server binaries are missing (initdb, pg_ctl). Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@16."
command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js 20+ and npm are missing (needed for Azurite and Core Tools): https://nodejs.org."
if ! command -v func >/dev/null; then
  echo "run-local: Azure Functions Core Tools not found; installing azure-functions-core-tools@4 with npm..."
  npm install -g azure-functions-core-tools@4 --unsafe-perm true >/dev/null 2>&1 || true
  command -v func >/dev/null || fail "Azure Functions Core Tools v4 is missing and could not be installed automatically (its installer downloads from a CDN). Install it yourself: https://learn.microsoft.com/azure/azure-functions/functions-run-local (npm i -g azure-functions-core-tools@4, brew install azure-functions-core-tools@4, or the .deb/.msi), then re-run."
fi

# 2. PostgreSQL in a project-local folder.
mkdir -p "$DATA"
if [ ! -f "$PG_DIR/PG_VERSION" ]; then
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  as_pg "$BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
  as_pg "$BIN/pg_ctl" -D "$PG_DIR" -w -l "$PG_DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null \
    || fail "PostgreSQL did not start; see $PG_DIR/server.log (is port $PG_PORT free? set BAT_LOCAL_PG_PORT)."
fi
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB_NAME"
"$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 \
  || "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $DB_NAME"
echo "run-local: PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)."

# 3. Azurite for the Functions host state and the Durable task hub.
if [ ! -x "$AZURITE_DIR/node_modules/.bin/azurite" ]; then
  mkdir -p "$AZURITE_DIR"
  npm install --prefix "$AZURITE_DIR" azurite@3.37.0 --no-audit --no-fund >/dev/null 2>&1 \
    || fail "could not install Azurite with npm (npm install azurite@3.37.0)."
fi
if ! { [ -f "$AZURITE_DIR/azurite.pid" ] && kill -0 "$(cat "$AZURITE_DIR/azurite.pid")" 2>/dev/null; }; then
  # Started directly (not through npx) so the pid is Azurite's own and `stop` really stops it.
  nohup "$AZURITE_DIR/node_modules/.bin/azurite" --silent --location "$AZURITE_DIR/data" --loose --skipApiVersionCheck \
    >"$AZURITE_DIR/azurite.log" 2>&1 &
  echo $! >"$AZURITE_DIR/azurite.pid"
fi
echo "run-local: Azurite running (pid $(cat "$AZURITE_DIR/azurite.pid"))."

# 4. Settings: paper mode, technical provider, no secrets. An existing local.settings.json is kept.
if [ ! -f "$SETTINGS" ]; then
  python3 - "$SETTINGS" "$CONN" <<'PY'
import json, sys
path, conn = sys.argv[1], sys.argv[2]
settings = json.load(open("local.settings.sample.json"))
settings["ConnectionStrings"]["Postgres"] = conn
json.dump(settings, open(path, "w"), indent=2)
PY
  echo "run-local: wrote $SETTINGS from local.settings.sample.json (paper mode)."
fi

# 5. Migrations, build, run.
dotnet run --project src/BitcoinAutoTrading.Cli -- migrate --connection "$CONN"
dotnet build src/BitcoinAutoTrading.Functions -nologo -v q
cd src/BitcoinAutoTrading.Functions
exec func start

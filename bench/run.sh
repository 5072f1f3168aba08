#!/usr/bin/env bash
# make bench: the funder-scale benchmark of issue 8, start to finish (about 12-15 minutes on
# 2 cores). Creates the PostgreSQL database compact_tracker_bench (and compact_tracker_import_bench
# for the import timing), loads python -m bench.generate --scale 1, starts two gunicorn servers with
# production settings (dashboard cache warm on :8200, off on :8201), and measures them from a
# second process with wrk (bench/measure.py). Results: bench/results/latest.json and latest.md.
#
# Knobs (environment): BENCH_SCALE (1), BENCH_ROUNDS (3), BENCH_DURATION (6 s per max-rate run),
# BENCH_HALF_DURATION (5 s), BENCH_DB (compact_tracker_bench; must end in _bench),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_KEEP=1 keeps the databases afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
SCALE=${BENCH_SCALE:-1}
DB=${BENCH_DB:-compact_tracker_bench}
IMPORT_DB=${DB%_bench}_import_bench
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PORT_WARM=8200
PORT_OFF=8201
REDIS_PORT=6390
RESULTS=bench/results
WORK=$(mktemp -d /tmp/compact-tracker-bench.XXXXXX)
PIDS=()

fail() { echo "bench: $*" >&2; exit 1; }

for name in "$DB" "$IMPORT_DB"; do
  case "$name" in
    *_bench) ;;
    *) fail "refusing to touch database '$name': its name does not end in _bench" ;;
  esac
  [[ "$name" =~ ^[a-z0-9_]+$ ]] || fail "database name '$name' must be lower-case letters, digits, _"
done

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $IMPORT_DB WITH (FORCE)" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  [[ $status -eq 0 ]] || echo "bench: FAILED (exit $status)" >&2
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "== $(date +%H:%M:%S) $*"; }
now() { date +%s.%N; }

[[ -x $PY ]] || fail "no virtualenv: run make install first"
if ! command -v wrk >/dev/null 2>&1; then
  step "installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# Production settings, as a deployment would set them.
export DEBUG=0
export PGOPTIONS="--client-min-messages=warning"
SECRET_KEY="bench-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
BENCH_PASSWORD="bench-$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"
export SECRET_KEY BENCH_PASSWORD
export SECURE_SSL=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600
export STATIC_ROOT="$WORK/static" LOG_LEVEL=WARNING
export DATABASE_URL="$PG/$DB"

step "creating database $DB"
psql "$PG/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql "$PG/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $IMPORT_DB WITH (FORCE)"
psql "$PG/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $DB"
$PY manage.py migrate --noinput -v0
# The import timing starts from the same empty, migrated schema.
psql "$PG/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $IMPORT_DB TEMPLATE $DB"

step "python -m bench.generate --scale $SCALE"
started=$(now)
$PY -m bench.generate --scale "$SCALE"
GENERATE_SECONDS=$($PY -c "print(round($(now) - $started, 1))")

step "timing the school-directory import (database $IMPORT_DB)"
DATABASE_URL="$PG/$IMPORT_DB" $PY bench/time_import.py --out "$WORK/import.json" --workdir "$WORK/directory"

step "collectstatic"
$PY manage.py collectstatic --noinput -v0

CACHE_LABEL="local memory per worker"
REDIS_WARM="" REDIS_OFF=""
if command -v redis-server >/dev/null 2>&1; then
  step "starting a private Redis on :$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --loglevel warning >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null || fail "Redis did not start"
  REDIS_WARM="redis://127.0.0.1:$REDIS_PORT/0"
  REDIS_OFF="redis://127.0.0.1:$REDIS_PORT/1"
  CACHE_LABEL="Redis (shared by the workers)"
fi

step "starting gunicorn: cache warm on :$PORT_WARM, cache off on :$PORT_OFF"
BENCH_BIND=127.0.0.1:$PORT_WARM REDIS_URL=$REDIS_WARM \
  .venv/bin/gunicorn -c bench/gunicorn.conf.py >"$WORK/gunicorn-warm.log" 2>&1 &
PIDS+=($!)
BENCH_BIND=127.0.0.1:$PORT_OFF REDIS_URL=$REDIS_OFF DASHBOARD_CACHE_SECONDS=0 \
  .venv/bin/gunicorn -c bench/gunicorn.conf.py >"$WORK/gunicorn-off.log" 2>&1 &
PIDS+=($!)
for port in $PORT_WARM $PORT_OFF; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || {
    cat "$WORK"/gunicorn-*.log >&2
    fail "gunicorn on :$port does not answer /healthz"
  }
done

step "measuring"
BENCH_CACHE_LABEL=$CACHE_LABEL $PY bench/measure.py \
  --warm "http://127.0.0.1:$PORT_WARM" --off "http://127.0.0.1:$PORT_OFF" \
  --rounds "${BENCH_ROUNDS:-3}" --duration "${BENCH_DURATION:-6}" \
  --half-duration "${BENCH_HALF_DURATION:-5}" \
  --scale "$SCALE" --generate-seconds "$GENERATE_SECONDS" \
  --import-json "$WORK/import.json" --out "$RESULTS"

if grep -q "Traceback\|Error" "$WORK"/gunicorn-*.log; then
  cat "$WORK"/gunicorn-*.log >&2
  fail "gunicorn logged errors during the run"
fi
step "done: $RESULTS/latest.md"

#!/usr/bin/env bash
# Smoke test of the production stack, built from requirements.txt ALONE:
# gunicorn (deploy/gunicorn.conf.py) + Celery worker + beat on PostgreSQL + Redis, DEBUG=0,
# a throwaway database; migrate, collectstatic, seed_demo, then scripts/smoke_http.py through HTTP on
# loopback: /health/ 200, sign in (CSRF), file a request in the portal, one export run by the worker
# to the end and downloaded. Exits non-zero on any failure; stops everything it started on exit.
#
#   scripts/smoke.sh
#
# Environment (all optional):
#   SMOKE_PG         PostgreSQL server URL without a database  [postgres://postgres@127.0.0.1:5432]
#   SMOKE_REDIS_URL  a Redis database it may FLUSH             [redis://127.0.0.1:6379/10]
#   SMOKE_VENV       the cached production virtualenv          [.venv-prod]
#   PYTHON           interpreter to build it with              [python3]
set -euo pipefail
cd "$(dirname "$0")/.."

PG="${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}"
REDIS="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/10}"
VENV="${SMOKE_VENV:-.venv-prod}"
PY="${PYTHON:-python3}"
started=$(date +%s)
log() { printf '[smoke %3ss] %s\n' "$(($(date +%s) - started))" "$*"; }

# --- the production virtualenv: requirements.txt only, rebuilt when it changes -----------------
stamp="$VENV/.requirements-$("$PY" -c 'import hashlib,sys; print(hashlib.sha256(open("requirements.txt","rb").read()+sys.version.encode()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
  log "building $VENV from requirements.txt alone"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install -q -r requirements.txt
  "$VENV/bin/pip" check
  touch "$stamp"
fi
if "$VENV/bin/python" -c 'import pytest' 2>/dev/null; then
  echo "smoke: $VENV holds test tools; it must be built from requirements.txt alone" >&2
  exit 1
fi

# --- a throwaway database, Redis database, media and static directories --------------------------
work="$(mktemp -d -t yiwang-smoke.XXXXXX)"
db="yiwang_smoke_$$"
pids=()
failed=1
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  if [ "$failed" = 1 ]; then
    for f in "$work"/*.log; do
      [ -f "$f" ] && { echo "----- $(basename "$f") (last 40 lines)"; tail -n 40 "$f"; }
    done
  fi
  psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  "$VENV/bin/python" -c 'import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "$REDIS" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql "$PG/postgres" -q -c "CREATE DATABASE $db"
"$VENV/bin/python" -c 'import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "$REDIS"
port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Production settings, with HTTPS left to a proxy that is not here (plain HTTP on loopback).
export DEBUG=0
export SECRET_KEY="smoke-$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DATABASE_URL="$PG/$db"
export REDIS_URL="$REDIS"
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS="$base"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static"
export EXPORT_INLINE_MAX_ROWS=10 # so that the demo directory's export goes to the worker
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export GUNICORN_BIND="127.0.0.1:$port" WEB_CONCURRENCY=2 LOG_LEVEL=WARNING
export PYTHONUNBUFFERED=1

# collectstatic needs no database: it runs while migrate does; the services boot while seed_demo runs.
log "migrate $db (collectstatic alongside)"
"$VENV/bin/python" manage.py collectstatic --noinput >"$work/collectstatic.log" 2>&1 &
collect=$!
"$VENV/bin/python" manage.py migrate --noinput >"$work/migrate.log" 2>&1

log "starting gunicorn on $base, a Celery worker and beat"
setsid "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py config.wsgi >"$work/gunicorn.log" 2>&1 &
pids+=($!)
setsid "$VENV/bin/celery" -A config worker -l info --concurrency=1 -n "smoke-$$@%h" >"$work/worker.log" 2>&1 &
pids+=($!)
setsid "$VENV/bin/celery" -A config beat -l info -s "$work/beat-schedule" --pidfile "$work/beat.pid" \
  >"$work/beat.log" 2>&1 &
pids+=($!)

log "seed_demo"
"$VENV/bin/python" manage.py seed_demo >"$work/seed.log" 2>&1
wait "$collect"

log "waiting for /health/ to answer 200"
"$VENV/bin/python" - "$base/health/" <<'EOF'
import sys, time, urllib.request, urllib.error
deadline = time.monotonic() + 90
while True:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
            if response.status == 200:
                break
    except (urllib.error.URLError, ConnectionError, OSError):
        pass
    if time.monotonic() > deadline:
        sys.exit("smoke: /health/ did not answer 200 within 90 s")
    time.sleep(1)
EOF

log "HTTP smoke test"
"$VENV/bin/python" scripts/smoke_http.py "$base"

for name in gunicorn worker beat; do
  i=$([ $name = gunicorn ] && echo 0 || { [ $name = worker ] && echo 1 || echo 2; })
  kill -0 "${pids[$i]}" 2>/dev/null || { echo "smoke: $name died" >&2; exit 1; }
done
grep -q "beat: Starting" "$work/beat.log" || { echo "smoke: beat did not start" >&2; exit 1; }
grep -q "datahub.tasks.run_export.*succeeded" "$work/worker.log" || {
  echo "smoke: the export did not run on the worker" >&2
  exit 1
}
failed=0
log "passed"

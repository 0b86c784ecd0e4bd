#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL (SAFELOOP_TEST_DATABASE_URL) without the
# browser tests.
# Without a reachable PostgreSQL it says so loudly; in CI (CI=true) that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${SAFELOOP_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
env SAFELOOP_ENV=local "$PY" -m config.local_setup  # the data directory and local secret key
# One pytest worker per core (pytest-xdist); each worker has its own test database.
# SAFELOOP_TEST_WORKERS=0 runs in one process (a debugger, -x on the first failure in order).
WORKERS="${SAFELOOP_TEST_WORKERS:-auto}"
if [ "$WORKERS" != "0" ]; then set -- -n "$WORKERS" "$@"; fi

echo "== SafeLoop test suite on SQLite =="
env -u DATABASE_URL SAFELOOP_ENV=local "$PY" -m pytest "$@"

echo "== SafeLoop test suite on PostgreSQL ($PG_URL) =="
if ! "$PY" scripts/pg_reachable.py "$PG_URL"; then
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!! PostgreSQL at $PG_URL is NOT reachable: the PostgreSQL run was NOT done." >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: an unreachable PostgreSQL is a failure." >&2
    exit 1
  fi
  exit 0
fi
# Browser tests drive pages, not SQL: they run once, on SQLite (above); PostgreSQL runs the rest.
DATABASE_URL="$PG_URL" SAFELOOP_ENV=local "$PY" -m pytest -m "not browser" "$@"

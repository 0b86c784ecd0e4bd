#!/usr/bin/env bash
# The quality gates, one script for CI (.ci/run), `make gates` / `make lint` and pre-commit:
# lint, formatting, the import layers, migrations in step with the models, Django's deployment
# checks under production settings, and mypy over core and the apps' services, selectors and
# workflow tables (pyproject.toml). Every gate runs even when an earlier one
# fails, so one run lists everything to fix; the exit status is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
failed=()

gate() {
  local name=$1
  shift
  echo "== gate: $name =="
  if "$@"; then
    echo "-- ok: $name"
  else
    echo "!! FAILED: $name" >&2
    failed+=("$name")
  fi
}

# check --deploy reads production settings: throwaway keys and host, for this one command only.
deploy_check() {
  env SAFELOOP_ENV=production DEBUG=false ALLOWED_HOSTS=safeloop.invalid \
    SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    SAFELOOP_LEDGER_KEYS="gate:$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    SAFELOOP_BACKUP_KEY="$("$BIN/python" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
    "$BIN/python" manage.py check --deploy --fail-level WARNING
}

SECONDS=0
env SAFELOOP_ENV=local "$BIN/python" -m config.local_setup # mypy's Django plugin reads local settings
gate "ruff check" "$BIN/ruff" check .
gate "ruff format" "$BIN/ruff" format --check .
gate "import layers" "$BIN/lint-imports"
gate "migrations" env SAFELOOP_ENV=local "$BIN/python" manage.py makemigrations --check --dry-run
gate "check --deploy" deploy_check
gate "mypy" env SAFELOOP_ENV=local "$BIN/mypy"

if ((${#failed[@]})); then
  echo "!! ${#failed[@]} gate(s) failed after ${SECONDS}s: ${failed[*]}" >&2
  exit 1
fi
echo "All gates passed in ${SECONDS}s."

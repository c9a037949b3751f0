#!/usr/bin/env bash
# Starts Udmøntning with gunicorn and the production settings (DEBUG off) against the
# database in DATABASE_URL. Put it behind the municipality's reverse proxy, which
# terminates TLS and sends X-Forwarded-Proto: https (see docs/deployment.md).
#
#   SECRET_KEY=... ALLOWED_HOSTS=udmoentning.kommune.dk DATABASE_URL=postgres://... make serve
#
# BIND (default 127.0.0.1:8001), WORKERS (default 2, sync workers: the pages are
# CPU-bound), TIMEOUT (default 120 s: a 400-item PDF takes ~15 s) and
# FORWARDED_ALLOW_IPS (the proxy's address, default 127.0.0.1) can be set.
# Migrations are not run here: upgrading is an explicit step (manage.py migrate).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
if [ -n "${DEBUG:-}" ] && [ "${DEBUG}" != "0" ]; then
  echo "serve.sh kører med produktionsindstillinger: fjern DEBUG fra miljøet." >&2
  exit 2
fi
if [ -z "${SECRET_KEY:-}" ]; then
  echo "SECRET_KEY skal være sat (en lang, tilfældig streng)." >&2
  exit 2
fi
if [ "${#SECRET_KEY}" -lt 50 ]; then
  echo "SECRET_KEY er for kort (${#SECRET_KEY} tegn): brug mindst 50 tilfældige tegn." >&2
  exit 2
fi
if [ -z "${ALLOWED_HOSTS:-}" ]; then
  echo "ALLOWED_HOSTS skal være sat (fx udmoentning.kommune.dk)." >&2
  exit 2
fi

"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py check --deploy --fail-level ERROR >/dev/null

exec .venv/bin/gunicorn udmoentning.wsgi:application \
  --bind "${BIND:-127.0.0.1:8001}" \
  --workers "${WORKERS:-2}" \
  --worker-class sync \
  --timeout "${TIMEOUT:-120}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - \
  --error-logfile -

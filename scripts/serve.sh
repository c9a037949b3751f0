#!/usr/bin/env bash
# Starts Udmøntning with gunicorn and the production settings (DEBUG off) against the
# database in DATABASE_URL. Put it behind the municipality's reverse proxy, which
# terminates TLS and sends X-Forwarded-Proto: https (see docs/deployment.md).
#
#   SECRET_KEY=... ALLOWED_HOSTS=udmoentning.kommune.dk DATABASE_URL=postgres://... make serve
#
# BIND (default 127.0.0.1:8001), WORKERS (default 2, sync workers: the pages are
# CPU-bound), TIMEOUT (default 120 s: a 400-item PDF takes ~15 s) and
# FORWARDED_ALLOW_IPS (the proxy's address, default 127.0.0.1) and CONTROL_SOCKET (a
# per-instance path for gunicorn's control socket; default off) can be set. Read tokens
# are masked in the access log.
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

# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), so a
# second instance on the host took over and deleted the first one's: it is off unless
# CONTROL_SOCKET names a path for this instance.
if [ -n "${CONTROL_SOCKET:-}" ]; then
  CONTROL_SOCKET_ARGS=(--control-socket "$CONTROL_SOCKET")
else
  CONTROL_SOCKET_ARGS=(--no-control-socket)
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
  --logger-class udmoentning.gunicorn_logger.TokenMaskingLogger \
  "${CONTROL_SOCKET_ARGS[@]}" \
  --error-logfile -

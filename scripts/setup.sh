#!/usr/bin/env bash
# Sets up everything the application and its tests need on a fresh machine:
# a Python 3.12+ virtual environment, the pinned dependencies, the system packages
# (Chromium for browser tests, poppler for PDF tests, a font WeasyPrint can embed),
# compiled Danish messages and collected static files. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  # Newest first: plain names on PATH, then pyenv's installed versions, then /usr/bin.
  local candidates=(python3.14 python3.13 python3.12)
  local root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  while IFS= read -r dir; do
    candidates+=("$dir/bin/python3")
  done < <(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -V -r)
  while IFS= read -r exe; do
    candidates+=("$exe")
  done < <(ls /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] 2>/dev/null | sort -V -r)
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  if ! PYTHON="$(find_python)"; then
    echo "Fejl: Udmøntning kræver Python 3.12 eller nyere (Django 6), men hverken python3.13 eller python3.12 blev fundet." >&2
    echo "Error: Python 3.12+ is required (Django 6); install python3.13 or python3.12 and try again." >&2
    exit 1
  fi
  echo "Opretter virtuelt miljø med $PYTHON"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installerer systempakker: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A signing key for this checkout, so `python manage.py ...` runs without DEBUG; a
# server sets SECRET_KEY in its environment instead (docs/deployment.md).
if [ ! -s .secret_key ]; then
  (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key)
fi

DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v0
DEBUG=1 .venv/bin/python manage.py collectstatic --noinput -v0
# The embedded SQLite database's tables, so `python manage.py ...` works right away
# (a PostgreSQL database in DATABASE_URL is migrated where it is deployed).
env -u DATABASE_URL .venv/bin/python manage.py migrate --noinput -v0

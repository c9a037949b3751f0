#!/usr/bin/env bash
# Refreshes the Danish message catalogue after UI strings change. The source strings are
# written in Danish, so the catalogue's translations start as copies of them (msgen);
# a municipality that words things differently edits locale/da/LC_MESSAGES/django.po.
# templates/simple_history/ is django-simple-history's own template with English source
# strings, translated in udmoentning/third_party_locale: left out here.
set -euo pipefail
cd "$(dirname "$0")/.."
DEBUG=1 .venv/bin/python manage.py makemessages -l da --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=templates/simple_history --no-location -v0
po=locale/da/LC_MESSAGES/django.po
# msgmerge guesses a translation for a new string from a similar old one ("Slet møde"
# from "Opret møde") and marks it fuzzy: drop such guesses, so msgen copies the source.
msgattrib --no-wrap --clear-fuzzy --empty "$po" -o "$po"
msgen --no-wrap "$po" -o "$po.tmp"
mv "$po.tmp" "$po"
# The header is ours, not a template's: not fuzzy, and it names the language.
sed -i -e '0,/^#, fuzzy$/{/^#, fuzzy$/d}' \
  -e 's/^"Project-Id-Version: PACKAGE VERSION\\n"$/"Project-Id-Version: Udmøntning\\n"/' \
  -e 's/^"Language: \\n"$/"Language: da\\n"/' \
  -e 's/^"Language-Team: LANGUAGE <LL@li.org>\\n"$/"Language-Team: Dansk\\n"/' "$po"
DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v0

"""The Danish message catalogue is complete and in use."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_messages():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_ui_strings_are_in_the_catalogue():
    text = CATALOGUE.read_text(encoding="utf-8")
    for message in (
        "Mine punkter",
        "Udsnit til udvalg",
        "Der er behov for, at direktionen zoomer ind",
        # The importer's refusals (plans/importer/safety.py) go through gettext too.
        "Filen er tom.",
        "Filen er pakket mistænkeligt tæt (mulig zip-bombe) og afvises af sikkerhedshensyn.",
    ):
        assert f'msgid "{message}"' in text


def test_danish_is_the_active_language(client, db):
    assert settings.LANGUAGE_CODE == "da"
    with translation.override("da"):
        assert translation.get_language() == "da"
    response = client.get("/login/")
    assert response.headers["Content-Language"] == "da"

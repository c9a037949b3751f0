"""Hardening: the deploy check, security settings and headers, no inline script or style."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment as a municipality sets it: no DEBUG, no test switches."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "udmoentning.kommune.dk",
        "CSRF_TRUSTED_ORIGINS": "https://udmoentning.kommune.dk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "udmoentning.settings",
        **extra,
    }


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.own_database
def test_check_deploy_leaves_only_the_hsts_preload_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    found = set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", output))
    # W021: SECURE_HSTS_PRELOAD is off on purpose (README: preloading is a decision for
    # the municipality's whole domain, not for one application).
    assert found == {"security.W021"}, output


@pytest.mark.own_database
def test_production_settings_are_hardened(tmp_path):
    code = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_CONTENT_TYPE_NOSNIFF": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "ATOMIC_REQUESTS": db["ATOMIC_REQUESTS"],
    "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"],
    "DATA_UPLOAD_MAX_MEMORY_SIZE": s.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "FILE_UPLOAD_MAX_MEMORY_SIZE": s.FILE_UPLOAD_MAX_MEMORY_SIZE,
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
    "PASSWORD_HASHER": s.PASSWORD_HASHERS[0],
    "AXES_FIRST": s.AUTHENTICATION_BACKENDS[0],
}))
"""
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["ATOMIC_REQUESTS"] is True
    assert values["CONN_HEALTH_CHECKS"] is True
    assert 0 < values["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 20 * 1024 * 1024
    assert 0 < values["FILE_UPLOAD_MAX_MEMORY_SIZE"] <= 20 * 1024 * 1024
    # Several app servers share sessions through the database.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # The fast test hasher never reaches production.
    assert "MD5" not in values["PASSWORD_HASHER"]
    assert values["AXES_FIRST"] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.own_database
def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY_FILE=str(tmp_path / "no-such-file"))
    del env["SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_security_headers_on_pages(client, director):
    client.force_login(director)
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"
    # Every script tag on the page carries the nonce or comes from our own origin.
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert "src=" in tag, tag
        assert f'nonce="{nonce}"' in tag or "/static/" in tag, tag


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True
)
def test_hsts_and_secure_cookies_over_https(client, director):
    login_page = client.get("/login/", secure=True)
    assert login_page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.cookies["csrftoken"]["secure"]
    response = client.post(
        "/login/",
        {"username": "kim", "password": "test-password-123"},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client):
    response = client.get("/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_oversized_request_bodies_are_refused(client):
    response = client.post("/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400


def test_upload_limits_follow_max_upload_bytes():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.MAX_UPLOAD_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE - settings.MAX_UPLOAD_BYTES <= 2 * 1024 * 1024


# --- no inline script or style in any template ----------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT).glob("*/templates"))]
# PDFs (WeasyPrint) and e-mails are not pages: no CSP applies to them.
NOT_PAGES = ("emails/", "/pdf/", "base_print.html", "_print")

INLINE_PATTERNS = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "inline <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "inline <script> (no src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on attribute": re.compile(r"\shx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def all_templates() -> list[Path]:
    files = []
    for directory in TEMPLATE_DIRS:
        if directory.is_dir() and ".venv" not in directory.parts:
            files.extend(sorted(directory.rglob("*.html")))
    return files


def test_there_are_templates_to_check():
    assert len(all_templates()) >= 5


@pytest.mark.parametrize("name,pattern", list(INLINE_PATTERNS.items()))
def test_no_template_uses_inline_script_or_style(name, pattern):
    offenders = []
    for path in all_templates():
        relative = str(path.relative_to(ROOT))
        is_page = not any(marker in relative for marker in NOT_PAGES)
        if not is_page and name in {"style attribute", "inline <style> element"}:
            continue
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{relative}:{line}: {match.group(0).strip()}")
    assert not offenders, f"{name}:\n" + "\n".join(offenders)


def test_htmx_is_configured_for_the_csp():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', base)
    assert config, "base.html must configure htmx with a meta tag"
    values = json.loads(config.group(1))
    assert values["includeIndicatorStyles"] is False
    assert values["allowEval"] is False


@pytest.mark.own_database
def test_a_checkout_runs_the_commands_without_debug_using_its_key_file(tmp_path):
    """scripts/setup.sh writes a key file, so `python manage.py load_demo` and the
    exports run in a local checkout with no DEBUG and no SECRET_KEY in the environment,
    on a database that has no tables yet."""
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    env = production_env(tmp_path, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )

    demo = manage("load_demo")
    assert demo.returncode == 0, demo.stderr
    out = tmp_path / "au.json"
    export = manage(
        "export_plan",
        "--plan",
        "2025-2028",
        "--committee",
        "AU",
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert export.returncode == 0, export.stderr
    assert json.loads(out.read_text())["plan"]["slug"] == "2025-2028"


@pytest.mark.own_database
def test_a_missing_key_is_said_plainly_not_as_a_traceback(tmp_path):
    env = production_env(tmp_path, SECRET_KEY_FILE=str(tmp_path / "no-such-file"))
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "SECRET_KEY skal være sat" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.own_database
@pytest.mark.parametrize(
    "command",
    [["manage.py", "check"], ["-c", "import udmoentning.wsgi"]],
    ids=["manage.py", "wsgi"],
)
def test_production_refuses_a_short_secret_key_plainly(tmp_path, command):
    """`check --deploy` only warns about a weak key; the application refuses to start."""
    env = production_env(tmp_path, SECRET_KEY="abc")
    result = subprocess.run(
        [sys.executable, *command], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "SECRET_KEY er for kort (3 tegn)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.own_database
def test_serve_script_refuses_a_short_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="x" * 49)
    result = subprocess.run(
        ["bash", "scripts/serve.sh"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "SECRET_KEY er for kort (49 tegn)" in result.stderr


def documented_production_env(tmp_path: Path) -> dict[str, str]:
    """.env.example as docs/deployment.md says to use it: copied, with a real key, a
    database and a static root of this test's own."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _sep, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    env["STATIC_ROOT"] = str(tmp_path / "static")
    return env


@pytest.mark.own_database
def test_check_deploy_with_the_documented_settings_leaves_only_hsts_preload(tmp_path):
    env = documented_production_env(tmp_path)
    assert env["DEBUG"] == "0" and "MAX_REQUEST_BYTES" in env
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", output)) == {"security.W021"}, output


@pytest.mark.own_database
def test_the_documented_placeholder_key_is_refused(tmp_path):
    env = documented_production_env(tmp_path)
    env["SECRET_KEY"] = "change-me-to-a-long-random-string"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "SECRET_KEY er for kort" in result.stderr and "Traceback" not in result.stderr

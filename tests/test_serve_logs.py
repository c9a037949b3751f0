"""scripts/serve.sh as a municipality runs it: gunicorn with read tokens masked in its
access log and no control socket shared with other instances on the host."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_hardening import ROOT, production_env
from udmoentning.logmask import TokenMaskingFilter, mask_tokens


def test_mask_tokens_in_query_strings_and_bearer_headers():
    assert (
        mask_tokens("GET /a.ics?token=s3cr3t&x=1 HTTP/1.1") == "GET /a.ics?token=***&x=1 HTTP/1.1"
    )
    assert (
        mask_tokens("GET /a.ics?x=1&TOKEN=s3cr3t HTTP/1.1") == "GET /a.ics?x=1&TOKEN=*** HTTP/1.1"
    )
    assert mask_tokens("Authorization: Bearer s3cr3t") == "Authorization: Bearer ***"
    assert mask_tokens("GET /plans/?committee=AU HTTP/1.1") == "GET /plans/?committee=AU HTTP/1.1"


def test_the_django_log_configuration_masks_tokens():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET /x?token=s3cr3t", 401), None
    )
    assert TokenMaskingFilter().filter(record)
    assert record.getMessage() == '"GET /x?token=***" 401'
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert "mask_tokens" in handler["filters"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.own_database
def test_serve_masks_tokens_in_the_access_log_and_has_no_shared_control_socket(tmp_path: Path):
    env = production_env(
        tmp_path,
        STATIC_ROOT=str(tmp_path / "static"),
        SECURE_SSL_REDIRECT="0",
        WORKERS="1",
    )
    env["HOME"] = str(tmp_path)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}/plans/2025-2028/aarshjul.ics"
        statuses = []
        for request in [
            urllib.request.Request(  # noqa: S310
                base + "?token=QUERYSECRET123", headers={"Host": "udmoentning.kommune.dk"}
            ),
            urllib.request.Request(  # noqa: S310
                base,
                headers={
                    "Host": "udmoentning.kommune.dk",
                    "Authorization": "Bearer HEADERSECRET456",
                    "Referer": "https://x.example/?token=REFERERSECRET789",
                },
            ),
        ]:
            for _attempt in range(200):
                try:
                    statuses.append(urllib.request.urlopen(request, timeout=10).status)  # noqa: S310
                    break
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
                    break
                except (ConnectionError, urllib.error.URLError):
                    assert server.poll() is None, log.read_text()
                    time.sleep(0.2)
        assert statuses == [401, 401], log.read_text()
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log.read_text()
    assert "token=***" in output, output
    for secret in ("QUERYSECRET123", "HEADERSECRET456", "REFERERSECRET789"):
        assert secret not in output
    assert not (tmp_path / ".gunicorn").exists()

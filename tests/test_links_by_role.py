"""No page shows a user a link they may not follow.

A demo user of each role walks the site from the start page, following the links on each page
they see (GET only, as a browser does), and every link must answer: no 403, 404 or 500.
A secretary who clicks an item on the committee's work plan, the annual wheel or a
meeting's page must not land on "Adgang nægtet"; where they may not open the item, its
title is plain text.

A page is opened at most a few times per URL name (the tenth item page says nothing the
first did not) and spreadsheets once each; PDFs are not rendered here (a second each):
who may download which PDF is tests/test_permissions_matrix.py's and test_downloads.py's
matter. The demo is loaded once and one user of each role walks it, so the walk stays short.
"""

from __future__ import annotations

import re
from html import unescape
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from plans.demo import DEMO_USERS

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"')
PER_NAME = 2
DOWNLOADS = ("xlsx", "ics", "feed", "export", "download")
PDF = re.compile(r"(\.pdf$|/pdf/$|_pdf$)")
# Links that leave the application or end the session.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout", "/oidc/")


def links_on(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        url = unescape(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        found.append(url)
    return found


def walk(client, start: str = "/") -> tuple[dict[str, int], list[str]]:
    """Every URL reached from `start` with its status, and the links that failed.

    From each kind of page (its URL name) it follows a few links to each kind of target,
    so an item linked from the work plan is tried even when item pages were already
    opened from the overview."""
    status_of: dict[str, int] = {}
    followed: dict[tuple[str, str], int] = {}
    queue = [(start, "(start)", "")]
    problems: list[str] = []
    while queue:
        url, source, source_name = queue.pop(0)
        path = urlsplit(url).path
        try:
            name = resolve(path).view_name
        except Resolver404:
            problems.append(f"{url} (on {source}): no such page")
            continue
        if PDF.search(path) or PDF.search(name):
            continue
        if url in status_of:
            if status_of[url] >= 400:
                problems.append(f"{url} (on {source}): {status_of[url]}")
            continue
        limit = 1 if any(word in name for word in DOWNLOADS) else PER_NAME
        if followed.get((source_name, name), 0) >= limit:
            continue
        followed[(source_name, name)] = followed.get((source_name, name), 0) + 1
        response = client.get(url)
        status_of[url] = response.status_code
        if response.status_code >= 400:
            problems.append(f"{url} (on {source}): {response.status_code}")
        elif response.status_code in (301, 302):
            queue.append((response["Location"], url, name))
        elif response.get("Content-Type", "").startswith("text/html"):
            queue.extend((link, url, name) for link in links_on(response.content.decode()))
    return status_of, problems


@pytest.mark.django_db
def test_every_link_a_demo_user_sees_answers(client):
    call_command("load_demo", stdout=StringIO())
    problems = []
    # One demo user of each role: two of a role see the same kinds of link.
    one_per_role = list({demo_user.role: demo_user for demo_user in reversed(DEMO_USERS)}.values())
    for demo_user in one_per_role:
        client.force_login(get_user_model().objects.get(username=demo_user.username))
        seen, failed = walk(client)
        problems += [f"{demo_user.username}: {problem}" for problem in failed]
        # The walk reached the plan's pages, not just the start page.
        assert sum("/plans/" in url for url in seen) > 10, (demo_user.username, sorted(seen))
    assert not problems, "\n".join(problems)

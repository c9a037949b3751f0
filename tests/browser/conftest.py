"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

- `browser_type_launch_args` points Playwright at `/usr/bin/chromium` (never
  `playwright install`: the network refuses and Debian's build is the one we ship for).
- `demo` loads the demo plan into a transactional database the live server can see and
  gives the demo users a known password.
- `page` is pytest-playwright's page with listeners that fail the test at teardown on any
  console error, uncaught exception or Content-Security-Policy violation.
- `site.login(username)` fills the Danish login form; `site.url(name, *args)` reverses.
- `assert_no_axe_violations(page)` runs axe-core filtered to WCAG 2.1 A/AA.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import ConsoleMessage, Error, Page

from plans.demo import DEMO_USERS, DemoResult, load_demo
from plans.models import BudgetPlan

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PASSWORD = "browser-test-Adgang-42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        # Fail loudly: the set-up installs Debian's chromium; a silent skip would hide it.
        pytest.fail(f"Chromium findes ikke på {CHROMIUM}; kør scripts/setup.sh (apt-get chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "da-DK",
        "timezone_id": "Europe/Copenhagen",
        "viewport": {"width": 1280, "height": 800},
        "accept_downloads": True,
    }


def demo_models() -> list[type[models.Model]]:
    return [
        get_user_model(),
        Group,
        *apps.get_app_config("committees").get_models(),
        *apps.get_app_config("plans").get_models(),
    ]


# The demo as rows, taken after the first full `load_demo()` of the session. load_demo
# takes ~4 s here; inserting the same rows in bulk takes a fraction of that, and every
# browser test starts from a flushed (transactional) database.
_demo_snapshot: list[tuple[type[models.Model], list[Any]]] = []


def take_demo_snapshot() -> None:
    for model in demo_models():
        rows = serializers.serialize("python", model._default_manager.order_by("pk"))
        _demo_snapshot.append((model, rows))


@transaction.atomic
def restore_demo_snapshot() -> None:
    m2m: list[Any] = []
    for model, rows in _demo_snapshot:
        objects = list(serializers.deserialize("python", rows))
        model._default_manager.bulk_create([obj.object for obj in objects])
        m2m.extend(obj for obj in objects if obj.m2m_data)
    for obj in m2m:
        for name, pks in obj.m2m_data.items():
            getattr(obj.object, name).set(pks)
    # PostgreSQL: the sequences must move past the copied primary keys.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), demo_models()):
            cursor.execute(sql)


@pytest.fixture(scope="session", autouse=True)
def close_connections_opened_under_playwright(
    playwright: Any, django_db_setup: Any
) -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running on the main thread, and Django
    keeps database connections per async context there: code run under it (the live
    server fixture, the demo data, the tests' own queries) opens a second connection that
    Django's test teardown does not see. On PostgreSQL it kept the test database from
    being dropped ("being accessed by other users"). Set up after Playwright and the test
    database, this is torn down before them, while that loop still runs."""
    yield
    connections.close_all()


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> DemoResult:
    """The demo plan, visible to the live server, with one known password for every demo user."""
    # A fast hasher: every journey logs in, and PBKDF2 costs ~0.3 s per login on this box.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if _demo_snapshot:
        restore_demo_snapshot()
        plan = BudgetPlan.objects.get(slug="2025-2028")
        return DemoResult(plan, created_items=0, created_reports=0, passwords={})
    result = load_demo()
    User = get_user_model()
    for user in User.objects.filter(username__in=[demo.username for demo in DEMO_USERS]):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    take_demo_snapshot()
    return result


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@dataclass
class BrowserProblems:
    """Console errors, uncaught exceptions and CSP violations seen during one test."""

    messages: list[str] = field(default_factory=list)
    # Console errors a test provokes on purpose (e.g. a 403 it asserts on).
    allowed: list[str] = field(default_factory=list)

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(a in m for a in self.allowed)]


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(page: Page, browser_problems: BrowserProblems) -> Iterator[Page]:
    """The Playwright page; the test fails if the browser reported any error or CSP violation."""
    page.set_default_timeout(10_000)
    page.context.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location or {}
            browser_problems.messages.append(
                f"console.error: {message.text} ({where.get('url')}:{where.get('lineNumber')})"
            )

    def on_page_error(error: Error) -> None:
        browser_problems.messages.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    problems = browser_problems.unexpected()
    if problems:
        pytest.fail(
            "Browseren meldte fejl eller CSP-brud:\n  " + "\n  ".join(problems), pytrace=False
        )


@dataclass
class Site:
    """The live server as a user sees it."""

    page: Page
    base_url: str

    def url(self, name: str, *args: Any, query: str = "") -> str:
        return self.base_url + reverse(name, args=args) + (f"?{query}" if query else "")

    def goto(self, name: str, *args: Any, query: str = "") -> Any:
        response = self.page.goto(self.url(name, *args, query=query))
        assert response is not None and response.ok, (name, response and response.status)
        return response

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        page = self.page
        page.goto(self.base_url + reverse("login"))
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(lambda url: "/login/" not in url)


def url_exists(name: str, *args: Any) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def site(page: Page, live_server: Any, demo: DemoResult) -> Site:
    return Site(page=page, base_url=live_server.url)


_axe = Axe()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … og {len(violation['nodes']) - 5} flere")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, context: Any = None) -> None:
    """axe-core on the current page (or `context`): zero WCAG 2.1 A/AA violations."""
    results = _axe.run(
        page,
        context=context,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    if violations:
        pytest.fail(
            f"axe-core: brud på WCAG 2.1 A/AA på {page.url}:\n" + format_violations(violations),
            pytrace=False,
        )

"""How fast the plan overview is, against a floor and against the Django admin.

Run: DEBUG=1 .venv/bin/python bench/bench_overview.py [--runs 7]
 or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/udm_overview_bench DEBUG=1 \
         .venv/bin/python bench/bench_overview.py

Without DATABASE_URL it builds a throw-away SQLite database in a temporary directory.
With DATABASE_URL the database is dropped and created again, so its name must end in
`_bench` (it refuses anything else). It builds a plan of 400 items with 48 months of
status history (one report per item per month, a few corrections, OBS points on about
one item in twelve, half of them closed), one of 1,600 items and one of 100 items, then
measures server time in process, calling Django's WSGI handler as a WSGI server does,
with the session cookie of a signed-in user (the median of several runs after one
warm-up):

- the full overview and the HTMX committee partial (AU), of the 400- and 1,600-item plans;
- the floor: one raw SQL query returning the same rows, rendered by a plain string join
  (amounts with the page's own formatter, so the floor pays no more for them than the
  page does);
- a signed-in request that does nothing (same middleware, session, user and roles);
- the limit of a signed-in page = that request + the floor; the goal is <= 1.5x the limit;
- the same partial and page with the ORM compiling the row query on every request (what
  plans/overview/sql_cache.py saves);
- the Django admin changelist of the plan's items (100 per page), the peer;
- SQL query counts and response bytes, and the query count at 100, 400 and 1,600 items.

It prints the figures side by side, the ratios and the verdicts. It exits non-zero when
a floor returns no rows.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import escape
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# One transaction per request as in production; persistent connections.
os.environ.setdefault("CONN_MAX_AGE", "60")

WORKDIR: Path | None = None
if "DATABASE_URL" not in os.environ:
    WORKDIR = Path(tempfile.mkdtemp(prefix="bench_overview_"))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"


def recreate_postgres_database(url: str) -> None:
    """Drop and create the bench database; refuses names that do not end in _bench."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Databasen «{name}» slettes og oprettes på ny: navnet skal ende på _bench.")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    recreate_postgres_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from committees.models import Committee, CommitteeKind  # noqa: E402
from plans.models import (  # noqa: E402
    BudgetPlan,
    Colour,
    Heading,
    Item,
    ItemAmount,
    Kind,
    ObsEvent,
    ObsEventKind,
    ObsPoint,
    PlanState,
    RedReason,
    StatusReport,
)
from plans.months import add_months, current_month  # noqa: E402
from plans.overview import sql_cache  # noqa: E402
from plans.overview.rows import amount_text  # noqa: E402
from plans.permissions import Role  # noqa: E402

COMMITTEES = [
    ("ØK", "Økonomiudvalget"),
    ("AU", "Arbejdsmarkedsudvalget"),
    ("BUU", "Børne- og Ungdomsudvalget"),
    ("KFU", "Kultur- og Fritidsudvalget"),
    ("MTU", "Miljø- og Teknikudvalget"),
    ("SSU", "Social-, Sundheds- og Ældreudvalget"),
    ("KB", "Kommunalbestyrelsen"),
    ("DIR", "Direktionen"),
]
# Owners weighted so AU's extract holds about 60 of 400 items, as in bench_extract.py.
OWNERS = ["ØK"] * 15 + ["AU"] * 10 + ["BUU"] * 25 + ["KFU"] * 10 + ["MTU"] * 15 + ["SSU"] * 25
HEADINGS = [
    "Økonomisk Politik",
    "Politiske visioner",
    "Sociale investeringer",
    "Norddjurs i bevægelse",
    "Partnerskaber",
    "Vækst, erhverv og beskæftigelse",
    "Klima, miljø, natur og den grønne omstilling",
]
WORDS = [
    "status",
    "fremdrift",
    "budget",
    "besparelse",
    "udbud",
    "kontrakt",
    "dialog",
    "medarbejdere",
    "borgere",
    "skole",
    "daginstitution",
    "ældrepleje",
    "beregning",
    "politisk",
    "afklaring",
    "forsinkelse",
    "plan",
    "implementering",
    "indsats",
    "opfølgning",
    "økonomi",
    "anlæg",
    "projekt",
    "tidsplan",
]
KIND_WEIGHTS = [(Kind.DRIFT, 30), (Kind.RAADERUM, 35), (Kind.ANLAEG, 15), (Kind.HENSIGT, 20)]
MONTHS = 48


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def create_items(
    plan: BudgetPlan, size: int, committees: dict[str, Committee], rng: random.Random
) -> list[Item]:
    """`size` items with the plan's headings, drawn from `rng` (the same items for the same
    seed); shared by the benches that build plans."""
    headings = [
        Heading.objects.create(plan=plan, name=name, order=order)
        for order, name in enumerate(HEADINGS)
    ]
    kinds = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    items = []
    for index in range(size):
        kind = rng.choice(kinds)
        prefix = {"drift": "D", "raaderum": "R", "anlaeg": "A", "hensigt": "H"}[kind]
        items.append(
            Item(
                plan=plan,
                kind=kind,
                number=f"{prefix}{index + 1:04d}",
                title=sentence(rng, 4, 12),
                description=sentence(rng, 10, 30),
                committee=committees[rng.choice(OWNERS)],
                heading=rng.choice(headings) if kind == Kind.HENSIGT else None,
                cross_cutting=rng.random() < 0.04,
                markers=rng.choice(["", "", "(I)", "(B)", "(I)(B)"]),
                timing=rng.choice(["Løbende", "1. kvartal 2025", "2026", "Efteråret"]),
                responsible_name=rng.choice(["Anne Lund", "Jens Dalgaard", "Mette Holm", ""]),
                completed=rng.random() < 0.1,
                order=index,
            )
        )
    items = Item.objects.bulk_create(items)
    return items


def build_plan(
    slug: str, size: int, committees: dict[str, Committee], rng: random.Random
) -> BudgetPlan:
    first, last = (int(part) for part in slug.split("-"))
    plan = BudgetPlan.objects.create(
        slug=slug,
        title=f"Udmøntningsplan {slug}",
        first_year=first,
        last_year=last,
        case_number=f"{first - 2001}/7615",
        state=PlanState.APPROVED,
    )
    items = create_items(plan, size, committees, rng)
    through = Item.also_committees.through
    also = [
        through(item_id=item.pk, committee_id=committees[rng.choice(OWNERS)].pk)
        for item in items
        if rng.random() < 0.1
    ]
    through.objects.bulk_create(also, ignore_conflicts=True)
    ItemAmount.objects.bulk_create(
        [
            ItemAmount(item=item, year=year, amount=Decimal(rng.randint(-60000, 20000)) / 10)
            for item in items
            for year in plan.years
        ]
    )
    start = date(first, 1, 1)
    reports = []
    colours = [Colour.GREEN] * 6 + [Colour.YELLOW] * 3 + [Colour.RED]
    for item in items:
        for month in range(MONTHS):
            period = add_months(start, month)
            created = datetime(period.year, period.month, 15, 9, 0, tzinfo=UTC)
            repeats = 2 if rng.random() < 0.02 else 1  # a correction in the same month
            for repeat in range(repeats):
                colour = rng.choice(colours)
                obs = colour == Colour.RED and rng.random() < 0.3
                reports.append(
                    StatusReport(
                        item=item,
                        period=period,
                        colour=colour,
                        comment=sentence(rng, 8, 25),
                        red_reason=RedReason.STALLED if colour == Colour.RED else "",
                        obs=obs,
                        obs_text=sentence(rng, 4, 8) if obs else "",
                        author_name="Bench",
                        created_at=created + timedelta(hours=repeat),
                    )
                )
        if len(reports) > 20000:
            StatusReport.objects.bulk_create(reports)
            reports = []
    StatusReport.objects.bulk_create(reports)
    # OBS points, as the economy chief keeps them: on about one item in twelve, raised in
    # some month of the history; half of them closed a few months later.
    points = [
        ObsPoint(
            item=item,
            month=add_months(start, rng.randrange(MONTHS)),
            text=sentence(rng, 4, 8),
            opened_by_name="Bench",
        )
        for item in items
        if rng.random() < 0.08
    ]
    points = ObsPoint.objects.bulk_create(points)
    ObsEvent.objects.bulk_create(
        [
            ObsEvent(
                point=point,
                kind=ObsEventKind.CLOSED,
                month=add_months(point.month, rng.randint(1, 6)),
                text="Løst",
                author_name="Bench",
            )
            for point in points
            if rng.random() < 0.5
        ]
    )
    return plan


FLOOR_SQL = """
SELECT i.id, i.kind, i.number, i.title, i.markers, i.timing, i.completed, c.code,
       {amounts},
       r.colour, r.period, r.comment, ob.text
FROM plans_item i
JOIN committees_committee c ON c.id = i.committee_id
{latest}
LEFT JOIN (
    SELECT o.item_id, MAX(o.text) AS text
    FROM plans_obspoint o JOIN plans_item oi ON oi.id = o.item_id
    WHERE oi.plan_id = %s AND o.month <= %s AND NOT EXISTS (
        SELECT 1 FROM plans_obsevent e
        WHERE e.point_id = o.id AND e.kind = 'closed' AND e.month <= %s)
    GROUP BY o.item_id) ob ON ob.item_id = i.id
WHERE i.plan_id = %s {committee}
ORDER BY i.kind, i."order", i.number
"""
# The latest report as of the month, joined the fastest way each database has: on SQLite
# by its id; on PostgreSQL a LATERAL join, because a join on "id = (subquery)" makes its
# planner hash the whole status table (see plans/overview/query.py).
FLOOR_LATEST_SQL = {
    "sqlite": """LEFT JOIN plans_statusreport r ON r.id = (
    SELECT r2.id FROM plans_statusreport r2
    WHERE r2.item_id = i.id AND r2.period <= %s
    ORDER BY r2.period DESC, r2.created_at DESC, r2.id DESC LIMIT 1)""",
    "postgresql": """LEFT JOIN LATERAL (
    SELECT r2.colour, r2.period, r2.comment FROM plans_statusreport r2
    WHERE r2.item_id = i.id AND r2.period <= %s
    ORDER BY r2.period DESC, r2.created_at DESC, r2.id DESC LIMIT 1) r ON true""",
}
AMOUNT_SQL = "(SELECT a.amount FROM plans_itemamount a WHERE a.item_id = i.id AND a.year = {year})"
COMMITTEE_SQL = """AND (i.committee_id = %s OR i.cross_cutting
    OR i.id IN (SELECT t.item_id FROM plans_item_also_committees t WHERE t.committee_id = %s))"""


def floor(plan: BudgetPlan, as_of: date, committee: Committee | None = None) -> str:
    """One raw query, the rows joined into table HTML: nothing can be cheaper."""
    sql = FLOOR_SQL.format(
        latest=FLOOR_LATEST_SQL[connection.vendor],
        amounts=", ".join(AMOUNT_SQL.format(year=int(year)) for year in plan.years),
        committee=COMMITTEE_SQL if committee else "",
    )
    # The item's open OBS point in the month is part of the row, as on the page: joined
    # from the plan's open points (an item has at most one), the fastest way on both
    # databases; a subquery per row makes PostgreSQL scan the points table per item.
    params: list[Any] = [as_of, plan.pk, as_of, as_of, plan.pk]
    if committee:
        params += [committee.pk, committee.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    years = len(plan.years)
    parts = []
    for row in rows:
        amounts = "".join(
            f'<td class="num">{amount_text(value)}</td>' for value in row[8 : 8 + years]
        )
        colour, period, comment, obs = row[8 + years :]
        parts.append(
            f"<tr><td>{escape(row[2])}</td><td>{escape(row[3])}</td><td>{row[7]}</td>"
            f"<td>{escape(row[4])}</td>{amounts}<td>{escape(row[5])}</td>"
            f"<td>{'X' if row[6] else ''}</td><td>{colour or ''}</td><td>{period or ''}</td>"
            f"<td>{escape((comment or '')[:80])}</td><td>{'OBS' if obs else ''}</td></tr>"
        )
    return "<table>" + "".join(parts) + "</table>"


@transaction.non_atomic_requests
@login_required
def signed_in_nothing(request: HttpRequest) -> HttpResponse:
    """The cheapest page a signed-in user can get: the same middleware, session and user
    as the overview, and no work of its own. Mounted by the benchmark only."""
    return HttpResponse(b"", content_type="text/plain")


def mount_signed_in_nothing() -> str:
    from django.urls import clear_url_caches, path

    urlconf = import_module(settings.ROOT_URLCONF)
    urlconf.urlpatterns.insert(0, path("bench/nothing/", signed_in_nothing))
    clear_url_caches()
    return "/bench/nothing/"


def median_ms(actions: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    """Median wall time of each action. The actions take turns, run after run, so a
    busy machine slows all of them alike and the ratios stay meaningful."""
    for action in actions.values():
        action()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


class Server:
    """Django's WSGI handler called as a WSGI server calls it, with a signed-in user's
    session cookie: server time without the test client's own work (its request
    factory, cookie jar and response instrumentation)."""

    def __init__(self, user: Any) -> None:
        client = Client()
        client.force_login(user)
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        self.handler = WSGIHandler()

    def get(self, url: str, **headers: str) -> tuple[int, bytes]:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "HTTP_COOKIE": self.cookie,
        }
        environ |= {
            f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
        }
        statuses: list[str] = []
        response = self.handler(environ, lambda status, _headers: statuses.append(status))
        try:
            body = b"".join(response)
        finally:
            response.close()
        return int(statuses[0].split()[0]), body


def request_facts(server: Server, url: str, **headers: str) -> dict[str, Any]:
    """Status, SQL queries (without transaction control) and bytes of one request."""
    status, body = server.get(url, **headers)
    assert status == 200, (url, status)
    with CaptureQueriesContext(connection) as context:
        server.get(url, **headers)
    queries = [
        query
        for query in context.captured_queries
        if not query["sql"].upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]
    return {"queries": len(queries), "bytes": len(body)}


def measure_request(server: Server, url: str, runs: int, **headers: str) -> dict[str, Any]:
    facts = request_facts(server, url, **headers)
    facts["ms"] = median_ms({"page": lambda: server.get(url, **headers)}, runs)["page"]
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    vendor = connection.vendor
    print(f"Database: {vendor} ({settings.DATABASES['default']['NAME']})", flush=True)
    call_command("migrate", verbosity=0)
    # Measure as in production: no query logging, no template debugging.
    settings.DEBUG = False
    rng = random.Random(args.seed)

    committees = {
        code: Committee.objects.create(
            code=code,
            name=name,
            kind=CommitteeKind.ADMINISTRATIVE if code == "DIR" else CommitteeKind.POLITICAL,
            order=order,
        )
        for order, (code, name) in enumerate(COMMITTEES)
    }
    started = time.perf_counter()
    plan = build_plan("2021-2024", 400, committees, rng)
    big = build_plan("2016-2019", 1600, committees, rng)
    small = build_plan("2011-2014", 100, committees, rng)
    print(
        f"Data: {Item.objects.count()} punkter, {StatusReport.objects.count()} statusrapporter "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user_model = get_user_model()
    chief = user_model.objects.create_user("bench_chief", password="bench-password-123")
    chief.groups.add(Group.objects.get_or_create(name=Role.ECONOMY_CHIEF)[0])
    admin = user_model.objects.create_superuser("bench_admin", password="bench-password-123")
    server = Server(chief)
    admin_server = Server(admin)

    as_of = current_month()
    au = committees["AU"]
    nothing_url = mount_signed_in_nothing()
    nothing = request_facts(server, nothing_url)
    admin_url = f"{reverse('admin:plans_item_changelist')}?plan__id__exact={plan.pk}"
    admin_page = request_facts(admin_server, admin_url)

    # The limit of a signed-in page: what every signed-in request pays before it reads a
    # row (middleware, session, the user with their roles), plus the floor.
    results = {}
    for sized in (plan, big):
        results[sized.items.count()] = measure_against_limit(
            server,
            sized,
            au,
            as_of,
            nothing_url,
            args.runs,
            admin=(admin_server, admin_url) if sized is plan else None,
        )

    scaling = {}
    for sized in (small, plan, big):
        url = reverse("plans:plan_detail", args=[sized.slug])
        scaling[sized.items.count()] = (
            request_facts(server, url),
            request_facts(server, f"{url}?committee=AU", HX_Request="true"),
        )

    load = os.getloadavg()
    print()
    print(
        f"{MONTHS} months of history ({vendor}); median of {args.runs} runs taking turns;"
        f" load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs"
    )

    def line(name: str, ms: float, queries: int | str, size: int | str, rows: int | str) -> None:
        print(f"{name:<52}{ms:>9.1f}{queries:>9}{size:>10}{rows:>7}")

    verdicts: list[tuple[str, float, bool]] = []
    for size, result in results.items():
        timings, facts = result["ms"], result["facts"]
        print()
        print(f"{f'plan of {size} items':<52}{'ms':>9}{'queries':>9}{'bytes':>10}{'rows':>7}")
        line(
            "overview, full page",
            timings["full"],
            facts["full"]["queries"],
            facts["full"]["bytes"],
            result["rows"],
        )
        line("floor: one raw query + string join", timings["floor"], 1, "", result["rows"])
        line(
            "overview, htmx committee partial (AU)",
            timings["partial"],
            facts["partial"]["queries"],
            facts["partial"]["bytes"],
            result["partial_rows"],
        )
        line("floor for AU", timings["floor_partial"], 1, "", result["partial_rows"])
        line("signed-in request doing nothing", timings["nothing"], nothing["queries"], 0, 0)
        if "partial_orm" in timings:
            line(
                "  partial, ORM compiling its SQL on each request",
                timings["partial_orm"],
                facts["partial"]["queries"],
                "",
                result["partial_rows"],
            )
            line(
                "  full page, ORM compiling its SQL on each request",
                timings["full_orm"],
                facts["full"]["queries"],
                "",
                result["rows"],
            )
        if "admin" in timings:
            line(
                "Django admin changelist, 100 per page",
                timings["admin"],
                admin_page["queries"],
                admin_page["bytes"],
                100,
            )
        full_limit = timings["nothing"] + timings["floor"]
        partial_limit = timings["nothing"] + timings["floor_partial"]
        verdicts.append(
            (
                f"full page, {size} items / limit",
                timings["full"] / full_limit,
                timings["full"] <= 1.5 * full_limit,
            )
        )
        verdicts.append(
            (
                f"AU partial, {size} items / limit",
                timings["partial"] / partial_limit,
                timings["partial"] <= 1.5 * partial_limit,
            )
        )
        if "admin" in timings:
            admin_ratio = timings["full"] / timings["admin"]
            admin_line = (
                f"full page / admin 100 rows ({size} items)",
                admin_ratio,
                admin_ratio < 1,
            )
        if "partial_orm" in timings:
            cache_line = (
                f"partial without the SQL cache / limit ({size} items)",
                timings["partial_orm"] / partial_limit,
                timings["partial_orm"] <= 1.5 * partial_limit,
            )

    print()
    print("Query count by plan size (full page / HTMX committee partial), bytes:")
    for size, (page, part) in scaling.items():
        print(
            f"  {size:>5} items: {page['queries']:>2} / {part['queries']:>2} queries,"
            f" {page['bytes']:>8} / {part['bytes']:>7} bytes"
        )
    counts = {
        count for pair in scaling.values() for count in (pair[0]["queries"], pair[1]["queries"])
    }

    def verdict(ok: bool) -> str:
        return "OK" if ok else "NOT MET"

    print()
    print(f"Goals ({vendor}; limit = a signed-in request doing nothing + the floor):")
    for name, ratio, ok in verdicts:
        print(f"  {name:<44} = {ratio:5.2f}x (goal <= 1.5x)  {verdict(ok)}")
    name, ratio, ok = admin_line
    print(f"  {name:<44} = {ratio:5.2f}x (goal < 1x)     {verdict(ok)}")
    name, ratio, ok = cache_line
    print(
        f"  ({name} = {ratio:4.2f}x: the cache in plans/overview/sql_cache.py"
        f" {'is not needed' if ok else 'is what keeps the partial near its limit'})"
    )
    full_bytes = results[400]["facts"]["full"]["bytes"]
    share = results[400]["facts"]["partial"]["bytes"] / full_bytes
    print(
        f"  {'partial bytes / full bytes (400 items)':<44} = {share:5.2f}  (goal < 0.25)"
        f"  {verdict(share < 0.25)}"
    )
    steady = (
        len({pair[0]["queries"] for pair in scaling.values()}) == 1
        and len({pair[1]["queries"] for pair in scaling.values()}) == 1
    )
    print(
        f"  {'query count 100..1,600':<44} = {sorted(counts)} (goal constant, <= 10) "
        f"{verdict(steady and max(counts) <= 10)}"
    )

    small_result = results[400]
    url = reverse("plans:plan_detail", args=[plan.slug])
    print_partial_stages(
        measure_partial_stages(server, f"{url}?committee={au.code}", nothing_url, args.runs),
        nothing_ms=small_result["ms"]["nothing"],
        floor_ms=small_result["ms"]["floor_partial"],
    )


# Where the partial's time goes: the functions the view calls, each timed on its own.
# (module, attribute, label); the view looks them up in its module at call time.
PARTIAL_STAGES = (
    ("plans.views.overview", "get_plan_for", "plan look-up with its permission check"),
    ("plans.views.overview", "parse_filters", "filter form (Django form, nine fields)"),
    ("plans.overview.sql_cache", "_run", "row queries: items, OBS points, links (SQL)"),
    ("plans.overview.sql_cache", "_latest_reports", "latest reports by primary key (SQL)"),
    ("plans.views.overview", "build_overview", "rows, counters, sections (Python, less SQL)"),
    ("plans.views.overview", "render", "template of the partial"),
)


def measure_partial_stages(
    server: Server, url: str, nothing_url: str, runs: int
) -> dict[str, float]:
    """Median milliseconds per request of each stage of PARTIAL_STAGES, of the request
    and of the do-nothing request, taking turns. Stages nest (the SQL runs inside
    build_overview), so build_overview's figure is given without them."""
    spent: dict[str, float] = {}
    originals = []

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + (time.perf_counter() - started) * 1000

        return run

    for module_name, attribute, label in PARTIAL_STAGES:
        module = import_module(module_name)
        originals.append((module, attribute, getattr(module, attribute)))
        setattr(module, attribute, timed(label, getattr(module, attribute)))
    samples: dict[str, list[float]] = {"request": [], "nothing": []}
    try:
        server.get(url, HX_Request="true")  # warm-up
        for _ in range(max(runs, 9) * 3):
            spent.clear()
            started = time.perf_counter()
            server.get(url, HX_Request="true")
            samples["request"].append((time.perf_counter() - started) * 1000)
            for label, value in spent.items():
                samples.setdefault(label, []).append(value)
            started = time.perf_counter()
            server.get(nothing_url)
            samples["nothing"].append((time.perf_counter() - started) * 1000)
    finally:
        for module, attribute, original in originals:
            setattr(module, attribute, original)
    medians = {label: statistics.median(values) for label, values in samples.items()}
    sql = [label for _m, _a, label in PARTIAL_STAGES if "(SQL)" in label]
    python_label = PARTIAL_STAGES[4][2]
    medians[python_label] -= sum(medians.get(label, 0.0) for label in sql)
    return medians


def print_partial_stages(stages: dict[str, float], nothing_ms: float, floor_ms: float) -> None:
    """The partial's time piece by piece, and what the goal leaves for the pieces that
    are not rows."""
    print()
    print("Where the 400-item AU partial's time goes (each stage timed on its own, median):")
    request = stages["request"]
    nothing = stages["nothing"]
    print(f"  {'signed-in request doing nothing (session, user, roles)':<64}{nothing:>7.2f} ms")
    parts = 0.0
    for _module, _attribute, label in PARTIAL_STAGES:
        value = stages.get(label, 0.0)
        parts += value
        print(f"  {label:<64}{value:>7.2f} ms")
    rest = request - nothing - parts
    print(f"  {'the rest (committees query, sort and colour links, response)':<64}{rest:>7.2f} ms")
    print(f"  {'= the partial':<64}{request:>7.2f} ms")
    rows = sum(
        stages.get(label, 0.0)
        for _m, _a, label in PARTIAL_STAGES
        if "(SQL)" in label or label.startswith("rows")
    )
    fixed = request - nothing - rows
    goal = 1.5 * (nothing_ms + floor_ms)
    print(
        f"  Goal: the partial <= 1.5 x (nothing {nothing_ms:.2f} + floor {floor_ms:.2f}) ="
        f" {goal:.2f} ms, {goal - nothing_ms:.2f} ms beyond the do-nothing request.\n"
        f"  The rows alone (SQL and Python) take {rows:.2f} ms of it (the floor's {floor_ms:.2f});"
        f" the rest of the page's work (plan, form, template, rest) {fixed:.2f} ms."
    )


class _NoSqlCache(dict[Any, Any]):
    """Stands in for sql_cache's compiled-SQL dict: every shape 'compiles' to None, so
    fetch_rows takes the ORM path, as it would without the cache."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> None:
        return None


def without_sql_cache(action: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        saved = sql_cache._compiled
        sql_cache._compiled = _NoSqlCache()
        try:
            return action()
        finally:
            sql_cache._compiled = saved

    return run


def measure_against_limit(
    server: Server,
    plan: BudgetPlan,
    committee: Committee,
    as_of: date,
    nothing_url: str,
    runs: int,
    admin: tuple[Server, str] | None = None,
) -> dict[str, Any]:
    """The full page, the committee partial, their floors and the do-nothing request of
    one plan, taking turns. Fails loudly when a floor (the peer) returns no rows."""
    url = reverse("plans:plan_detail", args=[plan.slug])
    partial_url = f"{url}?committee={committee.code}"
    facts = {
        "full": request_facts(server, url),
        "partial": request_facts(server, partial_url, HX_Request="true"),
    }
    rows = floor(plan, as_of).count("<tr>")
    partial_rows = floor(plan, as_of, committee).count("<tr>")
    if not rows or not partial_rows:
        sys.exit(
            f"bench_overview: the floor returned no rows for {plan.slug} ({rows}, {partial_rows})"
        )
    actions: dict[str, Callable[[], Any]] = {
        "full": lambda: server.get(url),
        "floor": lambda: floor(plan, as_of),
        "partial": lambda: server.get(partial_url, HX_Request="true"),
        "floor_partial": lambda: floor(plan, as_of, committee),
        "nothing": lambda: server.get(nothing_url),
    }
    if admin is not None:
        admin_server, admin_url = admin
        actions["admin"] = lambda: admin_server.get(admin_url)
        actions["partial_orm"] = without_sql_cache(
            lambda: server.get(partial_url, HX_Request="true")
        )
        actions["full_orm"] = without_sql_cache(lambda: server.get(url))
    return {
        "ms": median_ms(actions, runs),
        "facts": facts,
        "rows": rows,
        "partial_rows": partial_rows,
    }


if __name__ == "__main__":
    main()

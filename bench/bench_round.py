"""How long "Bekræft alle uændrede" takes for a director's 19 items.

Run: DEBUG=1 .venv/bin/python bench/bench_round.py
     (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/udm_round_bench ...)

Builds a throw-away SQLite database (unless DATABASE_URL is set) with one committee whose
director answers for 19 cross-cutting items, each with twelve months of statuses and
none this month, beside a 400-item plan. Then POSTs the bulk confirmation for all 19,
as htmx does, through Django's WSGI handler in-process (server time: the view, 19
carry-forwards with their row locks and conflict checks, the re-rendered round), on a
fresh plan each run. Prints the median and the slowest wall time, the median CPU time
of the request (what it costs on an idle core), the query count, the machine's load
while measuring and a verdict for each against the goal of 300 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench_round_"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from committees.models import Committee, Membership, MembershipRole  # noqa: E402
from plans.models import BudgetPlan, Colour, Item, Kind, PlanState, StatusReport  # noqa: E402
from plans.months import add_months, first_of_month  # noqa: E402
from plans.permissions import Role  # noqa: E402

GOAL_MS = 300
ITEMS = 19
OTHER_ITEMS = 400
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
COLOURS = list(Colour)


def build_plan(index: int, committee: Committee, other: Committee) -> BudgetPlan:
    first_year = 2000 + index * 10 % 90
    plan = BudgetPlan.objects.create(
        slug=f"{first_year}-{first_year + 3}-{index}"[:20],
        title=f"Bench {index}",
        first_year=first_year,
        last_year=first_year + 3,
        state=PlanState.APPROVED,
    )
    items = Item.objects.bulk_create(
        [
            Item(
                plan=plan,
                kind=Kind.RAADERUM,
                number=f"R{number:03d}",
                title=f"Tværgående indsats {number} om samarbejde og effektivisering",
                committee=committee if number < ITEMS else other,
                cross_cutting=number < ITEMS or number % 4 == 0,
                order=number,
            )
            for number in range(ITEMS + OTHER_ITEMS)
        ]
    )
    this_month = first_of_month(timezone.localdate())
    StatusReport.objects.bulk_create(
        StatusReport(
            item=item,
            period=add_months(this_month, -offset),
            colour=COLOURS[(item.order + offset) % 3],
            comment="Status på indsatsen med en kort forklaring af fremdriften. " * 2,
            red_reason="stalled" if COLOURS[(item.order + offset) % 3] == Colour.RED else "",
        )
        for item in items
        for offset in range(1, 13)
    )
    return plan


def main() -> None:
    call_command("migrate", verbosity=0)
    committee, _ = Committee.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})
    other, _ = Committee.objects.get_or_create(code="OTHER", defaults={"name": "Andet"})
    user = get_user_model().objects.create_user(
        f"bench-{time.time_ns()}", password="bench-password-123", first_name="Bench"
    )
    user.groups.add(Group.objects.get_or_create(name=Role.DIRECTOR)[0])
    Membership.objects.create(user=user, committee=committee, role=MembershipRole.DIRECTOR)
    client = Client(HTTP_HOST="localhost", HTTP_HX_REQUEST="true")
    client.force_login(user)

    times, cpu_times, queries = [], [], 0
    for index in range(RUNS + 1):  # the first is a warm-up (templates, caches)
        plan = build_plan(index + int(time.time()) % 1000 * 10, committee, other)
        data: dict[str, object] = {"confirmed": "1", "items": []}
        for item in plan.items.filter(committee=committee):
            newest = item.reports.order_by("-id").values_list("id", flat=True).first()
            data["items"].append(str(item.pk))  # type: ignore[union-attr]
            data[f"seen_{item.pk}"] = str(newest)
        url = reverse("plans:bulk_carry_forward", args=[plan.slug])
        with CaptureQueriesContext(connection) as captured:
            start, cpu_start = time.perf_counter(), time.thread_time()
            response = client.post(url, data)
            elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
        saved = response.content.decode().count('class="bulk-saved"')
        assert response.status_code == 200 and saved == ITEMS, (response.status_code, saved)
        if index:
            times.append(elapsed * 1000)
            cpu_times.append(cpu * 1000)
            queries = len(captured)

    median, worst = statistics.median(times), max(times)
    cpu_median = statistics.median(cpu_times)
    load = os.getloadavg()[0]
    print(f"database: {connection.vendor}; {ITEMS} items ticked, {RUNS} runs, {queries} queries")
    print(f"Bekræft alle uændrede, wall time: median {median:.0f} ms, slowest {worst:.0f} ms")
    print(f"Bekræft alle uændrede, CPU time of the request: median {cpu_median:.0f} ms")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} cores")
    for name, figure in (("wall", median), ("CPU", cpu_median)):
        verdict = "OK" if figure < GOAL_MS else "FOR LANGSOM"
        print(f"goal: median {name} time < {GOAL_MS} ms: {verdict}")
    if load > (os.cpu_count() or 1):
        print("note: the machine was busy; the wall time includes waiting for a core")


if __name__ == "__main__":
    main()

"""Whether the pages slow down as a plan's status history grows.

Run: DEBUG=1 .venv/bin/python bench/bench_history.py [--runs 9]
 or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/udm_history_bench DEBUG=1 \\
         .venv/bin/python bench/bench_history.py

Without DATABASE_URL it builds a throw-away SQLite database in a temporary directory;
with DATABASE_URL the database is dropped and created again (its name must end in
`_bench`). Two plans with the same 400 items (same seed): one with 12 months of monthly
status history, one with 120 months (ten years, 48,000 reports), both ending this month.
Colours persist from month to month as they do in practice (an item stays at its colour
with probability 0.8), and one report in fifty is corrected within its month.

It measures server time in process through Django's WSGI handler with a signed-in
economy chief's session, the two plans' requests taking turns (median of the runs after
a warm-up): the overview, the red list, the board report and "Mine punkter"
(one committee's round). Each page at 120 months must take at most 1.5x its time at 12
months; the bench also prints the SQL query counts (the red list and the board report
read older colours in up to two more queries where a streak reaches back past a year).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench_overview sets up Django (a temporary SQLite database unless DATABASE_URL is set)
# and holds the plan builder's vocabulary and the WSGI caller.
import bench_overview as overview  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from committees.models import Committee, CommitteeKind  # noqa: E402
from plans.models import (  # noqa: E402
    BudgetPlan,
    Colour,
    Item,
    ItemAmount,
    PlanState,
    RedReason,
    StatusReport,
)
from plans.months import add_months, current_month, month_key  # noqa: E402
from plans.permissions import Role  # noqa: E402

ITEMS = 400
SHORT, LONG = 12, 120
COLOURS = [Colour.GREEN, Colour.YELLOW, Colour.RED]


def build_plan(slug: str, months: int, committees: dict[str, Committee], seed: int) -> BudgetPlan:
    """400 items with `months` months of history ending this month; the same items for
    the same seed, so two plans differ only in the length of their history."""
    rng = random.Random(seed)
    history_rng = random.Random(seed + months)
    first, last = (int(part) for part in slug.split("-"))
    plan = BudgetPlan.objects.create(
        slug=slug,
        title=f"Udmøntningsplan {slug}",
        first_year=first,
        last_year=last,
        case_number=f"{first - 2001}/7615",
        state=PlanState.APPROVED,
    )
    items = overview.create_items(plan, ITEMS, committees, rng)
    ItemAmount.objects.bulk_create(
        ItemAmount(item=item, year=year, amount=rng.randint(-6000, 2000))
        for item in items
        for year in plan.years
    )
    start = add_months(current_month(), -(months - 1))
    reports: list[StatusReport] = []
    for item in items:
        colour = history_rng.choice(COLOURS)
        for month in range(months):
            period = add_months(start, month)
            created = datetime(period.year, period.month, 15, 9, 0, tzinfo=UTC)
            repeats = 2 if history_rng.random() < 0.02 else 1
            for repeat in range(repeats):
                if history_rng.random() > 0.8:
                    colour = history_rng.choice(COLOURS)
                obs = colour == Colour.RED and history_rng.random() < 0.3
                reports.append(
                    StatusReport(
                        item=item,
                        period=period,
                        colour=colour,
                        comment=overview.sentence(history_rng, 8, 25),
                        red_reason=RedReason.STALLED if colour == Colour.RED else "",
                        obs=obs,
                        obs_text=overview.sentence(history_rng, 4, 8) if obs else "",
                        author_name="Bench",
                        created_at=created + timedelta(hours=repeat),
                    )
                )
        if len(reports) > 20000:
            StatusReport.objects.bulk_create(reports)
            reports = []
    StatusReport.objects.bulk_create(reports)
    return plan


def pages(plan: BudgetPlan) -> dict[str, str]:
    month = month_key(current_month())
    return {
        "overview": reverse("plans:plan_detail", args=[plan.slug]),
        "red list": reverse("plans:red_list", args=[plan.slug]) + f"?month={month}",
        "board report": reverse("plans:board_report", args=[plan.slug]) + f"?month={month}",
        "Mine punkter (BUU)": reverse("plans:my_items", args=[plan.slug]) + "?committee=BUU",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    vendor = connection.vendor
    print(f"Database: {vendor} ({settings.DATABASES['default']['NAME']})", flush=True)
    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    committees = {
        code: Committee.objects.create(
            code=code,
            name=name,
            kind=CommitteeKind.ADMINISTRATIVE if code == "DIR" else CommitteeKind.POLITICAL,
            order=order,
        )
        for order, (code, name) in enumerate(overview.COMMITTEES)
    }
    this_year = current_month().year
    started = time.perf_counter()
    # Both plans span this year, so "this month" lies inside each.
    short = build_plan(f"{this_year - 1}-{this_year + 2}", SHORT, committees, seed=7)
    long = build_plan(f"{this_year - 2}-{this_year + 1}", LONG, committees, seed=7)
    print(
        f"Data: {Item.objects.count()} items, {short.items.count()} per plan;"
        f" {StatusReport.objects.filter(item__plan=short).count()} reports ({SHORT} months)"
        f" and {StatusReport.objects.filter(item__plan=long).count()} reports ({LONG} months)"
        f" ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    chief = get_user_model().objects.create_user("bench_chief", password="bench-password-123")
    chief.groups.add(Group.objects.get_or_create(name=Role.ECONOMY_CHIEF)[0])
    server = overview.Server(chief)

    short_pages, long_pages = pages(short), pages(long)
    facts = {}
    actions = {}
    for name in short_pages:
        for label, url in (("short", short_pages[name]), ("long", long_pages[name])):
            facts[(name, label)] = overview.request_facts(server, url)
            actions[f"{name}|{label}"] = lambda url=url: server.get(url)
    timings = overview.median_ms(actions, args.runs)

    load = os.getloadavg()
    print()
    print(
        f"400 items ({vendor}); median of {args.runs} runs, the requests taking turns;"
        f" load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"{'page':<22}{f'{SHORT} months ms':>14}{f'{LONG} months ms':>15}{'ratio':>8}"
        f"{'queries':>10}{'bytes 12 / 120':>20}  verdict (goal <= 1.5x)"
    )
    failed = []
    for name in short_pages:
        short_ms, long_ms = timings[f"{name}|short"], timings[f"{name}|long"]
        short_facts, long_facts = facts[(name, "short")], facts[(name, "long")]
        ratio = long_ms / short_ms
        ok = ratio <= 1.5
        if not ok:
            failed.append(name)
        queries = f"{short_facts['queries']} / {long_facts['queries']}"
        sizes = f"{short_facts['bytes']} / {long_facts['bytes']}"
        print(
            f"{name:<22}{short_ms:>14.1f}{long_ms:>15.1f}{ratio:>7.2f}x{queries:>10}{sizes:>20}"
            f"  {'OK' if ok else 'NOT MET'}"
        )
    print()
    print("Goal: every page within 1.5x of its time at 12 months:", "NOT MET" if failed else "OK")


if __name__ == "__main__":
    main()

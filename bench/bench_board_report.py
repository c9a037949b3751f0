"""How long the board report and the review pages take.

Run: DEBUG=1 .venv/bin/python bench/bench_board_report.py

Builds a throw-away SQLite database with a 400-item plan and twelve months of statuses
for every item, of which 20, 60 or 120 are cross-cutting (the board report holds those).
Prints in-process wall times (median of three runs after one warm-up), PDF pages and
bytes, and the red list's and dashboard's time and query count.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench_board_"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from plans import demo  # noqa: E402
from plans.board_report import build_board_report, render_board_report_pdf  # noqa: E402
from plans.models import BudgetPlan, Colour, Item, Kind, PlanState, StatusReport  # noqa: E402
from plans.months import add_months  # noqa: E402
from plans.permissions import Role  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

AS_OF = date(2025, 12, 1)
ITEMS = 400
CROSS_CUTTING = [int(n) for n in os.environ.get("BENCH_CROSS", "20,60,120").split(",")]


def build_plan(slug: str, first_year: int, cross_cutting: int) -> BudgetPlan:
    rng = random.Random(cross_cutting)
    committees = list(demo.ensure_committees().values())
    plan = BudgetPlan.objects.create(
        slug=slug,
        title=f"Udmøntningsplan {slug}",
        first_year=first_year,
        last_year=first_year + 3,
        case_number="24/7615",
        state=PlanState.APPROVED,
    )
    Item.objects.bulk_create(
        Item(
            plan=plan,
            kind=(Kind.DRIFT, Kind.RAADERUM, Kind.ANLAEG)[index % 3],
            number=f"B{index:03d}",
            title=f"Indsats nummer {index} om tværgående samarbejde og effektivisering",
            committee=committees[index % len(committees)],
            cross_cutting=index < cross_cutting,
            timing="Løbende",
            order=index,
        )
        for index in range(ITEMS)
    )
    reports = []
    for item in plan.items.all():
        for offset in range(12):
            colour = rng.choice(list(Colour))
            reports.append(
                StatusReport(
                    item=item,
                    period=add_months(AS_OF, -offset),
                    colour=colour,
                    comment="Status på indsatsen med en kort forklaring af fremdriften. " * 2,
                    red_reason="stalled" if colour == Colour.RED else "",
                    obs=colour == Colour.RED and rng.random() < 0.3,
                    obs_text="Direktionen følger op." if colour == Colour.RED else "",
                )
            )
    StatusReport.objects.bulk_create(reports)
    return plan


def timed(function: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    result = function()  # warm-up: fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    path = WORKDIR / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"{ITEMS} items per plan, 12 months of statuses each; as of {AS_OF:%Y-%m}\n")
    print(f"{'cross-cutting':>14} {'build':>8} {'PDF':>8} {'pages':>6} {'bytes':>9}")
    plans = []
    for index, cross in enumerate(CROSS_CUTTING):
        plan = build_plan(f"{2030 + index * 4}-{2033 + index * 4}", 2030 + index * 4, cross)
        plans.append(plan)
        build_time, report = timed(lambda plan=plan: build_board_report(plan, AS_OF))
        pdf_time, pdf = timed(lambda report=report: render_board_report_pdf(report))
        build_ms = build_time * 1000
        print(f"{cross:>14} {build_ms:>6.0f}ms {pdf_time:>7.2f}s {pages(pdf):>6} {len(pdf):>9}")

    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    user.groups.add(Group.objects.get_or_create(name=Role.ECONOMY_CHIEF)[0])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print(f"\n{'page':>14} {'time':>8} {'queries':>8}")
    plan = plans[-1]
    for name in ("red_list", "dashboard", "board_report"):
        url = reverse(f"plans:{name}", args=[plan.slug]) + f"?month={AS_OF:%Y-%m}"

        def get(url: str = url) -> Any:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            return len(queries)

        page_time, query_count = timed(get)
        print(f"{name:>14} {page_time * 1000:>6.0f}ms {query_count:>8}")


if __name__ == "__main__":
    main()

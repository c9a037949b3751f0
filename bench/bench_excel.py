"""How long the Excel import and export take, and how much memory the reader needs.

Run: DEBUG=1 .venv/bin/python bench/bench_excel.py
     (DATABASE_URL=postgres://... to measure on PostgreSQL; default: a throw-away SQLite)

Builds workbooks with 1,000 and 4,000 item rows (four sheets, title rows, status
fills, Danish number text in some cells), then prints:
- read: the pure reader alone (openpyxl read-only, one pass);
- preview: read + comparison with the plan (the dry run the upload page shows);
- import: preview + writing everything in one transaction (a new plan);
- re-import: the same workbook again (everything unchanged, nothing written);
- export: a 400-item plan as .xlsx and as JSON;
- peak memory (tracemalloc) of the reader at 1,000 and 4,000 rows;
- linearity: the reader at 1x, 4x and 16x rows (250, 1,000, 4,000) and on a workbook of
  long cell texts (about 1 MB, prose with unclosed brackets), as time per byte; goal
  <= 1.1x per byte from the smallest to the largest, and the 1 MB workbook read in < 3 s.
Wall times are the median of a few runs (the import of five); CPU time is printed too,
because it is steadier on a busy machine. The goal: the import under 0.5 s on SQLite.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench_excel_"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import PatternFill  # noqa: E402

from committees.models import Committee  # noqa: E402
from plans.exports.json import export_json  # noqa: E402
from plans.exports.xlsx import export_xlsx  # noqa: E402
from plans.importer.reader import read_workbook  # noqa: E402
from plans.importer.writer import PlanTarget, apply_import, preview_import  # noqa: E402
from plans.models import BudgetPlan  # noqa: E402

COMMITTEES = [
    ("ØK", "Økonomiudvalget"),
    ("AU", "Arbejdsmarkedsudvalget"),
    ("BUU", "Børne- og Ungdomsudvalget"),
    ("KFU", "Kultur- og Fritidsudvalget"),
    ("MTU", "Miljø- og Teknikudvalget"),
    ("SSU", "Social- og Sundhedsudvalget"),
]
SHEETS = [("Driftsændringer", "D"), ("Råderumsforslag", "R"), ("Anlægsprojekter", "A")]
FILLS = {
    "Grøn": PatternFill("solid", fgColor="FF92D050"),
    "Gul": PatternFill("solid", fgColor="FFFFFF00"),
    "Rød": PatternFill("solid", fgColor="FFFF0000"),
}


def build_workbook(rows: int) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    per_sheet = rows // (len(SHEETS) + 1)
    codes = [code for code, _ in COMMITTEES]
    counter = 0
    for title, prefix in SHEETS:
        sheet = workbook.create_sheet(title)
        sheet.append([f"Udmøntningsplan 2025-2028 - {title}"])
        sheet.append(["Beløb i 1.000 kr."])
        sheet.append([])
        sheet.append(
            [
                "Nr.",
                "Emne",
                "Fagudvalg",
                "Tværgående",
                "Markering",
                "2025",
                "2026",
                "2027",
                "2028",
                "Tidspunkt",
                "Ansvarlig direktør",
                "Afsluttet",
                "Status",
                "Statuskommentar",
            ]
        )
        for n in range(per_sheet):
            counter += 1
            colour = ["Grøn", "Gul", "Rød", ""][n % 4]
            sheet.append(
                [
                    f"{prefix}{n:04d}",
                    f"Indsats nummer {counter} med en sigende titel på dansk: æøå",
                    codes[n % len(codes)]
                    + (", AU" if n % 7 == 0 and codes[n % len(codes)] != "AU" else ""),
                    "X" if colour else "",
                    "(B)" if prefix == "R" else "",
                    -100 * (n % 9),
                    "1.200" if n % 5 == 0 else 250,
                    -300,
                    0,
                    "Løbende",
                    "Kim Bruun Nielsen",
                    "X" if n % 11 == 0 else "",
                    colour if n % 8 else None,
                    f"Status for punkt {counter}" if colour else "",
                ]
            )
            if colour:
                sheet.cell(row=sheet.max_row, column=13).fill = FILLS[colour]
        sheet.freeze_panes = "A5"
    sheet = workbook.create_sheet("Hensigtserklæringer")
    sheet.append(["Hovedpunkt", "Nr.", "Emne", "Fagudvalg", "Tværgående", "Tidspunkt", "Status"])
    for n in range(rows - counter):
        sheet.append(
            [
                f"Hovedpunkt {n // 20}",
                f"H{n:04d}",
                f"Hensigt {n}",
                codes[n % len(codes)],
                "X" if n % 3 == 0 else "",
                "2026",
                "Grøn" if n % 3 == 0 else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PROSE = (
    "kommunen vil styrke indsatsen (jf. budgetaftalen for børn og unge i 2025 med "
    "fokus på trivsel, [bilag 3 sammenhæng mellem skole og fritid ( se også side 4 "
)
WORDS = PROSE.split()


def long_text_workbook(target_bytes: int = 1_000_000) -> bytes:
    """Items whose description and comment are long prose with unclosed brackets, and
    long note rows, until the file is about `target_bytes` (the texts vary, so they do
    not compress away)."""
    import random

    generator = random.Random(7)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Driftsændringer"
    # Long texts above the header (read as possible headers) and as note rows (one
    # filled cell, read as possible section rows): where the quadratic pattern was.
    sheet.append([" ".join(generator.choice(WORDS) for _ in range(3000))])
    sheet.append(["Nr.", "Emne", "Fagudvalg", "2025", "2026", "Beskrivelse", "Statuskommentar"])
    rows = 0
    while True:
        for _ in range(50):
            rows += 1
            text = " ".join(
                "(" * generator.randint(0, 2) + generator.choice(WORDS) for _ in range(3000)
            )
            sheet.append([f"D{rows:04d}", f"Punkt {rows} (", "ØK", 100, "(200)", text, text[::-1]])
            if rows % 10 == 0:
                sheet.append([text[: len(text) // 2]])
        buffer = io.BytesIO()
        workbook.save(buffer)
        if len(buffer.getvalue()) >= target_bytes:
            return buffer.getvalue()


def linearity() -> None:
    """Time per byte of the reader at 1x, 4x, 16x rows and on long texts, with verdicts."""
    print("\nReader linearity (CPU time; median of 3)")
    cases = [
        (f"{factor:>2}x rows ({250 * factor} rows)", build_workbook(250 * factor))
        for factor in (1, 4, 16)
    ]
    cases.append(("long texts", long_text_workbook()))
    per_byte = []
    print("  (bytes: the workbook's unpacked XML, which the reader parses; the .xlsx size")
    print("  grows less than the rows, as the zip's fixed parts and shared strings weigh less)")
    for label, content in cases:
        result = read_workbook(content, COMMITTEES)
        assert result.items and not result.has_fatal, result.problems[:3]
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
        timing = Timing(lambda content=content: read_workbook(content, COMMITTEES))
        per_byte.append(timing.cpu / unpacked)
        print(
            f"  {label:<24}{len(content) / 1024:6.0f} KB .xlsx {unpacked / 1024:7.0f} KB XML "
            f"{len(result.items):5d} items {timing.cpu:6.3f} s CPU {timing.wall:6.3f} s wall "
            f"{per_byte[-1] * 1e9:6.1f} ns/byte"
        )
    ratio = per_byte[2] / per_byte[0]
    verdict = "OK" if ratio <= 1.1 else "OVER GOAL"
    print(f"  time per byte, 16x rows / 1x rows: {ratio:.2f}x (goal <= 1.10x): {verdict}")
    long_ratio = per_byte[3] / per_byte[0]
    verdict = "OK" if long_ratio <= 1.1 else "OVER GOAL"
    print(f"  time per byte, long texts / 1x rows: {long_ratio:.2f}x (goal <= 1.10x): {verdict}")
    size = len(cases[3][1])
    seconds = Timing(lambda: read_workbook(cases[3][1], COMMITTEES)).wall
    verdict = "OK" if seconds < 3 else "OVER GOAL"
    print(
        f"  {size / 1e6:.2f} MB workbook of long texts read in {seconds:.2f} s "
        f"(goal < 3 s): {verdict}"
    )


class Timing:
    """Median wall and CPU time of a few runs (CPU time is steadier on a busy machine)."""

    def __init__(self, action: Callable[[], Any], runs: int = 3) -> None:
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        self.wall = statistics.median(walls)
        self.cpu = statistics.median(cpus)

    def __str__(self) -> str:
        return f"{self.wall:6.3f} s wall, {self.cpu:6.3f} s CPU"


def line(label: str, action: Callable[[], Any], runs: int = 3) -> None:
    print(f"{label:<50}{Timing(action, runs)}")


_counter = [0]


def fresh_target() -> PlanTarget:
    """A new plan each run, so every run imports from scratch."""
    _counter[0] += 1
    return PlanTarget(f"bench-{_counter[0]}", "Bench", 2025, 2028)


def peak_memory(content: bytes) -> int:
    tracemalloc.start()
    read_workbook(content, COMMITTEES)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    if "--linearity" in sys.argv:
        linearity()
        return
    call_command("migrate", verbosity=0)
    for order, (code, name) in enumerate(COMMITTEES):
        Committee.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    print(f"Database: {connection.vendor}")

    small = build_workbook(1000)
    large = build_workbook(4000)
    print(f"Workbook sizes: 1.000 rows {len(small) // 1024} KB, 4.000 rows {len(large) // 1024} KB")

    read_workbook(small, COMMITTEES)  # warm-up (imports)
    result = read_workbook(small, COMMITTEES)
    assert not result.has_fatal, result.problems[:3]
    line("read 1.000 rows", lambda: read_workbook(small, COMMITTEES))
    line("preview 1.000 rows (new plan)", lambda: preview_import(small, fresh_target()))
    import_timing = Timing(lambda: apply_import(small, fresh_target()), runs=5)
    print(f"{'import 1.000 rows (new plan, preview included)':<50}{import_timing}")
    plan = BudgetPlan.objects.get(slug=f"bench-{_counter[0]}")
    line(
        "re-import 1.000 rows (unchanged, preview incl.)",
        lambda: apply_import(small, PlanTarget.existing(plan)),
    )
    line("read 4.000 rows", lambda: read_workbook(large, COMMITTEES), runs=1)

    four_hundred = build_workbook(400)
    apply_import(four_hundred, fresh_target())
    plan = BudgetPlan.objects.get(slug=f"bench-{_counter[0]}")
    count = plan.items.count()
    line(f"export {count} items as .xlsx", lambda: export_xlsx(plan))
    line(f"export {count} items as JSON", lambda: export_json(plan))

    small_peak = peak_memory(small)
    large_peak = peak_memory(large)
    print(
        f"reader peak memory: 1.000 rows {small_peak / 2**20:.1f} MB, "
        f"4.000 rows {large_peak / 2**20:.1f} MB "
        f"({large_peak / small_peak:.2f}x for 4x the rows; "
        f"{(large_peak - small_peak) / 3000 / 1024:.1f} KB per extra row: the parsed items)"
    )
    load = os.getloadavg()
    print(f"\nLoad average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs")
    print("Goals:")
    ok = import_timing.wall < 0.5
    print(
        f"  import 1.000 rows, preview included ({connection.vendor}) = "
        f"{import_timing.wall:.3f} s wall, {import_timing.cpu:.3f} s CPU (goal < 0.5 s wall)"
        f"  {'OK' if ok else 'NOT MET'}"
    )
    linearity()


if __name__ == "__main__":
    main()

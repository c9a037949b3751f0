"""How long a committee's extract takes to build, as PDF, XLSX and HTML.

Run: DEBUG=1 .venv/bin/python bench/bench_extract.py

Builds its own throw-away SQLite database with a 400-item plan in which AU's extract
holds 60 items, BUU's 120 and SSU's 240 (15 cross-cutting items in each), with twelve
months of statuses. Prints wall times in-process (the median of a few runs after one
warm-up, so fonts are loaded), pages and bytes; where LibreOffice is installed it also
converts the same extract HTML with `soffice --headless --convert-to pdf`, in turns with
WeasyPrint. The comparison needs LibreOffice Writer (Debian: `libreoffice-writer-nogui`);
with only Calc installed soffice writes no PDF of an HTML file. A run of soffice counts
only when it wrote a readable PDF with pages; otherwise the bench says why, prints no
ratio and exits with status 1.

When the items have the narrative fields of the plan-content work (Kursen, Koordinering,
Commitment, Direktionens rolle), the 60-item PDF is measured with and without them.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench_extract_"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from committees.models import Committee, CommitteeNote  # noqa: E402
from plans import demo  # noqa: E402
from plans.extracts import build_extract, render_extract_pdf  # noqa: E402
from plans.models import (  # noqa: E402
    BudgetPlan,
    Colour,
    Heading,
    Item,
    ItemAmount,
    Kind,
    PlanState,
    StatusReport,
)
from plans.months import add_months  # noqa: E402
from plans.pdf import base_url  # noqa: E402

# WeasyPrint logs every step at INFO when DEBUG is on; the figures are what we want.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

AS_OF = date(2025, 12, 1)
WORDS = [
    "indsats",
    "besparelse",
    "analyse",
    "implementering",
    "borgere",
    "dagtilbud",
    "skoler",
    "ældre",
    "beskæftigelse",
    "digitalisering",
    "kørsel",
    "bygninger",
    "fravær",
    "sygefravær",
    "ledelse",
    "partnerskab",
    "klima",
    "natur",
    "energi",
    "velfærdsteknologi",
    "rekruttering",
    "kompetencer",
    "samarbejde",
    "tværgående",
    "effektivisering",
]


# The item's narrative fields (issue 21), under the names they may get; the bench uses
# the ones that exist, so it runs before and after that work lands.
NARRATIVE_FIELD_CANDIDATES = (
    "course",
    "coordination",
    "commitment",
    "directors_role",
    "board_role",
    "direction_role",
    "management_role",
    "executive_role",
)


def narrative_fields() -> list[str]:
    names = {field.name for field in Item._meta.get_fields()}
    return [name for name in NARRATIVE_FIELD_CANDIDATES if name in names]


def fill_narrative(plan: BudgetPlan, rng: random.Random, filled: bool) -> None:
    """Give every item of the plan its narrative texts (a few sentences each), or none."""
    fields = narrative_fields()
    items = list(plan.items.all())
    for item in items:
        for name in fields:
            text = ". ".join(sentence(rng, rng.randint(8, 16)) for _ in range(3)) + "."
            setattr(item, name, text if filled else "")
    if fields:
        Item.objects.bulk_update(items, fields)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def build_plan() -> BudgetPlan:
    rng = random.Random(400)
    committees = demo.ensure_committees()
    plan = BudgetPlan.objects.create(
        slug="2025-2028",
        title="Udmøntningsplan 2025-2028",
        first_year=2025,
        last_year=2028,
        case_number="24/7615",
        approved_on=date(2024, 12, 11),
        state=PlanState.APPROVED,
    )
    headings = [
        Heading.objects.create(plan=plan, name=name, order=order)
        for order, name in enumerate(demo.HEADINGS)
    ]
    # (owner, count, cross_cutting); the 50 "other" items give the also-concerned ones.
    layout = [("ØK", 15, True), ("AU", 40, False), ("BUU", 95, False), ("SSU", 200, False)]
    layout += [("MTU", 25, False), ("KFU", 25, False)]
    kinds = [Kind.DRIFT, Kind.RAADERUM, Kind.ANLAEG, Kind.HENSIGT]
    items: list[Item] = []
    # Half the items carry a narrative (Kursen, Commitment), as the seeds describe; an
    # own generator keeps the rest of the plan as it was.
    prose = random.Random(21)
    for code, count, cross in layout:
        for index in range(count):
            kind = kinds[index % 4]
            items.append(
                Item(
                    plan=plan,
                    kind=kind,
                    number=f"{kind[0].upper()}{code[:2]}{index:03d}",
                    title=sentence(rng, rng.randint(4, 10)),
                    committee=committees[code],
                    heading=headings[index % len(headings)] if kind == Kind.HENSIGT else None,
                    cross_cutting=cross,
                    markers="(I)(B)" if kind == Kind.RAADERUM else "",
                    timing=rng.choice(["Løbende", "1. kvartal 2025", "Marts 2025", "2026"]),
                    completed=rng.random() < 0.1,
                    public=not (code == "KFU" and index >= 22),
                    order=len(items),
                    course=sentence(prose, 16) + "." if index % 2 == 0 else "",
                    commitment=sentence(prose, 10) + "." if index % 2 == 0 else "",
                )
            )
    Item.objects.bulk_create(items)
    items = list(plan.items.order_by("order"))
    ItemAmount.objects.bulk_create(
        ItemAmount(item=item, year=year, amount=rng.choice([0, -500, -1500, 250, 1000, -3000]))
        for item in items
        for year in plan.years
    )
    others = [item for item in items if item.committee.code in ("MTU", "KFU")]
    for code, chunk in (("AU", others[:5]), ("BUU", others[5:15]), ("SSU", others[15:40])):
        for item in chunk:
            item.also_committees.add(committees[code])
    reports = []
    for item in items:
        if not (item.cross_cutting or rng.random() < 0.5):
            continue
        for offset in range(12):
            colour = rng.choice(list(Colour))
            reports.append(
                StatusReport(
                    item=item,
                    period=add_months(AS_OF, -offset),
                    colour=colour,
                    comment=sentence(rng, rng.randint(6, 16)) + ".",
                    obs=colour == Colour.RED and rng.random() < 0.3,
                )
            )
    StatusReport.objects.bulk_create(reports)
    for item in items[15:20]:
        CommitteeNote.objects.create(
            item=item, committee=item.committee, date=date(2025, 1, 23), text=sentence(rng, 12)
        )
    return plan


def timed(
    function: Callable[[], Any], runs: int = 3, warm: bool = True
) -> tuple[float, float, Any]:
    """Median wall and CPU seconds. The CPU time is what the figure would be on an idle
    machine; the wall time also holds whatever else the machine was doing."""
    result = function() if warm else None  # warm-up: fonts, templates, query plans
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), result


def ms(wall: float, cpu: float) -> str:
    return f"{wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU"


def pdf_pages(data: bytes) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False)
        match = re.search(rb"Pages:\s+(\d+)", info.stdout)
        if match:
            return int(match[1])
    return len(re.findall(rb"/Type\s*/Page\b", data))


def size(pdf: bytes) -> str:
    return f"{pdf_pages(pdf):>2} pages  {len(pdf):>9,} bytes"


def pdf_problem(data: bytes) -> str | None:
    """Why a peer's output is not a PDF that can be compared, or None when it is one:
    it must exist, be a PDF that pdfinfo (poppler-utils) reads, and have pages."""
    if not data:
        return "no PDF written (0 bytes)"
    if not data.startswith(b"%PDF-"):
        return f"not a PDF ({len(data)} bytes, starting {data[:8]!r})"
    if shutil.which("pdfinfo") is None:
        return "pdfinfo (poppler-utils) is missing: cannot read the PDF"
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False)
    match = re.search(rb"Pages:\s+(\d+)", info.stdout)
    if info.returncode != 0 or match is None:
        reason = info.stderr.decode(errors="replace").strip().splitlines()[:1]
        return f"pdfinfo cannot read the PDF: {' '.join(reason) or 'no page count'}"
    if int(match[1]) == 0:
        return "the PDF has 0 pages"
    return None


def main() -> None:
    print(f"Database: {os.environ['DATABASE_URL']}")
    call_command("migrate", verbosity=0)
    plan = build_plan()
    committees = {code: Committee.objects.get(code=code) for code in ("AU", "BUU", "SSU")}
    print(f"Plan: {plan.items.count()} items, 12 months of statuses, as of {AS_OF:%Y-%m}")
    print(f"Load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    # Building the plan leaves ~100,000 young objects; collect them now, as a server
    # worker's heap would have settled, so the first timings do not pay for them.
    gc.collect()

    au = committees["AU"]
    build_wall, build_cpu, extract = timed(lambda: build_extract(plan, au, AS_OF))
    assert extract.item_count == 60, extract.item_count
    pdf_wall, pdf_cpu, pdf = timed(lambda: render_extract_pdf(extract), runs=5)

    user = get_user_model().objects.create_superuser("bench", "bench@example.dk", "bench-pass-1")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("plans:extract_detail", args=[plan.slug, au.code]) + "?as_of=2025-12"
    html_wall, html_cpu, response = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code

    if importlib.util.find_spec("plans.exports.xlsx") is not None:
        from plans.exports.xlsx import export_xlsx

        xlsx_wall, xlsx_cpu, xlsx = timed(lambda: export_xlsx(plan, committee=au, as_of=AS_OF))
        xlsx_bytes = len(xlsx if isinstance(xlsx, bytes) else xlsx.getvalue())
        xlsx_line = f"{ms(xlsx_wall, xlsx_cpu)}            {xlsx_bytes:>9,} bytes"
    else:
        xlsx_line = "n/a (plans.exports.xlsx findes ikke endnu)"

    print("AU extract, 60 items (median of 3 runs after a warm-up; the PDF of 5):")
    print(f"  data (build_extract) {ms(build_wall, build_cpu)}")
    print(f"  PDF  (WeasyPrint)    {ms(pdf_wall, pdf_cpu)}  {size(pdf)}")
    bare = build_extract(plan, au, AS_OF, narrative=False)
    bare_wall, bare_cpu, bare_pdf = timed(lambda: render_extract_pdf(bare), runs=5)
    print(f"  PDF uden beskrivelser{ms(bare_wall, bare_cpu)}  {size(bare_pdf)}")
    print(
        "  (the PDF above is «med beskrivelser», the extract's default: "
        f"{pdf_cpu / bare_cpu:.2f}x CPU)"
    )
    print(f"  XLSX (export_xlsx)   {xlsx_line}")
    html_size = f"{len(response.content):>9,} bytes"
    print(f"  HTML (preview page)  {ms(html_wall, html_cpu)}            {html_size}")

    print("\nPDF growth with items (build_extract + render_extract_pdf, median of 3):")
    per_item_cpu = {}
    for code in ("AU", "BUU", "SSU"):
        committee = committees[code]
        count = build_extract(plan, committee, AS_OF).item_count
        wall, cpu, data = timed(
            lambda committee=committee: render_extract_pdf(build_extract(plan, committee, AS_OF)),
            warm=False,
        )
        per_item_cpu[count] = cpu / count
        per_item = f"{cpu / count * 1000:5.1f} ms CPU/item"
        print(f"  {count:>3} items  {ms(wall, cpu)}  {pdf_pages(data):>2} pages  {per_item}")

    from plans.board_report import build_board_report, render_board_report_pdf

    board = build_board_report(plan, AS_OF)
    board_items = sum(len(section.rows) for section in board.sections)
    wall, cpu, data = timed(lambda: render_board_report_pdf(board), runs=1)
    print(
        f"\nBoard report ({board_items} cross-cutting items), same plan:\n"
        f"  PDF  (WeasyPrint)    {ms(wall, cpu)}  {size(data)}"
    )

    print(
        "\nWhat single CSS choices cost (60 items; one rule added to the shipped print CSS;"
        " median of 3):"
    )
    html = render_to_string(
        "plans/pdf/extract.html", {"extract": extract, "pdf_static": base_url().rstrip("/")}
    )
    from plans.pdf import fewer_gc_runs
    from plans.pdf_engine import PrintHTML, StaticOnlyURLFetcher

    def render_variant(extra_css: str, tagged: bool = True) -> bytes:
        with fewer_gc_runs():  # as html_to_pdf does
            document = PrintHTML(
                string=html.replace("</style>", extra_css + "</style>", 1),
                base_url=base_url(),
                url_fetcher=StaticOnlyURLFetcher(),
            )
            if not tagged:
                return document.write_pdf() or b""
            return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True) or b""

    variants = [
        ("as shipped", "", True),
        ("border-collapse: collapse", "table { border-collapse: collapse; }", True),
        ("table-layout: auto", "table { table-layout: auto; }", True),
        ("portrait A4", "@page { size: A4 portrait; }", True),
        ("tr break-inside: avoid", "tr { break-inside: avoid; }", True),
        ("no PDF/UA tags (not used)", "", False),
    ]
    for label, css, tagged in variants:
        wall, cpu, data = timed(
            lambda css=css, tagged=tagged: render_variant(css, tagged), warm=False
        )
        print(f"  {label:<28} {ms(wall, cpu)}  {pdf_pages(data):>2} pages")

    soffice = shutil.which("soffice")
    variants_to_compare = [("without narrative fields", extract, html)]
    fields = narrative_fields()
    if fields:
        fill_narrative(plan, random.Random(21), filled=True)
        narrative = build_extract(plan, au, AS_OF)
        narrative_html = render_to_string(
            "plans/pdf/extract.html", {"extract": narrative, "pdf_static": base_url().rstrip("/")}
        )
        variants_to_compare.append(("with narrative fields", narrative, narrative_html))
        print(f"\nNarrative fields found on Item: {', '.join(fields)}")
    else:
        print("\nNarrative fields (Kursen, Koordinering, ...): not on Item yet, measured without")

    results: list[tuple[str, LibreOfficeComparison]] = []
    for label, variant, variant_html in variants_to_compare:
        print(f"\nLibreOffice, same extract HTML, 60 items {label}:")
        if soffice is None:
            print("  LibreOffice not installed (needs libreoffice-writer-nogui)")
            continue
        comparison = compare_with_libreoffice(soffice, variant, variant_html)
        results.append((label, comparison))
        comparison.print()

    def verdict(ok: bool) -> str:
        return "OK" if ok else "NOT MET"

    print("\nGoals:")
    print(
        f"  60-item PDF in-process     = {pdf_wall * 1000:5.0f} ms (goal < 1000 ms)   "
        f"{verdict(pdf_wall < 1)}"
    )
    if soffice is None:
        print("  PDF / LibreOffice          = n/a      (soffice not installed)  NOT MEASURED")
    for label, comparison in results:
        if comparison.failure:
            print(f"  PDF / LibreOffice, {label}: n/a (peer failed: {comparison.failure})  FAILED")
        else:
            print(
                f"  PDF / LibreOffice, {label:<25} = {comparison.share:5.2f} (goal <= 0.5)  "
                f"{verdict(comparison.share <= 0.5)}"
            )
    growth = per_item_cpu[max(per_item_cpu)] / per_item_cpu[min(per_item_cpu)]
    print(
        f"  CPU per item, {max(per_item_cpu)} / {min(per_item_cpu)} items = {growth:5.2f}"
        f"  (goal <= 1: no worse than linear) {verdict(growth <= 1.05)}"
    )

    shutil.rmtree(WORKDIR, ignore_errors=True)
    failures = [f"{label}: {result.failure}" for label, result in results if result.failure]
    if failures:
        sys.exit(f"bench_extract: LibreOffice produced no comparable PDF ({'; '.join(failures)})")


@dataclass
class LibreOfficeComparison:
    """WeasyPrint and soffice on the same HTML, timed in turns. `failure` says why the
    peer's output did not count (then there is no ratio)."""

    failure: str | None = None
    share: float = 0.0
    paired_pdf: float = 0.0
    lo_wall: float = 0.0
    lo_cpu: float = 0.0
    lo_pdf: bytes = b""
    whole_wall: float = 0.0
    whole_cpu: float = 0.0

    def print(self) -> None:
        if self.failure:
            print(f"  soffice --convert-to pdf   FAILED: {self.failure}")
            print(
                "  No ratio: LibreOffice produced no comparable PDF. Its HTML import needs"
                " Writer: apt-get install libreoffice-writer-nogui"
            )
            return
        print(
            f"  soffice --convert-to pdf   {ms(self.lo_wall, self.lo_cpu)}  {size(self.lo_pdf)}"
            "  (whole process, median of 5)"
        )
        paired = f"{self.paired_pdf * 1000:7.0f} ms wall"
        print(f"  WeasyPrint, in-process     {paired}  (in turns with soffice, median of 5)")
        whole = ms(self.whole_wall, self.whole_cpu)
        print(f"  WeasyPrint, whole process  {whole}  (python start, import, render)")


def compare_with_libreoffice(soffice: str, extract: Any, html: str) -> LibreOfficeComparison:
    """Five rounds, each rendering the PDF in-process and then running soffice once on
    the same HTML: the machine's speed drifts from minute to minute, so the two are timed
    in turns. Every soffice run must write its own readable PDF with pages, or none
    counts."""
    source = WORKDIR / "extract.html"
    source.write_text(html, encoding="utf-8")
    out = WORKDIR / "extract.pdf"
    profile = (WORKDIR / "lo-profile").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(WORKDIR),
        str(source),
    ]
    subprocess.run(command, capture_output=True, timeout=300, check=False)  # profile set-up
    pairs = []
    lo_pdf = b""
    for _ in range(5):
        start = time.perf_counter()
        render_extract_pdf(extract)
        wp_time = time.perf_counter() - start
        out.unlink(missing_ok=True)
        lo_run = child_run(command)
        lo_pdf = out.read_bytes() if out.exists() else b""
        failure = pdf_problem(lo_pdf)
        if failure:
            return LibreOfficeComparison(failure=failure)
        pairs.append((wp_time, lo_run))
    whole_wall, whole_cpu = child_run(
        [sys.executable, "-c", WHOLE_PROCESS], env={**os.environ, "BENCH_HTML": str(source)}
    )
    return LibreOfficeComparison(
        share=statistics.median(pdf_time / lo[0] for pdf_time, lo in pairs),
        paired_pdf=statistics.median(pdf_time for pdf_time, _ in pairs),
        lo_wall=statistics.median(lo[0] for _, lo in pairs),
        lo_cpu=statistics.median(lo[1] for _, lo in pairs),
        lo_pdf=lo_pdf,
        whole_wall=whole_wall,
        whole_cpu=whole_cpu,
    )


def child_run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of a child process (user + system, from getrusage)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, timeout=300, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# A fresh interpreter renders the same HTML, to compare like for like with soffice.
WHOLE_PROCESS = """
import os, weasyprint
from pathlib import Path
html = Path(os.environ["BENCH_HTML"]).read_text(encoding="utf-8")
weasyprint.HTML(string=html, base_url=str(Path(os.environ["BENCH_HTML"]).parent)).write_pdf(
    pdf_variant="pdf/ua-1", pdf_tags=True)
"""


if __name__ == "__main__":
    main()

"""A committee's extract: exactly the right items, figures, status as of the month, the
public/internal rule, and the PDF read back through pdftotext."""

from __future__ import annotations

import re
import subprocess
import zlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from committees.models import CommitteeNote
from plans.extracts import ALSO, CROSS, OWN, build_extract, render_extract_pdf
from plans.models import BudgetPlan, Kind


@pytest.fixture
def extract_plan(plan: BudgetPlan, make_item: Any, committees: dict[str, Any]) -> BudgetPlan:
    make_item(
        "D11",
        "AU",
        Kind.DRIFT,
        title="Styrket indsats for unge",
        amounts={2025: Decimal("-1200.5"), 2026: 1500, 2027: 0, 2028: 2000},
        timing="Februar 2025",
    )
    make_item(
        "D12",
        "AU",
        Kind.DRIFT,
        title="Jobcenterets digitale borgerservice",
        amounts={2025: -300, 2026: -1800, 2027: -3000, 2028: -3000},
    )
    r307 = make_item(
        "R307",
        "AU",
        Kind.RAADERUM,
        title="Investering i fraværsindsatsen",
        markers="(B)",
        completed=True,
        amounts={2026: -1500, 2027: -3000, 2028: -3000},
    )
    make_item("D08", "ØK", Kind.DRIFT, title="Indsats mod sygefravær", also=("AU",))
    cross = make_item(
        "D01",
        "BUU",
        Kind.DRIFT,
        title="Effektiviseringsbidrag",
        cross_cutting=True,
        amounts={2025: -6000},
    )
    make_item("B01", "BUU", Kind.DRIFT, title="Dagtilbudsstruktur")
    make_item("M01", "MTU", Kind.ANLAEG, title="Renovering af Fjellerup Strand")
    make_item("D99", "AU", Kind.DRIFT, title="Personalesag om omplacering", public=False)
    make_item(
        "H09", "AU", heading="Vækst, erhverv og beskæftigelse", title="Virksomhedsrettet indsats"
    )
    cross.record_status(
        colour="green", comment="Oktoberstatus følger planen", period=date(2025, 10, 1)
    )
    cross.record_status(
        colour="red", comment="Decemberstatus gået i stå", period=date(2025, 12, 1), obs=True
    )
    CommitteeNote.objects.create(
        item=r307,
        committee=committees["AU"],
        date=date(2025, 1, 23),
        text="Ad. 307. Udvalget ønsker beregningen bag R307.",
    )
    CommitteeNote.objects.create(
        item=r307,
        committee=committees["AU"],
        date=date(2025, 1, 23),
        text="Fortrolig bemærkning om R307.",
        public=False,
    )
    CommitteeNote.objects.create(
        item=cross,
        committee=committees["BUU"],
        date=date(2025, 1, 15),
        text="BUU's egen bemærkning.",
    )
    return plan


def numbers(extract: Any) -> list[str]:
    return [row.number for row in extract.rows]


def pdf_text(pdf: bytes, tmp_path: Any, layout: bool = True) -> str:
    """The PDF's text; with layout=False in reading order, so wrapped cells read whole."""
    path = tmp_path / "extract.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: bytes) -> str:
    return subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with every compressed stream inflated, to look for /Lang."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_extract_holds_own_also_and_cross_cutting_items_and_nothing_else(extract_plan, committees):
    extract = build_extract(extract_plan, committees["AU"], date(2025, 11, 1))
    # Plan order: kind, then heading, then the order they were made in.
    assert numbers(extract) == ["D11", "D12", "D08", "D01", "R307", "H09"]
    relations = {row.number: row.relation for row in extract.rows}
    assert relations == {"D11": OWN, "D12": OWN, "D08": ALSO, "D01": CROSS, "R307": OWN, "H09": OWN}
    assert extract.title == "Udmøntningsplan 2025-2028 – udsnit for Arbejdsmarkedsudvalget"


def test_sections_by_kind_and_heading_with_danish_amounts_and_totals(extract_plan, committees):
    extract = build_extract(extract_plan, committees["AU"], date(2025, 11, 1))
    titles = [section.title for section in extract.sections]
    assert titles == [
        "Driftsændringer",
        "Råderumsforslag",
        "Hensigtserklæringer – Vækst, erhverv og beskæftigelse",
    ]
    drift = extract.sections[0]
    d11 = drift.rows[0]
    assert d11.amounts == ["-1.200,5", "1.500", "", "2.000"]  # blank: no change that year
    # -1200.5 - 300 + 0 - 6000 = -7500.5; 1500 - 1800 = -300; -3000; 2000 - 3000 = -1000
    assert drift.totals == ["-7.500,5", "-300", "-3.000", "-1.000"]
    r307 = extract.sections[1].rows[0]
    assert (r307.markers, r307.completed) == ("(B)", True)
    assert extract.sections[1].totals == ["0", "-1.500", "-3.000", "-3.000"]


def test_status_is_the_latest_at_or_before_the_chosen_month(extract_plan, committees):
    november = build_extract(extract_plan, committees["AU"], date(2025, 11, 1))
    d01 = next(row for row in november.rows if row.number == "D01")
    assert (d01.colour, d01.colour_label, d01.status_comment) == (
        "green",
        "Grøn",
        "Oktoberstatus følger planen",
    )
    assert not d01.obs
    december = build_extract(extract_plan, committees["AU"], date(2025, 12, 15))
    d01 = next(row for row in december.rows if row.number == "D01")
    assert (d01.colour, d01.colour_label, d01.obs) == ("red", "Rød", True)
    september = build_extract(extract_plan, committees["AU"], date(2025, 9, 1))
    assert next(row for row in september.rows if row.number == "D01").colour == ""
    assert september.colour_counts[""] == 6


def test_public_version_leaves_out_non_public_items_and_notes(extract_plan, committees):
    public = build_extract(extract_plan, committees["AU"], date(2025, 11, 1))
    assert "D99" not in numbers(public)
    r307 = next(row for row in public.rows if row.number == "R307")
    assert r307.notes == ["23-01-2025: Ad. 307. Udvalget ønsker beregningen bag R307."]
    assert public.access_label == "Åben sag"

    internal = build_extract(extract_plan, committees["AU"], date(2025, 11, 1), public=False)
    assert "D99" in numbers(internal)
    r307 = next(row for row in internal.rows if row.number == "R307")
    assert len(r307.notes) == 2
    assert "Fortrolig bemærkning om R307. (ikke offentlig)" in r307.notes[1]
    assert internal.access_label == "Intern"
    # Another committee's notes never reach AU's extract.
    assert all("BUU's egen" not in note for row in internal.rows for note in row.notes)


def test_whole_plan_when_no_committee(extract_plan):
    extract = build_extract(extract_plan, None, date(2025, 11, 1), public=False)
    assert sorted(numbers(extract)) == sorted(
        ["D11", "D12", "D08", "D01", "B01", "D99", "R307", "M01", "H09"]
    )
    assert extract.title == "Udmøntningsplan 2025-2028"
    d01 = next(row for row in extract.rows if row.number == "D01")
    assert d01.notes == ["BUU 15-01-2025: BUU's egen bemærkning."]


def test_pdf_holds_the_extract_with_danish_formats_and_page_numbers(
    extract_plan, committees, tmp_path
):
    extract = build_extract(
        extract_plan,
        committees["AU"],
        date(2025, 12, 1),
        meeting_date=date(2026, 1, 22),
        case_number="25/1234",
    )
    pdf = render_extract_pdf(extract)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    for number in ["D11", "D12", "D08", "D01", "R307", "H09"]:
        assert re.search(rf"\b{number}\b", text), number
    for absent in ["B01", "M01", "D99", "Personalesag", "Fortrolig", "BUU's egen"]:
        assert absent not in text, absent
    assert "Udmøntningsplan 2025-2028 – udsnit for Arbejdsmarkedsudvalget" in flat
    assert "Norddjurs Kommune" in flat
    assert "22. januar 2026" in flat
    assert "Sag: 25/1234" in flat
    assert "Åben sag" in flat
    assert "Intern" not in flat
    assert "-1.200,5" in flat and "-7.500,5" in flat and "2.000" in flat
    assert "I alt" in flat
    assert "Rød" in flat and "Decemberstatus gået i stå" in flat
    assert "Følger planen – der er ikke behov for at zoome ind" in flat
    assert "Der er behov for, at direktionen zoomer ind" in flat
    assert "Status pr. december 2025" in flat
    assert "Ad. 307. Udvalget ønsker beregningen bag R307." in flat
    assert re.search(r"Side 1 af \d+", text)
    for year in ("2025", "2026", "2027", "2028"):
        assert year in text
    assert "2.025" not in text  # years are labels, not thousands


def test_pdf_is_tagged_a4_with_title_and_language(extract_plan, committees):
    pdf = render_extract_pdf(build_extract(extract_plan, committees["AU"], date(2025, 11, 1)))
    info = pdf_info(pdf)
    assert "Title:           Udmøntningsplan 2025-2028 – udsnit for Arbejdsmarkedsudvalget" in info
    assert "Tagged:          yes" in info
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and sorted(round(float(side)) for side in size.groups()) == [595, 842]
    objects = pdf_objects(pdf)
    assert re.search(rb"/Lang\s*\(da\)", objects)
    assert b"DejaVu" in objects  # the font is embedded


def test_internal_pdf_says_intern_and_keeps_non_public(extract_plan, committees, tmp_path):
    extract = build_extract(extract_plan, committees["AU"], date(2025, 11, 1), public=False)
    flat = " ".join(pdf_text(render_extract_pdf(extract), tmp_path, layout=False).split())
    assert "Intern" in flat and "Åben sag" not in flat
    assert "Personalesag om omplacering" in flat
    assert "Fortrolig bemærkning om R307." in flat


def test_headers_repeat_on_every_page(plan, make_item, tmp_path, committees):
    for index in range(70):
        make_item(
            f"D{index:03d}",
            "AU",
            Kind.DRIFT,
            title=f"Driftsændring nummer {index}",
            amounts={2025: index * 100},
        )
    pdf = render_extract_pdf(build_extract(plan, committees["AU"], date(2025, 11, 1)))
    pages = pdf_text(pdf, tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Tidspunkt" in page and "Emne" in page, number
        assert f"Side {number} af {len(pages)}" in page


def test_agenda_text_becomes_the_first_page(extract_plan, committees, tmp_path):
    extract = build_extract(
        extract_plan,
        committees["AU"],
        date(2025, 11, 1),
        agenda_text="Udmøntningsplan 2025-2028\n\nSagsgang\n\nAU\n\nIndstilling\n\nDet indstilles.",
    )
    pages = pdf_text(render_extract_pdf(extract), tmp_path).split("\f")
    assert "Sagsgang" in pages[0] and "Det indstilles." in pages[0]
    assert "D11" not in pages[0]
    assert "D11" in pages[1]


def test_pdf_lays_out_as_with_weasyprints_own_stylesheet(extract_plan, committees, monkeypatch):
    """The print user-agent stylesheet (plans.pdf_engine.PrintHTML) changes nothing on the page."""
    import weasyprint

    import plans.pdf
    import plans.pdf_engine
    from tests.plans.pdf_layout import layout

    seen: list[str] = []
    monkeypatch.setattr(plans.pdf, "html_to_pdf", lambda html: seen.append(html) or b"")
    extract = build_extract(
        extract_plan,
        committees["AU"],
        date(2025, 11, 1),
        agenda_text="Udmøntningsplan 2025-2028\n\nSagsgang\n\n- AU\n- ØK\n\nDet indstilles.",
    )
    render_extract_pdf(extract)
    (html,) = seen
    assert "<li>" in html and "<table>" in html
    assert layout(plans.pdf_engine.PrintHTML, html) == layout(weasyprint.HTML, html)

"""The extract "med beskrivelser", and section headings kept with their first row."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from committees.models import Committee
from plans.demo import load_demo
from plans.extracts import build_extract, render_extract_pdf
from plans.models import Item


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "extract.pdf"
    path.write_bytes(pdf)
    count = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(line for line in count.stdout.splitlines() if line.startswith("Pages:"))[6:])
    texts = []
    for number in range(1, pages + 1):
        texts.append(
            subprocess.run(
                ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    return texts


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The page's footer ("Side 1 af 3" and the like) is not the table's last line.
    while lines and ("Side " in lines[-1] or lines[-1].startswith("Udmøntningsplan")):
        lines.pop()
    return lines[-1] if lines else ""


@pytest.mark.django_db
def test_no_section_heading_ends_a_page_in_aus_demo_extract(tmp_path: Path) -> None:
    demo = load_demo()
    au = Committee.objects.get(code="AU")
    # "Med beskrivelser" with texts: every other item of the plan gets a course.
    for index, item in enumerate(Item.objects.filter(plan=demo.plan).order_by("pk")):
        if index % 2 == 0:
            item.course = "Indsatsen fortsætter som aftalt; næste milepæl er opfølgning i udvalget."
            item.save(update_fields=["course"])
    for narrative in (False, True):
        extract = build_extract(demo.plan, au, date(2025, 10, 1), narrative=narrative)
        pages = page_texts(render_extract_pdf(extract), tmp_path)
        assert len(pages) >= 2
        assert ("Kursen:" in "".join(pages)) is narrative
        titles = {section.kind_title for section in extract.sections}
        titles |= {section.heading for section in extract.sections if section.heading}
        for number, text in enumerate(pages[:-1], start=1):
            assert last_line(text) not in titles, (narrative, number, last_line(text))
            assert last_line(text) != "Råderumsforslag"


@pytest.mark.django_db
def test_extract_with_and_without_descriptions(plan, make_item, committees, tmp_path) -> None:
    make_item("D01", "AU", title="Fravær", course="Vi holder kursen", board_role="Følger op")
    make_item("D02", "AU", title="Uden tekst")
    extract = build_extract(plan, committees["AU"], date(2025, 10, 1))
    assert extract.narrative is True
    first, second = extract.rows
    assert first.narrative == [("Kursen", "Vi holder kursen"), ("Direktionens rolle", "Følger op")]
    assert second.narrative == []
    text = "".join(page_texts(render_extract_pdf(extract), tmp_path))
    assert "Kursen: Vi holder kursen" in text
    assert "Direktionens rolle: Følger op" in text
    without = build_extract(plan, committees["AU"], date(2025, 10, 1), narrative=False)
    assert without.rows[0].narrative == []
    assert build_extract(plan, None, date(2025, 10, 1)).narrative is False  # whole plan


def test_extract_views_take_the_option(client, plan, make_item, committees, director) -> None:
    make_item("D01", "ØK", title="Fravær", course="Vi holder kursen")
    client.force_login(director)
    url = reverse("plans:extract_detail", args=[plan.slug, "ØK"])
    assert "Vi holder kursen" in client.get(url).content.decode()
    page = client.get(url, {"descriptions": "uden"}).content.decode()
    assert "Vi holder kursen" not in page
    assert "descriptions=uden" in page  # the PDF link keeps the choice
    pdf = client.get(reverse("plans:extract_pdf", args=[plan.slug, "ØK"]))
    assert pdf.status_code == 200
    assert Item.objects.count() == 1

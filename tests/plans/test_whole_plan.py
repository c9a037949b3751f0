"""Hele planen (issue 22): every item of every committee as PDF and Excel, grouped as the
plan is, with the extracts' public/internal rule and title block; the item set read back
with pdftotext and openpyxl."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Kind

NUMBER = re.compile(r"\b[DRAH]9\d\d\b")


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def whole(make_item):
    make_item("D901", committee="ØK", title="Effektivisering", amounts={2025: -6000})
    make_item("D902", committee="AU", title="Unge uden uddannelse")
    make_item("D903", committee="BUU", title="Skolernes drift", public=False)
    make_item("R901", committee="AU", kind=Kind.RAADERUM, cross_cutting=True, title="Fravær")
    make_item("A901", committee="MTU", kind=Kind.ANLAEG, title="Ny daginstitution")
    make_item("H901", committee="ØK", heading="Partnerskaber", title="Halmstad")
    make_item("H902", committee="DIR", heading="Klima", title="DK2020", completed=True)


def get(client, name, plan, **query):
    return client.get(reverse(f"plans:{name}", args=[plan.slug]), query)


def test_the_public_pdf_holds_every_public_item_grouped_as_the_plan(
    client, economy_chief, plan, committees, whole
):
    client.force_login(economy_chief)
    response = get(client, "whole_plan_pdf", plan, recipient="ØK", meeting_date="2024-12-04")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "-aaben" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert set(NUMBER.findall(text)) == {"D901", "D902", "R901", "A901", "H901", "H902"}
    # Grouped as the plan is: the kinds in order, the headings of the declarations.
    order = [text.index(word) for word in ("Driftsændringer", "Råderumsforslag", "Anlæg")]
    assert order == sorted(order)
    assert text.index("Partnerskaber") < text.index("H901") < text.index("Klima")
    flat = " ".join(text.split())
    assert "Til: Økonomiudvalget (ØK)" in flat and "Åben sag" in flat
    assert "Møde: 4. december 2024" in flat


def test_the_internal_pdf_holds_every_item(client, director, plan, whole):
    client.force_login(director)
    response = get(client, "whole_plan_pdf", plan, version="intern")
    text = pdf_text(response.content)
    assert set(NUMBER.findall(text)) == {
        "D901",
        "D902",
        "D903",
        "R901",
        "A901",
        "H901",
        "H902",
    }
    assert "Intern" in text and "-intern" in response["Content-Disposition"]


def test_the_excel_follows_the_same_rule(client, head, plan, whole):
    client.force_login(head)
    for version, expected in (
        ("aaben", {"D901", "D902", "R901", "A901", "H901", "H902"}),
        ("intern", {"D901", "D902", "D903", "R901", "A901", "H901", "H902"}),
    ):
        response = get(client, "whole_plan_xlsx", plan, version=version)
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        found = {
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str) and NUMBER.fullmatch(cell)
        }
        assert found == expected, version


def test_the_page_shows_the_sections_and_links(client, economy_chief, plan, whole):
    client.force_login(economy_chief)
    response = get(client, "whole_plan", plan)
    html = response.content.decode()
    assert response.status_code == 200 and "Hele planen" in html
    assert reverse("plans:whole_plan_pdf", args=[plan.slug]) in html
    assert "6 punkter" in html
    fragment = client.get(
        reverse("plans:whole_plan", args=[plan.slug]),
        {"version": "intern"},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in fragment.content.decode() and "7 punkter" in fragment.content.decode()
    listing = client.get(reverse("plans:extract_list", args=[plan.slug])).content.decode()
    assert reverse("plans:whole_plan", args=[plan.slug]) in listing


def test_a_secretary_gets_the_public_version_only(client, secretary, plan, whole):
    client.force_login(secretary)
    assert get(client, "whole_plan_pdf", plan).status_code == 200
    assert get(client, "whole_plan_pdf", plan, version="intern").status_code == 403
    assert get(client, "whole_plan_xlsx", plan, version="intern").status_code == 403


def test_a_reader_gets_nothing(client, reader, plan, whole):
    client.force_login(reader)
    for name in ("whole_plan", "whole_plan_pdf", "whole_plan_xlsx"):
        assert get(client, name, plan).status_code == 403


def test_post_is_refused(client, director, plan):
    client.force_login(director)
    assert client.post(reverse("plans:whole_plan_pdf", args=[plan.slug])).status_code == 405

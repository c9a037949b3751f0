"""A control character in any text never makes an export fail (issue 21, "Bad input").

Word's vertical tab (U+000B) pasted into a status comment made every Excel export of the
plan answer 500 and `export_plan` print a traceback. Line breaks are kept; the rest goes.
"""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from committees.ical import clean_text as feed_text
from committees.models import Meeting
from plans.exports.json import export_json
from plans.exports.xlsx import export_xlsx
from plans.extracts import build_extract, render_extract_pdf
from plans.models import BudgetPlan, StatusReport
from plans.sanitize import clean_text

DIRTY = "Første linje\x0bAnden linje\x00\x07\x1b slut\r\nTredje\tfane\x7f"
CLEAN = "Første linje\nAnden linje slut\r\nTredje\tfane"
# What a database can hold of it: PostgreSQL refuses NUL in text (SQLite stores it).
STORED = DIRTY.replace("\x00", "")


def test_clean_text_keeps_line_breaks_and_drops_the_rest() -> None:
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("Ren tekst æøå") == "Ren tekst æøå"
    assert clean_text("a\x0cb\u2028c") == "a\nb\nc"
    assert clean_text("") == ""


@pytest.fixture
def dirty_plan(plan: BudgetPlan, make_item: Any) -> BudgetPlan:
    item = make_item("D01", "AU", title="Titel\x0b med lodret tab", description=STORED)
    # Stored as before the input was cleaned: the exports must cope on their own.
    StatusReport.objects.create(item=item, period=date(2025, 10, 1), colour="red", comment=STORED)
    return plan


def test_a_reported_comment_is_cleaned_on_input(plan: BudgetPlan, make_item: Any) -> None:
    item = make_item("D02", "AU")
    report = item.record_status(colour="red", comment=DIRTY, obs=True, obs_text="OBS\x0bnu")
    point = item.open_obs_point()
    assert point is not None
    assert (report.comment, point.text) == (CLEAN, "OBS\nnu")


def test_excel_export_with_a_vertical_tab_in_a_comment(dirty_plan: BudgetPlan) -> None:
    content = export_xlsx(dirty_plan, as_of=date(2025, 10, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Driftsændringer"]
    values = [cell.value for cell in sheet[5]]
    # XML normalises the carriage return of a line break on reading back.
    assert CLEAN.replace("\r\n", "\n") in [str(v).replace("\r\n", "\n") for v in values]
    assert "Titel\n med lodret tab" in values


def test_excel_export_view_answers_200(client: Any, dirty_plan: BudgetPlan, admin_user) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("plans:export_xlsx", args=[dirty_plan.slug]))
    assert response.status_code == 200


def test_json_export_and_api(client: Any, dirty_plan: BudgetPlan, admin_user) -> None:
    data = export_json(dirty_plan, as_of=date(2025, 10, 1))
    item = data["items"][0]
    assert item["status"]["comment"] == CLEAN
    assert item["title"] == "Titel\n med lodret tab"
    client.force_login(admin_user)
    response = client.get(reverse("plans:api_items", args=[dirty_plan.slug]), {"as_of": "2025-10"})
    assert response.status_code == 200
    assert "\\u000b" not in response.content.decode()
    assert json.loads(response.content)["items"][0]["status"]["comment"] == CLEAN


def test_pdf_extract(dirty_plan: BudgetPlan, committees) -> None:
    pdf = render_extract_pdf(build_extract(dirty_plan, committees["AU"], date(2025, 10, 1)))
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Anden linje" in text


@pytest.mark.parametrize("fmt", ["xlsx", "json", "pdf"])
def test_export_plan_command(dirty_plan: BudgetPlan, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"plan.{fmt}"
    args = ["export_plan", "--plan", dirty_plan.slug, "--output", str(output), "--format", fmt]
    if fmt == "pdf":
        args += ["--committee", "AU"]
    call_command(*args, "--as-of", "2025-10", stdout=io.StringIO())
    assert output.stat().st_size > 0


def test_ical_feed(client: Any, plan: BudgetPlan, committees, director) -> None:
    Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="Møde\x0b AU\x01"
    )
    assert feed_text("a\x0bb\x01") == "a\nb"
    client.force_login(director)
    response = client.get(reverse("committees:ical", args=[plan.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x0b" not in body and "\x01" not in body
    assert "Møde\\n AU" in body

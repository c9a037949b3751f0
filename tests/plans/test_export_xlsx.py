"""The .xlsx export: layout, formula safety, and the round trip through the importer."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from committees.models import Committee
from plans.exports.xlsx import export_xlsx
from plans.importer.writer import PlanTarget, apply_import
from plans.models import BudgetPlan, Item, Kind


@pytest.fixture
def filled_plan(plan: BudgetPlan, make_item: Any, director: Any) -> BudgetPlan:
    d01 = make_item(
        "D01",
        "ØK",
        Kind.DRIFT,
        amounts={2025: -6000, 2026: -6000, 2027: 1200, 2028: Decimal("0.5")},
        cross_cutting=True,
        timing="Løbende",
        responsible=director,
        course="Vi holder kursen\nog følger op",
        coordination="Koordineres i MED",
        commitment="Leveres til tiden",
        board_role="Direktionen følger op kvartalsvis",
    )
    d01.record_status(colour="yellow", comment="Snitflader", period=date(2025, 9, 1))
    d01.record_status(colour="red", comment="Gået i stå", period=date(2025, 10, 1))
    make_item("R307", "AU", Kind.RAADERUM, amounts={2026: -1500}, markers="(B)")
    r307 = make_item("R307", "BUU", Kind.RAADERUM, also=("AU",), amounts={2026: -1000})
    r307.record_status(colour="green", comment="Følger planen", period=date(2025, 10, 1))
    make_item("A01", "MTU", Kind.ANLAEG, amounts={2025: 12000}, completed=True)
    make_item("H07", "ØK", heading="Partnerskaber", title="Halmstad", responsible_name="Anne Lund")
    make_item("H11", "MTU", heading="Klima", title="DK2020")
    return plan


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_one_sheet_per_kind_with_frozen_header_and_filter(filled_plan: BudgetPlan) -> None:
    workbook = load(export_xlsx(filled_plan, as_of=date(2025, 10, 1)))
    assert workbook.sheetnames == [
        "Driftsændringer",
        "Råderumsforslag",
        "Anlægsprojekter",
        "Hensigtserklæringer",
    ]
    sheet = workbook["Driftsændringer"]
    assert sheet["A1"].value == "Udmøntningsplan 2025-2028 - Driftsændringer"
    header = [cell.value for cell in sheet[4]]
    assert header[:9] == [
        "Nr.",
        "Emne",
        "Fagudvalg",
        "Tværgående",
        "Markering",
        "2025",
        "2026",
        "2027",
        "2028",
    ]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref.startswith("A4:")
    row = {header[i]: cell for i, cell in enumerate(sheet[5])}
    assert row["Nr."].value == "D01"
    assert row["2025"].value == -6000 and row["2025"].data_type == "n"
    assert row["2025"].number_format == "#,##0"
    assert row["2028"].value == 0.5
    assert row["Status"].value == "Rød"
    assert row["Status"].fill.fgColor.rgb == "FFFF0000"
    assert row["Statuskommentar"].value == "Gået i stå"
    assert row["Tværgående"].value == "X"
    assert row["Ansvarlig"].value == "Kim Bruun Nielsen"
    intent = workbook["Hensigtserklæringer"]
    assert intent["A4"].value == "Hovedpunkt"
    assert intent["A5"].value == "Partnerskaber"


def test_status_as_of_an_earlier_month(filled_plan: BudgetPlan) -> None:
    sheet = load(export_xlsx(filled_plan, as_of=date(2025, 9, 1)))["Driftsændringer"]
    header = [cell.value for cell in sheet[4]]
    assert sheet.cell(row=5, column=header.index("Status") + 1).value == "Gul"


def test_also_concerned_committees_in_the_committee_cell(filled_plan: BudgetPlan) -> None:
    sheet = load(export_xlsx(filled_plan))["Råderumsforslag"]
    assert [sheet.cell(row=r, column=3).value for r in (5, 6)] == ["AU", "BUU, AU"]


def test_committee_extract_holds_own_concerned_and_cross_cutting(
    filled_plan: BudgetPlan, committees: dict[str, Committee]
) -> None:
    workbook = load(export_xlsx(filled_plan, committees["AU"]))
    numbers = [
        (sheet.title, row[0].value)
        for sheet in workbook
        for row in sheet.iter_rows(min_row=5)
        if row[0].value
    ]
    assert numbers == [
        ("Driftsændringer", "D01"),
        ("Råderumsforslag", "R307"),
        ("Råderumsforslag", "R307"),
    ]
    assert "Udsnit for Arbejdsmarkedsudvalget" in workbook["Driftsændringer"]["A2"].value


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","klik")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
)
def test_user_text_is_never_a_formula(plan: BudgetPlan, make_item: Any, text: str) -> None:
    item = make_item("D01", title=text, timing=text, markers=text[:50])
    item.record_status(colour="green", comment=text)
    content = export_xlsx(plan)
    sheet = load(content)["Driftsændringer"]
    cell = sheet["B5"]
    assert cell.value == text
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml


def test_round_trip_gives_the_same_items_amounts_and_statuses(
    filled_plan: BudgetPlan, committees: dict[str, Committee]
) -> None:
    content = export_xlsx(filled_plan)
    # Into the same plan: nothing changes.
    again = apply_import(content, PlanTarget.existing(filled_plan))
    assert again.totals.updated == 0 and again.totals.created == 0 and again.statuses == 0

    copy = BudgetPlan.objects.create(slug="kopi", title="Kopi", first_year=2025, last_year=2028)
    apply_import(content, PlanTarget.existing(copy))

    def snapshot(plan: BudgetPlan) -> list[tuple]:
        rows = []
        for item in (
            Item.objects.filter(plan=plan).with_status().order_by("number", "committee__code")
        ):
            rows.append(
                (
                    item.number,
                    item.title,
                    item.kind,
                    item.committee.code,
                    sorted(c.code for c in item.also_committees.all()),
                    item.heading.name if item.heading else None,
                    item.cross_cutting,
                    item.markers,
                    item.timing,
                    item.responsible_display,
                    item.completed,
                    {year: value for year, value in item.amounts_by_year().items()},
                    item.status_colour,
                    item.status_comment,
                    item.course,
                    item.coordination,
                    item.commitment,
                    item.board_role,
                )
            )
        return rows

    assert snapshot(copy) == snapshot(filled_plan)
    d01 = Item.objects.get(plan=copy, number="D01")
    assert d01.course == "Vi holder kursen\nog følger op"
    assert d01.board_role == "Direktionen følger op kvartalsvis"


def test_export_view_follows_filters(client: Any, filled_plan: BudgetPlan, secretary: Any) -> None:
    client.force_login(secretary)
    url = reverse("plans:export_xlsx", args=[filled_plan.slug])
    response = client.get(url, {"committee": "AU", "as_of": "2025-09"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "AU-2025-09-aaben.xlsx" in response["Content-Disposition"]
    workbook = load(response.content)
    drift = workbook["Driftsændringer"]
    header = [cell.value for cell in drift[4]]
    assert drift.cell(row=5, column=header.index("Status") + 1).value == "Gul"
    assert "Hensigtserklæringer" not in workbook.sheetnames


def test_export_view_kind_filter(client: Any, filled_plan: BudgetPlan, economy_chief: Any) -> None:
    client.force_login(economy_chief)
    response = client.get(reverse("plans:export_xlsx", args=[filled_plan.slug]), {"kind": "anlaeg"})
    assert load(response.content).sheetnames == ["Anlægsprojekter"]


def test_export_view_committee_extract_needs_permission(
    client: Any, filled_plan: BudgetPlan, secretary: Any
) -> None:
    client.force_login(secretary)  # secretary of AU only
    response = client.get(
        reverse("plans:export_xlsx", args=[filled_plan.slug]), {"committee": "BUU"}
    )
    assert response.status_code == 403


def test_export_view_requires_a_role(client: Any, filled_plan: BudgetPlan, make_user: Any) -> None:
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("plans:export_xlsx", args=[filled_plan.slug])).status_code == 403


def test_export_view_wrong_method(client: Any, filled_plan: BudgetPlan, reader: Any) -> None:
    client.force_login(reader)
    assert client.post(reverse("plans:export_xlsx", args=[filled_plan.slug])).status_code == 405


def test_export_view_anonymous_is_sent_to_login(client: Any, filled_plan: BudgetPlan) -> None:
    response = client.get(reverse("plans:export_xlsx", args=[filled_plan.slug]))
    assert response.status_code == 302


def test_export_view_query_count_does_not_grow(
    client: Any, plan: BudgetPlan, make_item: Any, reader: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        item = make_item(f"D{n:02d}", amounts={2025: n}, also=("AU",))
        item.record_status(colour="green")
    client.force_login(reader)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plans:export_xlsx", args=[plan.slug]))
    assert response.status_code == 200


def test_export_view_colour_and_search_filters(
    client: Any, filled_plan: BudgetPlan, economy_chief: Any
) -> None:
    client.force_login(economy_chief)
    url = reverse("plans:export_xlsx", args=[filled_plan.slug])

    def numbers(response: Any) -> list[str]:
        workbook = load(response.content)
        column = {
            sheet.title: 2 if sheet.title == "Hensigtserklæringer" else 1 for sheet in workbook
        }
        return [
            row[column[sheet.title] - 1].value
            for sheet in workbook
            for row in sheet.iter_rows(min_row=5)
            if row[column[sheet.title] - 1].value
        ]

    assert numbers(client.get(url, {"colour": "red", "as_of": "2025-10"})) == ["D01"]
    assert numbers(client.get(url, {"q": "Halmstad"})) == ["H07"]

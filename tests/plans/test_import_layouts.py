"""Workbooks as municipalities keep them: no figure may be lost silently (issue 21)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from plans.importer.reader import ParseResult, header_field, read_workbook
from tests.plans.workbooks import COMMITTEES, rewrite_member, workbook_bytes

HEADER = ["Nr.", "Emne", "Fagudvalg"]


def read(sheets: dict, committees=COMMITTEES, **options: object) -> ParseResult:
    return read_workbook(workbook_bytes(sheets, **options), committees)


def warnings(result: ParseResult) -> list[str]:
    return [str(problem) for problem in result.problems if not problem.fatal]


def test_bo_headers_are_the_years_after_the_budget_year() -> None:
    rows = [
        [*HEADER, "Budget 2025", "BO1 2026", "BO2 2027", "BO3 2028", "Kursen for 2026"],
        ["D01", "Sygefravær", "ØK", -100, -200, "-300,5", 400, "Vi holder kursen"],
        ["D02", "Rengøring", "AU", None, 50, 60, 70, "Ny kurs"],
    ]
    result = read({"Driftsændringer": rows})
    assert not result.has_fatal, result.problems
    assert result.years == [2025, 2026, 2027, 2028]
    first, second = result.items
    assert first.amounts == {
        2025: Decimal(-100),
        2026: Decimal(-200),
        2027: Decimal("-300.5"),
        2028: Decimal(400),
    }
    assert second.amounts == {2025: 0, 2026: 50, 2027: 60, 2028: 70}
    assert (first.course, second.course) == ("Vi holder kursen", "Ny kurs")
    assert result.ignored_columns == []
    assert result.sheet_years["Driftsændringer"] == {2025: "D", 2026: "E", 2027: "F", 2028: "G"}


def test_a_year_header_over_text_is_no_amount_column_and_is_reported() -> None:
    rows = [
        [*HEADER, "2025", "Mål for 2026"],
        ["D01", "P", "ØK", 10, "Færre sygedage"],
    ]
    result = read({"Drift": rows})
    assert not result.has_fatal, result.problems
    assert result.items[0].amounts == {2025: Decimal(10)}
    assert [(c.column, c.header) for c in result.ignored_columns] == [("E", "Mål for 2026")]
    assert result.years == [2025]


def test_two_row_header_with_cells_merged_down_keeps_the_second_rows_years() -> None:
    rows = [
        ["Nr.", "Emne", "Fagudvalg", "Beløb i 1.000 kr.", None, None, None, "Status"],
        [None, None, None, "2025", "BO1 2026", "BO2 2027", "BO3 2028", None],
        ["D01", "P", "ØK", 1, 2, 3, 4, "Grøn"],
    ]
    merges = {"Drift": ["A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:H2"]}
    result = read({"Drift": rows}, merges=merges)
    assert not result.has_fatal, result.problems
    item = result.items[0]
    assert item.amounts == {2025: 1, 2026: 2, 2027: 3, 2028: 4}
    assert item.status_colour == "green"
    assert result.ignored_columns == []


def test_whole_headers_only_no_prefix_capture() -> None:
    assert header_field("Bemærkninger fra udvalg") is None
    assert header_field("Status oktober 2025") == "status_colour"
    assert header_field("Status pr. 31-10-2025") == "status_colour"
    assert header_field("Status pr. oktober 2025") == "status_colour"
    assert header_field("Statuskommentar november") == "status_comment"
    assert header_field("Ansvarlig direktør/fagchef") == "responsible"
    rows = [
        [*HEADER, "Bemærkninger fra udvalg", "Statuskommentar", "Tværgående aspekter"],
        ["D01", "P", "ØK", "Udvalget vil høres", "Følger planen", "Går på tværs"],
    ]
    result = read({"Drift": rows})
    item = result.items[0]
    assert item.status_comment == "Følger planen"
    assert item.coordination == "Går på tværs"
    assert item.cross_cutting is False
    assert [c.header for c in result.ignored_columns] == ["Bemærkninger fra udvalg"]


def test_narrative_headers_and_line_breaks() -> None:
    rows = [
        [*HEADER, "Kurs", "Proces", "KKC", "Direktionens rolle"],
        ["D01", "P", "ØK", "Linje 1\nLinje 2", "Vi leverer", "Koordineres i MED", "Følger op"],
    ]
    item = read({"Drift": rows}).items[0]
    assert item.course == "Linje 1\nLinje 2"
    # The customer's format: Proces is the commitment; KKC holds both, kept whole.
    assert item.coordination == "Koordineres i MED"
    assert item.commitment == "Vi leverer"
    assert item.board_role == "Følger op"
    rows = [[*HEADER, "Kursen", "Koordinering", "Commitment"], ["D01", "P", "ØK", "a", "b", "c"]]
    item = read({"Drift": rows}).items[0]
    assert (item.course, item.coordination, item.commitment) == ("a", "b", "c")
    rows = [[*HEADER, "Koordinering og commitment"], ["D01", "P", "ØK", "ØK og AU; AU leverer"]]
    result = read({"Drift": rows})
    assert (result.items[0].coordination, result.items[0].commitment) == (
        "ØK og AU; AU leverer",
        "",
    )
    assert not result.ignored_columns


def test_control_characters_in_cells_are_cleaned_on_input() -> None:
    # Excel stores control characters escaped as _x000B_; openpyxl will not write them.
    rows = [[*HEADER, "Beskrivelse"], ["D01", "Titel§1", "ØK", "Første§BAnden§7"]]
    content = workbook_bytes({"Drift": rows})
    strings = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    strings = strings.replace("§".encode(), b"_x000").replace(b"_x0001", b"_x0001_")
    strings = strings.replace(b"_x000B", b"_x000B_").replace(b"_x0007", b"_x0007_")
    content = rewrite_member(content, "xl/worksheets/sheet1.xml", strings)
    item = read_workbook(content, COMMITTEES).items[0]
    assert item.title == "Titel"
    assert item.description == "Første\nAnden"


def test_warning_for_more_than_one_decimal_names_sheet_column_and_year() -> None:
    rows = [[*HEADER, "2025", "2026"], ["D01", "P", "ØK", 1.25, "2,5"]]
    result = read({"Drift": rows})
    assert result.items[0].amounts == {2025: Decimal("1.3"), 2026: Decimal("2.5")}
    [warning] = [w for w in warnings(result) if "decimal" in w]
    assert "ark «Drift»" in warning and "kolonne D" in warning and "2025" in warning


def test_warning_for_an_ignored_column_holding_numbers() -> None:
    rows = [
        [*HEADER, "2025", "Overslag", "Noter", "Ekstra"],
        ["D01", "P", "ØK", 1, 99, "tekst", "1.200"],
        ["D02", "Q", "ØK", 1, None, "mere tekst", "-300,5"],
    ]
    result = read({"Drift": rows})
    found = [w for w in warnings(result) if "indeholder tal" in w]
    assert len(found) == 2
    assert "ark «Drift»" in found[0] and "kolonne E" in found[0] and "Overslag" in found[0]
    assert "kolonne G" in found[1] and "i 2 række(r)" in found[1]


def test_warning_for_a_year_header_column_with_numbers_and_text() -> None:
    rows = [[*HEADER, "BO1 2026"], ["D01", "P", "ØK", 5], ["D02", "Q", "ØK", "ukendt"]]
    result = read({"Drift": rows})
    assert all(item.amounts == {} for item in result.items)
    assert [c.header for c in result.ignored_columns] == ["BO1 2026"]
    assert any("kolonne D" in w and "BO1 2026" in w for w in warnings(result))


def test_committee_full_name_with_a_comma_matches_before_splitting() -> None:
    committees = [*COMMITTEES, ("SSÆ", "Social-, Sundheds- og Ældreudvalget")]
    rows = [
        HEADER,
        ["D01", "P", "Social-, Sundheds- og Ældreudvalget"],
        ["D02", "Q", "BUU, Social-, Sundheds- og Ældreudvalget"],
        ["D03", "R", "social-,  sundheds- og ældreudvalget og AU"],
    ]
    result = read({"Drift": rows}, committees=committees)
    assert not result.has_fatal, result.problems
    assert [item.committee_codes for item in result.items] == [
        ["SSÆ"],
        ["BUU", "SSÆ"],
        ["SSÆ", "AU"],
    ]


def test_unknown_committees_are_reported_once_with_their_case() -> None:
    rows = [HEADER] + [[f"D{n:02d}", "P", "XU"] for n in range(1, 30)] + [["d30", "Q", "Yu"]]
    result = read({"Drift": rows}, committees=[])
    messages = [problem.message for problem in result.problems if problem.fatal]
    assert len(messages) == 2
    assert "«XU» i 29 række(r)" in messages[0]
    assert "«Yu» i 1 række(r)" in messages[1]
    assert result.unknown_committees["XU"][0] == ("Drift", 2, "C")


# --- the preview (writer) ------------------------------------------------------------

import pytest  # noqa: E402

from plans.importer.writer import PlanTarget, apply_import, preview_import  # noqa: E402
from plans.models import Item, ReportSource, StatusReport  # noqa: E402
from plans.months import current_month  # noqa: E402


@pytest.mark.django_db
def test_preview_lists_changed_fields_before_and_after(plan, make_item) -> None:
    make_item("D01", "ØK", title="Gammel titel", amounts={2025: 100}, course="Gammel kurs")
    make_item("D02", "ØK", title="Uændret")
    rows = [
        [*HEADER, "2025", "2026", "2027", "2028", "Kursen for 2025"],
        ["D01", "Ny titel", "ØK", 150, 0, 0, 0, "Ny kurs"],
        ["D02", "Uændret", "ØK", 0, 0, 0, 0, ""],
        ["D03", "Helt nyt", "AU", 1, 0, 0, 0, ""],
    ]
    preview = preview_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    listed = {change.parsed.number: change for change in preview.listed_changes}
    assert set(listed) == {"D01", "D03"}
    assert listed["D03"].action == "created"
    assert listed["D01"].differences() == [
        ("Emne", "Gammel titel", "Ny titel"),
        ("Kursen", "Gammel kurs", "Ny kurs"),
        ("2025", "100", "150"),
    ]


@pytest.mark.django_db
def test_a_workbook_without_narrative_columns_keeps_the_texts(plan, make_item) -> None:
    make_item("D01", "ØK", title="P", course="Skrevet i systemet")
    rows = [[*HEADER, "2025", "2026", "2027", "2028"], ["D01", "P", "ØK", 0, 0, 0, 0]]
    preview = apply_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    assert preview.totals.updated == 0
    assert Item.objects.get(number="D01").course == "Skrevet i systemet"


@pytest.mark.django_db
def test_preview_warns_about_a_plan_year_without_amount_column(plan) -> None:
    rows = [[*HEADER, "2025", "BO1 2026", "BO2 2027"], ["D01", "P", "ØK", 1, 2, 3]]
    preview = preview_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    [warning] = [str(p) for p in preview.warnings if "ingen beløbskolonne" in p.message]
    assert "ark «Drift»" in warning and "2028" in warning


@pytest.mark.django_db
def test_preview_warns_when_colours_come_on_top_of_directors_reports(
    plan, make_item, director
) -> None:
    item = make_item("D01", "ØK", title="P")
    StatusReport.objects.create(
        item=item,
        period=current_month(),
        colour="green",
        comment="Indberettet",
        author=director,
        source=ReportSource.WEB,
    )
    rows = [[*HEADER, "Status"], ["D01", "P", "ØK", "Rød"]]
    preview = preview_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    [warning] = [p.message for p in preview.warnings if "oven i" in p.message]
    assert "D01" in warning and "1 status" in warning
    assert preview.over_reports == ["D01"]


def test_the_upload_guide_lists_the_new_headers(client, admin_user) -> None:
    from django.urls import reverse

    from plans.importer.reader import header_guide

    guide = {label: names for label, _, names in header_guide()}
    assert guide["Kursen"] == ["Kursen", "Kursen for 2025", "Kurs", "Årets kurs"]
    assert guide["Koordinering"] == [
        "Koordinering",
        "Tværgående aspekter",
        "KKC",
        "Koordinering og Commitment",
    ]
    assert guide["Commitment"] == ["Commitment", "Proces"]
    assert "Direktionens rolle" in guide["Direktionens rolle"]
    client.force_login(admin_user)
    page = client.get(reverse("plans:import_upload")).content.decode()
    for text in ("Kursen for 2025", "Tværgående aspekter", "KKC", "Direktionens rolle", "BO1 2026"):
        assert text in page

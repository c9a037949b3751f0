"""Audit of the importer against the customer's spec (docs/excel-format.md) with
workbooks unlike the sample: real files built with openpyxl, imported through
`import_plan` and the writer, every field and amount checked in the database."""

from __future__ import annotations

import io
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from committees.models import Committee
from plans.importer.reader import ParseResult, parse_amount, read_workbook
from plans.importer.writer import PlanTarget, apply_import, preview_import
from plans.models import BudgetPlan, Item, ReportSource, StatusReport
from plans.months import current_month
from tests.plans.workbooks import COMMITTEES, workbook_bytes

HEADER = ["Nr.", "Emne", "Fagudvalg"]


def import_plan(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_plan", str(path), "--plan", "2025-2028", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, content: bytes, name: str = "plan.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def read(sheets: dict, **options: Any) -> ParseResult:
    return read_workbook(workbook_bytes(sheets, **options), COMMITTEES)


def warnings(result: ParseResult) -> list[str]:
    return [str(problem) for problem in result.problems if not problem.fatal]


def amounts(item: Item) -> dict[int, Decimal]:
    return item.amounts_by_year()


def fields(item: Item) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": item.title,
        "committee": item.committee.code,
        "also": sorted(c.code for c in item.also_committees.all()),
        "heading": item.heading.name if item.heading else "",
        "cross_cutting": item.cross_cutting,
        "completed": item.completed,
        "markers": item.markers,
        "timing": item.timing,
        "responsible": item.responsible_name,
        "description": item.description,
    }


# --- a workbook laid out unlike the sample, through the command ----------------------------


def unlike_the_sample() -> bytes:
    """One sheet: title rows, the header on rows 5-6 with «Nr.» merged down and the years
    under a merged «Beløb i 1.000 kr.» (as a float, as text, as BO2/Overslagsår), section
    rows, Danish amount texts, an unknown column, blank and totals rows."""
    rows: list[list[Any]] = [
        ["Udmøntningsplan 2025-2028"],
        ["Vedtaget af Kommunalbestyrelsen 11-12-2024"],
        [],
        ["Alle beløb i 1.000 kr."],
        [
            "Løbenr.",
            "Indsats",
            "Udvalg",
            "Beløb i 1.000 kr.",
            None,
            None,
            None,
            "Tværgående indsats",
            "Afsluttet (X)",
            "Intern note",
            "Ansvarlig fagchef",
            "Tidsplan",
            "Markering",
            "Farve",
        ],
        [None, None, None, 2025.0, "2026", "BO2 2027", "Overslagsår 2028"],
        ["Driftsændringer"],
        [
            "D01",
            "  Færre vikarer  ",
            " børne- og ungdomsudvalget ",
            "1.200,5",
            "-1.500",
            "1.500 kr.",
            "\u2212300",
            "X",
            None,
            "må ikke med",
            "Mette Holm",
            "1. kvartal 2025",
            None,
            "Grøn",
        ],
        [],
        ["D02", "Fælles indkøb", "ØK og AU", -100, None, 0, -100.5, "ja", "x", None, None, None],
        [None, None, None, None],
        ["Driftsændringer i alt", None, None, "=SUM(D8:D10)", "=SUM(E8:E10)"],
        ["Råderumsforslag"],
        [
            "R307",
            "Fravær",
            "AU",
            0,
            "-1.500",
            "-3.000",
            "-3.000",
            "X",
            None,
            None,
            None,
            None,
            "(B)",
            "Gul",
        ],  # fmt: skip
        ["R307", "Fravær", "Børne- og Ungdomsudvalget", 0, "-1.000", "-2.500", "-2.500", "X"],
        ["Hensigtserklæringer"],
        ["Partnerskaber"],
        ["H07", "Halmstad", "økonomiudvalget", None, None, None, None, None, "X"],
        ["I alt", None, None, "=SUM(D8:D18)"],
    ]
    return workbook_bytes(
        {"Udmøntningsplan": rows},
        merges={"Udmøntningsplan": ["A5:A6", "B5:B6", "C5:C6", "D5:G5", "A7:N7", "A13:N13"]},
        bold={"Udmøntningsplan": ["A7", "A13", "A16"]},
        freeze="A7",
    )


def test_a_workbook_unlike_the_sample_imports_every_field(
    committees: dict[str, Committee], tmp_path: Path
) -> None:
    path = write(tmp_path, unlike_the_sample())
    output = import_plan(path, "--create")
    assert "Importeret: 5 nye, 0 ændrede, 0 uændrede punkter; 2 nye statusser" in output
    assert "kolonne J: «Intern note»" in output
    plan = BudgetPlan.objects.get(slug="2025-2028")
    assert plan.items.count() == 5

    d01 = plan.items.get(number="D01")
    assert fields(d01) == {
        "kind": "drift",
        "title": "Færre vikarer",
        "committee": "BUU",
        "also": [],
        "heading": "",
        "cross_cutting": True,
        "completed": False,
        "markers": "",
        "timing": "1. kvartal 2025",
        "responsible": "Mette Holm",
        "description": "",
    }
    assert amounts(d01) == {
        2025: Decimal("1200.5"),
        2026: Decimal(-1500),
        2027: Decimal(1500),
        2028: Decimal(-300),
    }
    assert (d01.latest_report().colour, d01.latest_report().period) == ("green", current_month())

    d02 = plan.items.get(number="D02")
    assert fields(d02) == {
        "kind": "drift",
        "title": "Fælles indkøb",
        "committee": "ØK",
        "also": ["AU"],
        "heading": "",
        "cross_cutting": True,
        "completed": True,
        "markers": "",
        "timing": "",
        "responsible": "",
        "description": "",
    }
    assert amounts(d02) == {2025: -100, 2026: 0, 2027: 0, 2028: Decimal("-100.5")}
    assert d02.latest_report() is None

    r307 = {item.committee.code: item for item in plan.items.filter(number="R307")}
    assert set(r307) == {"AU", "BUU"}
    assert fields(r307["AU"])["kind"] == "raaderum" and r307["AU"].markers == "(B)"
    assert amounts(r307["AU"]) == {2025: 0, 2026: -1500, 2027: -3000, 2028: -3000}
    assert amounts(r307["BUU"]) == {2025: 0, 2026: -1000, 2027: -2500, 2028: -2500}
    assert r307["AU"].latest_report().colour == "yellow"
    assert r307["BUU"].cross_cutting and r307["BUU"].latest_report() is None

    h07 = plan.items.get(number="H07")
    assert (h07.kind, h07.heading.name, h07.committee.code, h07.completed) == (
        "hensigt",
        "Partnerskaber",
        "ØK",
        True,
    )
    assert amounts(h07) == {2025: 0, 2026: 0, 2027: 0, 2028: 0}

    again = import_plan(path)
    assert "Importeret: 0 nye, 0 ændrede, 5 uændrede punkter; 0 nye statusser" in again
    assert StatusReport.objects.count() == 2


# --- year headings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headings",
    [
        [2025.0, 2026.0, 2027.0, 2028.0],
        ["2025", "2026", "2027", "2028"],
        [2025, "B2026", "Budget 2027", "2028 (1.000 kr.)"],
        ["Budget 2025", "BO1 2026", "BO2 2027", "BO3 2028"],
    ],
)
def test_year_headings_in_every_form_give_every_year(headings: list[Any]) -> None:
    rows = [[*HEADER, *headings], ["D1", "P", "ØK", "1.000", -2, "3,5", 4.0]]
    result = read({"Drift": rows})
    assert not result.problems, result.problems
    assert result.years == [2025, 2026, 2027, 2028]
    assert result.items[0].amounts == {
        2025: Decimal(1000),
        2026: Decimal(-2),
        2027: Decimal("3.5"),
        2028: Decimal(4),
    }


def test_float_years_in_a_second_header_row() -> None:
    rows = [
        [*HEADER, "Beløb i 1.000 kr.", None],
        [None, None, None, 2025.0, 2026.0],
        ["D1", "P", "ØK", 7, 8],
    ]
    result = read({"Drift": rows}, merges={"Drift": ["D1:E1"]})
    assert result.items[0].amounts == {2025: 7, 2026: 8}
    assert result.ignored_columns == []


def test_a_second_column_for_the_same_year_is_reported_not_dropped_silently() -> None:
    rows = [[*HEADER, "2025", "Budget 2025"], ["D1", "P", "ØK", 1, 2]]
    result = read({"Drift": rows})
    assert result.items[0].amounts == {2025: Decimal(1)}
    assert [(c.column, c.header) for c in result.ignored_columns] == [("E", "Budget 2025")]
    [warning] = [w for w in warnings(result) if "kolonne E" in w]
    assert "2025" in warning and "kolonne D" in warning


def test_derived_running_costs_beside_the_construction_years_are_reported() -> None:
    """Anlæg with «Afledt drift» for the same years under a second merged group: the
    first group is the plan's amounts; the second is ignored, and the preview says so."""
    rows = [
        [*HEADER, "Anlægsudgift", None, "Afledt drift", None],
        [None, None, None, 2025, 2026, 2025, 2026],
        ["A1", "Skole", "BUU", 100, 200, 5, 6],
    ]
    result = read({"Anlæg": rows}, merges={"Anlæg": ["D1:E1", "F1:G1"]})
    assert not result.has_fatal, result.problems
    assert result.items[0].amounts == {2025: 100, 2026: 200}
    assert [(c.column, c.header) for c in result.ignored_columns] == [
        ("F", "Afledt drift 2025"),
        ("G", "Afledt drift 2026"),
    ]
    found = [w for w in warnings(result) if "indeholder tal" in w]
    assert len(found) == 2
    assert "kolonne F" in found[0] and "kolonne D" in found[0]
    assert "kolonne G" in found[1] and "kolonne E" in found[1]


# --- amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500,-", Decimal(1500)),
        ("-1.500,-", Decimal(-1500)),
        ("1.500 kr.", Decimal(1500)),
        ("-1.500 kr", Decimal(-1500)),
        ("1.200,5 kr.", Decimal("1200.5")),
        ("\u22121.500", Decimal(-1500)),
        ("\xa01.200\xa0", Decimal(1200)),
    ],
)
def test_amounts_as_danes_type_them(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


def test_an_amount_merged_over_two_items_counts_once_with_a_warning() -> None:
    """R307 split over AU and BUU with one merged figure: the plan must not hold it twice."""
    rows = [
        [*HEADER, "2025", "2026"],
        ["R307", "Fravær", "AU", 0, -1500],
        ["R307", "Fravær", "BUU", 0, None],
    ]
    result = read({"Råderum": rows}, merges={"Råderum": ["E2:E3"]})
    assert not result.has_fatal, result.problems
    assert [item.amounts for item in result.items] == [
        {2025: 0, 2026: Decimal(-1500)},
        {2025: 0, 2026: 0},
    ]
    [warning] = [w for w in warnings(result) if "flettet" in w]
    assert "E2:E3" in warning and "2026" in warning and "række 2" in warning


def test_a_merged_committee_cell_still_fills_down() -> None:
    rows = [[*HEADER, "2025"], ["D1", "P", "BUU", 1], ["D2", "Q", None, 2]]
    result = read({"Drift": rows}, merges={"Drift": ["C2:C3"]})
    assert [(i.committee, i.amounts) for i in result.items] == [
        ("BUU", {2025: 1}),
        ("BUU", {2025: 2}),
    ]
    assert not result.problems


# --- hidden sheets, duplicated fields ---------------------------------------------------------


def with_hidden_sheet() -> bytes:
    workbook = Workbook()
    visible = workbook.active
    visible.title = "Driftsændringer"
    for row in [[*HEADER, "2025"], ["D1", "Ny", "ØK", 5]]:
        visible.append(row)
    hidden = workbook.create_sheet("Drift sidste år")
    for row in [[*HEADER, "2025"], ["D1", "Gammel", "AU", 99], ["D9", "Gammel", "AU", 1]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_hidden_sheet_is_not_imported_and_the_preview_says_so() -> None:
    result = read_workbook(with_hidden_sheet(), COMMITTEES)
    assert [(i.number, i.title, i.committee) for i in result.items] == [("D1", "Ny", "ØK")]
    [warning] = [w for w in warnings(result) if "Drift sidste år" in w]
    assert "skjult" in warning


def test_two_columns_for_one_field_warn_where_both_differ() -> None:
    rows = [
        [*HEADER, "Ansvarlig direktør", "Ansvarlig fagchef"],
        ["D1", "P", "ØK", "Kim", "Mette"],
        ["D2", "Q", "ØK", None, "Mette"],
        ["D3", "R", "ØK", "Kim", "Kim"],
    ]
    result = read({"Drift": rows})
    assert [item.responsible for item in result.items] == ["Kim", "Mette", "Kim"]
    [warning] = warnings(result)
    assert "række 2" in warning and "kolonne E" in warning
    assert "«Mette»" in warning and "«Kim»" in warning and "i 1 række(r)" in warning


# --- re-import ------------------------------------------------------------------------------


def test_reimport_keeps_the_statuses_written_in_the_app(
    committees: dict[str, Committee], plan: BudgetPlan, director: Any, tmp_path: Path
) -> None:
    rows = [[*HEADER, "2025", "Status", "Statuskommentar"], ["D1", "P", "ØK", 5, "Gul", "Lidt"]]
    path = write(tmp_path, workbook_bytes({"Drift": rows}))
    import_plan(path)
    item = Item.objects.get(number="D1")
    item.record_status(colour="red", comment="Gået i stå", author=director)
    output = import_plan(path)
    assert "0 nye statusser" in output
    colours = list(item.reports.order_by("pk").values_list("colour", "source"))
    assert colours == [("yellow", ReportSource.IMPORT), ("red", ReportSource.WEB)]
    assert item.latest_report().colour == "red"


def test_reimport_of_a_sheet_without_a_years_column_keeps_its_stored_amounts(
    committees: dict[str, Committee], plan: BudgetPlan, make_item: Any
) -> None:
    make_item("D1", "ØK", title="P", amounts={2025: 1, 2028: -3000})
    rows = [
        [*HEADER, "2025", "2026", "2027"],
        ["D1", "P", "ØK", 1, 0, 0],
        ["D2", "Q", "ØK", 1, 2, 3],
    ]
    preview = apply_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    assert preview.totals.unchanged == 1 and preview.totals.created == 1
    assert amounts(Item.objects.get(number="D1"))[2028] == -3000
    assert amounts(Item.objects.get(number="D2"))[2028] == 0
    [warning] = [str(p) for p in preview.warnings if "2028" in p.message]
    assert "nye punkter" in warning and "beholder" in warning


def test_item_numbers_typed_as_numbers_or_text_are_the_same_item(
    committees: dict[str, Committee], plan: BudgetPlan
) -> None:
    first = workbook_bytes({"Drift": [[*HEADER, "2025"], [7, "P", "ØK", "1200"]]})
    apply_import(first, PlanTarget.existing(plan))
    second = workbook_bytes({"Drift": [[*HEADER, "2025"], ["7", "P", "ØK", 1200.0]]})
    preview = apply_import(second, PlanTarget.existing(plan))
    assert preview.totals.unchanged == 1
    assert amounts(Item.objects.get(number="7"))[2025] == 1200


# --- a user's mistake stops the import and saves nothing ----------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["D1", "Igen", "økonomiudvalget", 1], "Nummeret D1 står to gange for ØK"),
        (["D3", "æ" * 501, "ØK", 1], "Emne ved punkt D3 er for lang (501 tegn, højst 500)"),
        (["D3", "P", "Teknikudvalget", 1], "Ukendt fagudvalg «Teknikudvalget»"),
        (["D3", "P", "ØK", "ca. 300"], "Beløbet «ca. 300» for 2025 ved punkt D3 er ikke et tal"),
    ],
)
def test_a_mistake_in_the_last_sheet_saves_nothing(
    committees: dict[str, Committee], tmp_path: Path, bad_row: list[Any], message: str
) -> None:
    content = workbook_bytes(
        {
            "Driftsændringer": [[*HEADER, "2025"], ["D1", "P", "ØK", 1], ["D2", "Q", "AU", 2]],
            "Anlæg": [[*HEADER, "2025"], ["A1", "S", "BUU", 3], bad_row],
        }
    )
    out = StringIO()
    with pytest.raises(CommandError, match="intet er gemt"):
        call_command(
            "import_plan", str(write(tmp_path, content)), "--plan", "2025-2028", "--create",
            stdout=out,
        )  # fmt: skip
    assert message in out.getvalue()
    assert "ark «Anlæg», række 3" in out.getvalue()
    assert not BudgetPlan.objects.exists()
    assert not Item.objects.exists()
    assert not StatusReport.objects.exists()


def test_a_long_description_is_kept_whole(
    committees: dict[str, Committee], plan: BudgetPlan
) -> None:
    text = "Lang beskrivelse med æøå. " * 800
    rows = [[*HEADER, "Beskrivelse"], ["D1", "P", "ØK", text]]
    apply_import(workbook_bytes({"Drift": rows}), PlanTarget.existing(plan))
    assert Item.objects.get(number="D1").description == text.strip()


def test_the_preview_of_unlike_the_sample_saves_nothing(committees: dict[str, Committee]) -> None:
    preview = preview_import(unlike_the_sample(), PlanTarget.new("2025-2028"))
    assert preview.ok, preview.problems
    assert preview.totals.created == 5 and preview.statuses == 2
    assert not BudgetPlan.objects.exists() and not Item.objects.exists()


def test_a_workbook_without_optional_columns_keeps_what_the_plan_holds(
    committees: dict[str, Committee], plan: BudgetPlan, tmp_path: Path
) -> None:
    """A thinner workbook (no Tværgående, Afsluttet, Ansvarlig, ... columns) must not
    clear those fields on the items already in the plan: a missing column is no blank."""
    full = [
        [*HEADER, "Tværgående", "Afsluttet", "Ansvarlig", "Tidspunkt", "Markering", "Beskrivelse"],
        ["D1", "P", "ØK", "X", "X", "Kim Bruun", "Løbende", "(B)", "Lang tekst"],
    ]
    import_plan(write(tmp_path, workbook_bytes({"Drift": full}), "full.xlsx"))
    thin = [[*HEADER, "2025"], ["D1", "Ny titel", "ØK", 5], ["D2", "Nyt", "AU", 1]]
    output = import_plan(write(tmp_path, workbook_bytes({"Drift": thin}), "thin.xlsx"))
    assert "Importeret: 1 nye, 1 ændrede, 0 uændrede" in output
    d1 = Item.objects.get(number="D1")
    assert fields(d1) == {
        "kind": "drift",
        "title": "Ny titel",
        "committee": "ØK",
        "also": [],
        "heading": "",
        "cross_cutting": True,
        "completed": True,
        "markers": "(B)",
        "timing": "Løbende",
        "responsible": "Kim Bruun",
        "description": "Lang tekst",
    }
    assert amounts(d1)[2025] == 5
    d2 = Item.objects.get(number="D2")
    assert (d2.cross_cutting, d2.completed, d2.responsible_name, d2.timing) == (
        False,
        False,
        "",
        "",
    )
    blank = [[*HEADER, "Tværgående", "Afsluttet"], ["D1", "Ny titel", "ØK", None, None]]
    import_plan(write(tmp_path, workbook_bytes({"Drift": blank}), "blank.xlsx"))
    d1.refresh_from_db()
    assert (d1.cross_cutting, d1.completed, d1.timing) == (False, False, "Løbende")

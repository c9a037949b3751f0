"""The pure workbook reader against every variation of docs/excel-format.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plans.importer.reader import (
    colour_from_rgb,
    parse_amount,
    parse_kind,
    read_workbook,
)
from tests.plans.workbooks import COMMITTEES, HEADER, SAMPLE, simple_rows, workbook_bytes


def read(sheets: dict, **options: object):
    return read_workbook(workbook_bytes(sheets, **options), COMMITTEES)


def fatal_messages(result) -> list[str]:
    return [problem.message for problem in result.problems if problem.fatal]


# --- the shared sample -----------------------------------------------------------------


def test_sample_workbook_reads_completely() -> None:
    result = read_workbook(SAMPLE, COMMITTEES)
    assert not result.has_fatal, result.problems
    assert result.years == [2025, 2026, 2027, 2028]
    kinds = [item.kind for item in result.items]
    assert kinds.count("drift") == 20
    assert kinds.count("raaderum") == 17
    assert kinds.count("anlaeg") == 10
    assert kinds.count("hensigt") == 13
    r307 = [item for item in result.items if item.number == "R307"]
    assert [item.committee for item in r307] == ["AU", "BUU"]
    d01 = result.items[0]
    assert d01.number == "D01" and d01.committee_codes == ["ØK"] and d01.cross_cutting
    assert d01.amounts == {year: Decimal(-6000) for year in range(2025, 2029)}
    assert d01.status_colour == "yellow"
    assert d01.responsible == "Kim Bruun Nielsen"
    h07 = next(item for item in result.items if item.number == "H07")
    assert h07.heading == "Partnerskaber"
    assert next(item for item in result.items if item.number == "H13").completed
    assert result.ignored_columns == []


# --- layout -----------------------------------------------------------------------------


def test_section_rows_in_one_sheet_merged_and_bold() -> None:
    rows = [
        ["Udmøntningsplan 2025-2028"],
        ["Beløb i 1.000 kr."],
        [],
        HEADER,
        ["Driftsændringer"],
        ["D01", "Drift et", "ØK", "", 100, 100, 100, 100],
        ["Råderumsforslag"],
        ["R001", "Råderum et", "AU", "X", -50, -50, -50, -50],
        ["ANLÆGSPROJEKTER"],
        ["A01", "Anlæg et", "MTU", "", 1000, 0, 0, 0],
        ["Hensigtserklæringer"],
        ["Partnerskaber"],
        ["H01", "Hensigt et", "BUU"],
        ["Klima, miljø, natur og den grønne omstilling"],
        ["H02", "Hensigt to", "MTU"],
    ]
    result = read(
        {"Ark1": rows},
        merges={"Ark1": ["A5:I5", "A7:I7", "A9:I9", "A11:I11", "A12:I12"]},
        bold={"Ark1": ["A5", "A7"]},
    )
    assert not result.has_fatal, result.problems
    assert [(i.number, i.kind, i.heading) for i in result.items] == [
        ("D01", "drift", ""),
        ("R001", "raaderum", ""),
        ("A01", "anlaeg", ""),
        ("H01", "hensigt", "Partnerskaber"),
        ("H02", "hensigt", "Klima, miljø, natur og den grønne omstilling"),
    ]


def test_kind_column_wins_over_section_and_sheet() -> None:
    rows = [
        ["Nr", "Titel", "Udvalg", "Art", "Tema"],
        ["Driftsændringer"],
        ["X1", "A", "ØK", "Anlæg"],
        ["X2", "B", "ØK", "råderumsforslag"],
        ["X3", "C", "ØK", "Hensigtserklæring", "Vækst"],
        ["X4", "D", "ØK", ""],
    ]
    result = read({"Driftsændringer": rows})
    assert [(i.number, i.kind, i.heading) for i in result.items] == [
        ("X1", "anlaeg", ""),
        ("X2", "raaderum", ""),
        ("X3", "hensigt", "Vækst"),
        ("X4", "drift", ""),
    ]


@pytest.mark.parametrize(
    ("sheet", "kind"),
    [
        ("Driftsændringer", "drift"),
        ("Driftsændring", "drift"),
        ("råderumsforslag", "raaderum"),
        ("Anlæg", "anlaeg"),
        ("Anlægsprojekter", "anlaeg"),
        ("Anlægsprojekt", "anlaeg"),
        ("HENSIGTSERKLÆRINGER", "hensigt"),
        ("Hensigtserklæring", "hensigt"),
    ],
)
def test_kind_from_sheet_name(sheet: str, kind: str) -> None:
    result = read({sheet: simple_rows(["N1", "Titel", "ØK"])})
    assert [item.kind for item in result.items] == [kind]


def test_no_kind_anywhere_is_a_problem() -> None:
    result = read({"Ark1": simple_rows(["N1", "Titel", "ØK"])})
    assert result.has_fatal
    assert "Typen" in fatal_messages(result)[0]


def test_heading_column_and_vertically_merged_heading() -> None:
    rows = [
        ["Hovedpunkt", "Nr.", "Emne", "Fagudvalg"],
        ["Økonomisk Politik", "H01", "Et", "ØK"],
        [None, "H02", "To", "ØK"],
        ["Partnerskaber", "H03", "Tre", "MTU"],
        [None, "H04", "Fire", "MTU"],
    ]
    result = read({"Hensigtserklæringer": rows}, merges={"Hensigtserklæringer": ["A2:A3", "A4:A5"]})
    assert [(i.number, i.heading) for i in result.items] == [
        ("H01", "Økonomisk Politik"),
        ("H02", "Økonomisk Politik"),
        ("H03", "Partnerskaber"),
        ("H04", "Partnerskaber"),
    ]


def test_title_and_note_rows_above_header_within_15_rows() -> None:
    rows = [["Titel"], ["Note: alle beløb i 1.000 kr.", "Udarbejdet af økonomi"]]
    rows += [[]] * 10 + [HEADER, ["D01", "Punkt", "ØK", "", 1, 2, 3, 4]]
    result = read({"Drift": rows})
    assert [item.number for item in result.items] == ["D01"]
    assert result.items[0].row == 14


def test_header_after_row_15_is_not_found() -> None:
    rows = [["Titel"]] + [[]] * 15 + [HEADER, ["D01", "Punkt", "ØK"]]
    result = read({"Drift": rows})
    assert result.has_fatal
    assert not result.items


@pytest.mark.parametrize(
    ("header", "field"),
    [
        (["Nr.", "Emne", "Fagudvalg"], None),
        (["nr", "OVERSKRIFT", "udvalg"], None),
        (["Nummer", "Titel", " Fagudvalg "], None),
        (["Løbenr.", "Indsats", "Udvalg"], None),
        (["ID", "Emne", "Fagudvalg"], None),
    ],
)
def test_required_header_synonyms(header: list[str], field: None) -> None:
    result = read({"Drift": [header, ["D01", "Punkt", "ØK"]]})
    assert not result.has_fatal, result.problems
    assert result.items[0].title == "Punkt"


@pytest.mark.parametrize(
    ("header", "attribute", "cell", "expected"),
    [
        ("Beskrivelse", "description", "Lang tekst", "Lang tekst"),
        ("Tværgående indsats", "cross_cutting", "x", True),
        ("Mærkning", "markers", "(I)(B)", "(I)(B)"),
        ("Markering", "markers", "(B)", "(B)"),
        ("Tidsplan", "timing", "Løbende", "Løbende"),
        ("Forventet behandling", "political_treatment", "AU marts 2025", "AU marts 2025"),
        ("Ansvarlig", "responsible", "Kim", "Kim"),
        ("Ansvarlig fagchef", "responsible", "Mette", "Mette"),
        ("Afsluttet (X)", "completed", "X", True),
        ("afsluttet", "completed", "ja", True),
        ("Farve", "status_colour", "rød", "red"),
        ("Farvekode", "status_colour", "GREEN", "green"),
        ("Bemærkning", "status_comment", "Godt", "Godt"),
        ("Kommentar", "status_comment", "Godt", "Godt"),
        ("Statuskommentar", "status_comment", "Godt", "Godt"),
        ("Kategori", "kind", "Anlæg", "anlaeg"),
        ("Type", "kind", "Hensigtserklæringer", "hensigt"),
        ("Overskriftsgruppe", "heading", "Vækst", "Vækst"),
    ],
)
def test_optional_header_synonyms(header: str, attribute: str, cell: str, expected: object) -> None:
    rows = [["Nr.", "Emne", "Fagudvalg", header], ["D01", "Punkt", "ØK", cell]]
    result = read({"Hensigtserklæringer": rows})
    assert not result.has_fatal, result.problems
    assert getattr(result.items[0], attribute) == expected


@pytest.mark.parametrize(
    "year_header",
    ["2025", 2025, "Beløb 2025", "B2025", "2025 (1.000 kr.)", "beløb 2025 (i 1.000 kr.)"],
)
def test_year_header_forms(year_header: object) -> None:
    result = read({"Drift": [["Nr.", "Emne", "Fagudvalg", year_header], ["D01", "P", "ØK", 1200]]})
    assert result.items[0].amounts == {2025: Decimal(1200)}


def test_any_column_order_and_unknown_columns_reported() -> None:
    rows = [
        ["Status", "2026", "Fagudvalg", "Noter", "Emne", "Intern kode", "Nr.", "2025"],
        ["Grøn", 20, "AU", "egen note", "Punkt", "K-17", "D07", 10],
    ]
    result = read({"Drift": rows})
    item = result.items[0]
    assert (item.number, item.title, item.committee, item.status_colour) == (
        "D07",
        "Punkt",
        "AU",
        "green",
    )
    assert item.amounts == {2025: Decimal(10), 2026: Decimal(20)}
    assert [(c.column, c.header) for c in result.ignored_columns] == [
        ("D", "Noter"),
        ("F", "Intern kode"),
    ]


def test_blank_rows_totals_rows_and_formulas_are_skipped() -> None:
    rows = [
        HEADER,
        [],
        ["D01", "Et", "ØK", "", 100, 100, 100, 100],
        [None, None, None],
        ["D02", "To", "AU", "", 50, 50, 50, 50],
        ["I alt", None, None, None, "=SUM(E3:E5)", "=SUM(F3:F5)", "=SUM(G3:G5)", "=SUM(H3:H5)"],
        [None, "Total", None, None, "=SUM(E3:E5)", "=SUM(F3:F5)"],
        [None, None, None, None, 150, 150, 150, 150],
        ["Driftsændringer i alt", None, None, None, 150],
        [],
    ]
    result = read({"Drift": rows})
    assert not result.has_fatal, result.problems
    assert [item.number for item in result.items] == ["D01", "D02"]


def test_lone_total_row_under_intent_is_not_a_heading() -> None:
    rows = [["Nr.", "Emne", "Fagudvalg"], ["Vækst"], ["H1", "A", "ØK"], ["I alt"]]
    result = read({"Hensigtserklæringer": rows})
    assert [(i.number, i.heading) for i in result.items] == [("H1", "Vækst")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.200", Decimal(1200)),
        ("-3.000", Decimal(-3000)),
        ("1.200,5", Decimal("1200.5")),
        ("\u2212300", Decimal(-300)),
        (" 1 200 ", Decimal(1200)),
        ("", Decimal(0)),
        (None, Decimal(0)),
        ("-", Decimal(0)),
        (-1500, Decimal(-1500)),
        (1200.5, Decimal("1200.5")),
        ("0,5", Decimal("0.5")),
        ("12.345.678", Decimal(12345678)),
        ("(300)", Decimal(-300)),
    ],
)
def test_danish_amounts(text: object, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["ca. 300", "1,2,3", "300 mio", "abc", "1.2.3,4,5"])
def test_amount_that_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amount_text_in_workbook_and_blank_means_zero() -> None:
    rows = [HEADER, ["D01", "Et", "ØK", "", "1.200", "-3.000", "1.200,5", None]]
    result = read({"Drift": rows})
    assert result.items[0].amounts == {
        2025: Decimal(1200),
        2026: Decimal(-3000),
        2027: Decimal("1200.5"),
        2028: Decimal(0),
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("X", True), ("x", True), ("Ja", True), ("ja", True), (None, False), ("", False)],
)
def test_yes_no_cells(cell: object, expected: bool) -> None:
    rows = [["Nr.", "Emne", "Fagudvalg", "Tværgående", "Afsluttet"], ["D1", "P", "ØK", cell, cell]]
    item = read({"Drift": rows}).items[0]
    assert item.cross_cutting is expected and item.completed is expected


@pytest.mark.parametrize(
    ("word", "colour"),
    [
        ("Grøn", "green"),
        ("GUL", "yellow"),
        ("rød", "red"),
        ("green", "green"),
        ("Yellow", "yellow"),
        ("RED", "red"),
        (" Gul ", "yellow"),
    ],
)
def test_status_words(word: str, colour: str) -> None:
    rows = [["Nr.", "Emne", "Fagudvalg", "Status"], ["D1", "P", "ØK", word]]
    assert read({"Drift": rows}).items[0].status_colour == colour


@pytest.mark.parametrize(
    ("fill", "colour"),
    [
        ("FF00B050", "green"),
        ("FF92D050", "green"),
        ("FFC6EFCE", "green"),  # Excel's "Good" style
        ("FFFFFF00", "yellow"),
        ("FFFFC000", "yellow"),
        ("FFFFEB9C", "yellow"),  # Excel's "Neutral"
        ("FFFF0000", "red"),
        ("FFC00000", "red"),
        ("FFFFC7CE", "red"),  # Excel's "Bad"
        ("FFFFFFFF", ""),
        ("FF4472C4", ""),
    ],
)
def test_status_from_fill_colour_when_no_text(fill: str, colour: str) -> None:
    rows = [["Nr.", "Emne", "Fagudvalg", "Status"], ["D1", "P", "ØK", None]]
    result = read({"Drift": rows}, fills={"Drift": {"D2": fill}})
    assert result.items[0].status_colour == colour


def test_theme_and_indexed_fill_colours() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Drift"
    sheet.append(["Nr.", "Emne", "Fagudvalg", "Status"])
    sheet.append(["D1", "P", "ØK", None])
    sheet.append(["D2", "P", "ØK", None])
    sheet["D2"].fill = PatternFill(
        "solid", fgColor=Color(theme=6)
    )  # accent3 of the workbook theme: 9BBB59, green
    sheet["D3"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # red
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_workbook(buffer.getvalue(), COMMITTEES)
    assert [item.status_colour for item in result.items] == ["green", "red"]


def test_colour_by_hue_not_exact_rgb() -> None:
    assert colour_from_rgb("33CC33") == "green"
    assert colour_from_rgb("E6B800") == "yellow"
    assert colour_from_rgb("D9534F") == "red"
    assert colour_from_rgb("808080") is None


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("BUU", ["BUU"]),
        (" buu ", ["BUU"]),
        ("Børne- og Ungdomsudvalget", ["BUU"]),
        ("børne- og ungdomsudvalget", ["BUU"]),
        ("BUU, AU", ["BUU", "AU"]),
        ("BUU/AU", ["BUU", "AU"]),
        ("BUU og AU", ["BUU", "AU"]),
        ("Børne- og Ungdomsudvalget og Arbejdsmarkedsudvalget", ["BUU", "AU"]),
        ("ØK, BUU og MTU", ["ØK", "BUU", "MTU"]),
        ("Miljø- og Teknikudvalget / øk", ["MTU", "ØK"]),
    ],
)
def test_committee_cells(cell: str, codes: list[str]) -> None:
    result = read({"Drift": [["Nr.", "Emne", "Fagudvalg"], ["D1", "P", cell]]})
    assert not result.has_fatal, result.problems
    assert result.items[0].committee_codes == codes


def test_text_is_trimmed_and_keeps_danish_letters() -> None:
    rows = [
        ["Nr.", "Emne", "Fagudvalg", "Tidspunkt"],
        ["  D1 ", "  Æbler, øl og ål  ", "ØK", " Forår "],
    ]
    item = read({"Drift": rows}).items[0]
    assert (item.number, item.title, item.timing) == ("D1", "Æbler, øl og ål", "Forår")


def test_numeric_number_cells_become_text() -> None:
    rows = [["Nr.", "Emne", "Fagudvalg"], [7, "P", "ØK"], [8.0, "Q", "ØK"]]
    assert [item.number for item in read({"Drift": rows}).items] == ["7", "8"]


def test_repeated_header_rows_are_skipped() -> None:
    rows = [HEADER, ["Driftsændringer"], ["D1", "P", "ØK"], HEADER, ["Anlæg"], ["A1", "Q", "ØK"]]
    result = read({"Ark1": rows})
    assert [(i.number, i.kind) for i in result.items] == [("D1", "drift"), ("A1", "anlaeg")]


def test_sheets_without_a_table_are_skipped_with_a_warning() -> None:
    result = read(
        {"Forside": [["Udmøntningsplan"], ["Indhold"]], "Drift": simple_rows(["D1", "P", "ØK"])}
    )
    assert [item.number for item in result.items] == ["D1"]
    assert not result.has_fatal
    assert any(p.sheet == "Forside" and not p.fatal for p in result.problems)


def test_parse_kind_names_any_case_singular_or_plural() -> None:
    assert parse_kind("DRIFTSÆNDRINGER") == "drift"
    assert parse_kind("Anlægsprojekter (1.000 kr.)") == "anlaeg"
    assert parse_kind("Partnerskaber") is None


# --- problems that stop the import ----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Nr.", "Emne", "2025"], "Fagudvalg"),
        (["Nr.", "Fagudvalg", "2025"], "Emne"),
        (["Emne", "Fagudvalg", "2025"], "Nr."),
    ],
)
def test_missing_required_column(header: list[str], missing: str) -> None:
    result = read({"Drift": [header, ["x", "y", 1]]})
    assert result.has_fatal
    assert any(missing in message for message in fatal_messages(result))
    assert not result.items


def test_unknown_committee_is_fatal_with_location() -> None:
    result = read({"Drift": [HEADER, ["D1", "P", "ØK"], ["D2", "Q", "Teknikudvalget"]]})
    problem = [problem for problem in result.problems if problem.fatal][0]
    assert (problem.sheet, problem.row, problem.column) == ("Drift", 3, "C")
    assert "Ukendt fagudvalg «Teknikudvalget»" in problem.message


@pytest.mark.parametrize(
    ("cell", "unknown"),
    [
        ("Teknik- og Miljøudvalget", ["«Teknik- og Miljøudvalget»"]),
        ("Teknik- og Miljøudvalget og AU", ["«Teknik- og Miljøudvalget»"]),
        ("BUU og Teknikudvalget", ["«Teknikudvalget»"]),
    ],
)
def test_unknown_committee_is_named_as_written(cell: str, unknown: list[str]) -> None:
    """A full name with ' og ' that is not a committee here is reported whole, not in
    pieces ('Teknik-', 'Miljøudvalget'); known committees beside it are not reported."""
    result = read({"Drift": [HEADER, ["D1", "P", cell]]})
    named = [
        message.split("«", 1)[1].split("»", 1)[0]
        for message in fatal_messages(result)
        if "Ukendt fagudvalg" in message
    ]
    assert [f"«{name}»" for name in named] == unknown


def test_amount_that_is_not_a_number_is_fatal() -> None:
    result = read({"Drift": [HEADER, ["D1", "P", "ØK", "", "ca. 300"]]})
    problem = [problem for problem in result.problems if problem.fatal][0]
    assert (problem.row, problem.column) == (2, "E")
    assert "ikke et tal" in problem.message


def test_same_number_twice_for_same_committee_is_fatal() -> None:
    result = read({"Drift": [HEADER, ["D1", "P", "ØK"], ["D1", "Q", "ØK"]]})
    assert "to gange" in fatal_messages(result)[0]


def test_same_number_across_sheets_is_a_duplicate() -> None:
    result = read(
        {"Drift": simple_rows(["X1", "P", "ØK"]), "Anlæg": simple_rows(["X1", "Q", "ØK"])}
    )
    assert result.has_fatal


def test_same_number_for_two_committees_is_allowed() -> None:
    result = read({"Råderum": [HEADER, ["R307", "Del 1", "AU"], ["R307", "Del 2", "BUU"]]})
    assert not result.has_fatal
    assert [item.committee for item in result.items] == ["AU", "BUU"]


def test_item_without_title_or_committee_is_fatal() -> None:
    result = read({"Drift": [HEADER, ["D1", None, "ØK", "X"], ["D2", "P", None, "X"]]})
    assert len([problem for problem in result.problems if problem.fatal]) == 2


def test_too_many_rows_is_fatal() -> None:
    rows = [HEADER] + [[f"D{n}", "P", "ØK"] for n in range(5002)]
    result = read({"Drift": rows})
    assert result.has_fatal
    assert "flere end 5.000 rækker" in fatal_messages(result)[0]


# --- hostile files ------------------------------------------------------------------------


def test_not_an_xlsx() -> None:
    result = read_workbook(b"Nr;Emne;Fagudvalg\nD1;P;\xc3\x98K\n", COMMITTEES)
    assert fatal_messages(result) == ["Filen er ikke en Excel-projektmappe (.xlsx)."]


def test_a_zip_that_is_not_a_workbook() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    result = read_workbook(buffer.getvalue(), COMMITTEES)
    assert fatal_messages(result) == ["Filen er ikke en Excel-projektmappe (.xlsx)."]


def test_empty_file() -> None:
    assert fatal_messages(read_workbook(b"", COMMITTEES)) == ["Filen er tom."]


def test_old_xls_format() -> None:
    result = read_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, COMMITTEES)
    assert ".xls" in fatal_messages(result)[0]


def test_zip_bomb_is_refused_before_parsing() -> None:
    import io
    import zipfile

    content = workbook_bytes({"Drift": simple_rows(["D1", "P", "ØK"])})
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/padding.xml", b"\0" * (60 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    result = read_workbook(bomb, COMMITTEES)
    assert result.has_fatal and not result.items
    assert "sikkerhedshensyn" in fatal_messages(result)[0]


def test_high_compression_ratio_is_refused() -> None:
    import io
    import zipfile

    content = workbook_bytes({"Drift": simple_rows(["D1", "P", "ØK"])})
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (5 * 1024 * 1024))
    result = read_workbook(buffer.getvalue(), COMMITTEES)
    assert "zip-bombe" in fatal_messages(result)[0]


def with_entity(doctype: bytes, reference: bytes) -> bytes:
    """A workbook whose sheet XML declares an entity and uses it in a cell."""
    import io
    import zipfile

    from tests.plans.workbooks import rewrite_member

    content = workbook_bytes({"Drift": simple_rows(["D1", "P", "ØK"])})
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    sheet = doctype + sheet.replace(b"<t>P</t>", b"<t>" + reference + b"</t>")
    return rewrite_member(content, "xl/worksheets/sheet1.xml", sheet)


def test_xml_entities_are_never_resolved() -> None:
    result = read_workbook(
        with_entity(b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"),
        COMMITTEES,
    )
    assert result.has_fatal and not result.items
    assert "entiteter" in fatal_messages(result)[0]


def test_defusedxml_guards_openpyxl_itself() -> None:
    """The second line of defence: openpyxl refuses entities because defusedxml is there."""
    import io

    import openpyxl
    from defusedxml.common import DefusedXmlException

    evil = with_entity(b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;")
    with pytest.raises(ValueError) as raised:
        openpyxl.load_workbook(io.BytesIO(evil))
    assert isinstance(raised.value.__cause__, DefusedXmlException)


def test_garbage_inside_a_valid_zip_gives_a_clear_error() -> None:
    from tests.plans.workbooks import rewrite_member

    content = workbook_bytes({"Drift": simple_rows(["D1", "P", "ØK"])})
    broken = rewrite_member(content, "xl/workbook.xml", b"<not-xml")
    result = read_workbook(broken, COMMITTEES)
    assert "kunne ikke læses" in fatal_messages(result)[0]


def test_two_row_header_with_merged_amount_group() -> None:
    rows = [
        ["Nr.", "Emne", "Fagudvalg", "Beløb (1.000 kr.)", None, "Status oktober 2025"],
        [None, None, None, 2025, "2026", None],
        ["D1", "P", "ØK", "1.200", -300, "Gul"],
    ]
    result = read({"Drift": rows}, merges={"Drift": ["D1:E1"]})
    assert not result.has_fatal, result.problems
    item = result.items[0]
    assert item.amounts == {2025: Decimal(1200), 2026: Decimal(-300)}
    assert item.status_colour == "yellow"
    assert result.ignored_columns == []


def test_section_row_carrying_figures() -> None:
    rows = [
        HEADER,
        ["Driftsændringer", None, None, None, 100, 100],
        ["D1", "P", "ØK", "", 100, 100],
        ["Anlægsprojekter", None, None, None, 5],
        ["A1", "Q", "ØK", "", 5],
    ]
    result = read({"Ark1": rows})
    assert [(i.number, i.kind) for i in result.items] == [("D1", "drift"), ("A1", "anlaeg")]


def test_heading_in_the_title_column_of_an_intent_sheet() -> None:
    rows = [["Nr.", "Emne", "Fagudvalg"], [None, "Partnerskaber"], ["H1", "Halmstad", "ØK"]]
    result = read({"Hensigtserklæringer": rows})
    assert [(i.number, i.heading) for i in result.items] == [("H1", "Partnerskaber")]


def test_vertically_merged_committee_cell() -> None:
    rows = [HEADER, ["D1", "P", "BUU"], ["D2", "Q", None], ["D3", "R", "AU"]]
    result = read({"Drift": rows}, merges={"Drift": ["C2:C3"]})
    assert [i.committee for i in result.items] == ["BUU", "BUU", "AU"]


def test_formula_amounts_without_a_cached_value() -> None:
    rows = [HEADER, ["D1", "P", "ØK", "", "=1000+200", "=-3*100", "=SUM(E2:F2)", 4]]
    result = read({"Drift": rows})
    item = result.items[0]
    assert item.amounts == {
        2025: Decimal(1200),
        2026: Decimal(-300),
        2027: Decimal(0),
        2028: Decimal(4),
    }
    warning = next(problem for problem in result.problems if not problem.fatal)
    assert (warning.row, warning.column) == (2, "G")
    assert "ingen gemt værdi" in warning.message


def test_formula_with_a_cached_value_uses_the_value() -> None:
    import io
    import zipfile

    from tests.plans.workbooks import rewrite_member

    content = workbook_bytes({"Drift": [HEADER, ["D1", "P", "ØK", "", "=SUM(1,2)"]]})
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<f>SUM(1,2)</f><v />", b"<f>SUM(1,2)</f><v>1500</v>")
    result = read_workbook(rewrite_member(content, "xl/worksheets/sheet1.xml", sheet), COMMITTEES)
    assert result.items[0].amounts[2025] == Decimal(1500)
    assert not result.problems


def test_note_rows_in_the_table_are_skipped_with_a_warning() -> None:
    rows = [HEADER, ["D1", "P", "ØK"], [], ["* Beløbene er foreløbige"], ["Kilde: Økonomi"]]
    result = read({"Drift": rows})
    assert not result.has_fatal, result.problems
    assert [item.number for item in result.items] == ["D1"]
    assert [problem.row for problem in result.problems] == [4, 5]

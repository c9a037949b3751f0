"""The plan (or a committee's extract) as an .xlsx workbook the importer reads back.

Laid out like the municipality's own workbook: one sheet per kind, a title row, the
header row frozen with an auto filter, amounts as numbers with a thousands format and
the status as word and fill. User text is always written as text: a title starting
with `=` must never become a live formula in someone's spreadsheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from committees.models import Committee
from plans.exports.json import ExportRow, export_rows
from plans.models import BudgetPlan, Kind
from plans.months import current_month, first_of_month, month_label
from plans.sanitize import clean_text

SHEET_TITLES: dict[str, str] = {
    Kind.DRIFT: "Driftsændringer",
    Kind.RAADERUM: "Råderumsforslag",
    Kind.ANLAEG: "Anlægsprojekter",
    Kind.HENSIGT: "Hensigtserklæringer",
}
STATUS_WORDS = {"green": "Grøn", "yellow": "Gul", "red": "Rød"}
STATUS_FILLS = {
    "green": PatternFill("solid", fgColor="FF92D050"),
    "yellow": PatternFill("solid", fgColor="FFFFFF00"),
    "red": PatternFill("solid", fgColor="FFFF0000"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {
    "Hovedpunkt": 28,
    "Nr.": 8,
    "Emne": 50,
    "Fagudvalg": 12,
    "Tværgående": 11,
    "Markering": 10,
    "Beskrivelse": 40,
    "Tidspunkt": 18,
    "Ansvarlig": 24,
    "Afsluttet": 10,
    "Status": 8,
    "Statuskommentar": 50,
    "Kursen": 50,
    "Koordinering": 50,
    "Commitment": 50,
    "Direktionens rolle": 50,
}
# The item's narrative, after the description, under the headers the importer reads.
NARRATIVE_HEADERS = {
    "course": "Kursen",
    "coordination": "Koordinering",
    "commitment": "Commitment",
    "board_role": "Direktionens rolle",
}


def _text_cell(worksheet: Any, row: int, column: int, value: str) -> None:
    cell = worksheet.cell(row=row, column=column)
    value = clean_text(value)
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        # Written as a string, and marked so Excel keeps it text when it is edited.
        cell.data_type = "s"
        cell.quotePrefix = True


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def export_xlsx(
    plan: BudgetPlan,
    committee: Committee | None = None,
    as_of: date | None = None,
    items: Iterable[Any] | None = None,
    public_only: bool = False,
) -> bytes:
    as_of = first_of_month(as_of) if as_of else current_month()
    rows = export_rows(plan, committee, as_of, items, public_only=public_only)
    by_kind: dict[str, list[ExportRow]] = {kind: [] for kind in SHEET_TITLES}
    for row in rows:
        by_kind[row.item.kind].append(row)

    workbook = Workbook()
    workbook.remove(workbook.active)
    kinds = [kind for kind, kind_rows in by_kind.items() if kind_rows] or [Kind.DRIFT]
    subtitle = [f"Status pr. {month_label(as_of)}"]
    if committee is not None:
        subtitle.insert(0, f"Udsnit for {committee.name} ({committee.code})")
    # The version is written inside the file too, not only in its name.
    version = "Åben sag (kun offentlige punkter)" if public_only else "Intern"
    subtitle.append(version)
    workbook.properties.keywords = version
    for kind in kinds:
        kind_rows = by_kind[kind]
        worksheet = workbook.create_sheet(SHEET_TITLES[kind])
        with_heading = kind == Kind.HENSIGT
        with_amounts = kind != Kind.HENSIGT or any(
            any(value for value in row.amounts.values()) for row in kind_rows
        )
        headers = (["Hovedpunkt"] if with_heading else []) + [
            "Nr.",
            "Emne",
            "Fagudvalg",
            "Tværgående",
            "Markering",
        ]
        years = plan.years if with_amounts else []
        headers += [str(year) for year in years]
        headers += [
            "Tidspunkt",
            "Ansvarlig",
            "Afsluttet",
            "Status",
            "Statuskommentar",
            "Beskrivelse",
            *NARRATIVE_HEADERS.values(),
        ]
        _text_cell(worksheet, 1, 1, f"{plan.title} - {SHEET_TITLES[kind]}")
        worksheet.cell(row=1, column=1).font = TITLE_FONT
        _text_cell(
            worksheet,
            2,
            1,
            "Beløb i 1.000 kr. Negative beløb er besparelser. " + ". ".join(subtitle) + ".",
        )
        header_row = 4
        for column, header in enumerate(headers, start=1):
            cell = worksheet.cell(row=header_row, column=column, value=header)
            cell.font = HEADER_FONT
            worksheet.column_dimensions[get_column_letter(column)].width = WIDTHS.get(header, 10)
        status_column = headers.index("Status") + 1
        for offset, row in enumerate(kind_rows, start=1):
            row_number = header_row + offset
            item = row.item
            texts = ([item.heading.name if item.heading else ""] if with_heading else []) + [
                item.number,
                item.title,
                ", ".join([row.committee, *row.also_committees]),
                "X" if item.cross_cutting else "",
                item.markers,
            ]
            column = 1
            for text in texts:
                if text:
                    _text_cell(worksheet, row_number, column, text)
                column += 1
            for year in years:
                cell = worksheet.cell(
                    row=row_number, column=column, value=_number(row.amounts[year])
                )
                cell.number_format = "#,##0" if isinstance(cell.value, int) else "#,##0.0"
                column += 1
            status = row.status or {}
            tail = [
                item.timing,
                row.responsible,
                "X" if item.completed else "",
                STATUS_WORDS.get(status.get("colour", ""), ""),
                status.get("comment", ""),
                item.description,
                *(getattr(item, name) for name in NARRATIVE_HEADERS),
            ]
            for text in tail:
                if text:
                    _text_cell(worksheet, row_number, column, text)
                column += 1
            if status:
                worksheet.cell(row=row_number, column=status_column).fill = STATUS_FILLS[
                    status["colour"]
                ]
        last_row = header_row + max(len(kind_rows), 1)
        worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
        worksheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last_row}"
        worksheet.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

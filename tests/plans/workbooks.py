"""Workbooks built in code for the importer tests (every variation of excel-format.md)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "udmoentningsplan-2025-2028.xlsx"

COMMITTEES = [
    ("ØK", "Økonomiudvalget"),
    ("AU", "Arbejdsmarkedsudvalget"),
    ("BUU", "Børne- og Ungdomsudvalget"),
    ("MTU", "Miljø- og Teknikudvalget"),
    ("KFU", "Kultur- og Fritidsudvalget"),
    ("SSU", "Social- og Sundhedsudvalget"),
    ("DIR", "Direktionen"),
]

HEADER = ["Nr.", "Emne", "Fagudvalg", "Tværgående", "2025", "2026", "2027", "2028", "Status"]


def workbook_bytes(sheets: dict[str, list[list[Any]]], **options: Any) -> bytes:
    """{sheet title: rows}; options: merges={title: ["A5:I5"]}, fills={title: {"I6": "FF0000"}}."""
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
        for merged in options.get("merges", {}).get(title, []):
            worksheet.merge_cells(merged)
        for coordinate, colour in options.get("fills", {}).get(title, {}).items():
            worksheet[coordinate].fill = PatternFill("solid", fgColor=colour)
        for coordinate in options.get("bold", {}).get(title, []):
            worksheet[coordinate].font = Font(bold=True)
        if options.get("freeze"):
            worksheet.freeze_panes = options["freeze"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_rows(*items: list[Any], header: list[str] | None = None) -> list[list[Any]]:
    return [header or HEADER, *items]


def rewrite_member(content: bytes, name: str, new_data: bytes) -> bytes:
    """The same zip with one member replaced (for hostile-file tests)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = new_data if info.filename == name else source.read(info.filename)
            target.writestr(info.filename, data)
    return buffer.getvalue()

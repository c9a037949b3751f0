"""The Excel copy of an extract (plans.exports.xlsx, read back with openpyxl) holds the
same items, amounts and statuses as the PDF extract built by plans.extracts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl

from plans.exports.xlsx import export_xlsx
from plans.extracts import build_extract
from plans.models import BudgetPlan, Kind


def test_xlsx_and_pdf_extract_hold_the_same_items(plan: BudgetPlan, make_item: Any, committees):
    make_item("D11", "AU", Kind.DRIFT, amounts={2025: Decimal("-1200.5"), 2028: 2000})
    make_item("D08", "ØK", Kind.DRIFT, also=("AU",), amounts={2026: 400})
    cross = make_item("D01", "BUU", Kind.DRIFT, cross_cutting=True, amounts={2025: -6000})
    make_item("R307", "AU", Kind.RAADERUM, markers="(B)", amounts={2026: -1500})
    make_item("B01", "BUU", Kind.DRIFT)
    make_item("M01", "MTU", Kind.ANLAEG)
    cross.record_status(colour="green", comment="Okt", period=date(2025, 10, 1))
    cross.record_status(colour="red", comment="Dec", period=date(2025, 12, 1))

    as_of = date(2025, 11, 1)
    extract = build_extract(plan, committees["AU"], as_of)
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_xlsx(plan, committee=committees["AU"], as_of=as_of))
    )
    rows = {}
    for sheet in workbook:
        headers = [cell.value for cell in sheet[4]]
        for row in sheet.iter_rows(min_row=5, values_only=True):
            if row[headers.index("Nr.")]:
                rows[row[headers.index("Nr.")]] = dict(zip(headers, row, strict=False))
    assert sorted(rows) == sorted(row.number for row in extract.rows)
    assert rows["D11"]["2025"] == -1200.5 and rows["D11"]["2028"] == 2000
    d01 = next(row for row in extract.rows if row.number == "D01")
    assert d01.colour_label == "Grøn" and rows["D01"]["Statuskommentar"] == "Okt"


def test_excel_download_of_the_public_extract_leaves_out_non_public_items(
    client, plan: BudgetPlan, make_item: Any, committees, economy_chief
):
    make_item("D11", "AU", Kind.DRIFT)
    make_item("D12", "AU", Kind.DRIFT, public=False, title="Fortroligt punkt")
    client.force_login(economy_chief)

    def numbers(query: str) -> set[str]:
        response = client.get(f"/plans/{plan.slug}/export.xlsx?committee=AU&as_of=2025-11{query}")
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return {
            row[0]
            for sheet in workbook
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row and row[0]
        }

    assert numbers("") == {"D11"}
    assert numbers("&version=intern") == {"D11", "D12"}

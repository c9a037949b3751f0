"""The import_plan and export_plan management commands (docs/interfaces.md)."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from committees.models import Committee
from plans.models import BudgetPlan, Item, StatusReport
from tests.plans.workbooks import HEADER, SAMPLE, workbook_bytes


@pytest.fixture
def all_committees(committees: dict[str, Committee]) -> dict[str, Committee]:
    committees["KFU"] = Committee.objects.create(
        code="KFU", name="Kultur- og Fritidsudvalget", order=10
    )
    committees["SSU"] = Committee.objects.create(
        code="SSU", name="Social- og Sundhedsudvalget", order=11
    )
    return committees


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_sample_with_create(all_committees: dict) -> None:
    output = run("import_plan", str(SAMPLE), "--plan", "2025-2028", "--create", "--title", "Plan A")
    plan = BudgetPlan.objects.get(slug="2025-2028")
    assert plan.title == "Plan A"
    assert plan.items.count() == 60
    assert "Importeret: 60 nye, 0 ændrede, 0 uændrede" in output
    assert "Råderumsforslag" in output and "BUU" in output
    again = run("import_plan", str(SAMPLE), "--plan", "2025-2028")
    assert "Importeret: 0 nye, 0 ændrede, 60 uændrede punkter; 0 nye statusser" in again


def test_dry_run_saves_nothing(all_committees: dict) -> None:
    output = run("import_plan", str(SAMPLE), "--plan", "2025-2028", "--create", "--dry-run")
    assert "Tørkørsel: intet er gemt." in output
    assert "oprettes ved import" in output
    assert not BudgetPlan.objects.exists()
    assert not Item.objects.exists()
    assert not StatusReport.objects.exists()


def test_missing_plan_without_create(all_committees: dict) -> None:
    with pytest.raises(CommandError, match="--create"):
        run("import_plan", str(SAMPLE), "--plan", "2025-2028")


def test_bad_slug_with_create(all_committees: dict) -> None:
    with pytest.raises(CommandError, match="budgetperiode"):
        run("import_plan", str(SAMPLE), "--plan", "næste-år", "--create")


def test_problems_are_printed_and_stop_the_import(committees: dict, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "Drift": [
                    [*HEADER, "Egen kolonne"],
                    ["D1", "P", "ØK", "", "mange"],
                    ["D2", "Q", "Ukendt"],
                ]
            }
        )
    )
    out = StringIO()
    with pytest.raises(CommandError, match="intet er gemt"):
        call_command("import_plan", str(path), "--plan", "2025-2028", "--create", stdout=out)
    printed = out.getvalue()
    assert "ark «Drift», række 2, kolonne E" in printed
    assert "ikke et tal" in printed
    assert "række 3, kolonne C" in printed and "Ukendt fagudvalg «Ukendt»" in printed
    assert "«Egen kolonne»" in printed
    assert not BudgetPlan.objects.exists()


def test_not_an_xlsx_exits_non_zero(committees: dict, tmp_path: Path, plan: BudgetPlan) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("dette er ikke en projektmappe")
    with pytest.raises(CommandError, match=r"Filen er ikke en Excel-projektmappe \(\.xlsx\)\."):
        run("import_plan", str(path), "--plan", plan.slug)


def test_missing_file(plan: BudgetPlan) -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        run("import_plan", "/nonexistent.xlsx", "--plan", plan.slug)


def test_file_over_the_size_limit(plan: BudgetPlan, tmp_path: Path, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 100
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK" + b"\0" * 200)
    with pytest.raises(CommandError, match="for stor"):
        run("import_plan", str(path), "--plan", plan.slug)


def test_command_exit_status_is_non_zero(committees: dict, tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_plan",
            str(path),
            "--plan",
            "2099-2100",
            "--skip-checks",
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode != 0
    assert "Filen er tom." in result.stderr
    assert "Traceback" not in result.stderr


# --- export_plan ----------------------------------------------------------------------


@pytest.fixture
def small_plan(plan: BudgetPlan, make_item: Any) -> BudgetPlan:
    make_item("D01", "AU", amounts={2025: 100}).record_status(colour="red", comment="Stå")
    make_item("D02", "BUU", amounts={2025: 200})
    return plan


def test_export_json(small_plan: BudgetPlan, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    run(
        "export_plan",
        "--plan",
        small_plan.slug,
        "--format",
        "json",
        "-o",
        str(path),
        "--as-of",
        "2030-01",
    )
    document = json.loads(path.read_text())
    assert document["as_of"] == "2030-01"
    assert [item["number"] for item in document["items"]] == ["D01", "D02"]


def test_export_json_committee(small_plan: BudgetPlan, tmp_path: Path) -> None:
    path = tmp_path / "au.json"
    run(
        "export_plan",
        "--plan",
        small_plan.slug,
        "--committee",
        "au",
        "--format",
        "json",
        "-o",
        str(path),
    )
    assert [item["number"] for item in json.loads(path.read_text())["items"]] == ["D01"]


def test_export_xlsx(small_plan: BudgetPlan, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--plan", small_plan.slug, "--format", "xlsx", "-o", str(path))
    workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert workbook.sheetnames == ["Driftsændringer"]


def test_export_pdf(small_plan: BudgetPlan, tmp_path: Path) -> None:
    path = tmp_path / "au.pdf"
    run(
        "export_plan",
        "--plan",
        small_plan.slug,
        "--committee",
        "AU",
        "--format",
        "pdf",
        "-o",
        str(path),
    )
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "1999-2002"], "findes ikke"),
        (["--plan", "2025-2028", "--committee", "XX"], "Ukendt udvalg"),
        (["--plan", "2025-2028", "--as-of", "oktober"], "ÅÅÅÅ-MM"),
    ],
)
def test_export_errors(
    small_plan: BudgetPlan, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run("export_plan", *args, "--format", "json", "-o", str(tmp_path / "x.json"))


def test_export_to_missing_directory(small_plan: BudgetPlan) -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        run(
            "export_plan",
            "--plan",
            small_plan.slug,
            "--format",
            "json",
            "-o",
            "/nonexistent/x.json",
        )

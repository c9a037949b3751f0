"""The commands and the JSON export of docs/interfaces.md (the customer's contract and
the project's extension of it) with the inputs people actually type.

Exit statuses, stderr and what is left on disk are checked by running manage.py as a
real process against a migrated SQLite database holding the demo; the JSON document's
data is checked in-process on the test database.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import BudgetPlan, PlanState, ReadToken
from plans.months import current_month, month_key
from plans.tokens import hash_key
from tests.plans.workbooks import SAMPLE
from tests.processes import manage

# Made in the process database next to the demo's approved 2025-2028 plan.
EXTRA_PLANS = """
from django.contrib.auth import get_user_model
from plans.models import BudgetPlan, PlanState
BudgetPlan.objects.create(slug="2026-2029", title="Udkast 2026-2029", first_year=2026,
    last_year=2029, state=PlanState.DRAFT)
BudgetPlan.objects.create(slug="2021-2024", title="Udmøntningsplan 2021-2024",
    first_year=2021, last_year=2024, state=PlanState.ARCHIVED)
get_user_model().objects.create_superuser("root", "root@example.dk", "x-Ukendt-9876")
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("process-db")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    demo = manage(url, "load_demo", cwd=folder)
    assert demo.returncode == 0, demo.stderr
    extra = manage(url, "shell", "-c", EXTRA_PLANS, cwd=folder)
    assert extra.returncode == 0, extra.stderr
    return url


@pytest.fixture
def run(database: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*arguments: str, **options: Any) -> subprocess.CompletedProcess[str]:
        return manage(database, *arguments, cwd=tmp_path, **options)

    return run


def assert_user_mistake(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


def export(*options: str) -> list[str]:
    return ["export_plan", "--plan", "2025-2028", "--format", "json", *options]


# --- user mistakes: a Danish sentence, status != 0, no traceback, nothing written -----

USER_MISTAKES = [
    (["export_plan", "--plan", "1999-2002", "--format", "json", "-o", "x.json"], "«1999-2002»"),
    ([*export("--committee", "XX"), "-o", "x.json"], "Ukendt udvalg «XX»"),
    ([*export("--committee", "Ø K"), "-o", "x.json"], "Ukendt udvalg «Ø K»"),
    ([*export("--as-of", "2025-13"), "-o", "x.json"], "«2025-13» er ikke en gyldig måned"),
    ([*export("--as-of", "2025-00"), "-o", "x.json"], "ikke en gyldig måned"),
    ([*export("--as-of", "maj 2025"), "-o", "x.json"], "ÅÅÅÅ-MM"),
    ([*export("--as-of", "2025"), "-o", "x.json"], "ÅÅÅÅ-MM"),
    ([*export("-o", "mangler/x.json")], "findes ikke"),
    ([*export("-o", ".")], "er en mappe"),
    # /sys refuses new files even to root, as a folder without write access does.
    ([*export("-o", "/sys/udmoentning.json")], "kunne ikke skrives: ingen skriveadgang"),
    (["status_report", "--plan", "1999-2002", "-o", "r.pdf"], "«1999-2002» findes ikke"),
    (["status_report", "--plan", "2025-2028", "--as-of", "2025-13", "-o", "r.pdf"], "gyldig"),
    (["status_report", "--plan", "2025-2028", "--as-of", "maj 2025", "-o", "r.pdf"], "ÅÅÅÅ-MM"),
    (["status_report", "--plan", "2025-2028", "-o", "mangler/r.pdf"], "findes ikke"),
    (["status_report", "--plan", "2025-2028", "-o", "."], "er en mappe"),
    (["status_report", "--plan", "2025-2028", "-o", "/sys/r.pdf"], "ingen skriveadgang"),
    (["send_status_reminders", "--plan", "1999-2002"], "«1999-2002» findes ikke"),
    (["send_status_reminders", "--plan", "2026-2029"], "ikke godkendt"),
    (["send_status_reminders", "--plan", "2021-2024"], "arkiveret"),
    (["send_status_reminders", "--today", "2025-13-01"], "ikke en dato"),
    (["send_status_reminders", "--today", "1. maj 2025"], "ikke en dato"),
    (["import_plan", "mangler.xlsx", "--plan", "2025-2028"], "findes ikke"),
    (["import_plan", str(SAMPLE), "--plan", "2030-2033"], "--create"),
    (["import_plan", str(SAMPLE), "--plan", "næste år", "--create"], "budgetperiode"),
    (["create_read_token", "BI", "--user", "ingen"], "«ingen» findes ikke"),
    (["create_read_token", "BI", "--user", "root", "--expires", "31-12-2030"], "ÅÅÅÅ-MM-DD"),
    (["create_read_token", "BI", "--user", "root", "--expires", "2020-01-01"], "passeret"),
    (["create_read_token", " ", "--user", "root"], "navn"),
    (["revoke_read_token", "Ukendt nøgle"], "Ingen gyldig læsenøgle"),
    (["revoke_read_token"], "Angiv nøglens navn"),
]


@pytest.mark.own_database
@pytest.mark.parametrize(
    ("arguments", "message"),
    USER_MISTAKES,
    ids=[" ".join(arguments)[:70] for arguments, _message in USER_MISTAKES],
)
def test_a_user_mistake_is_a_danish_sentence_and_leaves_nothing(
    run: Callable[..., Any], tmp_path: Path, arguments: list[str], message: str
) -> None:
    assert_user_mistake(run(*arguments), message)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.own_database
def test_an_import_of_a_file_that_is_not_a_workbook(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    (tmp_path / "plan.xlsx").write_text("ikke en projektmappe", encoding="utf-8")
    assert_user_mistake(run("import_plan", "plan.xlsx", "--plan", "2025-2028"), "Excel")


# --- the output file: all of it or none of it ---------------------------------------


@pytest.mark.own_database
@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        (export("-o", "plan.json"), "plan.json"),
        (["status_report", "--plan", "2025-2028", "--as-of", "2025-10", "-o", "r.pdf"], "r.pdf"),
    ],
)
def test_a_write_that_fails_leaves_no_half_file_and_keeps_the_old_one(
    run: Callable[..., Any], tmp_path: Path, arguments: list[str], name: str
) -> None:
    # The document is tens of KB; a write past 4 KB fails as on a full disk.
    assert_user_mistake(run(*arguments, max_file_bytes=4096), "filen er for stor")
    assert list(tmp_path.iterdir()) == []

    previous = tmp_path / name
    previous.write_bytes(b"yesterday's file")
    assert_user_mistake(run(*arguments, max_file_bytes=4096), "filen er for stor")
    assert previous.read_bytes() == b"yesterday's file"
    assert list(tmp_path.iterdir()) == [previous]


@pytest.mark.own_database
def test_a_failed_export_keeps_the_existing_file(run: Callable[..., Any], tmp_path: Path) -> None:
    previous = tmp_path / "plan.json"
    previous.write_text('{"gammel": true}', encoding="utf-8")
    assert_user_mistake(run(*export("--committee", "XX", "-o", "plan.json")), "Ukendt udvalg")
    assert json.loads(previous.read_text(encoding="utf-8")) == {"gammel": True}


@pytest.mark.own_database
def test_o_onto_an_existing_file_replaces_all_of_it(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    previous = tmp_path / "plan.json"
    previous.write_text(" " * 500_000 + "{}", encoding="utf-8")
    previous.chmod(0o640)
    result = run(*export("--as-of", "2025-10", "-o", "plan.json"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(previous.read_text(encoding="utf-8"))
    assert document["as_of"] == "2025-10"
    assert previous.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.iterdir()) == [previous]


@pytest.mark.own_database
@pytest.mark.parametrize(
    ("file_format", "magic"), [("json", b"{"), ("xlsx", b"PK"), ("pdf", b"%PDF")]
)
def test_each_format_exits_0(
    run: Callable[..., Any], tmp_path: Path, file_format: str, magic: bytes
) -> None:
    path = tmp_path / f"au.{file_format}"
    arguments = ["--plan", "2025-2028", "--committee", "AU", "--format", file_format]
    result = run("export_plan", *arguments, "-o", path.name)
    assert (result.returncode, result.stderr) == (0, "")
    assert path.read_bytes().startswith(magic)
    assert str(path.name) in result.stdout


@pytest.mark.own_database
def test_status_report_exits_0_and_takes_the_plan_as_typed(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    result = run("status_report", "--plan", " 2025-2028 ", "--as-of", "2025-10", "-o", "r.pdf")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "oktober 2025" in result.stdout


# --- committee codes and months as people type them ---------------------------------


def numbers(path: Path) -> list[str]:
    return [item["number"] for item in json.loads(path.read_text(encoding="utf-8"))["items"]]


@pytest.mark.own_database
def test_a_committee_by_code_or_name_in_any_case_and_with_spaces(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    assert run(*export("--committee", "ØK", "-o", "ok.json")).returncode == 0
    whole = run(*export("-o", "alle.json"))
    assert whole.returncode == 0
    expected = numbers(tmp_path / "ok.json")
    assert expected and len(expected) < len(numbers(tmp_path / "alle.json"))
    for typed in ("øk", " ØK ", "Økonomiudvalget", "  økonomiudvalget"):
        result = run(*export("--committee", typed, "-o", "typed.json"))
        assert result.returncode == 0, result.stderr
        assert numbers(tmp_path / "typed.json") == expected, typed


@pytest.mark.own_database
def test_a_month_without_its_leading_zero_is_read(run: Callable[..., Any], tmp_path: Path) -> None:
    result = run(*export("--as-of", "2025-1", "-o", "plan.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "plan.json").read_text())["as_of"] == "2025-01"


@pytest.mark.own_database
@pytest.mark.parametrize("slug", ["2026-2029", "2021-2024"], ids=["draft", "archived"])
def test_draft_and_archived_plans_export(
    run: Callable[..., Any], tmp_path: Path, slug: str
) -> None:
    for file_format in ("json", "xlsx", "pdf"):
        arguments = ["--plan", slug, "--format", file_format, "-o", f"plan.{file_format}"]
        result = run("export_plan", *arguments)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
    document = json.loads((tmp_path / "plan.json").read_text())
    first, last = (int(year) for year in slug.split("-"))
    assert document["plan"]["slug"] == slug
    assert (document["plan"]["first_year"], document["plan"]["last_year"]) == (first, last)
    assert document["as_of"] == month_key(current_month())


@pytest.mark.own_database
def test_load_demo_twice_and_reminders_on_a_given_day(run: Callable[..., Any]) -> None:
    again = run("load_demo")
    assert (again.returncode, again.stderr) == (0, "")
    assert "0 nye punkter, 0 nye statusrapporter" in again.stdout
    dry = run("send_status_reminders", "--plan", "2025-2028", "--dry-run", "--today", "2025-03-02")
    assert (dry.returncode, dry.stderr) == (0, ""), dry.stderr
    assert "02-03-2025" in dry.stdout or "Prøvekørsel" in dry.stdout


@pytest.mark.own_database
def test_a_read_token_made_and_revoked_by_its_commands(run: Callable[..., Any]) -> None:
    made = run("create_read_token", "Power BI", "--user", "root", "--expires", "2999-12-31")
    assert (made.returncode, made.stderr) == (0, "")
    assert "Power BI" in made.stdout
    revoked = run("revoke_read_token", " Power BI ")
    assert (revoked.returncode, revoked.stderr) == (0, ""), revoked.stderr
    assert_user_mistake(run("revoke_read_token", "Power BI"), "Ingen gyldig læsenøgle")


# --- the JSON document's data --------------------------------------------------------


def export_file(tmp_path: Path, *options: str, plan: str = "2025-2028") -> dict[str, Any]:
    path = tmp_path / "export.json"
    call_command(
        "export_plan",
        "--plan",
        plan,
        "--format",
        "json",
        "-o",
        str(path),
        *options,
        stdout=StringIO(),
    )
    return json.loads(path.read_text(encoding="utf-8"))


def by_number(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["number"]: item for item in document["items"]}


def test_every_year_of_the_plan_is_in_amounts_with_its_number(
    plan: BudgetPlan, make_item: Any, tmp_path: Path
) -> None:
    make_item("D01")  # no amounts at all
    make_item("D02", amounts={2026: -1500})
    make_item("D03", amounts={2025: 1, 2028: 4})
    items = by_number(export_file(tmp_path))
    years = ["2025", "2026", "2027", "2028"]
    assert {number: list(item["amounts"]) for number, item in items.items()} == {
        "D01": years,
        "D02": years,
        "D03": years,
    }
    assert items["D01"]["amounts"] == dict.fromkeys(years, 0)
    assert items["D02"]["amounts"] == {"2025": 0, "2026": -1500, "2027": 0, "2028": 0}
    assert items["D03"]["amounts"] == {"2025": 1, "2026": 0, "2027": 0, "2028": 4}
    for item in items.values():
        assert all(type(value) is int for value in item["amounts"].values())


def test_a_plan_of_other_years_has_its_own_years(
    plan: BudgetPlan, make_item: Any, tmp_path: Path
) -> None:
    later = BudgetPlan.objects.create(
        slug="2026-2029", title="Udmøntningsplan 2026-2029", first_year=2026, last_year=2029
    )
    make_item("D01", item_plan=later, amounts={2029: 250})
    document = export_file(tmp_path, plan="2026-2029")
    assert document["plan"]["first_year"] == 2026 and document["plan"]["last_year"] == 2029
    assert document["items"][0]["amounts"] == {"2026": 0, "2027": 0, "2028": 0, "2029": 250}


def test_amounts_with_decimals_stay_exact_numbers(
    plan: BudgetPlan, make_item: Any, tmp_path: Path
) -> None:
    make_item(
        "D01",
        amounts={2025: Decimal("12.5"), 2026: Decimal("-0.1"), 2027: Decimal("1500.0"), 2028: -3},
    )
    amounts = export_file(tmp_path)["items"][0]["amounts"]
    assert amounts == {"2025": 12.5, "2026": -0.1, "2027": 1500, "2028": -3}
    assert type(amounts["2027"]) is int


def test_completed_items_stay_in_the_plan_and_the_extract(
    plan: BudgetPlan, make_item: Any, tmp_path: Path
) -> None:
    make_item("D01", "AU", completed=True)
    make_item("D02", "AU")
    assert by_number(export_file(tmp_path))["D01"]["completed"] is True
    extract = by_number(export_file(tmp_path, "--committee", "au"))
    assert (extract["D01"]["completed"], extract["D02"]["completed"]) == (True, False)


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.ARCHIVED])
def test_draft_and_archived_plans_give_the_whole_document(
    plan: BudgetPlan, make_item: Any, tmp_path: Path, state: str
) -> None:
    make_item("D01", amounts={2025: 5}).record_status(colour="green", period=date(2025, 3, 1))
    BudgetPlan.objects.filter(pk=plan.pk).update(state=state)
    item = export_file(tmp_path, "--as-of", "2025-04")["items"][0]
    assert item["amounts"]["2025"] == 5
    assert item["status"]["period"] == "2025-03"


def test_obs_open_and_closed_month_by_month(
    plan: BudgetPlan, make_item: Any, director: Any, tmp_path: Path
) -> None:
    item = make_item("D01", cross_cutting=True)
    item.record_status(colour="yellow", comment="Forsinket", period=date(2025, 9, 1))
    point = item.open_obs(text="Finansiering mangler", author=director, month=date(2025, 10, 1))
    point.close(reason="Fundet", author=director, month=date(2025, 12, 1))
    item.open_obs(text="Ny tidsplan", author=director, month=date(2026, 2, 1))

    def status(month: str) -> dict[str, Any]:
        return export_file(tmp_path, "--as-of", month)["items"][0]["status"]

    assert (status("2025-09")["obs"], status("2025-09")["obs_text"]) == (False, "")
    # Raised in October: open then and in November, though the latest report is September's.
    for month in ("2025-10", "2025-11"):
        assert status(month) == {
            "colour": "yellow",
            "comment": "Forsinket",
            "period": "2025-09",
            "obs": True,
            "obs_text": "Finansiering mangler",
        }
    # Closed in December: not open from then on, until the next point is raised.
    for month in ("2025-12", "2026-01"):
        assert (status(month)["obs"], status(month)["obs_text"]) == (False, "")
    assert (status("2026-02")["obs"], status("2026-02")["obs_text"]) == (True, "Ny tidsplan")
    assert status("2025-10")["obs_text"] == "Finansiering mangler"


def test_the_command_and_the_api_give_the_same_extract(
    client: Any, plan: BudgetPlan, make_item: Any, admin_user: Any, tmp_path: Path
) -> None:
    make_item("D01", "ØK", amounts={2025: Decimal("2.5")}).record_status(
        colour="red", comment="Stå", period=date(2025, 10, 1), obs=True, obs_text="Se på det"
    )
    make_item("D02", "AU", cross_cutting=True)
    make_item("D03", "AU")
    key = "nøgle-til-kontrakten"
    ReadToken.objects.create(name="BI", key_hash=hash_key(key), created_by=admin_user)
    document = export_file(tmp_path, "--committee", " øk ", "--as-of", "2025-10")
    response = client.get(
        reverse("plans:api_items", args=[plan.slug]),
        {"committee": "ØK", "as_of": "2025-10"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert response.json() == document
    assert [item["number"] for item in document["items"]] == ["D01", "D02"]

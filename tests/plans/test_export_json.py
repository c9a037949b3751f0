"""The JSON document of docs/interfaces.md, exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from committees.models import Committee
from plans.exports.json import export_json
from plans.models import BudgetPlan, Kind

ITEM_KEYS = {
    "number",
    "title",
    "kind",
    "committee",
    "also_committees",
    "heading",
    "cross_cutting",
    "markers",
    "amounts",
    "timing",
    "responsible",
    "completed",
    "status",
    "course",
    "coordination",
    "commitment",
    "board_role",
}


def test_shape_matches_the_interface(plan: BudgetPlan, make_item: Any, director: Any) -> None:
    item = make_item(
        "R307",
        "AU",
        Kind.RAADERUM,
        title="Investering i fraværsindsatsen - besparelser på forsørgelsesudgifter",
        amounts={2026: -1500, 2027: -3000, 2028: Decimal("-3000.5")},
        cross_cutting=True,
        markers="(B)",
        timing="Løbende",
        responsible_name="Anne Lund Mikkelsen",
    )
    item.record_status(
        colour="yellow", comment="…", period=date(2025, 10, 1), obs=True, obs_text="Følg op"
    )
    make_item("H07", "ØK", heading="Partnerskaber", also=("BUU", "AU"), completed=True)

    document = export_json(plan, as_of=date(2025, 10, 1))
    assert document["plan"] == {
        "slug": "2025-2028",
        "title": "Udmøntningsplan 2025-2028",
        "first_year": 2025,
        "last_year": 2028,
        "case_number": "24/7615",
    }
    assert document["as_of"] == "2025-10"
    first, second = document["items"]
    assert set(first) == ITEM_KEYS
    assert first == {
        "number": "R307",
        "title": "Investering i fraværsindsatsen - besparelser på forsørgelsesudgifter",
        "kind": "raaderum",
        "committee": "AU",
        "also_committees": [],
        "heading": None,
        "cross_cutting": True,
        "markers": "(B)",
        "amounts": {"2025": 0, "2026": -1500, "2027": -3000, "2028": -3000.5},
        "timing": "Løbende",
        "responsible": "Anne Lund Mikkelsen",
        "completed": False,
        "status": {
            "colour": "yellow",
            "comment": "…",
            "period": "2025-10",
            "obs": True,
            "obs_text": "Følg op",
        },
        "course": "",
        "coordination": "",
        "commitment": "",
        "board_role": "",
    }
    assert isinstance(first["amounts"]["2026"], int)
    assert second["kind"] == "hensigt"
    assert second["heading"] == "Partnerskaber"
    assert second["also_committees"] == ["AU", "BUU"]  # committee order
    assert second["status"] is None
    assert second["completed"] is True


def test_status_is_the_latest_at_or_before_as_of(plan: BudgetPlan, make_item: Any) -> None:
    item = make_item("D01")
    item.record_status(colour="green", period=date(2025, 9, 1))
    item.record_status(colour="red", period=date(2025, 11, 1))
    assert export_json(plan, as_of=date(2025, 8, 1))["items"][0]["status"] is None
    assert export_json(plan, as_of=date(2025, 10, 1))["items"][0]["status"]["colour"] == "green"
    assert export_json(plan, as_of=date(2025, 11, 1))["items"][0]["status"]["period"] == "2025-11"


def test_items_in_plan_order(plan: BudgetPlan, make_item: Any) -> None:
    make_item("H01", heading="B-punkt")
    make_item("A01", kind=Kind.ANLAEG)
    make_item("R002", kind=Kind.RAADERUM)
    make_item("R001", kind=Kind.RAADERUM)
    make_item("D01")
    numbers = [item["number"] for item in export_json(plan)["items"]]
    assert numbers[0] == "D01"
    assert numbers[-1] == "H01"
    assert numbers.index("R002") < numbers.index("A01")


def test_committee_extract(
    plan: BudgetPlan, make_item: Any, committees: dict[str, Committee]
) -> None:
    make_item("D01", "AU")
    make_item("D02", "BUU", also=("AU",))
    make_item("D03", "MTU", cross_cutting=True)
    make_item("D04", "MTU")
    numbers = [item["number"] for item in export_json(plan, committees["AU"])["items"]]
    assert numbers == ["D01", "D02", "D03"]

"""Writing a read workbook into a plan: preview, one transaction, idempotence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from committees.models import Committee
from plans.importer.writer import ImportRefused, PlanTarget, apply_import, preview_import
from plans.models import BudgetPlan, Heading, Item, StatusReport
from plans.months import current_month
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


def small_workbook(**changes: Any) -> bytes:
    rows = {
        "D01": ["D01", "Effektivisering", "ØK", "X", -6000, -6000, -6000, -6000, "Gul"],
        "D02": ["D02", "Ledelsesinformation", "ØK, AU", "", 400, 400, 400, 400, None],
        "R307a": ["R307", "Fravær (AU)", "AU", "X", 0, -1500, -3000, -3000, "Grøn"],
        "R307b": ["R307", "Fravær (BUU)", "BUU", "X", 0, -1000, -2500, -2500, "Grøn"],
    }
    rows.update(changes)
    intent = [
        ["Hovedpunkt", "Nr.", "Emne", "Fagudvalg", "Ansvarlig"],
        ["Partnerskaber", "H07", "Halmstad", "ØK", "Kim Bruun Nielsen"],
        ["Klima", "H11", "DK2020", "MTU", "Ukendt Person"],
    ]
    return workbook_bytes(
        {
            "Driftsændringer": [HEADER, rows["D01"], rows["D02"]],
            "Råderumsforslag": [HEADER, rows["R307a"], rows["R307b"]],
            "Hensigtserklæringer": intent,
        }
    )


def test_sample_into_a_new_plan(all_committees: dict, director: Any, head: Any) -> None:
    preview = apply_import(SAMPLE.read_bytes(), PlanTarget.new("2025-2028"))
    plan = BudgetPlan.objects.get(slug="2025-2028")
    assert plan.title == "Udmøntningsplan 2025-2028"
    assert plan.items.count() == 60
    assert preview.totals.created == 60
    r307 = plan.items.filter(number="R307").order_by("committee__code")
    assert [item.committee.code for item in r307] == ["AU", "BUU"]
    d01 = plan.items.get(number="D01")
    assert d01.amounts_by_year() == {year: Decimal(-6000) for year in plan.years}
    # Kim Bruun Nielsen is a user: matched by full name.
    assert d01.responsible == director
    assert d01.responsible_name == ""
    assert plan.items.get(number="D05").responsible_name == "Anne Lund Mikkelsen"
    assert d01.latest_report().colour == "yellow"
    assert d01.latest_report().period == current_month()
    assert [h.name for h in Heading.objects.filter(plan=plan)][:2] == [
        "Økonomisk Politik",
        "Politiske visioner",
    ]
    assert plan.items.get(number="H07").heading.name == "Partnerskaber"
    assert plan.items.get(number="H13").completed


def test_preview_saves_nothing(committees: dict) -> None:
    preview = preview_import(small_workbook(), PlanTarget.new("2025-2028"))
    assert preview.ok
    assert preview.totals.created == 6
    assert {(row.kind, row.committee, row.created) for row in preview.rows} == {
        ("drift", "ØK", 2),
        ("raaderum", "AU", 1),
        ("raaderum", "BUU", 1),
        ("hensigt", "ØK", 1),
        ("hensigt", "MTU", 1),
    }
    assert preview.statuses == 3
    assert preview.headings_created == ["Partnerskaber", "Klima"]
    assert not BudgetPlan.objects.exists()
    assert not Item.objects.exists()


def test_reimport_changes_nothing(committees: dict, plan: BudgetPlan) -> None:
    apply_import(small_workbook(), PlanTarget.existing(plan))
    before = {item.pk: (item.updated_at, item.history.count()) for item in Item.objects.all()}
    reports = StatusReport.objects.count()
    second = apply_import(small_workbook(), PlanTarget.existing(plan))
    assert second.totals.created == 0 and second.totals.updated == 0
    assert second.totals.unchanged == 6
    assert second.statuses == 0
    assert StatusReport.objects.count() == reports == 3
    after = {item.pk: (item.updated_at, item.history.count()) for item in Item.objects.all()}
    assert after == before


def test_edited_workbook_updates_only_what_changed(committees: dict, plan: BudgetPlan) -> None:
    apply_import(small_workbook(), PlanTarget.existing(plan))
    untouched = Item.objects.get(number="R307", committee__code="BUU")
    stamp = untouched.updated_at
    edited = small_workbook(
        D02=["D02", "Ledelsesinformation", "ØK", "", 400, 450, 400, 400, None],
        R307a=["R307", "Fravær, ny titel", "AU", "X", 0, -1500, -3000, -3000, "Rød"],
    )
    preview = apply_import(edited, PlanTarget.existing(plan))
    assert preview.totals.updated == 2
    assert preview.totals.unchanged == 4
    assert preview.statuses == 1
    d02 = Item.objects.get(number="D02")
    assert d02.amounts_by_year()[2026] == Decimal(450)
    assert list(d02.also_committees.all()) == []
    r307 = Item.objects.get(number="R307", committee__code="AU")
    assert r307.title == "Fravær, ny titel"
    assert r307.latest_report().colour == "red"
    assert r307.reports.count() == 2
    untouched.refresh_from_db()
    assert untouched.updated_at == stamp


def test_multi_committee_cell_sets_also_committees(committees: dict, plan: BudgetPlan) -> None:
    apply_import(small_workbook(), PlanTarget.existing(plan))
    d02 = Item.objects.get(number="D02")
    assert d02.committee.code == "ØK"
    assert [c.code for c in d02.also_committees.all()] == ["AU"]
    assert d02 in Item.objects.in_extract_for(committees["AU"])


def test_status_colour_recorded_once_per_month(committees: dict, plan: BudgetPlan) -> None:
    apply_import(small_workbook(), PlanTarget.existing(plan))
    d01 = Item.objects.get(number="D01")
    assert d01.reports.count() == 1
    report = d01.reports.get()
    assert (report.colour, report.source, report.period) == ("yellow", "import", current_month())
    apply_import(small_workbook(), PlanTarget.existing(plan))
    assert d01.reports.count() == 1


def test_fatal_problem_saves_nothing(committees: dict) -> None:
    broken = workbook_bytes(
        {"Drift": [HEADER, ["D01", "Et", "ØK"], ["D02", "To", "Ukendt udvalg"]]}
    )
    with pytest.raises(ImportRefused) as refused:
        apply_import(broken, PlanTarget.new("2025-2028"))
    assert "Ukendt fagudvalg" in refused.value.preview.fatal[0].message
    assert not BudgetPlan.objects.exists()
    assert not Item.objects.exists()


def test_fatal_problem_leaves_existing_plan_untouched(committees: dict, plan: BudgetPlan) -> None:
    apply_import(small_workbook(), PlanTarget.existing(plan))
    broken = small_workbook(D02=["D02", "Ændret", "ØK", "", "mange", 1, 1, 1, None])
    with pytest.raises(ImportRefused):
        apply_import(broken, PlanTarget.existing(plan))
    assert Item.objects.get(number="D02").title == "Ledelsesinformation"


def test_amounts_outside_the_plan_years(committees: dict, plan: BudgetPlan) -> None:
    header = ["Nr.", "Emne", "Fagudvalg", "2028", "2029"]
    with_figures = workbook_bytes({"Drift": [header, ["D1", "P", "ØK", 1, 2]]})
    preview = preview_import(with_figures, PlanTarget.existing(plan))
    assert not preview.ok
    assert "2029" in preview.fatal[0].message
    empty_column = workbook_bytes({"Drift": [header, ["D1", "P", "ØK", 1, None]]})
    preview = preview_import(empty_column, PlanTarget.existing(plan))
    assert preview.ok
    assert preview.warnings


def test_items_not_in_the_workbook_are_kept(
    committees: dict, plan: BudgetPlan, make_item: Any
) -> None:
    make_item("Z99", "ØK")
    preview = apply_import(small_workbook(), PlanTarget.existing(plan))
    assert preview.kept == 1
    assert Item.objects.filter(number="Z99").exists()


def test_plan_target_rejects_a_bad_slug() -> None:
    with pytest.raises(ValueError, match="budgetperiode"):
        PlanTarget.new("foo")


def test_preview_text_lists_problems_and_ignored_columns(
    committees: dict, plan: BudgetPlan
) -> None:
    content = workbook_bytes({"Drift": [[*HEADER, "Intern"], ["D1", "P", "ØK", "", "x"]]})
    text = preview_import(content, PlanTarget.existing(plan)).as_text()
    assert "Ignorerede kolonner" in text and "«Intern»" in text
    assert "ark «Drift», række 2, kolonne E" in text


def test_archived_plan_is_not_changed(committees: dict, plan: BudgetPlan) -> None:
    plan.state = "archived"
    plan.save()
    with pytest.raises(ImportRefused) as refused:
        apply_import(small_workbook(), PlanTarget.existing(plan))
    assert "arkiveret" in refused.value.preview.fatal[0].message
    assert not Item.objects.exists()

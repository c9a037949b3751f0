"""The history rows of items an import creates: what django-simple-history itself would
write ('+', the time, the importing user, every tracked field), though the writer copies
them in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from plans.importer.writer import PlanTarget, apply_import
from plans.models import BudgetPlan, Item
from tests.plans.test_import_writer import small_workbook

pytestmark = pytest.mark.django_db


def history_values(row: Any) -> dict[str, Any]:
    return {
        field.attname: getattr(row, field.attname)
        for field in type(row).tracked_fields
        if field.attname not in ("id", "created_at", "updated_at", "order", "number")
    }


@pytest.mark.parametrize("signed_in", [True, False])
def test_created_items_get_the_history_simple_history_writes(
    committees: dict, plan: BudgetPlan, director: Any, signed_in: bool
) -> None:
    started = timezone.now()
    apply_import(small_workbook(), PlanTarget.existing(plan), director if signed_in else None)
    items = list(plan.items.all())
    assert len(items) == 6
    for item in items:
        (row,) = item.history.all()
        assert row.history_type == "+"
        assert row.history_user_id == (director.pk if signed_in else None)
        assert row.history_change_reason is None
        assert started <= row.history_date <= timezone.now()
        assert row.instance == item  # every tracked field as stored
        for field in Item.history.model.tracked_fields:
            assert getattr(row, field.attname) == getattr(item, field.attname), field.name

    # What simple_history writes for the same kind of item, field by field.
    reference = Item(
        plan=plan, number="X1", committee=items[0].committee, kind=items[0].kind, order=99
    )
    (created,) = bulk_create_with_history([reference], Item, default_user=director)
    expected = created.history.get()
    ours = items[0].history.get()
    assert {f.name for f in type(expected)._meta.concrete_fields} == {
        f.name for f in type(ours)._meta.concrete_fields
    }
    assert set(history_values(expected)) == set(history_values(ours))

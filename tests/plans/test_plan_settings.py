"""Case number, approval date and state on the plan's own page (administrators only)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from plans.models import BudgetPlan, PlanState


def url(plan: BudgetPlan) -> str:
    return reverse("plans:plan_settings", args=[plan.slug])


DATA = {"case_number": "25/0001", "approved_on": "10-12-2025", "state": PlanState.APPROVED}


def test_admin_sees_the_link_and_saves_without_javascript(
    client: Any, admin_user: Any, plan: BudgetPlan
) -> None:
    client.force_login(admin_user)
    overview = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert url(plan) in overview
    page = client.get(url(plan)).content.decode()
    assert 'id="plan-settings-case_number"' in page and 'value="24/7615"' in page
    response = client.post(url(plan), DATA)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.case_number, plan.approved_on) == ("25/0001", date(2025, 12, 10))
    assert plan.history.first().case_number == "25/0001"


def test_htmx_save_and_invalid_answer_200_with_the_form(
    client: Any, admin_user: Any, plan: BudgetPlan
) -> None:
    client.force_login(admin_user)
    saved = client.post(url(plan), {**DATA, "state": PlanState.ARCHIVED}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Planens oplysninger er gemt." in saved.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.ARCHIVED
    invalid = client.post(url(plan), {**DATA, "approved_on": "32-13-2025"}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 200
    assert 'id="plan-settings-form"' in invalid.content.decode()
    assert "<html" not in invalid.content.decode()


@pytest.mark.parametrize("role", ["economy_chief", "director", "secretary", "reader"])
def test_others_may_not(client: Any, request: Any, plan: BudgetPlan, role: str) -> None:
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan), DATA).status_code == 403
    overview = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert url(plan) not in overview
    plan.refresh_from_db()
    assert plan.case_number == "24/7615"

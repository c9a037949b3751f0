"""The review pages' month select shows the month the page uses when the query string
leaves it out; otherwise the browser shows January of the first year, and the next htmx
filter silently jumps there (found by the economy chief's browser journey)."""

from typing import Any

import pytest
from django.urls import reverse

from plans.forms.fields import default_month
from plans.models import BudgetPlan
from plans.months import month_key


@pytest.mark.parametrize("name", ["plans:red_list", "plans:dashboard", "plans:board_report"])
@pytest.mark.parametrize("query", ["", "?committee=AU"])
def test_month_select_shows_the_month_in_use(
    client: Any, economy_chief: Any, plan: BudgetPlan, name: str, query: str
) -> None:
    client.force_login(economy_chief)
    response = client.get(reverse(name, args=[plan.slug]) + query)
    assert response.status_code == 200
    shown = month_key(default_month(plan))
    assert f'<option value="{shown}" selected>' in response.content.decode()

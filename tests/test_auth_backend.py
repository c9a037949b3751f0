"""The signed-in user's roles arrive with the user: one query, never stale."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.permissions import Role


def overview(client: Any, plan: Any) -> Any:
    return client.get(reverse("plans:plan_detail", args=[plan.slug]))


def test_roles_are_read_in_the_same_query_as_the_user(client, economy_chief, plan):
    client.force_login(economy_chief)
    with CaptureQueriesContext(connection) as queries:
        assert overview(client, plan).status_code == 200
    touching_groups = [q["sql"] for q in queries.captured_queries if "auth_group" in q["sql"]]
    assert len(touching_groups) == 1
    assert '"auth_user"' in touching_groups[0]


def test_a_changed_role_counts_from_the_next_request(client, economy_chief, groups, plan):
    client.force_login(economy_chief)
    assert overview(client, plan).status_code == 200
    economy_chief.groups.remove(groups[Role.ECONOMY_CHIEF])
    assert overview(client, plan).status_code == 403
    economy_chief.groups.add(groups[Role.READER], groups[Role.DIRECTOR])
    assert overview(client, plan).status_code == 200


def test_a_deactivated_user_is_signed_out(client, economy_chief, plan):
    client.force_login(economy_chief)
    economy_chief.is_active = False
    economy_chief.save()
    response = overview(client, plan)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

"""The permission matrix over HTTP: every role × every action × own/other area against
the real views, including direct POSTs with another item's id.

The expected answers are the permission-layer table (tests/test_permissions_matrix.py):
the views must ask the permission module and nothing else. Allowed means the view does
its work (and the database shows it for POSTs); refused means 403 and nothing saved;
anonymous users are sent to the login page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Colour, ObsPoint, PlanState, PublishedReport, StatusReport
from plans.months import current_month, month_key
from tests.test_permissions_matrix import ACTIONS, EXPECTED, ROLES, World
from tests.test_permissions_matrix import world as world  # noqa: F401 - the fixture

# Views that are slow (WeasyPrint) are exercised once per role, not per area.


def act(client: Any, world: World, role: str, action: str, own: bool) -> tuple[int, bool]:
    """Do `action` as the signed-in client; return (status code, whether it took effect)."""
    plan = world.plan
    item = world.items[role][0 if own else 1]
    committee = world.committees_for[role][0 if own else 1]
    match action:
        case "view_overview":
            response = client.get(reverse("plans:plan_detail", args=[plan.slug]))
            return response.status_code, response.status_code == 200
        case "view_item":
            response = client.get(reverse("plans:item_detail", args=[plan.slug, item.pk]))
            return response.status_code, response.status_code == 200
        case "report_status":
            before = StatusReport.objects.filter(item=item).count()
            response = client.post(
                reverse("plans:report_status", args=[plan.slug, item.pk]),
                {
                    "colour": Colour.YELLOW,
                    "comment": f"Matrix {role}",
                    "red_reason": "",
                    "seen_report": item.latest_report().pk,
                },
                headers={"HX-Request": "true"},
            )
            return response.status_code, StatusReport.objects.filter(item=item).count() > before
        case "mark_obs":
            before = ObsPoint.objects.filter(item=item).count()
            response = client.post(
                reverse("plans:mark_obs", args=[plan.slug, item.pk]),
                {
                    "action": "mark",
                    "obs_text": f"OBS fra {role}",
                    "seen_report": item.latest_report().pk,
                },
                headers={"HX-Request": "true"},
            )
            after = ObsPoint.objects.filter(item=item).count()
            return response.status_code, after > before
        case "publish_report":
            before = PublishedReport.objects.count()
            response = client.post(
                reverse("plans:board_report", args=[plan.slug]),
                {
                    "month": month_key(current_month()),
                    "meeting_date": timezone.localdate().isoformat(),
                    "case_number": "24/7615",
                },
            )
            return response.status_code, PublishedReport.objects.count() > before
        case "export_extract":
            response = client.get(reverse("plans:extract_detail", args=[plan.slug, committee.code]))
            return response.status_code, response.status_code == 200
        case "import":
            response = client.get(reverse("plans:import_upload"))
            return response.status_code, response.status_code == 200
        case "admin":
            response = client.get(reverse("admin:index"))
            return response.status_code, response.status_code == 200
    raise AssertionError(action)


@pytest.fixture
def reported_world(world: World) -> World:
    """Every item has this month's report, so OBS can be marked and reports corrected."""
    for own, other in world.items.values():
        for item in (own, other):
            if not item.reports.exists():
                item.record_status(colour=Colour.GREEN, comment="Følger planen")
    return world


def sign_in(client: Any, world: World, role: str) -> None:
    if role != "anonymous":
        client.force_login(world.users[role])


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_http_matrix(client, reported_world: World, role: str, action: str):
    sign_in(client, reported_world, role)
    areas = [True] if action == "publish_report" else [True, False]
    for own in areas:
        allowed = EXPECTED[role][action][0 if own else 1]
        status, took_effect = act(client, reported_world, role, action, own)
        where = f"{role} {action} {'own' if own else 'other'} area"
        if role == "anonymous":
            assert status == 302, where
            assert not took_effect, where
        elif action == "admin" and not allowed:
            # The admin sends signed-in non-staff users to its own login page.
            assert status == 302, where
        elif allowed:
            assert status in {200, 302, 303}, (where, status)
            assert took_effect, where
        else:
            assert status == 403, (where, status)
            assert not took_effect, where


def test_extract_pdf_follows_the_same_rule(client, reported_world: World):
    world = reported_world
    plan = world.plan
    client.force_login(world.users["secretary"])
    own, other = world.committees_for["secretary"]
    assert client.get(reverse("plans:extract_pdf", args=[plan.slug, other.code])).status_code == 403
    response = client.get(reverse("plans:extract_pdf", args=[plan.slug, own.code]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    client.force_login(world.users["reader"])
    assert client.get(reverse("plans:extract_pdf", args=[plan.slug, own.code])).status_code == 403


def test_an_item_id_from_another_plan_is_not_found(client, reported_world: World, make_item):
    from plans.models import BudgetPlan

    other_plan = BudgetPlan.objects.create(
        slug="2026-2029", title="Udmøntningsplan 2026-2029", first_year=2026, last_year=2029
    )
    foreign = make_item("F001", committee="ØK", item_plan=other_plan)
    foreign.record_status(colour=Colour.GREEN)
    client.force_login(reported_world.users["director"])
    slug = reported_world.plan.slug
    assert client.get(reverse("plans:item_detail", args=[slug, foreign.pk])).status_code == 404
    response = client.post(
        reverse("plans:report_status", args=[slug, foreign.pk]),
        {"colour": "red", "comment": "x", "red_reason": "stalled", "seen_report": ""},
    )
    assert response.status_code == 404
    assert foreign.reports.count() == 1


@pytest.mark.parametrize("action", ["report_status", "mark_obs"])
def test_archived_plan_refuses_every_status_post(client, reported_world: World, action):
    world = reported_world
    world.plan.state = PlanState.ARCHIVED
    world.plan.save()
    for role in ("admin", "economy_chief", "director"):
        client.force_login(world.users[role])
        status, took_effect = act(client, world, role, action, own=True)
        assert status == 403, role
        assert not took_effect, role


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_status_endpoints_accept_only_post(client, reported_world: World, method):
    client.force_login(reported_world.users["admin"])
    item = reported_world.items["admin"][0]
    for name in ("plans:report_status", "plans:mark_obs", "plans:carry_forward"):
        url = reverse(name, args=[reported_world.plan.slug, item.pk])
        assert getattr(client, method)(url).status_code == 405, (name, method)

"""Every role against every status action: report, carry forward, OBS.

The item belongs to BUU, Mette (head) is responsible for it. Kim is director of ØK's
area, so for this item he is a director of another area; a second director is made
director of BUU's area.
"""

import pytest
from django.urls import reverse

from committees.models import MembershipRole
from plans.models import Colour, PlanState, StatusReport
from plans.months import add_months, current_month
from plans.permissions import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def buu_director(make_user):
    return make_user("anne", Role.DIRECTOR, (("BUU", MembershipRole.DIRECTOR),), "Anne", "Lund")


@pytest.fixture
def item(make_item, head):
    item = make_item("R307", committee="BUU", responsible=head)
    item.record_status(
        colour=Colour.GREEN, comment="Sidste måned", period=add_months(current_month(), -1)
    )
    return item


@pytest.fixture
def people(head, buu_director, director, economy_chief, admin_user, secretary, reader):
    return {
        "responsible head": head,
        "director of the area": buu_director,
        "director of another area": director,
        "economy chief": economy_chief,
        "administrator": admin_user,
        "secretary": secretary,
        "reader": reader,
    }


def seen(item):
    return item.reports.order_by("-id").values_list("id", flat=True).first()


def post(client, action, item, data):
    url = reverse(f"plans:{action}", args=[item.plan.slug, item.pk])
    return client.post(url, {**data, "seen_report": seen(item)}, **HTMX)


ACTIONS = {
    "report_status": {"colour": "yellow", "comment": "Ny status"},
    "carry_forward": {},
    "mark_obs": {"action": "mark", "obs_text": "Følges op"},
}

ALLOWED = {
    "report_status": {
        "responsible head",
        "director of the area",
        "economy chief",
        "administrator",
    },
    "carry_forward": {
        "responsible head",
        "director of the area",
        "economy chief",
        "administrator",
    },
    # OBS points are picked by the directors (all of them, as the board) and the
    # economy chief.
    "mark_obs": {
        "director of the area",
        "director of another area",
        "economy chief",
        "administrator",
    },
}

ROLES = [
    "responsible head",
    "director of the area",
    "director of another area",
    "economy chief",
    "administrator",
    "secretary",
    "reader",
]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_action(client, people, item, action, role):
    client.force_login(people[role])
    before = item.reports.count()
    response = post(client, action, item, ACTIONS[action])
    if role in ALLOWED[action] and action == "mark_obs":
        # An OBS point is its own record on the item, not a copy of the report.
        assert response.status_code == 200, response.content.decode()[:500]
        assert response["HX-Trigger"] == "statusChanged"
        assert item.reports.count() == before
        assert item.open_obs_point().opened_by == people[role]
    elif role in ALLOWED[action]:
        assert response.status_code == 200, response.content.decode()[:500]
        assert response["HX-Trigger"] == "statusChanged"
        assert item.reports.count() == before + 1
        assert item.latest_report().author == people[role]
    else:
        assert response.status_code == 403
        assert item.reports.count() == before


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_nobody_acts_on_an_archived_plan(client, people, item, plan, action, role):
    plan.state = PlanState.ARCHIVED
    plan.save()
    client.force_login(people[role])
    before = StatusReport.objects.count()
    response = post(client, action, item, ACTIONS[action])
    assert response.status_code == 403
    assert StatusReport.objects.count() == before


@pytest.mark.parametrize("action", list(ACTIONS))
def test_wrong_method_is_405(client, head, item, action):
    client.force_login(head)
    response = client.get(reverse(f"plans:{action}", args=[item.plan.slug, item.pk]))
    assert response.status_code == 405


def test_read_only_rows_for_someone_who_may_only_mark_obs(client, director, make_item, head):
    # Kim answers for this ØK item as its responsible person, but is also shown how a
    # row looks when only OBS is allowed: an item of BUU he does not answer for is not
    # on his page at all.
    mine = make_item("D01", committee="ØK")
    mine.record_status(colour=Colour.YELLOW, comment="Udfordringer", author=head)
    client.force_login(director)
    body = client.get(reverse("plans:my_items", args=[mine.plan.slug])).content.decode()
    assert 'aria-label="Status for D01"' in body
    assert 'aria-label="OBS-punkt for D01"' in body
    assert "Markér som OBS-punkt" in body


def test_head_sees_no_obs_form(client, head, item):
    client.force_login(head)
    body = client.get(reverse("plans:my_items", args=[item.plan.slug])).content.decode()
    assert 'aria-label="Status for R307"' in body
    assert "Markér som OBS-punkt" not in body

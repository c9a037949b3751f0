"""Every role × every action × own/other area, at the permission layer.

The one permission module (plans/permissions.py) answers `user.has_perm(perm, obj)` for
every view and command; this table is the contract. The HTTP matrix in
tests/test_security_http_matrix.py checks that the views ask it.

"Own" is the person's area: the committee a director leads, the item a head of
department answers for, the committee a secretary serves. For roles without an area the
two columns must agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from plans.models import PlanState
from plans.permissions import Role, require

ROLES = [
    "admin",
    "economy_chief",
    "director",
    "head",
    "secretary",
    "reader",
    "no_role",
    "anonymous",
]
ACTIONS = [
    "view_overview",
    "view_item",
    "report_status",
    "mark_obs",
    "publish_report",
    "export_extract",
    "import",
    "admin",
]

Y, N = True, False
# role -> action -> (own area, other area)
EXPECTED: dict[str, dict[str, tuple[bool, bool]]] = {
    "admin": {
        "view_overview": (Y, Y),
        "view_item": (Y, Y),
        "report_status": (Y, Y),
        "mark_obs": (Y, Y),
        "publish_report": (Y, Y),
        "export_extract": (Y, Y),
        "import": (Y, Y),
        "admin": (Y, Y),
    },
    "economy_chief": {
        "view_overview": (Y, Y),
        "view_item": (Y, Y),
        "report_status": (Y, Y),
        "mark_obs": (Y, Y),
        "publish_report": (Y, Y),
        "export_extract": (Y, Y),
        "import": (N, N),
        "admin": (N, N),
    },
    "director": {
        "view_overview": (Y, Y),
        "view_item": (Y, Y),
        "report_status": (Y, N),
        # OBS points are picked by the board of directors as a whole.
        "mark_obs": (Y, Y),
        "publish_report": (N, N),
        "export_extract": (Y, Y),
        "import": (N, N),
        "admin": (N, N),
    },
    "head": {
        "view_overview": (Y, Y),
        "view_item": (Y, Y),
        "report_status": (Y, N),
        "mark_obs": (N, N),
        "publish_report": (N, N),
        "export_extract": (Y, Y),
        "import": (N, N),
        "admin": (N, N),
    },
    "secretary": {
        "view_overview": (Y, Y),
        # A secretary reaches the overview and the extracts, not the working pages.
        "view_item": (N, N),
        "report_status": (N, N),
        "mark_obs": (N, N),
        "publish_report": (N, N),
        "export_extract": (Y, N),
        "import": (N, N),
        "admin": (N, N),
    },
    "reader": {
        "view_overview": (Y, Y),
        "view_item": (Y, Y),
        "report_status": (N, N),
        "mark_obs": (N, N),
        "publish_report": (N, N),
        "export_extract": (N, N),
        "import": (N, N),
        "admin": (N, N),
    },
    "no_role": {action: (N, N) for action in ACTIONS},
    "anonymous": {action: (N, N) for action in ACTIONS},
}


@dataclass
class World:
    users: dict[str, Any]
    plan: Any
    # role -> (own item, other item) and (own committee, other committee)
    items: dict[str, tuple[Any, Any]]
    committees_for: dict[str, tuple[Any, Any]]


@pytest.fixture
def world(
    admin_user,
    economy_chief,
    director,
    head,
    secretary,
    reader,
    make_user,
    plan,
    make_item,
    committees,
) -> World:
    no_role = make_user("ingen", None)
    # Items: one in ØK's area (director Kim's), one in BUU answered by head Mette,
    # one in AU (secretary Sofie's committee), one in MTU that nobody here owns.
    item_ok = make_item("D001", committee="ØK", cross_cutting=True)
    item_buu = make_item("D002", committee="BUU", responsible=head, cross_cutting=True)
    item_au = make_item("D003", committee="AU")
    item_mtu = make_item("D004", committee="MTU", cross_cutting=True)
    users = {
        "admin": admin_user,
        "economy_chief": economy_chief,
        "director": director,
        "head": head,
        "secretary": secretary,
        "reader": reader,
        "no_role": no_role,
        "anonymous": AnonymousUser(),
    }
    items = {role: (item_ok, item_mtu) for role in users}
    items["head"] = (item_buu, item_mtu)
    items["secretary"] = (item_au, item_mtu)
    committees_for = {role: (committees["ØK"], committees["MTU"]) for role in users}
    committees_for["head"] = (committees["BUU"], committees["MTU"])
    committees_for["secretary"] = (committees["AU"], committees["MTU"])
    return World(users=users, plan=plan, items=items, committees_for=committees_for)


def fresh(user: Any) -> Any:
    """The user as a new request would load it: no cached roles or memberships."""
    if isinstance(user, AnonymousUser):
        return user
    return type(user).objects.get(pk=user.pk)


PERMS = {
    "view_overview": ("plans.view_plan", "plan"),
    "view_item": ("plans.view_item", "item"),
    "report_status": ("plans.report_status", "item"),
    "mark_obs": ("plans.mark_obs", "item"),
    "publish_report": ("plans.publish_report", "plan"),
    "export_extract": ("plans.export_extract", "committee"),
    "import": ("plans.import_plan", None),
}


def passes_require(user: Any, perm: str, obj: Any) -> bool:
    try:
        require(user, perm, obj)
    except PermissionDenied:
        return False
    return True


def allowed(world: World, role: str, action: str, own: bool) -> bool:
    user = fresh(world.users[role])
    if action == "admin":
        request = RequestFactory().get("/admin/")
        request.user = user
        return admin.site.has_permission(request)
    perm, target = PERMS[action]
    obj = {
        "plan": world.plan,
        "item": world.items[role][0 if own else 1],
        "committee": world.committees_for[role][0 if own else 1],
        None: None,
    }[target]
    # What the views ask (require) and what the templates ask (has_perm) agree.
    by_require = passes_require(user, perm, obj)
    assert fresh(user).has_perm(perm, obj) is by_require, (role, action, own)
    return by_require


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world: World, role: str, action: str):
    own_expected, other_expected = EXPECTED[role][action]
    assert allowed(world, role, action, own=True) is own_expected, f"{role} {action} own area"
    assert allowed(world, role, action, own=False) is other_expected, f"{role} {action} other area"


def test_matrix_covers_every_role_and_action():
    assert set(EXPECTED) == set(ROLES)
    for role, row in EXPECTED.items():
        assert set(row) == set(ACTIONS), role
    # Every role group in the permission module has a row (plus no role and anonymous).
    assert (
        len(ROLES)
        == len(
            [Role.ADMIN, Role.ECONOMY_CHIEF, Role.DIRECTOR, Role.HEAD, Role.SECRETARY, Role.READER]
        )
        + 2
    )


@pytest.mark.parametrize("role", ["admin", "economy_chief", "director", "head"])
def test_nobody_reports_or_marks_obs_in_an_archived_plan(world: World, role: str):
    world.plan.state = PlanState.ARCHIVED
    world.plan.save()
    own_item = type(world.items[role][0]).objects.get(pk=world.items[role][0].pk)
    user = fresh(world.users[role])
    # The views' helper refuses everyone, the superuser administrator included.
    assert not passes_require(user, "plans.report_status", own_item)
    assert not passes_require(user, "plans.mark_obs", own_item)
    if not user.is_superuser:
        assert not user.has_perm("plans.report_status", own_item)
    # Reading stays allowed.
    assert passes_require(user, "plans.view_item", own_item)


def test_a_director_of_two_areas_reports_in_both_and_nowhere_else(make_user, make_item, committees):
    from committees.models import MembershipRole

    anne = make_user(
        "anne",
        Role.DIRECTOR,
        (("AU", MembershipRole.DIRECTOR), ("MTU", MembershipRole.DIRECTOR)),
    )
    au, mtu, buu = (make_item(committee=code) for code in ("AU", "MTU", "BUU"))
    assert anne.has_perm("plans.report_status", au)
    assert anne.has_perm("plans.report_status", mtu)
    assert not anne.has_perm("plans.report_status", buu)


def test_membership_without_the_role_group_gives_no_access(make_user, make_item):
    """Belonging to a committee is not a role: the group is what grants access."""
    from committees.models import MembershipRole

    ghost = make_user("ghost", None, (("ØK", MembershipRole.SECRETARY),))
    committee_item = make_item(committee="ØK")
    assert not ghost.has_perm("plans.view_plan", committee_item.plan)
    assert not ghost.has_perm("plans.view_item", committee_item)


def test_head_responsible_for_an_item_in_another_committee_may_report_it(head, make_item):
    item = make_item(committee="MTU", responsible=head)
    assert head.has_perm("plans.report_status", item)


def test_inactive_user_has_no_permissions(director, make_item):
    item = make_item(committee="ØK")
    director.is_active = False
    director.save()
    assert not fresh(director).has_perm("plans.report_status", item)
    assert not fresh(director).has_perm("plans.view_plan", item.plan)
    assert not passes_require(fresh(director), "plans.view_plan", item.plan)

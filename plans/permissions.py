"""Who may do what: the one place every view and command asks.

Roles are Django groups (see ROLE_NAMES); a director's area and a secretary's committees
come from committees.Membership. Templates ask through `user.has_perm(...)`, views through
the helpers at the bottom, which raise PermissionDenied.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from committees.models import Committee, CommitteeKind, MembershipRole
from plans.models import BudgetPlan, Item


class Role:
    ADMIN = "Administrator"
    ECONOMY_CHIEF = "Økonomichef"
    DIRECTOR = "Direktør"
    HEAD = "Fagchef"
    SECRETARY = "Udvalgssekretær"
    READER = "Læser"


ROLE_NAMES = [
    Role.ADMIN,
    Role.ECONOMY_CHIEF,
    Role.DIRECTOR,
    Role.HEAD,
    Role.SECRETARY,
    Role.READER,
]


def _in_group(name: str) -> Any:
    @rules.predicate(name=f"in_{name}")
    def check(user: Any) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        cache = getattr(user, "_role_cache", None)
        if cache is None:
            cache = set(user.groups.values_list("name", flat=True))
            user._role_cache = cache
        return name in cache

    return check


class RolesWithUserMixin:
    """Loads a signed-in user's role names in the same query as the user (one row per
    role), so the first permission check of a request needs no query of its own."""

    def get_user(self, user_id: Any) -> Any:
        rows = list(
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .annotate(role_name=F("groups__name"))
        )
        if not rows:
            return None
        # Any: the role cache is an ad-hoc attribute, read back with getattr() in _in_group.
        user: Any = rows[0]
        user._role_cache = {row.role_name for row in rows if row.role_name}
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class RoleLoadingModelBackend(RolesWithUserMixin, ModelBackend):
    """Django's ModelBackend, with the user's roles loaded with the user."""


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


is_admin = is_superuser | _in_group(Role.ADMIN)
is_economy_chief = _in_group(Role.ECONOMY_CHIEF)
is_director = _in_group(Role.DIRECTOR)
is_head = _in_group(Role.HEAD)
is_secretary = _in_group(Role.SECRETARY)
is_reader = _in_group(Role.READER)
has_any_role = is_admin | is_economy_chief | is_director | is_head | is_secretary | is_reader


def committee_ids_for(user: Any, role: str) -> set[int]:
    if not (user.is_authenticated and user.is_active):
        return set()
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = {}
        for committee_id, member_role in user.memberships.values_list("committee_id", "role"):
            cache.setdefault(member_role, set()).add(committee_id)
        user._membership_cache = cache
    return cache.get(role, set())


@rules.predicate
def is_responsible_for_item(user: Any, item: Any) -> bool:
    return (
        item is not None
        and user.is_authenticated
        and user.is_active
        and item.responsible_id == user.pk
    )


@rules.predicate
def is_director_of_item_area(user: Any, item: Any) -> bool:
    return item is not None and item.committee_id in committee_ids_for(
        user, MembershipRole.DIRECTOR
    )


@rules.predicate
def item_plan_is_open(user: Any, item: Any) -> bool:
    return item is not None and not item.plan.is_archived


@rules.predicate
def item_is_open(user: Any, item: Any) -> bool:
    """Not completed (X): a completed item has left the round and gets no new status."""
    return item is not None and not item.completed


@rules.predicate
def is_secretary_of_committee(user: Any, committee: Any) -> bool:
    return committee is not None and committee.pk in committee_ids_for(
        user, MembershipRole.SECRETARY
    )


@rules.predicate
def is_secretary_only(user: Any) -> bool:
    """A secretary with no other role: reaches the overview and the extracts only."""
    return bool(
        is_secretary(user)
        and not (is_admin(user) | is_economy_chief(user) | is_director(user) | is_head(user))
    )


@rules.predicate
def manages_body(user: Any, body: Any) -> bool:
    """The one rule for a body's meetings: creating, changing and deleting them, their
    agenda text, their published attachment and the remarks made at them. `body` is a
    Committee or a Meeting (then its body). Administrators manage every body; the economy
    chief the administrative bodies (Direktionen, Koncernledelsen, ...); a secretary the
    political committees they are secretary for, and nothing else."""
    body = getattr(body, "body", body)
    if not isinstance(body, Committee):
        return False
    if is_admin(user):
        return True
    if body.kind == CommitteeKind.ADMINISTRATIVE:
        return bool(is_economy_chief(user))
    return body.pk in committee_ids_for(user, MembershipRole.SECRETARY)


@rules.predicate
def manages_some_body(user: Any) -> bool:
    """May manage the meetings of at least one body (the "Nyt møde" button)."""
    return bool(
        is_admin(user)
        or is_economy_chief(user)
        or committee_ids_for(user, MembershipRole.SECRETARY)
    )


def managed_bodies(user: Any) -> Any:
    """The bodies whose meetings `user` manages, as a queryset (for a form's choices)."""
    ids = [body.pk for body in Committee.objects.all() if manages_body(user, body)]
    return Committee.objects.filter(pk__in=ids)


@rules.predicate
def is_secretary_of_item_committee(user: Any, item: Any) -> bool:
    """Secretary of the item's committee or of one it also concerns."""
    if item is None:
        return False
    ids = committee_ids_for(user, MembershipRole.SECRETARY)
    if not ids:
        return False
    if item.committee_id in ids:
        return True
    return bool(item.also_committees.filter(pk__in=ids).exists())


can_report = (item_plan_is_open & item_is_open) & (
    is_admin | is_economy_chief | is_responsible_for_item | is_director_of_item_area
)

rules.add_perm("plans.view_plan", has_any_role)
rules.add_perm("plans.view_item", has_any_role & ~is_secretary_only)
rules.add_perm("plans.report_status", can_report)
# "Mine punkter" for any committee: those who may report on every item.
rules.add_perm("plans.report_any_committee", is_admin | is_economy_chief)
# OBS points: the one rule for raising, following up and closing them, on any committee's
# item (the board picks them as a whole: every director, the economy chief).
# The item's narrative (Kursen, Koordinering, ...): administrators and the director
# responsible for the item (director of its committee, or named as its responsible).
rules.add_perm(
    "plans.edit_narrative",
    item_plan_is_open
    & (is_admin | (is_director & (is_director_of_item_area | is_responsible_for_item))),
)
rules.add_perm("plans.mark_obs", item_plan_is_open & (is_admin | is_economy_chief | is_director))
rules.add_perm("plans.review", is_admin | is_economy_chief | is_director)
rules.add_perm("plans.publish_report", is_admin | is_economy_chief)
rules.add_perm(
    "plans.export_extract",
    is_admin | is_economy_chief | is_director | is_head | is_secretary_of_committee,
)
# Hele planen (for ØK, KB, Hovedudvalget): the public version for every role that makes
# extracts, the internal one for those who see every item.
rules.add_perm(
    "plans.export_whole_plan",
    is_admin | is_economy_chief | is_director | is_head | is_secretary,
)
rules.add_perm("plans.whole_plan_internal", is_admin | is_economy_chief | is_director | is_head)
rules.add_perm("committees.edit_agenda_template", is_admin)
rules.add_perm("plans.import_plan", is_admin)
rules.add_perm("plans.manage_plan", is_admin)
# Meetings: "manage_meetings" opens the create page (its body choices are the managed
# bodies); every change to one meeting, its agenda text or remarks asks "manage_meeting"
# with the meeting or its body.
rules.add_perm("committees.manage_meetings", manages_some_body)
rules.add_perm("committees.manage_meeting", manages_body)
# An item's political treatment (the committees' work plan).
rules.add_perm(
    "plans.edit_treatment", item_plan_is_open & (is_admin | is_secretary_of_item_committee)
)
rules.add_perm("plans.manage_themes", is_admin | is_economy_chief)
# A body's remarks follow the same rule as its meetings (the object is the body).
rules.add_perm("committees.add_note", manages_body)


def allowed(user: Any, perm: str, obj: Any = None) -> bool:
    # The rules decide, for superusers too (Django's has_perm lets a superuser do
    # anything): an archived plan is closed to reporting for everyone. Asking the rules
    # directly also spares the model backend's permission queries on every page.
    if rules.perm_exists(perm):
        return bool(user.is_active and rules.has_perm(perm, user, obj))
    return bool(user.has_perm(perm, obj))


def require(user: Any, perm: str, obj: Any = None) -> None:
    if not allowed(user, perm, obj):
        raise PermissionDenied


def get_plan_for(user: Any, slug: str, perm: str = "plans.view_plan") -> Any:
    plan = get_object_or_404(BudgetPlan, slug=slug)
    require(user, perm, plan)
    return plan


def get_item_for(user: Any, slug: str, pk: int, perm: str = "plans.view_item") -> Any:
    """Fetch an item of a plan and check the user may do `perm` on it."""
    item = get_object_or_404(
        Item.objects.select_related("plan", "committee", "heading", "responsible"),
        plan__slug=slug,
        pk=pk,
    )
    require(user, perm, item)
    return item


def get_committee_for(user: Any, code: str, perm: str = "plans.export_extract") -> Committee:
    committee = Committee.objects.all().by_code(code)
    if committee is None:
        raise Http404("Ukendt udvalg")
    require(user, perm, committee)
    return committee

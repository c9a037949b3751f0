"""Test data built in code from a few named personas.

- `director`: Kim, director of ØK's area (and the board).
- `head`: Mette, head of department in BUU, responsible for some items.
- `secretary`: Sofie, secretary of AU only.
- `economy_chief`: Bettina.
- `admin_user`: an administrator.
- `reader`: a reader with no other role.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from committees.models import Committee, CommitteeKind, Membership, MembershipRole
from plans.models import BudgetPlan, Heading, Item, Kind, PlanState
from plans.permissions import ROLE_NAMES, Role


@pytest.fixture
def groups(db: Any) -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}


@pytest.fixture
def committees(db: Any) -> dict[str, Committee]:
    rows = [
        ("ØK", "Økonomiudvalget", CommitteeKind.POLITICAL),
        ("AU", "Arbejdsmarkedsudvalget", CommitteeKind.POLITICAL),
        ("BUU", "Børne- og Ungdomsudvalget", CommitteeKind.POLITICAL),
        ("MTU", "Miljø- og Teknikudvalget", CommitteeKind.POLITICAL),
        ("DIR", "Direktionen", CommitteeKind.ADMINISTRATIVE),
    ]
    return {
        code: Committee.objects.create(code=code, name=name, kind=kind, order=order)
        for order, (code, name, kind) in enumerate(rows)
    }


@pytest.fixture
def make_user(groups: dict[str, Group], committees: dict[str, Committee]) -> Callable[..., Any]:
    def make(
        username: str,
        role: str | None,
        memberships: tuple[tuple[str, str], ...] = (),
        first_name: str = "",
        last_name: str = "",
        **extra: Any,
    ) -> Any:
        user = get_user_model().objects.create_user(
            username=username,
            password="test-password-123",
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.dk",
            **extra,
        )
        if role:
            user.groups.add(groups[role])
        for code, member_role in memberships:
            Membership.objects.create(user=user, committee=committees[code], role=member_role)
        return user

    return make


@pytest.fixture
def director(make_user: Callable[..., Any]) -> Any:
    return make_user(
        "kim", Role.DIRECTOR, (("ØK", MembershipRole.DIRECTOR),), "Kim Bruun", "Nielsen"
    )


@pytest.fixture
def head(make_user: Callable[..., Any]) -> Any:
    return make_user("mette", Role.HEAD, (("BUU", MembershipRole.HEAD),), "Mette Holm", "Sørensen")


@pytest.fixture
def secretary(make_user: Callable[..., Any]) -> Any:
    return make_user("sofie", Role.SECRETARY, (("AU", MembershipRole.SECRETARY),), "Sofie", "Kjær")


@pytest.fixture
def economy_chief(make_user: Callable[..., Any]) -> Any:
    return make_user("bettina", Role.ECONOMY_CHIEF, (), "Bettina", "Andersen")


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user("anders", Role.ADMIN, (), "Anders", "Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def reader(make_user: Callable[..., Any]) -> Any:
    return make_user("lise", Role.READER, (), "Lise", "Læser")


@pytest.fixture
def plan(db: Any) -> BudgetPlan:
    return BudgetPlan.objects.create(
        slug="2025-2028",
        title="Udmøntningsplan 2025-2028",
        first_year=2025,
        last_year=2028,
        case_number="24/7615",
        approved_on=date(2024, 12, 11),
        state=PlanState.APPROVED,
    )


@pytest.fixture
def make_item(plan: BudgetPlan, committees: dict[str, Committee]) -> Callable[..., Item]:
    counter = {"n": 0}

    def make(
        number: str | None = None,
        committee: str = "ØK",
        kind: str = Kind.DRIFT,
        also: tuple[str, ...] = (),
        amounts: dict[int, int] | None = None,
        heading: str | None = None,
        item_plan: BudgetPlan | None = None,
        **fields: Any,
    ) -> Item:
        counter["n"] += 1
        target_plan = item_plan or plan
        heading_obj = (
            Heading.objects.get_or_create(plan=target_plan, name=heading)[0] if heading else None
        )
        item = Item.objects.create(
            plan=target_plan,
            number=number or f"X{counter['n']:03d}",
            title=fields.pop("title", f"Punkt {counter['n']}"),
            kind=Kind.HENSIGT if heading else kind,
            committee=committees[committee],
            heading=heading_obj,
            order=counter["n"],
            **fields,
        )
        if amounts:
            item.set_amounts(amounts)
        if also:
            item.also_committees.set([committees[code] for code in also])
        return item

    return make


# The database fixtures of pytest-django: a test that requests none of them (directly or
# through another fixture), and has no django_db marker, cannot touch the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """With DATABASE_TESTS_ONLY=1 (CI's second run, on PostgreSQL), leave out the tests
    that cannot touch the database: the first run gave their answer, and a second
    database cannot change it."""
    if os.environ.get("DATABASE_TESTS_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (kept if uses_database else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept

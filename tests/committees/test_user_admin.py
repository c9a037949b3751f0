"""A new director is set up on one page: role and committees together (issue 21)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from committees.models import Membership, MembershipRole
from plans.permissions import Role


def test_user_page_edits_role_and_committees_and_warns(
    client: Any, make_user: Any, groups: Any, committees: Any
) -> None:
    superuser = get_user_model().objects.create_superuser("root", "root@example.dk", "pw-123456")
    new = make_user("ny", Role.DIRECTOR, (), "Ny", "Direktør")
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[new.pk])
    page = client.get(url).content.decode()
    assert "memberships-TOTAL_FORMS" in page  # the committees inline
    assert 'name="groups"' in page
    assert "intet udvalg som «Direktør for området»" in page

    data = {
        "username": "ny",
        "first_name": "Ny",
        "last_name": "Direktør",
        "email": "ny@example.dk",
        "is_active": "on",
        "groups": [str(groups[Role.DIRECTOR].pk)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01-12-2026",
        "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-committee": str(committees["AU"].pk),
        "memberships-0-role": MembershipRole.DIRECTOR,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(
        user=new, committee=committees["AU"], role=MembershipRole.DIRECTOR
    ).exists()
    page = client.get(url).content.decode()
    assert "intet udvalg som" not in page

"""The admin fully in Danish: every page of every registered model, django-axes and
django-simple-history included, and the permission names stored in the database."""

from __future__ import annotations

import contextlib
import re
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags

# English that Django, django-axes or django-simple-history show when a catalogue or a
# verbose name is missing.
ENGLISH = [
    "Can add", "Can change", "Can delete", "Can view", "ccess attempt", "ccess log",
    "ccess failure", "Attempt Time", "User Agent", "IP Address", "Username", "Path",
    "Form Data", "Meta Data", "Failed Logins", "Expires At", "Logout Time", "Locked Out",
    "Failed access", "Attempted Access", "Access Log for", "Change history", "Choose a date",
    "Changed by", "Change reason", "Comment", "None", "Object", "History", "Home", "Add",
    "Save", "Delete", "Search", "Filter", "Action", "Log out", "View site", "Welcome",
    "Axes", "Revert", "entries",
]  # fmt: skip
PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        urls.append(reverse(f"{info}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{info}_change", args=[obj.pk]))
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{info}_history", args=[obj.pk]))
    return urls


@pytest.mark.django_db
def test_every_admin_page_is_in_danish(client):
    call_command("load_demo", stdout=StringIO())
    now = timezone.now()
    AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="ua", http_accept="*/*",
        path_info="/login/", get_data="", post_data="", failures_since_start=2,
    )  # fmt: skip
    AccessLog.objects.create(
        username="admin", ip_address="127.0.0.1", user_agent="ua", http_accept="*/*",
        path_info="/login/", logout_time=now,
    )  # fmt: skip
    AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="ua", http_accept="*/*",
        path_info="/login/",
    )  # fmt: skip
    client.force_login(get_user_model().objects.get(username="admin"))
    checked = 0
    found: dict[str, str] = {}
    for url in admin_urls():
        response = client.get(url)
        if response.status_code == 403:  # django-axes' records cannot be added by hand
            assert url.endswith("/add/"), url
            continue
        assert response.status_code == 200, url
        text = strip_tags(response.content.decode())
        for match in PATTERN.finditer(text):
            found.setdefault(
                match.group(0), f"{url}: …{text[match.start() - 40 : match.end() + 40]}…"
            )
        checked += 1
    assert not found, "\n".join(found.values())
    assert checked > 40


@pytest.mark.django_db
def test_permission_names_are_danish():
    assert Permission.objects.get(codename="add_accessattempt").name == "Kan tilføje log ind-forsøg"
    assert Permission.objects.get(codename="view_logentry").name == "Kan se logmeddelelse"
    assert not Permission.objects.filter(name__startswith="Can ").exists()

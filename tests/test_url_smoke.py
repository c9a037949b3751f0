"""Every named URL answers a permitted user: no 500 anywhere, whatever lands in urls.py."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from committees.models import Meeting
from plans.models import BudgetPlan, PendingImport, PublishedReport, Theme


def named_patterns(
    resolver: URLResolver | None = None, namespace: str = ""
) -> list[tuple[str, URLPattern]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += [(f"{name}", pattern) for name, pattern in named_patterns(entry, prefix)]
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def kwargs_for(pattern_name: str, converters: dict[str, object]) -> dict[str, object] | None:
    plan = BudgetPlan.objects.get(slug="2025-2028")
    values: dict[str, object] = {"slug": plan.slug, "code": "AU"}
    pk_sources = {
        "import": PendingImport.objects.first(),
        "published": PublishedReport.objects.first(),
        "meeting": Meeting.objects.first(),
        "theme": Theme.objects.first(),
        "note": Meeting.objects.first(),
    }
    item = plan.items.filter(cross_cutting=True, committee__code="AU").first()
    pk = item.pk
    for word, obj in pk_sources.items():
        if word in pattern_name:
            if obj is None:
                return None
            pk = obj.pk
    values["pk"] = pk
    values["item_pk"] = item.pk
    theme = plan.themes.first()
    if theme is not None:
        values["theme_pk"] = theme.pk
    kwargs = {}
    for name in converters:
        if name not in values:
            return None
        kwargs[name] = values[name]
    return kwargs


@pytest.mark.django_db
def test_every_named_url_answers_the_administrator(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    call_command("load_demo", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    checked = []
    for name, pattern in named_patterns():
        if name in {"logout"}:
            continue
        kwargs = kwargs_for(name, pattern.pattern.converters)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code in {200, 302, 405}, f"{name} {url} -> {response.status_code}"
        checked.append(name)
    assert "plans:plan_detail" in checked and "plans:item_detail" in checked
    assert len(checked) >= 25, checked

"""Every GET-only page and download answers HEAD too (link checkers, monitoring
and some calendar clients ask HEAD first): `require_safe`, not `require_GET`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.test_url_smoke import kwargs_for, named_patterns


@pytest.mark.django_db
def test_every_url_that_answers_get_answers_head(client):
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
        if client.get(url).status_code != 200:
            continue
        response = client.head(url)
        if response.status_code == 405 and "POST" in response["Allow"]:
            continue  # a form's page (GET and POST): not a GET-only view
        assert response.status_code == 200, f"{name} {url}: HEAD -> {response.status_code}"
        assert response.content == b"", name
        checked.append(name)
    assert {"plans:export_xlsx", "committees:ical", "plans:plan_detail"} <= set(checked)
    assert len(checked) >= 15, checked

"""Sign-in throttling: five wrong passwords lock the account for an hour, in Danish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.test import override_settings
from django.utils import timezone

PASSWORD = "test-password-123"


def attempt(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_axes_is_configured_as_required():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert settings.AXES_LOCKOUT_TEMPLATE == "registration/lockout.html"


@pytest.mark.django_db
def test_correct_password_signs_in(client, director):
    response = attempt(client, "kim", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_wrong_passwords_lock_the_account_with_a_danish_message(client, director):
    for _ in range(4):
        response = attempt(client, "kim", "forkert")
        assert response.status_code == 200
        assert 'class="alert alert-error"' in response.text
        assert "spærret" not in response.text
    locked = attempt(client, "kim", "forkert")
    assert locked.status_code == 429
    assert "Log ind er midlertidigt spærret" in locked.text
    assert "5 gange i træk" in locked.text
    assert "en time" in locked.text
    assert "<script>" not in locked.text

    # Even the right password is refused while locked.
    again = attempt(client, "kim", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_lifted_after_the_cool_off(client, director):
    for _ in range(5):
        attempt(client, "kim", "forkert")
    assert attempt(client, "kim", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert attempt(client, "kim", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lock_is_per_user_name(client, director, reader):
    for _ in range(5):
        attempt(client, "kim", "forkert")
    assert attempt(client, "lise", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_client_login_works_when_given_a_request(client, director):
    """Axes needs the request; tests that sign in with a password pass one."""
    assert client.login(request=HttpRequest(), username="kim", password=PASSWORD)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(AXES_ENABLED=False)
def test_plain_client_login_works_with_axes_switched_off(client, director):
    assert client.login(username="kim", password=PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["a" * 3000, "kim\x00", "\x00" * 300])
def test_absurd_user_names_fail_cleanly(client, director, username):
    """Found by the hypothesis test on PostgreSQL: axes stored the name as given."""
    response = attempt(client, username, "forkert")
    assert response.status_code == 200
    assert all(len(a.username or "") <= 150 for a in AccessAttempt.objects.all())

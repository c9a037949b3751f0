"""The project as a whole: checks, migrations in step, the demo, the pages."""

from io import StringIO

import pytest
from django.core.management import call_command

from plans.models import BudgetPlan, Item, StatusReport
from plans.months import add_months, current_month


def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_migrations_are_in_step_with_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time():
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (BudgetPlan.objects.count(), Item.objects.count(), StatusReport.objects.count())
    call_command("load_demo", stdout=out)
    assert counts == (
        BudgetPlan.objects.count(),
        Item.objects.count(),
        StatusReport.objects.count(),
    )
    plan = BudgetPlan.objects.get(slug="2025-2028")
    assert plan.case_number == "24/7615"
    assert Item.objects.filter(plan=plan, number="R307").count() == 2
    colours = set(StatusReport.objects.values_list("colour", flat=True))
    assert colours == {"green", "yellow", "red"}
    months = StatusReport.objects.values_list("period", flat=True).distinct()
    assert len(set(months)) == 10
    # OBS points through the model: some open for months, some decided, some closed.
    from plans.models import ObsEvent, ObsPoint

    open_points = ObsPoint.objects.open_at()
    assert open_points.exists()
    assert open_points.exclude(month=add_months(current_month(), -1)).exists()
    assert set(ObsEvent.objects.values_list("kind", flat=True)) == {"decision", "closed"}


@pytest.mark.django_db
def test_load_demo_only_sets_passwords_when_asked():
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=StringIO())
    director = get_user_model().objects.get(username="direktoer")
    assert not director.has_usable_password()
    out = StringIO()
    call_command("load_demo", "--passwords", stdout=out)
    director.refresh_from_db()
    assert director.has_usable_password()
    assert "direktoer" in out.getvalue()


@pytest.mark.django_db
def test_demo_director_sees_the_plan_in_danish(client):
    call_command("load_demo", stdout=StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="direktoer"))
    home = client.get("/")
    assert home.status_code == 200
    assert "Udmøntningsplan 2025-2028" in home.text
    page = client.get("/plans/2025-2028/")
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert "Råderumsforslag" in page.text and "Aktindsigt" in page.text


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.django_db
def test_navigation_follows_the_permission_rules(client):
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=StringIO())
    users = get_user_model().objects
    pages = {}
    for username in ("oekonomichef", "sekretaer", "admin"):
        client.force_login(users.get(username=username))
        pages[username] = client.get("/plans/2025-2028/").text
    assert "Røde og gule" in pages["oekonomichef"] and "Import" not in pages["oekonomichef"]
    assert "Røde og gule" not in pages["sekretaer"] and "Viderefør plan" not in pages["sekretaer"]
    assert "Import" in pages["admin"] and "Viderefør plan" in pages["admin"]

"""The seam between two budget periods: a plan carried over on the administrator's page,
then used in the new period. An OBS point lives until it is closed (domain.md 5b): an
open one follows its item into the new plan; a closed one stays history of the old."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from plans.models import BudgetPlan, Colour, ObsEventKind, ObsPoint, PlanState

OCT = date(2025, 10, 1)


@pytest.fixture
def old_plan(plan, make_item, director):
    r307 = make_item("R307", committee="AU", cross_cutting=True, title="Fraværsindsatsen")
    r307.record_status(colour=Colour.RED, comment="Gået i stå", red_reason="stalled", period=OCT)
    point = r307.open_obs(text="Direktionen skal finde finansiering", author=director, month=OCT)
    point.follow_up(
        text="Økonomi regner på det", follow_up_by="Økonomichefen", author=director, month=OCT
    )
    d01 = make_item("D01", cross_cutting=True, title="Effektiviseringsbidrag")
    d01.record_status(colour=Colour.YELLOW, period=OCT)
    done = d01.open_obs(text="Afklaret OBS", author=director, month=date(2025, 9, 1))
    done.close(reason="Løst i oktober", author=director, month=OCT)
    return {"r307": r307, "d01": d01, "point": point}


def carry_over(client, plan):
    url = reverse("plans:carry_over", args=[plan.slug])
    data = {"new_slug": "2026-2029", "title": "Udmøntningsplan 2026-2029", "archive_old": "on"}
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    return BudgetPlan.objects.get(slug="2026-2029")


def test_an_open_obs_point_follows_its_item_into_the_next_plan(
    client, admin_user, economy_chief, plan, old_plan
):
    client.force_login(admin_user)
    new = carry_over(client, plan)
    r307 = new.items.get(number="R307")
    d01 = new.items.get(number="D01")

    carried = r307.obs_points.open_at().get()
    assert carried.text == "Direktionen skal finde finansiering"
    assert carried.opened_by_name == old_plan["point"].opened_by_name
    assert [e.text for e in carried.events.filter(kind=ObsEventKind.DECISION)] == [
        "Økonomi regner på det"
    ]
    # A closed point is the old plan's history only.
    assert not d01.obs_points.exists()
    # The old plan, now archived, is left as it was.
    plan.refresh_from_db()
    assert plan.is_archived
    assert old_plan["r307"].obs_points.open_at().get() == old_plan["point"]

    # The new plan, approved: the point is on the item page and can be closed there
    # (it could not be in the archived plan), by a plain form without JavaScript.
    new.state = PlanState.APPROVED
    new.save()
    client.force_login(economy_chief)
    page = client.get(reverse("plans:item_detail", args=[new.slug, r307.pk]))
    assert "Direktionen skal finde finansiering" in page.content.decode()
    response = client.post(
        reverse("plans:obs_close", args=[new.slug, carried.pk]),
        {"text": "Finansieret i budget 2026", "origin": "item"},
    )
    assert response.status_code == 303
    assert not r307.obs_points.open_at().exists()
    assert old_plan["r307"].obs_points.open_at().exists()
    # The archived plan's point refuses the same close.
    response = client.post(
        reverse("plans:obs_close", args=[plan.slug, old_plan["point"].pk]),
        {"text": "Forsøg", "origin": "item"},
    )
    assert response.status_code == 403
    assert ObsPoint.objects.open_at().filter(item=old_plan["r307"]).exists()

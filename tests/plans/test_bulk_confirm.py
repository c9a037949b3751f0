"""'Bekræft alle uændrede': the ticked items carried forward at once, each with its own
result, through the single button's function and its conflict rule."""

import re

import pytest
from django.urls import reverse

from plans.models import Colour, StatusReport
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def last_month():
    return add_months(current_month(), -1)


@pytest.fixture
def round_items(make_item, head, director, last_month):
    """Mette's three cross-cutting items, each with a status last month."""
    made = {}
    for number, colour in (("T1", Colour.GREEN), ("T2", Colour.YELLOW), ("T3", Colour.RED)):
        item = make_item(number, committee="BUU", responsible=head, cross_cutting=True)
        item.record_status(
            colour=colour,
            comment=f"Status for {number}",
            red_reason="other" if colour == Colour.RED else "",
            period=last_month,
            author=director,
        )
        made[number] = item
    return made


def url(plan):
    return reverse("plans:bulk_carry_forward", args=[plan.slug])


def form_data(items, confirmed=True):
    data = {"items": [str(item.pk) for item in items]}
    for item in items:
        newest = item.reports.order_by("-id").first()
        data[f"seen_{item.pk}"] = str(newest.pk) if newest else ""
    if confirmed:
        data["confirmed"] = "1"
    return data


def this_month(item):
    return item.reports.filter(period=current_month())


def test_page_preselects_items_reported_last_month_and_not_this_month(
    client, plan, head, round_items
):
    round_items["T3"].record_status(colour=Colour.GREEN, author=head)
    client.force_login(head)
    html = client.get(reverse("plans:my_items", args=[plan.slug])).content.decode()
    assert "Bekræft alle uændrede" in html
    for number in ("T1", "T2"):
        pk = round_items[number].pk
        assert re.search(rf'name="items" value="{pk}" id="bulk-{pk}" checked', html)
    assert f'id="bulk-{round_items["T3"].pk}"' not in html  # reported this month


def test_htmx_happy_path_saves_each_ticked_item_as_carried_forward(client, plan, head, round_items):
    client.force_login(head)
    ticked = [round_items["T1"], round_items["T3"]]
    response = client.post(url(plan), form_data(ticked), **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "statusChanged"
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="status-round"' in html
    assert html.count('class="bulk-saved"') == 2
    for item in ticked:
        report = this_month(item).get()
        assert report.carried_forward and report.author == head
        previous = item.reports.exclude(pk=report.pk).get()
        assert (report.colour, report.comment, report.red_reason) == (
            previous.colour,
            previous.comment,
            previous.red_reason,
        )
    assert not this_month(round_items["T2"]).exists()  # not ticked
    assert (
        "2 af 3 afrapporteret"
        in client.get(reverse("plans:my_items", args=[plan.slug])).content.decode()
    )


def test_no_js_first_asks_then_saves_and_redirects_with_a_result_per_item(
    client, plan, head, round_items
):
    client.force_login(head)
    ticked = list(round_items.values())
    response = client.post(url(plan), form_data(ticked, confirmed=False))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gem 3 punkter som uændrede" in html
    assert 'name="confirmed" value="1"' in html
    assert StatusReport.objects.filter(period=current_month()).count() == 0
    # The confirmation page carries the ticked items and what was seen.
    fields = dict(re.findall(r'name="(seen_\d+)" value="(\d*)"', html))
    assert fields == {k: v for k, v in form_data(ticked).items() if k.startswith("seen_")}
    response = client.post(url(plan), form_data(ticked))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    for number in ("T1", "T2", "T3"):
        assert f"{number} er gemt som uændret" in page
    assert StatusReport.objects.filter(period=current_month(), carried_forward=True).count() == 3


@pytest.mark.parametrize("htmx", [True, False])
def test_conflict_refuses_that_item_only(client, plan, head, director, round_items, htmx):
    client.force_login(head)
    data = form_data(list(round_items.values()))
    # Kim reports on T2 after Mette opened the page.
    round_items["T2"].record_status(
        colour=Colour.RED, comment="Ny", red_reason="other", author=director
    )
    response = client.post(url(plan), data, **(HTMX if htmx else {}))
    if htmx:
        html = response.content.decode()
    else:
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
    assert "T2: Ikke gemt: Kim Bruun Nielsen har afgivet en ny status" in re.sub(
        r"<[^>]+>", "", html
    )
    assert this_month(round_items["T1"]).get().carried_forward
    assert this_month(round_items["T3"]).get().carried_forward
    t2 = this_month(round_items["T2"]).get()
    assert t2.author == director and not t2.carried_forward


@pytest.mark.parametrize("htmx", [True, False])
def test_another_committees_item_is_refused(
    client, plan, head, make_item, director, last_month, round_items, htmx
):
    foreign = make_item("F1", committee="ØK", cross_cutting=True)
    foreign.record_status(colour=Colour.GREEN, period=last_month, author=director)
    client.force_login(head)
    data = form_data([round_items["T1"], foreign])
    response = client.post(url(plan), data, **(HTMX if htmx else {}))
    html = response.content.decode() if htmx else client.get(response["Location"]).content.decode()
    assert "F1: Du kan ikke afgive status på punktet." in re.sub(r"<[^>]+>", "", html)
    assert not this_month(foreign).exists()
    assert this_month(round_items["T1"]).exists()


def test_an_item_already_reported_this_month_is_not_overwritten(client, plan, head, round_items):
    t1 = round_items["T1"]
    own = t1.record_status(colour=Colour.YELLOW, comment="Denne måned", author=head)
    client.force_login(head)
    response = client.post(url(plan), form_data([t1]), **HTMX)
    assert "allerede status for denne måned" in response.content.decode()
    assert this_month(t1).get() == own


def test_an_item_of_another_plan_is_not_touched(client, plan, head, round_items, make_item):
    from plans.models import BudgetPlan, PlanState

    other = BudgetPlan.objects.create(
        slug="2026-2029", title="Ny", first_year=2026, last_year=2029, state=PlanState.APPROVED
    )
    alien = make_item("A1", committee="BUU", responsible=head, item_plan=other)
    client.force_login(head)
    response = client.post(url(plan), form_data([alien]), **HTMX)
    assert "findes ikke i planen" in response.content.decode()
    assert not alien.reports.exists()


def test_nothing_ticked_or_tampered(client, plan, head, round_items):
    client.force_login(head)
    response = client.post(url(plan), {"confirmed": "1"})
    assert response.status_code == 302
    assert "Vælg de punkter" in client.get(response["Location"]).content.decode()
    response = client.post(url(plan), {"items": ["x"], "confirmed": "1"}, **HTMX)
    assert "Formularen er ugyldig" in response.content.decode()
    assert StatusReport.objects.filter(period=current_month()).count() == 0


def test_get_is_refused_and_login_required(client, plan, head):
    assert client.post(url(plan), {}).status_code == 302  # to the sign-in page
    client.force_login(head)
    assert client.get(url(plan)).status_code == 405


def test_archived_plan_refuses(client, plan, head, round_items):
    from plans.models import PlanState

    plan.state = PlanState.ARCHIVED
    plan.save()
    client.force_login(head)
    assert client.post(url(plan), form_data(list(round_items.values()))).status_code == 403


def test_bulk_uses_the_single_carry_forward(monkeypatch, client, plan, head, round_items):
    """One place for what a carried-forward report copies (OBS handling included)."""
    from plans import status_round

    calls = []
    original = status_round.carry_forward_status

    def spy(item, **kwargs):
        calls.append(item.pk)
        return original(item, **kwargs)

    monkeypatch.setattr(status_round, "carry_forward_status", spy)
    client.force_login(head)
    client.post(url(plan), form_data(list(round_items.values())), **HTMX)
    assert sorted(calls) == sorted(item.pk for item in round_items.values())


def test_query_count_does_not_grow_per_page(
    client, plan, head, make_item, last_month, django_assert_max_num_queries
):
    items = []
    for number in range(19):
        item = make_item(f"T{number:02d}", committee="BUU", responsible=head, cross_cutting=True)
        item.record_status(colour=Colour.GREEN, period=last_month)
        items.append(item)
    client.force_login(head)
    # 8 per item at most, plus the page (its rows read the open OBS points in one query).
    with django_assert_max_num_queries(19 * 8 + 32):
        response = client.post(url(plan), form_data(items), **HTMX)
    assert response.content.decode().count('class="bulk-saved"') == 19

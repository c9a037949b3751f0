"""'Mine punkter': the page a director or head of department reports from."""

from datetime import date

import pytest
from django.urls import reverse

from plans.models import Colour, PlanState, RedReason
from plans.months import add_months, current_month

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def last_month():
    return add_months(current_month(), -1)


def url(plan):
    return reverse("plans:my_items", args=[plan.slug])


def test_lists_items_the_head_answers_for_with_last_months_status(
    client, plan, head, director, make_item, last_month
):
    mine = make_item(
        "R307", committee="BUU", responsible=head, title="Fraværsindsatsen", cross_cutting=True
    )
    make_item("D01", committee="ØK", title="Ikke mit punkt", cross_cutting=True)
    mine.record_status(
        colour=Colour.YELLOW, comment="Forsinket leverandør", period=last_month, author=director
    )
    client.force_login(head)
    response = client.get(url(plan))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fraværsindsatsen" in body
    assert "Ikke mit punkt" not in body
    assert "Forsinket leverandør" in body
    assert "Kim Bruun Nielsen" in body  # the author of last month's comment
    assert "BUU – Børne- og Ungdomsudvalget" in body  # grouped by committee
    assert 'aria-label="Status for R307"' in body
    assert "Gem status" in body
    assert "Uændret siden sidste måned" in body
    assert 'id="status-progress"' in body
    assert "0 af 1 afrapporteret for" in body
    # The municipality's words beside the colours.
    assert "Følger planen – der er ikke behov for at zoome ind" in body
    assert "Der er behov for, at direktionen zoomer ind" in body


def test_director_sees_every_item_of_the_area_grouped_by_committee(
    client, plan, director, head, make_item
):
    make_item("D01", committee="ØK", title="Direktørens punkt", cross_cutting=True)
    make_item(
        "D02", committee="BUU", responsible=director, title="Ansvarlig for", cross_cutting=True
    )
    make_item("D03", committee="BUU", responsible=head, title="Mettes punkt", cross_cutting=True)
    client.force_login(director)
    body = client.get(url(plan)).content.decode()
    assert "Direktørens punkt" in body
    assert "Ansvarlig for" in body
    assert "Mettes punkt" not in body
    assert body.index("ØK – Økonomiudvalget") < body.index("BUU – Børne- og Ungdomsudvalget")


def test_completed_items_are_not_part_of_the_round(client, plan, head, make_item):
    make_item("A1", committee="BUU", responsible=head, title="Åbent punkt", cross_cutting=True)
    make_item(
        "A2",
        committee="BUU",
        responsible=head,
        title="Færdigt punkt",
        completed=True,
        cross_cutting=True,
    )
    client.force_login(head)
    body = client.get(url(plan)).content.decode()
    assert "Åbent punkt" in body
    assert "Færdigt punkt" not in body
    assert "0 af 1 afrapporteret" in body


def test_no_carry_forward_button_without_an_earlier_report(client, plan, head, make_item):
    make_item("A1", committee="BUU", responsible=head, cross_cutting=True)
    client.force_login(head)
    body = client.get(url(plan)).content.decode()
    assert "Gem status" in body
    assert "Uændret siden sidste måned</button>" not in body


def test_this_months_report_is_shown_and_prefills_the_form(client, plan, head, make_item):
    item = make_item("A1", committee="BUU", responsible=head, cross_cutting=True)
    report = item.record_status(
        colour=Colour.RED, comment="Gået i stå", red_reason=RedReason.STALLED, author=head
    )
    client.force_login(head)
    body = client.get(url(plan)).content.decode()
    assert "1 af 1 afrapporteret" in body
    assert f'value="red" id="status-{item.pk}-colour_2" required checked' in body
    assert f'name="seen_report" value="{report.pk}"' in body
    assert "Sagen er gået i stå" in body


def test_empty_page_explains_what_would_be_listed(client, plan, secretary, make_item):
    make_item("A1", committee="AU", cross_cutting=True)
    client.force_login(secretary)
    response = client.get(url(plan))
    assert response.status_code == 200
    assert "Du har ingen punkter at afgive status på" in response.content.decode()


def test_archived_plan_is_read_only(client, plan, head, make_item):
    make_item("A1", committee="BUU", responsible=head, title="Arkiveret punkt", cross_cutting=True)
    plan.state = PlanState.ARCHIVED
    plan.save()
    client.force_login(head)
    body = client.get(url(plan)).content.decode()
    assert "Arkiveret punkt" in body
    assert "Gem status" not in body
    assert "Du kan se status, men ikke afgive den." in body


def test_requires_sign_in(client, plan):
    response = client.get(url(plan))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_user_without_role_gets_403(client, plan, make_user):
    client.force_login(make_user("nobody", None))
    assert client.get(url(plan)).status_code == 403


def test_post_is_405(client, plan, head):
    client.force_login(head)
    assert client.post(url(plan)).status_code == 405


def test_unknown_plan_is_404(client, head):
    client.force_login(head)
    assert client.get(reverse("plans:my_items", args=["1999-2002"])).status_code == 404


def test_query_count_does_not_grow_with_items(
    client, plan, director, make_item, last_month, django_assert_max_num_queries
):
    def add(count, start):
        for n in range(start, start + count):
            item = make_item(f"Q{n:03d}", committee="ØK", cross_cutting=True)
            item.record_status(
                colour=Colour.GREEN, comment="ok", period=last_month, author=director
            )
            item.record_status(colour=Colour.YELLOW, comment="nu", author=director)

    add(3, 0)
    client.force_login(director)
    with django_assert_max_num_queries(14):
        assert client.get(url(plan)).status_code == 200
    add(30, 100)
    with django_assert_max_num_queries(14):
        response = client.get(url(plan))
    assert response.content.decode().count('class="status-form"') == 33


def test_progress_partial_for_htmx(client, plan, head, make_item):
    item = make_item("A1", committee="BUU", responsible=head, cross_cutting=True)
    make_item("A2", committee="BUU", responsible=head, cross_cutting=True)
    item.record_status(colour=Colour.GREEN, author=head)
    client.force_login(head)
    response = client.get(reverse("plans:status_progress", args=[plan.slug]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="status-progress"' in body
    assert 'hx-trigger="statusChanged from:body"' in body
    month = current_month()
    from plans.months import MONTH_NAMES

    assert f"1 af 2 afrapporteret for {MONTH_NAMES[month.month - 1]}" in body


def test_progress_without_htmx_redirects_to_the_page(client, plan, head):
    client.force_login(head)
    response = client.get(reverse("plans:status_progress", args=[plan.slug]))
    assert response.status_code == 302
    assert response["Location"] == url(plan)


def test_progress_post_is_405(client, plan, head):
    client.force_login(head)
    assert client.post(reverse("plans:status_progress", args=[plan.slug])).status_code == 405


def test_progress_needs_a_role(client, plan, make_user):
    client.force_login(make_user("nobody", None))
    response = client.get(reverse("plans:status_progress", args=[plan.slug]), **HTMX)
    assert response.status_code == 403


def test_demo_dates_are_plain_dates():
    # The deadline shown uses Danish month names through the locale.
    assert date(2026, 11, 20).strftime("%d-%m-%Y") == "20-11-2026"


def test_economy_chief_picks_a_committee_and_reports_on_its_items(
    client, plan, economy_chief, head, make_item
):
    buu = make_item("B1", committee="BUU", responsible=head, title="BUU-punkt", cross_cutting=True)
    make_item("A1", committee="AU", title="AU-punkt", cross_cutting=True)
    client.force_login(economy_chief)
    own = client.get(url(plan)).content.decode()
    assert "BUU-punkt" not in own
    assert 'name="committee"' in own  # the selector
    response = client.get(url(plan), {"committee": "BUU"})
    body = response.content.decode()
    assert "BUU-punkt" in body and "AU-punkt" not in body
    assert f'aria-label="Status for {buu.number}"' in body
    assert "0 af 1 afrapporteret" in body
    assert 'hx-get="/plans/2025-2028/mine/progress/?committee=BUU"' in body
    assert '<input type="hidden" name="committee" value="BUU">' in body
    # Without JavaScript the save comes back to the same committee.
    save = reverse("plans:report_status", args=[plan.slug, buu.pk])
    response = client.post(save, {"colour": "green", "committee": "BUU"})
    assert response["Location"] == f"{url(plan)}?committee=BUU#status-row-{buu.pk}"
    progress = client.get(
        reverse("plans:status_progress", args=[plan.slug]), {"committee": "BUU"}, **HTMX
    )
    assert "1 af 1 afrapporteret" in progress.content.decode()


def test_unknown_committee_is_a_message_not_an_error(client, plan, admin_user):
    client.force_login(admin_user)
    response = client.get(url(plan), {"committee": "XYZ"})
    assert response.status_code == 200
    assert "Udvalget «XYZ» findes ikke; her er dine egne punkter." in response.content.decode()


def test_others_cannot_pick_a_committee(client, plan, head, make_item):
    make_item("A1", committee="AU", title="AU-punkt", cross_cutting=True)
    make_item("B1", committee="BUU", responsible=head, title="Mit punkt", cross_cutting=True)
    client.force_login(head)
    body = client.get(url(plan), {"committee": "AU"}).content.decode()
    assert "AU-punkt" not in body and "Mit punkt" in body
    assert 'id="status-scope-committee"' not in body

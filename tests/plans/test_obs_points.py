"""OBS points as things on the item: they last through every status until closed, keep
an insert-only history, and are marked, followed up and closed on the red list and the
item page by whoever the one rule `plans.mark_obs` allows."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from committees.models import MembershipRole
from plans.board_report import build_board_report
from plans.exports.json import export_json
from plans.models import (
    Colour,
    ObsAlreadyClosed,
    ObsAlreadyOpen,
    ObsEvent,
    ObsPoint,
    PlanState,
)
from plans.months import current_month
from plans.permissions import Role
from plans.status_round import carry_forward_status, save_status

HTMX = {"HTTP_HX_REQUEST": "true"}
OCT, NOV, DEC = date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)


@pytest.fixture
def item(make_item, head):
    item = make_item("D17", committee="BUU", cross_cutting=True, responsible=head, title="Tilsyn")
    item.record_status(colour=Colour.RED, comment="Gået i stå", period=OCT, author=head)
    return item


@pytest.fixture
def point(item, economy_chief):
    return item.open_obs(text="Direktionen beslutter finansiering", author=economy_chief, month=OCT)


def test_obs_stays_open_through_carry_forward_and_new_statuses(item, point, head):
    carry_forward_status(item, author=head, seen_report_id=item.reports.last().pk, month=NOV)
    save_status(
        item,
        author=head,
        seen_report_id=item.reports.order_by("-id").first().pk,
        month=DEC,
        colour=Colour.YELLOW,
        comment="Bedre",
    )
    item.record_status(colour=Colour.GREEN, comment="Løst?", period=DEC, author=head)
    for month in (OCT, NOV, DEC):
        assert item.open_obs_point(month) == point
    assert item.open_obs_point() == point
    assert not ObsEvent.objects.exists()


def test_closed_only_explicitly_and_only_from_its_closing_month(item, point, director):
    point.close(reason="Finansiering fundet", author=director, month=DEC)
    assert item.open_obs_point(NOV) == point  # the record of November is unchanged
    assert item.open_obs_point(DEC) is None and item.open_obs_point() is None
    with pytest.raises(ObsAlreadyClosed):
        point.close(reason="igen", author=director, month=DEC)
    with pytest.raises(ObsAlreadyClosed):
        point.follow_up(text="for sent", author=director, month=DEC)


def test_the_database_refuses_a_second_closing(point, director):
    ObsEvent.objects.create(point=point, kind="closed", month=DEC, text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObsEvent.objects.create(point=point, kind="closed", month=DEC, text="b")


def test_history_is_insert_only_and_complete(item, point, economy_chief, director):
    decision = point.follow_up(
        text="Økonomi laver oplæg",
        follow_up_by="Bettina",
        due=date(2025, 12, 15),
        author=director,
        month=NOV,
    )
    closing = point.close(reason="Oplæg vedtaget", author=economy_chief, month=DEC)
    assert (point.opened_by, point.month, point.text) == (
        economy_chief,
        OCT,
        "Direktionen beslutter finansiering",
    )
    assert list(point.events.all()) == [decision, closing]
    assert (decision.follow_up_by, decision.due, decision.author_name) == (
        "Bettina",
        date(2025, 12, 15),
        director.get_full_name(),
    )
    for record in (point, decision):
        with pytest.raises(PermissionError):
            record.save()
        with pytest.raises(PermissionError):
            record.delete()
    with pytest.raises(PermissionError):
        ObsPoint.objects.update(text="x")
    with pytest.raises(PermissionError):
        ObsEvent.objects.all().delete()


def test_one_open_point_per_item(item, point, director):
    with pytest.raises(ObsAlreadyOpen):
        item.open_obs(text="To", author=director, month=NOV)
    point.close(reason="Lukket", author=director, month=NOV)
    assert item.open_obs(text="Ny", author=director, month=DEC).text == "Ny"


def test_json_export_says_whether_a_point_is_open_at_as_of(plan, item, point, director):
    def status(as_of):
        document = export_json(plan, as_of=as_of)
        return next(row for row in document["items"] if row["number"] == "D17")["status"]

    assert (status(OCT)["obs"], status(OCT)["obs_text"]) == (
        True,
        "Direktionen beslutter finansiering",
    )
    point.close(reason="Løst", author=director, month=NOV)
    assert (status(OCT)["obs"], status(NOV)["obs"], status(NOV)["obs_text"]) == (True, False, "")


def test_board_report_summary(plan, item, point, make_item, director, head):
    other = make_item("D01", committee="ØK", cross_cutting=True, title="Budgetoverholdelse")
    other.record_status(colour=Colour.RED, period=DEC, author=head)
    other.open_obs(text="Nyt i december", author=director, month=DEC)
    point.follow_up(text="Oplæg i januar", follow_up_by="Økonomi", author=director, month=NOV)
    old = make_item("D02", committee="ØK", cross_cutting=True, title="Gammel")
    old.record_status(colour=Colour.RED, period=OCT, author=head)
    old_point = old.open_obs(text="Lukkes i december", author=director, month=OCT)
    old_point.close(reason="Løst af direktionen", author=director, month=DEC)
    summary = build_board_report(plan, DEC).obs
    assert [line.number for line in summary.new] == ["D01"]
    assert [(line.number, line.months_open) for line in summary.still_open] == [("D17", 3)]
    assert [(line.number, line.decision) for line in summary.decided] == [("D17", "Oplæg i januar")]
    assert [(line.number, line.closed_reason) for line in summary.closed] == [
        ("D02", "Løst af direktionen")
    ]
    # The month after, the closed point is no longer news.
    january = build_board_report(plan, date(2026, 1, 1)).obs
    assert not january.closed and {line.number for line in january.still_open} == {"D01", "D17"}


# --- the views ---------------------------------------------------------------------------


@pytest.fixture
def buu_director(make_user):
    return make_user("anne", Role.DIRECTOR, (("BUU", MembershipRole.DIRECTOR),), "Anne", "Lund")


@pytest.fixture
def people(head, buu_director, director, economy_chief, admin_user, secretary, reader):
    return {
        "head of department": head,
        "director of the area": buu_director,
        "director of another committee's area": director,
        "economy chief": economy_chief,
        "administrator": admin_user,
        "secretary": secretary,
        "reader": reader,
    }


# The board picks OBS points: every director (also of another committee's area), the
# economy chief and the administrator; nobody else, whatever the committee.
MAY_MARK = {
    "director of the area",
    "director of another committee's area",
    "economy chief",
    "administrator",
}
MODES = {"htmx": HTMX, "no-js": {}}


def open_url(item):
    return reverse("plans:obs_open", args=[item.plan.slug, item.pk])


def follow_url(point):
    return reverse("plans:obs_follow_up", args=[point.item.plan.slug, point.pk])


def close_url(point):
    return reverse("plans:obs_close", args=[point.item.plan.slug, point.pk])


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("role", sorted(MAY_MARK | {"head of department", "secretary", "reader"}))
def test_every_role_marks_follows_up_and_closes(client, people, item, role, mode):
    client.force_login(people[role])
    extra = MODES[mode]
    response = client.post(open_url(item), {"text": "Følg op", "origin": "item"}, **extra)
    if role not in MAY_MARK:
        assert response.status_code == 403
        assert not ObsPoint.objects.exists()
        someone = people["economy chief"]
        point = item.open_obs(text="Fra økonomichefen", author=someone, month=OCT)
        data = {"text": "x", "origin": "red_list"}
        assert client.post(follow_url(point), data, **extra).status_code == 403
        assert client.post(close_url(point), data, **extra).status_code == 403
        assert not ObsEvent.objects.exists()
        return
    assert response.status_code == (200 if mode == "htmx" else 303)
    point = item.open_obs_point()
    assert (point.text, point.opened_by) == ("Følg op", people[role])
    data = {"text": "Beslutning", "follow_up_by": "Økonomi", "due": "15-12-2025"}
    response = client.post(follow_url(point), data, **extra)
    assert response.status_code == (200 if mode == "htmx" else 303)
    response = client.post(close_url(point), {"text": "Løst", "origin": "red_list"}, **extra)
    assert response.status_code == (200 if mode == "htmx" else 303)
    assert [(e.kind, e.text) for e in point.events.all()] == [
        ("decision", "Beslutning"),
        ("closed", "Løst"),
    ]
    if mode == "htmx":
        body = response.content.decode()
        assert "<html" not in body and 'id="obs-panel-' in body
        assert "OBS-punktet for D17 er lukket." in body
        assert response["HX-Trigger"] == "obsChanged"
    else:
        assert response["Location"].startswith(reverse("plans:red_list", args=[item.plan.slug]))


def test_no_js_close_from_the_red_list_returns_to_its_filters(client, economy_chief, item, point):
    client.force_login(economy_chief)
    data = {"text": "Løst", "origin": "red_list", "back": "month=2025-10&colour=red&evil=1"}
    response = client.post(close_url(point), data)
    assert response.status_code == 303
    assert response["Location"] == (
        reverse("plans:red_list", args=[item.plan.slug])
        + f"?month=2025-10&colour=red#obs-panel-{item.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "OBS-punktet for D17 er lukket." in page


def test_invalid_forms(client, economy_chief, item, point):
    client.force_login(economy_chief)
    response = client.post(close_url(point), {"text": " "}, **HTMX)
    assert response.status_code == 200
    assert "Skriv kort, hvorfor OBS-punktet lukkes." in response.content.decode()
    assert "HX-Trigger" not in response
    response = client.post(close_url(point), {"text": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "Skriv kort, hvorfor OBS-punktet lukkes." in body
    response = client.post(open_url(item), {"text": "Et til"}, **HTMX)
    assert "Punktet har allerede et åbent OBS-punkt." in response.content.decode()
    assert ObsPoint.objects.count() == 1 and not ObsEvent.objects.exists()


def test_closing_twice_closes_once(client, economy_chief, item, point):
    client.force_login(economy_chief)
    client.post(close_url(point), {"text": "Løst"}, **HTMX)
    response = client.post(close_url(point), {"text": "Løst"}, **HTMX)
    assert "OBS-punktet er allerede lukket." in response.content.decode()
    assert point.events.count() == 1


def test_archived_plan_refuses_everyone(client, admin_user, plan, item, point):
    plan.state = PlanState.ARCHIVED
    plan.save()
    client.force_login(admin_user)
    assert client.post(close_url(point), {"text": "x"}, **HTMX).status_code == 403
    assert client.post(open_url(item), {"text": "x"}, **HTMX).status_code == 403


def test_wrong_method_and_anonymous(client, item, point):
    assert client.post(open_url(item), {"text": "x"}).status_code == 302
    assert not ObsPoint.objects.exclude(pk=point.pk).exists()
    client.force_login(point.opened_by)
    assert client.get(close_url(point)).status_code == 405


def test_red_list_shows_the_forms_and_the_open_point_in_red(client, economy_chief, item, point):
    client.force_login(economy_chief)
    page = client.get(reverse("plans:red_list", args=[item.plan.slug]), {"month": "2025-10"})
    html = page.content.decode()
    assert 'class="review-row review-row-red row-obs"' in html
    assert '<span class="obs-text">Direktionen beslutter finansiering</span>' in html
    assert close_url(point) in html and follow_url(point) in html
    assert f'hx-post="{close_url(point)}"' in html


def test_item_page_shows_the_history_and_the_open_form(client, economy_chief, item, point, reader):
    point.close(reason="Løst", author=economy_chief, month=NOV)
    client.force_login(economy_chief)
    url = reverse("plans:item_detail", args=[item.plan.slug, item.pk])
    html = client.get(url).content.decode()
    assert "OBS-historik" in html and "Løst" in html
    assert open_url(item) in html
    client.force_login(reader)
    html = client.get(url).content.decode()
    assert "OBS-historik" in html and open_url(item) not in html


def test_opening_month_is_the_reviewed_month_never_later_than_now(client, economy_chief, item):
    client.force_login(economy_chief)
    client.post(open_url(item), {"text": "a", "month": "2025-10"}, **HTMX)
    assert item.open_obs_point().month == OCT
    item.open_obs_point().close(reason="x", author=economy_chief, month=OCT)
    client.post(open_url(item), {"text": "b", "month": "2099-01"}, **HTMX)
    assert item.open_obs_point().month == current_month()


def test_the_database_refuses_to_change_the_obs_history(item, point, director):
    from django.db import DatabaseError, connection

    point.close(reason="Løst", author=director, month=NOV)
    for table in ("plans_obspoint", "plans_obsevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET month = month")  # noqa: S608


def test_data_migration_opens_a_point_for_the_latest_flagged_report(item, head, director):
    from importlib import import_module

    from django.apps import apps

    from plans.models import StatusReport

    migration = import_module("plans.migrations.0004_obs_points_from_reports")
    # The old flag, as reports carried it before OBS points: only the latest one counts.
    StatusReport.objects.create(
        item=item, period=NOV, colour="red", obs=True, obs_text="Gammelt", author=head
    )
    StatusReport.objects.create(
        item=item,
        period=DEC,
        colour="red",
        obs=True,
        obs_text="Nyeste",
        author=director,
        author_name="Kim",
    )
    dropped = item.plan.items.model.objects.create(
        plan=item.plan, kind=item.kind, number="D99", title="Tabt", committee=item.committee
    )
    StatusReport.objects.create(item=dropped, period=NOV, colour="red", obs=True, obs_text="x")
    StatusReport.objects.create(item=dropped, period=DEC, colour="green")
    migration.open_points(apps, None)
    point = ObsPoint.objects.get()
    assert (point.item, point.month, point.text, point.opened_by) == (item, DEC, "Nyeste", director)


def test_an_open_point_stays_red_everywhere_after_later_statuses(
    client, plan, item, point, economy_chief, head
):
    item.record_status(colour=Colour.YELLOW, comment="Bedre", period=NOV, author=head)
    item.record_status(colour=Colour.YELLOW, comment="Stadig gul", period=DEC, author=head)
    client.force_login(economy_chief)
    overview = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert '<tr class="row-obs">' in overview and "Direktionen beslutter finansiering" in overview
    extract = client.get(
        reverse("plans:extract_detail", args=[plan.slug, "BUU"]), {"as_of": "2025-12"}
    ).content.decode()
    assert '<span class="obs-mark" title="OBS-punkt">OBS</span>' in extract
    red_list = client.get(
        reverse("plans:red_list", args=[plan.slug]), {"month": "2025-12"}
    ).content.decode()
    assert "row-obs" in red_list and "Direktionen beslutter finansiering" in red_list
    preview = client.get(
        reverse("plans:board_report", args=[plan.slug]), {"month": "2025-12"}
    ).content.decode()
    summary = preview.split('id="board-obs-title"')[1].split('id="board-legend-title"')[0]
    assert "Stadig åbne (1)" in summary and "åben i 3 måneder" in summary
    assert 'class="comment obs">OBS: Direktionen beslutter finansiering' in preview


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("role", sorted(MAY_MARK | {"head of department", "secretary", "reader"}))
def test_every_role_against_the_my_items_obs_control(client, people, item, role, mode):
    """The OBS control on "Mine punkter" (plans:mark_obs) follows the same rule."""
    client.force_login(people[role])
    extra = MODES[mode]
    url = reverse("plans:mark_obs", args=[item.plan.slug, item.pk])
    seen = item.reports.order_by("-id").first().pk
    marked = client.post(
        url, {"action": "mark", "obs_text": "Følg op", "seen_report": seen}, **extra
    )
    if role not in MAY_MARK:
        assert marked.status_code == 403 and not ObsPoint.objects.exists()
        return
    assert marked.status_code == (200 if mode == "htmx" else 302)
    point = item.open_obs_point()
    assert point.opened_by == people[role]
    data = {"action": "remove", "obs_text": "Løst", "seen_report": seen}
    closed = client.post(url, data, **extra)
    assert closed.status_code == (200 if mode == "htmx" else 302)
    assert item.open_obs_point() is None
    assert point.events.get().author == people[role]


def test_the_red_lists_own_close_form_returns_to_its_filters_without_javascript(
    client, economy_chief, item, point
):
    """The hidden fields written into every OBS form (origin, back, month) are what a
    browser without JavaScript posts: read them from the page, not from the test."""
    import re
    from html import unescape

    client.force_login(economy_chief)
    page = client.get(
        reverse("plans:red_list", args=[item.plan.slug]), {"month": "2025-10", "colour": "red"}
    ).content.decode()
    form = re.search(rf'<form method="post" action="{close_url(point)}".*?</form>', page, re.S)
    assert form is not None
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0)))
    assert hidden.pop("csrfmiddlewaretoken")
    assert {name: unescape(value) for name, value in hidden.items()} == {
        "origin": "red_list",
        "back": "month=2025-10&colour=red",
        "month": "2025-10",
    }
    data = {name: unescape(value) for name, value in hidden.items()} | {"text": "Løst"}
    response = client.post(close_url(point), data)
    assert response.status_code == 303
    assert response["Location"] == (
        reverse("plans:red_list", args=[item.plan.slug])
        + f"?month=2025-10&colour=red#obs-panel-{item.pk}"
    )
    assert point.events.get().month == OCT

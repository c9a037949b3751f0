"""The annual wheel as an iCalendar feed, parsed back with the `icalendar` package."""

from __future__ import annotations

import hashlib
from datetime import date

import icalendar
import pytest
from django.urls import reverse

from committees.ical import Event, calendar
from committees.models import Meeting
from plans.models import ReadToken

AGENDA = "Ad. 307; udvalget ønsker beregningen, som lå til grund.\nAnden linje \\ slut"


@pytest.fixture
def wheel(plan, committees):
    return [
        Meeting.objects.create(
            plan=plan,
            body=committees["AU"],
            date=date(2025, 1, 23),
            title="Udmøntningsplan 2025-2028",
            case_number="24/7615",
            agenda_text=AGENDA,
        ),
        Meeting.objects.create(
            plan=plan,
            body=committees["DIR"],
            date=date(2025, 3, 26),
            title="Udmøntningsplan 2025-2028 - Strategiske og tværgående indsatser for økonomi, "
            "rekruttering og fastholdelse, klima, samarbejder og samskabelse",
            case_number="25/1234",
        ),
    ]


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content.decode("utf-8"))


def meeting_events(cal: icalendar.Calendar) -> list:
    """The meetings (the feed also holds work-plan treatments and status deadlines)."""
    return [event for event in cal.walk("VEVENT") if str(event["UID"]).startswith("meeting-")]


def test_feed_parses_back_with_one_event_per_meeting(client, director, plan, wheel):
    client.force_login(director)
    response = client.get(reverse("committees:ical", args=[plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = parse(response)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = meeting_events(cal)
    assert len(events) == 2
    first, second = events
    assert first.decoded("DTSTART") == date(2025, 1, 23)
    assert first.decoded("DTEND") == date(2025, 1, 24)
    assert str(first["SUMMARY"]) == "AU: Udmøntningsplan 2025-2028"
    description = str(first["DESCRIPTION"])
    assert "Sag 24/7615" in description
    # Escaped commas, semicolons, backslashes and newlines come back unchanged.
    assert AGENDA in description
    assert str(second["SUMMARY"]).endswith("samarbejder og samskabelse")
    assert first["UID"] != second["UID"]
    assert first["DTSTAMP"]
    assert str(first["URL"]).endswith(
        reverse("committees:meeting_detail", args=[plan.slug, wheel[0].pk])
    )


def test_feed_lines_end_with_crlf_and_are_folded_at_75_octets(client, director, plan, wheel):
    client.force_login(director)
    body = client.get(reverse("committees:ical", args=[plan.slug])).content
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character split across a fold


def test_calendar_writer_round_trip():
    from datetime import UTC, datetime

    text = calendar(
        "Årshjul",
        [Event("x@y", date(2025, 12, 31), "Nytår, møde")],
        datetime(2025, 1, 1, tzinfo=UTC),
    )
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == date(2025, 12, 31)
    assert event.decoded("DTEND") == date(2026, 1, 1)
    assert str(event["SUMMARY"]) == "Nytår, møde"


def test_feed_with_a_read_token_needs_no_sign_in(client, admin_user, plan, wheel):
    ReadToken.objects.create(
        name="Kalender",
        key_hash=hashlib.sha256(b"hemmelig-noegle").hexdigest(),
        created_by=admin_user,
    )
    response = client.get(
        reverse("committees:ical", args=[plan.slug]), {"token": "hemmelig-noegle"}
    )
    assert response.status_code == 200
    assert len(meeting_events(parse(response))) == 2


def test_feed_refuses_a_wrong_or_revoked_token(client, admin_user, plan, wheel):
    ReadToken.objects.create(
        name="Gammel",
        key_hash=hashlib.sha256(b"tilbagekaldt").hexdigest(),
        created_by=admin_user,
        revoked=True,
    )
    url = reverse("committees:ical", args=[plan.slug])
    assert client.get(url, {"token": "tilbagekaldt"}).status_code == 401
    assert client.get(url, {"token": "forkert"}).status_code == 401


def test_feed_anonymous_without_token_is_sent_to_sign_in(client, plan, wheel):
    response = client.get(reverse("committees:ical", args=[plan.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_feed_needs_a_role(client, make_user, plan, wheel):
    client.force_login(make_user("nobody", None))
    assert client.get(reverse("committees:ical", args=[plan.slug])).status_code == 403


def test_feed_refuses_post(client, director, plan):
    client.force_login(director)
    assert client.post(reverse("committees:ical", args=[plan.slug])).status_code == 405


def test_feed_query_count_does_not_grow(
    client, director, plan, committees, wheel, django_assert_max_num_queries
):
    for day in range(1, 25):
        Meeting.objects.create(
            plan=plan, body=committees["BUU"], date=date(2025, 5, day), title=f"Møde {day}"
        )
    client.force_login(director)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("committees:ical", args=[plan.slug]))
    assert len(meeting_events(parse(response))) == 26

"""Issue 18 for meetings: dates in a sensible range, one meeting per body and day, and a
feed that survives any date and any line break (written with the icalendar library)."""

from __future__ import annotations

import threading
from datetime import date

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from committees.models import Meeting, validate_meeting_date

HTMX = {"HTTP_HX_REQUEST": "true"}
RANGE_MESSAGE = "Mødedatoen skal ligge mellem 01-01-2023 og 31-12-2030"


def create_url(plan):
    return reverse("committees:meeting_create", args=[plan.slug])


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2022-12-31", "2031-01-01"])
def test_a_meeting_date_outside_the_plan_years_plus_minus_two_is_refused(
    client, admin_user, plan, committees, day
):
    client.force_login(admin_user)
    response = client.post(
        create_url(plan), {"body": committees["AU"].pk, "date": day, "title": "Møde"}
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", [date(2023, 1, 1), date(2030, 12, 31)])
def test_the_range_ends_are_allowed(plan, day):
    validate_meeting_date(plan, day)


def test_the_model_validates_the_range_too(plan, committees):
    meeting = Meeting(plan=plan, body=committees["AU"], date=date(9999, 12, 31), title="x")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert RANGE_MESSAGE in str(error.value)


def test_the_agenda_page_refuses_a_meeting_date_out_of_range(client, admin_user, plan, committees):
    client.force_login(admin_user)
    url = reverse("committees:agenda_draft", args=[plan.slug, "AU"])
    response = client.post(url, {"text": "Tekst", "meeting_date": "9999-12-31"})
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_second_meeting_of_one_body_on_one_day_is_refused_with_a_message(
    client, admin_user, plan, committees
):
    client.force_login(admin_user)
    data = {"body": committees["AU"].pk, "date": "2025-01-23", "title": "Møde"}
    assert client.post(create_url(plan), data).status_code == 302
    response = client.post(create_url(plan), data, **HTMX)
    assert response.status_code == 200
    assert "Arbejdsmarkedsudvalget har allerede et møde den 23-01-2025" in response.content.decode()
    assert Meeting.objects.count() == 1
    # Another body on the same day is fine.
    other = {**data, "body": committees["BUU"].pk}
    assert client.post(create_url(plan), other).status_code == 302


def test_the_database_refuses_two_meetings_of_one_body_on_one_day(plan, committees):
    Meeting.objects.create(plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="b")


def test_a_double_submit_that_passes_validation_twice_gets_the_message_not_a_500(
    client, admin_user, plan, committees, monkeypatch
):
    # Two submits at once both pass the form's check before either has saved; the second
    # then meets the unique constraint. Reproduced by letting the check see nothing.
    client.force_login(admin_user)
    Meeting.objects.create(plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="a")
    monkeypatch.setattr(Meeting, "has_duplicate", lambda self: False)
    data = {"body": committees["AU"].pk, "date": "2025-01-23", "title": "Møde"}
    response = client.post(create_url(plan), data)
    assert response.status_code == 200
    assert "har allerede et møde den 23-01-2025" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_the_agenda_save_on_a_taken_day_keeps_the_text_with_that_meeting(
    client, admin_user, plan, committees
):
    from committees.views.agenda import save_agenda_text

    existing = Meeting.objects.create(
        plan=plan, body=committees["AU"], date=date(2025, 1, 23), title="a"
    )
    saved = save_agenda_text(
        plan, committees["AU"], {"meeting": None, "meeting_date": date(2025, 1, 23), "text": "T"}
    )
    assert saved.pk == existing.pk and Meeting.objects.count() == 1
    existing.refresh_from_db()
    assert existing.agenda_text == "T"


def feed(client, plan):
    response = client.get(reverse("committees:ical", args=[plan.slug]))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1)])
def test_an_old_meeting_at_the_edge_of_the_calendar_does_not_take_the_feed_down(
    client, director, plan, committees, day
):
    # Saved before the range check existed (or around it, in the database).
    Meeting.objects.create(plan=plan, body=committees["AU"], date=day, title="Tastefejl")
    client.force_login(director)
    events = icalendar.Calendar.from_ical(feed(client, plan).content).walk("VEVENT")
    meetings = [event for event in events if str(event["UID"]).startswith("meeting-")]
    assert [event.decoded("DTSTART") for event in meetings] == [day]


def test_the_feed_has_no_unicode_line_separators_or_control_characters(
    client, director, plan, committees
):
    text = "Første\u2028anden\u2029tredje\x85fjerde\x0bfemte\x0csjette\x07, syvende; slut\\"
    Meeting.objects.create(
        plan=plan,
        body=committees["AU"],
        date=date(2025, 1, 23),
        title="Linje\u2028skift",
        agenda_text=text,
    )
    client.force_login(director)
    body = feed(client, plan).content
    for separator in ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x07"):
        assert separator.encode("utf-8") not in body
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    event = next(
        event
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT")
        if str(event["UID"]).startswith("meeting-")
    )
    assert "Første\nanden\ntredje\nfjerde\nfemte\nsjette, syvende; slut\\" in str(
        event["DESCRIPTION"]
    )
    assert str(event["SUMMARY"]) == "AU: Linje skift"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_meeting_and_no_500(plan, committees, admin_user):
    """Two identical "Opret møde" posts at the same moment, through the whole request
    stack (ATOMIC_REQUESTS): one meeting, and the other answer is the form with the
    message, never a server error."""
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL; SQLite serialises writers by itself")
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    data = {"body": committees["AU"].pk, "date": "2025-01-23", "title": "Møde"}

    def submit() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(admin_user)
        try:
            barrier.wait()
            statuses.append(client.post(create_url(plan), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]
    assert Meeting.objects.filter(body=committees["AU"], date=date(2025, 1, 23)).count() == 1

"""The annual wheel's iCalendar feed: all-day events, written with the `icalendar` library.

The library does the parts of RFC 5545 that are easy to get wrong (CRLF line endings,
folding at 75 octets without splitting a UTF-8 character, escaping of backslash,
semicolon, comma and newlines). What it passes through unchanged is every other line
break Unicode knows (U+2028, U+2029, NEL, vertical tab, form feed): calendar clients
split lines on those too, so `clean_text` turns them into plain newlines first and
drops other control characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar

from plans import sanitize

# Line breaks other than "\n" (which the library escapes) and C0/C1 control characters.
_LINE_BREAKS = re.compile("\r\n|[\r\x1c\x1d\x1e]")
_C1 = re.compile("[\x80-\x84\x86-\x9f]")


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""
    end: date | None = None  # the last day, for an event over several days


def clean_text(value: str) -> str:
    """A TEXT value with plain newlines only and no control characters: the one cleaning
    of every export (plans.sanitize), then the line breaks and C1 characters a calendar
    client would show as boxes."""
    return _C1.sub("", _LINE_BREAKS.sub("\n", sanitize.clean_text(value))).replace("\t", " ")


def calendar(name: str, events: Iterable[Event], stamp: datetime) -> str:
    """The whole calendar, UTF-8 with CRLF line endings; `stamp` is a UTC datetime.

    An event on the last representable day ends on it too (DTEND would overflow)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Udmoentning//Aarshjul//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean_text(name))
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", clean_text(event.uid))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.day)
        last = max(event.end or event.day, event.day)
        if last < date.max:  # DTEND is the day after; on the last representable day, none
            entry.add("dtend", last + timedelta(days=1))
        entry.add("summary", " ".join(clean_text(event.summary).split("\n")))
        if event.description:
            entry.add("description", clean_text(event.description))
        if event.url:
            entry.add("url", event.url)
        cal.add_component(entry)
    return cal.to_ical().decode("utf-8")

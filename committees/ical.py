"""A minimal RFC 5545 writer for the annual wheel's feed: all-day events, nothing more.

Written by hand rather than with a library: the feed needs five properties, and the rules
that matter (CRLF, folding at 75 octets without splitting a UTF-8 character, escaping of
backslash, semicolon, comma and newlines) fit in a few lines. The tests parse the result
back with the `icalendar` package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plans.sanitize import clean_text

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11), control characters dropped first."""
    value = clean_text(value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets; continuation lines begin
    with one space (which counts towards their 75)."""
    parts: list[str] = []
    current = ""
    current_octets = 0
    limit = MAX_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > limit:
            parts.append(current)
            current, current_octets = " ", 1
        current += char
        current_octets += size
    parts.append(current)
    return CRLF.join(parts)


def _date_value(day: date) -> str:
    return f"{day:%Y%m%d}"


def calendar(name: str, events: Iterable[Event], stamp: datetime) -> str:
    """The whole calendar as text with CRLF line endings; `stamp` is a UTC datetime."""
    dtstamp = f"{stamp:%Y%m%dT%H%M%S}Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Udmoentning//Aarshjul//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_date_value(event.day)}",
            f"DTEND;VALUE=DATE:{_date_value(event.day + timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)

"""Months as the plan counts them: a report period is the first day of a month."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH_NAMES = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(value: str) -> date:
    """'2025-10' -> date(2025, 10, 1). Raises ValueError with a Danish message."""
    match = _MONTH_RE.match(value or "")
    if not match:
        raise ValueError(f"«{value}» er ikke en måned på formen ÅÅÅÅ-MM.")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError(f"«{value}» er ikke en gyldig måned.")
    return date(year, month, 1)


def month_key(period: date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def month_label(period: date) -> str:
    """date(2025, 11, 1) -> 'november 2025'."""
    return f"{MONTH_NAMES[period.month - 1]} {period.year}"


def current_month() -> date:
    return first_of_month(timezone.localdate())


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_count(first: date, last: date) -> int:
    """How many months from first to last, both counted (the same month is 1)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def months_between(first: date, last: date) -> Iterator[date]:
    """Every month from first to last, both included."""
    period = first_of_month(first)
    while period <= last:
        yield period
        period = add_months(period, 1)


def danish_date(day: date) -> str:
    """date(2025, 1, 31) -> '31. januar 2025'."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


# Dates a plan's documents can sensibly carry: its own years, two either side.
PLAN_DATE_MARGIN_YEARS = 2


def plan_date_error(first_year: int, last_year: int, day: date) -> str | None:
    """A Danish message when `day` is outside the plan's years ± 2 (a meeting or report
    dated 0001 or 9999 is a typing error, and breaks calendars and PDFs), else None."""
    first = date(max(first_year - PLAN_DATE_MARGIN_YEARS, 1), 1, 1)
    last = date(min(last_year + PLAN_DATE_MARGIN_YEARS, 9999), 12, 31)
    if first <= day <= last:
        return None
    return _(
        "Datoen skal ligge mellem %(first)s og %(last)s (planens år og to år før og efter)."
    ) % {"first": danish_date(first), "last": danish_date(last)}

"""An item's political treatment, read from the text the plan writes it in.

Pure functions, no ORM. The workbook's column "Politisk behandling" (and the field on the
item page) holds texts such as

    Indgår i driften            absorbed in operations, not treated further
    AU marts 2025               a committee, in a month
    BUU 2. kvt. 2025            in a quarter
    ØK, KB juni 2025            several committees, the same month
    AU 23-01-2025               at the committee's meeting on that day
    AU marts 2025; ØK maj 2025  several treatments, separated by ";" (or a new line)

`parse_treatment` turns such a text into `Treatment`s (committee codes and a period) or
Danish error messages; the work plan, the annual wheel and the iCal feed read them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
# Abbreviations as the plans write them: "jan.", "feb", "sept.".
MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}

OPERATIONS_TEXTS = ("indgår i driften", "indgaar i driften", "i driften", "driften", "drift")

MONTH = "month"
QUARTER = "quarter"
MEETING = "meeting"

_SEPARATORS = re.compile(r"[;\n]+")
_QUARTER = re.compile(
    r"^(?:(?P<n>[1-4])\s*\.?\s*(?:kvt|kvartal|kv)\.?|q\s*(?P<q>[1-4]))\s+(?P<year>\d{4})$"
)
_MONTH_NAME = re.compile(r"^(?P<month>[a-zæøå]+)\.?\s+(?P<year>\d{4})$")
_MONTH_NUMBER = re.compile(r"^(?:(?P<m1>\d{1,2})[-/.](?P<y1>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2}))$")
_DAY_NUMBER = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$")
_DAY_NAME = re.compile(r"^(?P<d>\d{1,2})\.?\s+(?P<month>[a-zæøå]+)\.?\s+(?P<y>\d{4})$")
_MEETING_WORD = re.compile(r"^(?:på\s+)?(?:mødet|møde)(?:\s+den)?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Treatment:
    """To be treated by `committees` in the period `start`..`end` (both included)."""

    committees: tuple[str, ...]
    precision: str  # MONTH, QUARTER or MEETING
    start: date
    end: date

    @property
    def label(self) -> str:
        """Danish, as the plan writes it: "marts 2025", "2. kvt. 2025", "23-01-2025"."""
        names = list(MONTHS)
        if self.precision == MEETING:
            return f"{self.start:%d-%m-%Y}"
        if self.precision == QUARTER:
            return f"{(self.start.month - 1) // 3 + 1}. kvt. {self.start.year}"
        return f"{names[self.start.month - 1]} {self.start.year}"

    def overdue(self, today: date) -> bool:
        return self.end < today


@dataclass
class ParsedTreatment:
    operations: bool = False
    treatments: list[Treatment] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_number(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS.get(word)


def parse_period(text: str) -> tuple[str, date, date] | None:
    """'marts 2025' / '03-2025' -> month; '2. kvt. 2025' / 'Q2 2025' -> quarter;
    '23-01-2025' / '23. januar 2025' / 'mødet 23-01-2025' -> meeting. None otherwise."""
    text = " ".join(_MEETING_WORD.sub("", text.strip()).split()).casefold()
    try:
        if match := _QUARTER.match(text):
            quarter, year = int(match["n"] or match["q"]), int(match["year"])
            first = 3 * (quarter - 1) + 1
            return QUARTER, date(year, first, 1), _month_end(year, first + 2)
        if match := _DAY_NUMBER.match(text):
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            return MEETING, day, day
        if (match := _DAY_NAME.match(text)) and (month := _month_number(match["month"])):
            day = date(int(match["y"]), month, int(match["d"]))
            return MEETING, day, day
        if (match := _MONTH_NAME.match(text)) and (month := _month_number(match["month"])):
            year = int(match["year"])
            return MONTH, date(year, month, 1), _month_end(year, month)
        if match := _MONTH_NUMBER.match(text):
            year = int(match["y1"] or match["y2"])
            month = int(match["m1"] or match["m2"])
            return MONTH, date(year, month, 1), _month_end(year, month)
    except ValueError:  # 31-02-2025, month 13, year 0
        return None
    return None


def _committee_lookup(committees: Iterable[tuple[str, str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in committees:
        lookup[" ".join(code.split()).casefold()] = code
        lookup[" ".join(name.split()).casefold()] = code
    return lookup


def _split_committees(text: str, lookup: dict[str, str]) -> list[str]:
    """'ØK, KB' / 'ØK og KB' -> two names; a name holding ' og ' ('Børne- og
    Ungdomsudvalget') stays whole when it is a known name."""
    names: list[str] = []
    for part in re.split(r",|/|&", text):
        part = " ".join(part.split())
        if not part:
            continue
        if part.casefold() in lookup:
            names.append(part)
        else:
            names += [piece.strip() for piece in re.split(r"\s+og\s+", part) if piece.strip()]
    return names


def _find_period(segment: str) -> tuple[str, str] | None:
    """Split a segment into (committee part, period part): the shortest tail that reads
    as a period."""
    words = segment.split()
    for start in range(1, len(words)):
        tail = " ".join(words[start:])
        if parse_period(tail) is not None:
            return " ".join(words[:start]), tail
    return None


def parse_treatment(text: str, committees: Iterable[tuple[str, str]]) -> ParsedTreatment:
    """Read a political treatment text; `committees` is (code, name) of every known
    committee. Errors are Danish and name the part that could not be read."""
    result = ParsedTreatment()
    lookup = _committee_lookup(committees)
    for raw in _SEPARATORS.split(text or ""):
        segment = " ".join(raw.split()).strip(" .,")
        if not segment:
            continue
        if segment.casefold() in OPERATIONS_TEXTS:
            result.operations = True
            continue
        split = _find_period(segment)
        if split is None:
            result.errors.append(
                f"«{segment}»: skriv udvalg og tidspunkt, fx «AU marts 2025», "
                "«BUU 2. kvt. 2025», «AU 23-01-2025» eller «Indgår i driften»."
            )
            continue
        committee_text, period_text = split
        codes: list[str] = []
        for name in _split_committees(committee_text, lookup):
            code = lookup.get(name.casefold())
            if code is None:
                result.errors.append(f"«{segment}»: ukendt udvalg «{name}».")
            elif code not in codes:
                codes.append(code)
        period = parse_period(period_text)
        if codes and period is not None:
            precision, start, end = period
            result.treatments.append(Treatment(tuple(codes), precision, start, end))
    if result.operations and result.treatments:
        result.errors.append(
            "«Indgår i driften» kan ikke stå sammen med en politisk behandling: vælg det ene."
        )
    return result

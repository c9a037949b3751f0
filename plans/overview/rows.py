"""The overview's rows as HTML: one table row per item, every number and label
formatted and every value escaped, built by string joins (see RowRenderer)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from committees.models import Committee
from plans.badges import badge_html, obs_mark
from plans.models import COLOUR_SEVERITY, KIND_ORDER, Colour
from plans.months import month_label

COMMENT_PREVIEW_CHARS = 80


@dataclass(slots=True)
class Row:
    """One item of the table: its HTML, made once, and what grouping, totals and
    sorting need."""

    html: str
    order: tuple[Any, ...]
    kind: str
    heading_id: int | None
    heading: str
    amounts: tuple[float | None, ...]
    number: str
    title: str
    committee_code: str
    timing: str
    completed: bool
    severity: int
    period: date


def amount_text(value: float | Decimal | int | None) -> str:
    """Like plans.formatting.danish_number for amounts in 1.000 kr. with at most one
    decimal, but cheap enough for thousands of cells: -1234.5 -> '-1.234,5'."""
    if value is None:
        return ""
    tenths = round(value * 10)
    if tenths == 0:
        return "0"
    whole, tenth = divmod(abs(tenths), 10)
    text = f"{whole:,}".replace(",", ".")
    if tenth:
        text = f"{text},{tenth}"
    return f"-{text}" if tenths < 0 else text


def escape_text(text: str) -> str:
    """html.escape, skipped for the many texts with nothing to escape: a thousand-row
    table escapes some 8,000 strings, and the check costs a third of the escape."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


_NUMBER_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """'R7' before 'R12': digits compare as numbers."""
    return tuple(
        (1, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in _NUMBER_PARTS.split(text)
        if part
    )


def parse_amounts(pairs: str | None, years: Sequence[int]) -> list[float | None]:
    """'2025:-1500.0;2026:0' -> one value per plan year, None where none is stored."""
    stored: dict[int, float] = {}
    if pairs:
        for pair in pairs.split(";"):
            year, _, amount = pair.partition(":")
            stored[int(year)] = float(amount)
    return [stored.get(year) for year in years]


def truncate(text: str, limit: int = COMMENT_PREVIEW_CHARS) -> str:
    """The start of a comment; HTML collapses its whitespace anyway."""
    if len(text) <= limit:
        return text
    return " ".join(text[: limit * 2].split())[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=8192)
def amount_cells(pairs: str | None, years: tuple[int, ...]) -> tuple[tuple[float | None, ...], str]:
    """The amounts per year of one item and their table cells, from the row query's
    text ('2025:-1500.0;2026:0'). A pure function of its arguments, so it is memoized
    for the process: the same plan is viewed again and again, and a plan repeats its
    amounts (declarations of intent without amounts, the same saving every year).
    Formatting them was half the cost of the overview's rows."""
    amounts = tuple(parse_amounts(pairs, years))
    return amounts, "".join([f'<td class="num">{amount_text(amount)}</td>' for amount in amounts])


_OBS_ROW_START = '<tr class="row-obs">'


class RowRenderer:
    """Turns the query's rows into table rows of HTML, every value escaped.

    Built here rather than with a template tag per cell, because a 400 x 15 table of
    tags takes several times as long to render as the database takes to answer
    (bench/bench_overview.py times the page); the rest of the page stays in
    plans/plan_detail.html. What is the same for every row (translated words,
    committee codes, month labels, the link pattern) is looked up once per request.
    """

    def __init__(self, committees: Iterable[Committee], years: Sequence[int], item_url: str):
        self.years = tuple(years)
        # The link pattern is escaped once; the pk put into it is a number.
        self.item_url = escape(item_url)
        self.codes = {committee.pk: committee.code for committee in committees}
        self.committee_order = {pk: position for position, pk in enumerate(self.codes)}
        self.colour_labels = {colour.value: str(colour.label) for colour in Colour}
        # The badges through plans/badges.py, the tag's markup, built once per request.
        self.badges = {value: str(badge_html(value)) for value in self.colour_labels}
        self.badges[""] = str(badge_html(""))
        self.completed_badge = str(badge_html("", completed=True))
        self.obs_mark = f" {obs_mark()}"
        self.period_labels: dict[date, str] = {}

    def row(self, values: dict[str, Any]) -> Row:
        colour = values["latest__colour"] or ""
        period = values["latest__period"]
        period_label = ""
        if period is not None:
            period_label = self.period_labels.get(period) or self.period_labels.setdefault(
                period, month_label(period)
            )
        pk = values["pk"]
        number = values["number"]
        title = escape_text(values["title"])
        if self.item_url:
            title = f'<a href="{self.item_url.format(pk=pk)}">{title}</a>'
        committee_code = self.codes.get(values["committee_id"], "")
        committee = escape_text(committee_code)
        if also := values["also_committee_ids"]:
            also = sorted(also, key=lambda pk: self.committee_order.get(pk, 99))
            codes = ", ".join([self.codes.get(pk, "") for pk in also])
            committee += f" <small>({escape_text(codes)})</small>"
        badge = self.badges.get(colour, self.badges[""])
        if values["completed"]:
            badge = self.completed_badge
        obs = values["obs"]
        if obs:
            obs_text = values["obs_text"]
            badge += f" {obs_mark(obs_text)}" if obs_text else self.obs_mark
        amounts, cells = amount_cells(values["amount_pairs"], self.years)
        comment = escape_text(truncate(values["latest__comment"] or ""))
        html = (
            f"{_OBS_ROW_START if obs else '<tr>'}"
            f"<td>{escape_text(number)}</td><td>{title}</td><td>{committee}</td>"
            f"<td>{escape_text(values['markers'])}</td>{cells}"
            f"<td>{escape_text(values['timing'])}</td>"
            f"<td>{'X' if values['completed'] else ''}</td><td>{badge}</td>"
            f"<td>{period_label}</td><td>{comment}</td></tr>\n"
        )
        heading = values["heading__name"] or ""
        return Row(
            html=html,
            order=(
                KIND_ORDER.get(values["kind"], 99),
                values["heading__order"] or 0,
                heading,
                values["order"],
                number,
                self.committee_order.get(values["committee_id"], 0),
            ),
            kind=values["kind"],
            heading_id=values["heading_id"],
            heading=heading,
            amounts=amounts,
            number=number,
            title=values["title"],
            committee_code=committee_code,
            timing=values["timing"],
            completed=values["completed"],
            severity=COLOUR_SEVERITY.get(colour, -1),
            period=period or date.min,
        )

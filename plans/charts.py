"""Server-rendered SVG charts: no JavaScript, no style attributes (strict CSP).

`stacked_bars` takes the numbers once and returns both the SVG and the rows of a table
view, so the picture and its text alternative can never disagree. Colours are SVG
presentation attributes (`fill="..."`), every series has its word in the legend, and each
segment carries a `<title>` with category, word and count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from plans.formatting import danish_number


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    fill: str
    text_fill: str = "#000000"


@dataclass(frozen=True)
class Category:
    label: str
    sublabel: str = ""
    long_label: str = ""

    @property
    def full_label(self) -> str:
        return self.long_label or " ".join(part for part in (self.label, self.sublabel) if part)


@dataclass(frozen=True)
class TableRow:
    label: str
    values: list[str]
    total: str


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    series: list[Series]
    rows: list[TableRow]


# Geometry in SVG user units; the SVG scales to its container through viewBox.
BAR_WIDTH = 30
BAR_GAP = 14
MARGIN_LEFT = 44
MARGIN_RIGHT = 12
MARGIN_TOP = 34
PLOT_HEIGHT = 200
MARGIN_BOTTOM = 40
MIN_LABELLED_SEGMENT = 13
MIN_PLOT_WIDTH = 520
INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#d0d0d0"


def nice_ceiling(value: int) -> tuple[int, int]:
    """The axis maximum and tick step for a largest bar of `value` (about four ticks)."""
    if value <= 0:
        return 1, 1
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step)) if raw_step >= 1 else 1
    step = next(
        multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= raw_step
    )
    step = max(1, int(step))
    return step * math.ceil(value / step), step


def _attrs(**attributes: object) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
    )


def _tag(name: str, text: str | None = None, inner: str = "", **attributes: object) -> str:
    """One SVG element; `text` is escaped, `inner` is markup built by this module."""
    content = inner + (escape(text) if text is not None else "")
    opening = " ".join([name, _attrs(**attributes)]) if attributes else name
    if not content:
        return f"<{opening}/>"
    return f"<{opening}>{content}</{name}>"


def _text(x: float, y: float, text: str, fill: str = INK, anchor: str = "start") -> str:
    return _tag("text", text, x=x, y=y, font_size=11, text_anchor=anchor, fill=fill)


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[Category],
    series: Sequence[Series],
    values: Sequence[Sequence[int]],
) -> Chart:
    """values[c][s] is the count of series s in category c; bars stack series in order."""
    if len(values) != len(categories) or any(len(row) != len(series) for row in values):
        raise ValueError("values must have one row per category and one value per series")
    totals = [sum(row) for row in values]
    axis_max, step = nice_ceiling(max(totals, default=0))
    # A few bars spread over a minimum width; many bars get a fixed slot each.
    slot = max(BAR_WIDTH + BAR_GAP, MIN_PLOT_WIDTH / max(len(categories), 1))
    width = round(MARGIN_LEFT + max(len(categories), 1) * slot + MARGIN_RIGHT)
    height = MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM
    baseline = MARGIN_TOP + PLOT_HEIGHT
    right = width - MARGIN_RIGHT

    def y_for(value: float) -> float:
        return round(baseline - PLOT_HEIGHT * value / axis_max, 1)

    parts: list[str] = [
        _tag("title", title, id=f"{chart_id}-title"),
        _tag("desc", description, id=f"{chart_id}-desc"),
    ]
    # Legend: a swatch and the word for every series, so colour is never alone.
    legend_x = MARGIN_LEFT
    for item in series:
        parts.append(_tag("rect", x=legend_x, y=8, width=12, height=12, fill=item.fill, stroke=INK))
        parts.append(_tag("text", item.label, x=legend_x + 16, y=18, font_size=12, fill=INK))
        legend_x += 24 + 7 * len(item.label)
    # Horizontal grid lines with their values.
    for tick in range(0, axis_max + 1, step):
        y = y_for(tick)
        parts.append(_tag("line", x1=MARGIN_LEFT - 4, x2=right, y1=y, y2=y, stroke=GRID))
        parts.append(_text(MARGIN_LEFT - 8, y + 4, danish_number(tick), anchor="end"))
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        x = round(MARGIN_LEFT + index * slot + (slot - BAR_WIDTH) / 2, 1)
        middle = x + BAR_WIDTH / 2
        bar: list[str] = []
        running = 0
        for item, value in zip(series, row, strict=True):
            if not value:
                continue
            top, bottom = y_for(running + value), y_for(running)
            tooltip = f"{category.full_label}: {item.label} {danish_number(value)}"
            bar.append(
                _tag(
                    "rect",
                    inner=_tag("title", tooltip),
                    x=x,
                    y=top,
                    width=BAR_WIDTH,
                    height=round(bottom - top, 1),
                    fill=item.fill,
                )
            )
            if bottom - top >= MIN_LABELLED_SEGMENT:
                y = round((top + bottom) / 2 + 4, 1)
                bar.append(_text(middle, y, danish_number(value), item.text_fill, "middle"))
            running += value
        bar.append(_text(middle, baseline + 15, category.label, anchor="middle"))
        if category.sublabel:
            bar.append(_text(middle, baseline + 30, category.sublabel, MUTED, "middle"))
        parts.append(_tag("g", inner="".join(bar)))
    parts.append(_tag("line", x1=MARGIN_LEFT, x2=right, y1=baseline, y2=baseline, stroke=INK))
    svg = _tag(
        "svg",
        inner="".join(parts),
        xmlns="http://www.w3.org/2000/svg",
        class_="chart",
        role="img",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        id=chart_id,
    )
    rows = [
        TableRow(category.full_label, [danish_number(value) for value in row], danish_number(total))
        for category, row, total in zip(categories, values, totals, strict=True)
    ]
    # Every text and attribute value above went through escape().
    return Chart(svg=mark_safe(svg), title=title, series=list(series), rows=rows)  # noqa: S308

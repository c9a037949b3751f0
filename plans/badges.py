"""The status badge: the one place its markup is written.

A badge is the colour word with an icon (colour is never the only sign), "Ingen status"
without a report, "X Afsluttet" for a completed item, and the OBS mark after it. The
`{% status_badge %}` template tag and the overview's rows built in Python
(`plans/overview/rows.py`) both call `badge_html()`, so the two cannot drift apart.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plans.models import COLOUR_TEXTS, Colour


def labelled_badge(css: str, label: str, title: str = "") -> SafeString:
    """A badge in the colour `css` (green, yellow, red, none, completed) with its own word,
    e.g. "Fejl" in red on the import preview. The icon is shown for the three colours."""
    title_attr = f' title="{escape(title)}"' if title else ""
    icon = '<span class="badge-icon" aria-hidden="true"></span>' if css in Colour.values else ""
    return mark_safe(  # noqa: S308 - every text in it is escaped above
        f'<span class="badge badge-{escape(css)}"{title_attr}>{icon}{escape(label)}</span>'
    )


def obs_mark(obs_text: str = "") -> SafeString:
    """The OBS mark after a badge; its title names the OBS point's text when there is one."""
    title = _("OBS-punkt") + (f": {obs_text}" if obs_text else "")
    return mark_safe(  # noqa: S308 - the title is escaped
        f'<span class="obs-mark" title="{escape(title)}">OBS</span>'
    )


def badge_html(
    colour: str | None, *, obs: bool = False, obs_text: str = "", completed: bool = False
) -> SafeString:
    """The status badge of a colour ("" or None: no status), OBS-marked or completed."""
    if completed:
        badge = labelled_badge("completed", "X " + _("Afsluttet"))
    elif colour:
        badge = labelled_badge(colour, str(Colour(colour).label), str(COLOUR_TEXTS[Colour(colour)]))
    else:
        badge = labelled_badge("none", _("Ingen status"))
    if obs:
        return mark_safe(f"{badge} {obs_mark(obs_text)}")  # noqa: S308 - both parts are safe
    return badge

"""The item's narrative: Kursen, Koordinering, Commitment and Direktionens rolle.

Plain texts on the item (history through django-simple-history, like the rest of the
item), read by the importer, written by the exports, shown on the item page and in the
extracts, and edited by administrators and the item's responsible director.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from plans.models import NARRATIVE_FIELDS

NARRATIVE_LABELS = {
    "course": _("Kursen"),
    "coordination": _("Koordinering"),
    "commitment": _("Commitment"),
    "board_role": _("Direktionens rolle"),
}


def narrative_of(item: Any) -> list[tuple[str, str, str]]:
    """(field, label, text) for each narrative text the item has, in plan order."""
    return [
        (name, str(NARRATIVE_LABELS[name]), getattr(item, name))
        for name in NARRATIVE_FIELDS
        if getattr(item, name)
    ]

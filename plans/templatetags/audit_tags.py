"""The change history (django-simple-history) shown on the item page.

Who changed what and when, for the item itself (including which committees it also
concerns) and its amounts per year, as field-level differences in plain Danish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.models import ModelChange

from committees.models import Committee
from plans.formatting import danish_number
from plans.models import Heading, Item, ItemAmount

register = template.Library()

# How many records of the item and of its amounts the page reads at most.
MAX_RECORDS = 200
MAX_ENTRIES = 50

# Bookkeeping fields nobody edits by hand.
EXCLUDED_ITEM_FIELDS = {"created_at", "updated_at", "plan", "origin"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def _user_names(user_ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=user_ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


class _Formatter:
    """Turns stored values into what a reader recognises: names, labels, Danish numbers."""

    def __init__(self, item_records: list[Any]) -> None:
        self.committees = {c.pk: c.code for c in Committee.objects.all()}
        heading_ids = {r.heading_id for r in item_records if r.heading_id}
        self.headings = dict(Heading.objects.filter(pk__in=heading_ids).values_list("pk", "name"))
        responsible_ids = {r.responsible_id for r in item_records if r.responsible_id}
        self.users = _user_names(responsible_ids)

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return _("(tom)")
        if name == "committee":
            return self.committees.get(value, str(value))
        if name == "heading":
            return self.headings.get(value, str(value))
        if name == "responsible":
            return self.users.get(value, _("(slettet bruger)"))
        if name == "also_committees":
            codes = sorted(self.committees.get(row.get("committee"), "?") for row in value)
            return ", ".join(codes)
        model_field: Any = Item._meta.get_field(name)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if isinstance(value, Decimal | int | float):
            return danish_number(value)
        if isinstance(value, date):
            return formats.date_format(value, "d-m-Y")
        return str(value)


def _action(record: Any) -> str:
    labels = {"+": _("Oprettet"), "~": _("Ændret"), "-": _("Slettet")}
    return labels.get(record.history_type, record.history_type)


def _who(record: Any, names: dict[int, str]) -> str:
    if record.history_user_id:
        return names.get(record.history_user_id, _("(slettet bruger)"))
    return _("System (import eller kommando)")


def _also_committees_by_record(item_records: list[Any]) -> dict[int, list[dict[str, int]]]:
    """The committees each historical record also concerned, read in one query
    (diff_against would ask twice per record)."""
    through = apps.get_model("plans", "HistoricalItem_also_committees")
    rows: dict[int, list[dict[str, int]]] = {}
    pairs = through.objects.filter(
        history_id__in=[record.history_id for record in item_records]
    ).values_list("history_id", "committee_id")
    for history_id, committee_id in pairs.order_by("committee_id"):
        rows.setdefault(history_id, []).append({"committee": committee_id})
    return rows


def item_entries(item: Item) -> list[Entry]:
    item_records = list(item.history.order_by("history_date", "history_id")[:MAX_RECORDS])
    amount_records = list(
        ItemAmount.history.filter(item_id=item.pk).order_by("history_date", "history_id")[
            :MAX_RECORDS
        ]
    )
    names = _user_names(
        {r.history_user_id for r in [*item_records, *amount_records] if r.history_user_id}
    )
    fmt = _Formatter(item_records)
    also_by_record = _also_committees_by_record(item_records)
    entries: list[Entry] = []

    previous = None
    for record in item_records:
        entry = Entry(record.history_date, _who(record, names), _action(record), _("Punktet"))
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(
                previous, excluded_fields=EXCLUDED_ITEM_FIELDS | {"also_committees"}
            )
            old_also = also_by_record.get(previous.history_id, [])
            new_also = also_by_record.get(record.history_id, [])
            if old_also != new_also:
                delta.changes.append(ModelChange("also_committees", old_also, new_also))
            for change in delta.changes:
                model_field: Any = Item._meta.get_field(change.field)
                label = str(model_field.verbose_name)
                entry.changes.append(
                    Change(
                        label[:1].upper() + label[1:],
                        fmt.value(change.field, change.old),
                        fmt.value(change.field, change.new),
                    )
                )
            # A save that changed nothing a reader cares about is left out.
            if not entry.changes:
                previous = record
                continue
        entries.append(entry)
        previous = record

    previous_by_year: dict[int, Any] = {}
    for record in amount_records:
        subject = _("Beløb %(year)s") % {"year": record.year}
        entry = Entry(record.history_date, _who(record, names), _action(record), subject)
        before = previous_by_year.get(record.id)
        old = danish_number(before.amount) if before is not None else _("(tom)")
        new = danish_number(record.amount) if record.history_type != "-" else _("(tom)")
        if old != new:
            entry.changes.append(Change(_("Beløb (1.000 kr.)"), old, new))
            entries.append(entry)
        previous_by_year[record.id] = record

    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:MAX_ENTRIES]


@register.inclusion_tag("plans/_item_history.html")
def item_audit(item: Item) -> dict[str, Any]:
    return {"entries": item_entries(item)}

"""The forms of an OBS point: raise it, record the board's decision or follow-up, close it.

Each carries where it was sent from (the red list with its filters, or the item page),
so the page without JavaScript returns there, and the month the review was looking at.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from plans.forms.fields import MonthField
from plans.forms.status import OBS_TEXT_MAX_LENGTH
from plans.months import current_month

RED_LIST = "red_list"
ITEM = "item"
# The red list's own filters: all a `back` value may carry.
REVIEW_KEYS = ("month", "committee", "colour", "kind")


def review_query(raw: str) -> str:
    if not raw or len(raw) > 500:
        return ""
    incoming = QueryDict(raw)
    return urlencode([(key, incoming[key][:40]) for key in REVIEW_KEYS if incoming.get(key)])


def _text(label: Any, required_message: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=OBS_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": required_message,
            "max_length": _("Teksten må højst være %(limit_value)d tegn (den er %(show_value)d)."),
        },
    )


class ObsBaseForm(forms.Form):
    origin = forms.ChoiceField(
        choices=[(RED_LIST, RED_LIST), (ITEM, ITEM)], widget=forms.HiddenInput, required=False
    )
    back = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    month = MonthField(
        widget=forms.HiddenInput,
        required=False,
        listed=False,
        max_length=7,
        default=current_month,
        lenient=True,
    )

    def clean_origin(self) -> str:
        return self.cleaned_data.get("origin") or ITEM

    def clean_back(self) -> str:
        return review_query(self.cleaned_data.get("back") or "")

    def clean_month(self) -> date:
        """The month reviewed, never later than this month; this month when missing."""
        month: date = self.cleaned_data["month"]
        return min(month, current_month())


class ObsOpenForm(ObsBaseForm):
    text = _text(_("OBS-tekst"), _("Skriv, hvad direktionen skal følge op på."))


class ObsFollowUpForm(ObsBaseForm):
    text = _text(_("Beslutning eller opfølgning"), _("Skriv beslutningen eller opfølgningen."))
    follow_up_by = forms.CharField(label=_("Hvem følger op"), required=False, max_length=200)
    due = forms.DateField(
        label=_("Senest"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ObsCloseForm(ObsBaseForm):
    text = _text(_("Begrundelse for at lukke"), _("Skriv kort, hvorfor OBS-punktet lukkes."))

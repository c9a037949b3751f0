"""The whole plan ("Hele planen") for ØK, KB and Hovedudvalget: every item of every
committee, grouped as the plan is, as PDF and Excel, with the extracts' public/internal
rule and title block. The options come from the query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from plans.forms import INTERNAL, PUBLIC, ExtractOptionsForm
from plans.months import current_month


class WholePlanForm(ExtractOptionsForm):
    """The extract's options, plus the body the plan goes to and the case number."""

    recipient = forms.ModelChoiceField(
        label=_("Til"),
        queryset=Committee.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("(intet udvalg angivet)"),
    )
    case_number = forms.CharField(label=_("Sagsnummer"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Committee.objects.all()  # type: ignore[attr-defined]


def whole_plan_options(data: Any) -> tuple[WholePlanForm, dict[str, Any]]:
    """Valid options, or the defaults (with the form carrying the Danish errors)."""
    form = WholePlanForm(data or None)
    options: dict[str, Any] = {
        "as_of": current_month(),
        "meeting_date": None,
        "public": True,
        "recipient": None,
        "case_number": None,
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        options = {
            "as_of": data["as_of"],
            "meeting_date": data["meeting_date"],
            "public": data["version"] != INTERNAL,
            "recipient": data["recipient"],
            "case_number": data["case_number"] or None,
        }
    return form, options


def options_query(options: dict[str, Any]) -> dict[str, str]:
    query = {
        "as_of": f"{options['as_of']:%Y-%m}",
        "version": PUBLIC if options["public"] else INTERNAL,
    }
    if options["meeting_date"]:
        query["meeting_date"] = options["meeting_date"].isoformat()
    if options["recipient"]:
        query["recipient"] = options["recipient"].code
    if options["case_number"]:
        query["case_number"] = options["case_number"]
    return query

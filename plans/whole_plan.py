"""The whole plan ("Hele planen") for ØK, KB and Hovedudvalget: every item of every
committee, grouped as the plan is, as PDF and Excel, with the extracts' public/internal
rule and title block. The options come from the query string."""

from __future__ import annotations

from typing import Any

from plans.forms.extracts import INTERNAL, PUBLIC
from plans.forms.whole_plan import WholePlanForm
from plans.months import current_month


def whole_plan_options(data: Any) -> tuple[WholePlanForm, dict[str, Any]]:
    """Valid options, or the defaults (with the form carrying the Danish errors)."""
    form = WholePlanForm(data or None)
    options: dict[str, Any] = {
        "month": current_month(),
        "meeting_date": None,
        "public": True,
        "recipient": None,
        "case_number": None,
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        options = {
            "month": data["as_of"],
            "meeting_date": data["meeting_date"],
            "public": data["version"] != INTERNAL,
            "recipient": data["recipient"],
            "case_number": data["case_number"] or None,
        }
    return form, options


def options_query(options: dict[str, Any]) -> dict[str, str]:
    query = {
        "as_of": f"{options['month']:%Y-%m}",
        "version": PUBLIC if options["public"] else INTERNAL,
    }
    if options["meeting_date"]:
        query["meeting_date"] = options["meeting_date"].isoformat()
    if options["recipient"]:
        query["recipient"] = options["recipient"].code
    if options["case_number"]:
        query["case_number"] = options["case_number"]
    return query

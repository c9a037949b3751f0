"""The filters of the economy chief's review: the red list and the dashboard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee
from plans.forms.fields import MonthField, QueryForm, default_month, month_choices
from plans.models import BudgetPlan, Colour, Kind
from plans.months import month_key


class ReviewFilterForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)
    committee = forms.ChoiceField(label=gettext_lazy("Udvalg"), required=False)
    colour = forms.ChoiceField(
        label=gettext_lazy("Farve"),
        required=False,
        choices=[
            ("", gettext_lazy("Røde og gule")),
            (Colour.RED.value, Colour.RED.label),
            (Colour.YELLOW.value, Colour.YELLOW.label),
        ],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Alle typer")), *Kind.choices],
    )

    def __init__(self, data: Any, *, plan: BudgetPlan, committees: list[Committee]) -> None:
        super().__init__(data)
        self.choose("month", month_choices(plan))
        self.show_default("month", month_key(default_month(plan)))
        self.choose(
            "committee",
            [
                ("", _("Alle udvalg")),
                *[(c.code, f"{c.code} – {c.name}") for c in committees],
            ],
        )


class DashboardForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)

    def __init__(self, data: Any, *, plan: BudgetPlan) -> None:
        super().__init__(data)
        self.choose("month", month_choices(plan))
        self.show_default("month", month_key(default_month(plan)))

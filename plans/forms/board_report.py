"""The board report's month, meeting date and case number (query string and publishing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.forms.fields import MonthField, QueryForm, default_month, month_choices
from plans.models import BudgetPlan
from plans.months import month_key, plan_date_error


class BoardReportForm(QueryForm):
    month = MonthField(label=gettext_lazy("Måned"), required=False)
    meeting_date = forms.DateField(
        label=gettext_lazy("Mødedato"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    case_number = forms.CharField(label=gettext_lazy("Sagsnummer"), required=False, max_length=40)

    def __init__(
        self,
        data: Any,
        *,
        plan: BudgetPlan,
        require_meeting_date: bool = False,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        self.plan = plan
        self.choose("month", month_choices(plan))
        if not require_meeting_date:
            self.show_default("month", month_key(default_month(plan)))
        self.fields["case_number"].widget.attrs["placeholder"] = plan.case_number
        self.fields["case_number"].help_text = _("Tomt felt: planens sagsnummer.")
        if require_meeting_date:
            self.fields["month"].required = True
            self.fields["meeting_date"].required = True
            self.fields["meeting_date"].error_messages["required"] = _(
                "Vælg datoen for direktionens møde, før rapporten udgives."
            )

    def clean_meeting_date(self) -> date | None:
        value = self.cleaned_data.get("meeting_date")
        if value is not None:
            error = plan_date_error(self.plan.first_year, self.plan.last_year, value)
            if error:
                raise forms.ValidationError(error)
        return value

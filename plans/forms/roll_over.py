"""The form for rolling a plan over to the next budget period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import BudgetPlan


class RollOverForm(forms.Form):
    new_slug = forms.CharField(
        label=_("Ny budgetperiode"),
        max_length=20,
        help_text=_("Fx 2026-2029."),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        help_text=_("Tom: «Udmøntningsplan» og perioden."),
    )
    archive_old = forms.BooleanField(label=_("Arkivér den nuværende plan bagefter"), required=False)

    def __init__(self, *args: Any, plan: BudgetPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        if not self.is_bound:
            suggestion = f"{plan.first_year + 1}-{plan.last_year + 1}"
            self.initial.setdefault("new_slug", suggestion)
            self.initial.setdefault("title", f"Udmøntningsplan {suggestion}")

    def clean_new_slug(self) -> str:
        slug = self.cleaned_data["new_slug"].strip()
        try:
            BudgetPlan.years_from_slug(slug)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return slug

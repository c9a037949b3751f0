"""The plan's case number, approval date and state, edited by administrators on the
plan's own pages rather than in /admin/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import BudgetPlan
from plans.sanitize import clean_text


class PlanSettingsForm(forms.ModelForm):
    class Meta:
        model = BudgetPlan
        fields = ["case_number", "approved_on", "state"]
        labels = {
            "case_number": _("Sagsnummer"),
            "approved_on": _("Godkendt den"),
            "state": _("Tilstand"),
        }
        help_texts = {
            "case_number": _("Fx 24/7615 – står på udsnit og rapporter."),
            "approved_on": _("Datoen for byrådets godkendelse, fx 11-12-2024."),
        }
        widgets = {"approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "plan-settings-%s")
        super().__init__(*args, **kwargs)
        approved_on = self.fields["approved_on"]
        assert isinstance(approved_on, forms.DateField)
        approved_on.input_formats = ["%Y-%m-%d", "%d-%m-%Y"]

    def clean_case_number(self) -> str:
        return clean_text(self.cleaned_data["case_number"]).strip()

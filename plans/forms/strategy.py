"""Forms for the strategic plan's themes and its publication for the board."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms.fields import MonthField
from plans.models import BudgetPlan, Item, Theme
from plans.months import plan_date_error


class ThemeForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        label=_("Punkter"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Theme
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, plan: BudgetPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        items = cast(forms.ModelMultipleChoiceField, self.fields["items"])
        items.queryset = Item.objects.filter(plan=plan).select_related("committee").in_plan_order()
        items.label_from_instance = lambda item: (  # type: ignore[method-assign,assignment]
            f"{item.number} ({item.committee.code}) {item.title}"
        )
        if self.instance.pk:
            self.initial.setdefault("items", list(self.instance.items.values_list("pk", flat=True)))

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Theme.objects.filter(plan=self.plan, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Planen har allerede et tema med det navn."))
        return name

    def save(self, commit: bool = True) -> Theme:
        self.instance.plan = self.plan
        theme = super().save(commit=True)
        theme.items.set(self.cleaned_data["items"])
        return theme


class StrategyPublishForm(forms.Form):
    """Publishing the strategic view for the board's meeting: the PDF is kept unchanged."""

    as_of = MonthField(
        label=_("Status pr. måned"), listed=False, max_length=7, help_text=_("ÅÅÅÅ-MM")
    )
    meeting_date = forms.DateField(
        label=_("Mødedato"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    case_number = forms.CharField(label=_("Sagsnummer"), max_length=40, required=False)

    def __init__(self, *args: Any, plan: BudgetPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def _in_plan_range(self, day: date) -> None:
        if self.plan is not None:
            error = plan_date_error(self.plan.first_year, self.plan.last_year, day)
            if error:
                raise forms.ValidationError(error)

    def clean_as_of(self) -> date:
        month: date = self.cleaned_data["as_of"]
        self._in_plan_range(month)
        return month

    def clean_meeting_date(self) -> date:
        day: date = self.cleaned_data["meeting_date"]
        self._in_plan_range(day)
        return day

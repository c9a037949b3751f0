"""Fields and bases shared by the forms: the plan's months and the query-string filter form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from plans.models import BudgetPlan
from plans.months import current_month, month_key, month_label, months_between, parse_month


def plan_months(plan: BudgetPlan) -> list[date]:
    return list(months_between(date(plan.first_year, 1, 1), date(plan.last_year, 12, 1)))


def default_month(plan: BudgetPlan) -> date:
    """This month, kept inside the plan's years."""
    first, last = date(plan.first_year, 1, 1), date(plan.last_year, 12, 1)
    return min(max(current_month(), first), last)


def month_choices(plan: BudgetPlan) -> list[tuple[str, str]]:
    return [(month_key(month), month_label(month)) for month in plan_months(plan)]


class MonthField(forms.ChoiceField):
    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if value:
            try:
                return month_key(parse_month(value))
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return value


class QueryForm(forms.Form):
    """A filter form read from the query string: a refused value falls back to its default."""

    def choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def value(self, name: str) -> Any:
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None

    def show_default(self, name: str, value: str) -> None:
        """Select the value the page uses when the query string leaves it out; otherwise
        the browser shows its first option, and the next htmx filter sends that."""
        self.fields[name].initial = value
        if self.is_bound and not self.data.get(name):
            data = QueryDict(mutable=True)
            data.update(self.data)
            data[name] = value
            self.data = data

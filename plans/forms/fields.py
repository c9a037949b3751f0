"""Fields and bases shared by the forms: the plan's months and the query-string filter form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
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
    """A month, cleaned to its first day (a `date`); empty cleans to `default()` or None.

    Listed (the default), it is a select of the months given with `choices` (a form sets
    the plan's months with QueryForm.choose) and refuses any other. Not listed
    (`listed=False`), it is a text field taking any month plans.months.parse_month reads
    (ÅÅÅÅ-MM), stripped like a CharField. `lenient=True` cleans an unreadable month to
    the default instead of refusing it (a hidden field the page carries along)."""

    def __init__(
        self,
        *,
        listed: bool = True,
        default: Callable[[], date] | None = None,
        lenient: bool = False,
        max_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        if not listed:
            kwargs.setdefault("widget", forms.TextInput)
        self.listed = listed
        self.default = default
        self.lenient = lenient
        self.max_length = max_length  # before super(): Field.__init__ asks widget_attrs
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.max_length is not None and not widget.is_hidden:
            attrs["maxlength"] = str(self.max_length)
        return attrs

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not self.listed:
            text = text.strip()
        if self.max_length is not None:
            MaxLengthValidator(self.max_length)(text)
        if not text:
            return self.default() if self.default else None
        try:
            return parse_month(text)
        except ValueError as error:
            if self.lenient and self.default:
                return self.default()
            raise forms.ValidationError(str(error)) from error

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        if self.listed and value is not None and not self.valid_value(month_key(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": month_key(value)},
            )


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

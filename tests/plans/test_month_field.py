"""The one month field of the forms (plans.forms.fields.MonthField, issue 19)."""

from __future__ import annotations

from datetime import date

from django import forms

from plans.forms.fields import MonthField


class Listed(forms.Form):
    month = MonthField(required=False, choices=[("2025-03", "marts 2025")])


class Text(forms.Form):
    month = MonthField(required=False, listed=False, max_length=7, default=lambda: date(2025, 1, 1))


class Lenient(forms.Form):
    month = MonthField(required=False, listed=False, default=lambda: date(2025, 1, 1), lenient=True)


def cleaned(form: forms.Form) -> object:
    assert form.is_valid(), form.errors
    return form.cleaned_data["month"]


def test_listed_month_cleans_to_first_of_month_and_refuses_others() -> None:
    assert cleaned(Listed({"month": "2025-3"})) == date(2025, 3, 1)
    assert cleaned(Listed({"month": ""})) is None
    refused = Listed({"month": "2025-04"})
    assert not refused.is_valid()
    assert "2025-04" in refused.errors["month"][0]
    assert "ÅÅÅÅ-MM" in Listed({"month": "marts"}).errors["month"][0]


def test_text_month_strips_defaults_and_keeps_its_length() -> None:
    assert cleaned(Text({"month": " 2025-11 "})) == date(2025, 11, 1)
    assert cleaned(Text({})) == date(2025, 1, 1)
    assert not Text({"month": "2025-11-01"}).is_valid()
    assert 'maxlength="7"' in str(Text()["month"])


def test_lenient_month_falls_back_to_its_default() -> None:
    assert cleaned(Lenient({"month": "ikke en måned"})) == date(2025, 1, 1)
    assert cleaned(Lenient({"month": "2024-02"})) == date(2024, 2, 1)

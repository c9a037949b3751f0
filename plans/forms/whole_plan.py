"""The whole plan's options: the extract's, plus the body it goes to and the case number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from plans.forms.extracts import ExtractOptionsForm


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

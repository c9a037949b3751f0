"""The form for an item's political treatment in the work plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Committee
from plans.treatments import parse_treatment


class TreatmentForm(forms.Form):
    political_treatment = forms.CharField(
        label=_("Politisk behandling"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Fx «AU marts 2025», «BUU 2. kvt. 2025», «ØK, KB juni 2025», «AU 23-01-2025» "
            "eller «Indgår i driften». Flere behandlinger adskilles med semikolon."
        ),
    )

    def clean_political_treatment(self) -> str:
        # One line: a line break separates treatments just as ";" does.
        raw = self.cleaned_data["political_treatment"].replace("\r", "\n").replace("\n", ";")
        text = " ".join(raw.replace(";", " ; ").split())
        text = "; ".join(part.strip() for part in text.split(";") if part.strip())
        parsed = parse_treatment(text, Committee.objects.values_list("code", "name"))
        if parsed.errors:
            raise forms.ValidationError(parsed.errors)
        return text

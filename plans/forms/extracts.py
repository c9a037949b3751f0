"""The extract's options: month, meeting date, version and descriptions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms.fields import MonthField
from plans.months import current_month

PUBLIC = "aaben"
INTERNAL = "intern"


WITH_DESCRIPTIONS = "med"
WITHOUT_DESCRIPTIONS = "uden"


class ExtractOptionsForm(forms.Form):
    """The month, meeting date and version of an extract; all in the query string."""

    as_of = MonthField(
        label=_("Status pr. måned"),
        required=False,
        listed=False,
        default=current_month,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    meeting_date = forms.DateField(
        label=_("Mødedato"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.ChoiceField(
        label=_("Version"),
        required=False,
        choices=[(PUBLIC, _("Åben sag (offentlig)")), (INTERNAL, _("Intern"))],
    )

    descriptions = forms.ChoiceField(
        label=_("Beskrivelser"),
        required=False,
        choices=[
            (WITH_DESCRIPTIONS, _("Med beskrivelser (kurs, koordinering, commitment)")),
            (WITHOUT_DESCRIPTIONS, _("Uden beskrivelser")),
        ],
    )

    def clean_version(self) -> str:
        return self.cleaned_data["version"] or PUBLIC

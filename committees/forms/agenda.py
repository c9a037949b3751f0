"""Forms for the agenda text: the municipality's template and the secretary's draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Meeting, Recommendation, validate_meeting_date
from plans.agenda import DEFAULT_RECOMMENDER, template_errors
from plans.forms.extracts import ExtractOptionsForm


class AgendaTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Standardtekst"),
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        errors = template_errors(text)
        if errors:
            raise forms.ValidationError(errors)
        return text


class AgendaOptionsForm(ExtractOptionsForm):
    """Which meeting, month and wording the draft is made for (query string): the
    extract's options, plus the meeting and the recommendation."""

    field_order = ["meeting", "as_of", "meeting_date", "version", "recommender", "recommendation"]

    meeting = forms.ModelChoiceField(
        label=_("Møde"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Intet møde valgt"),
    )
    recommender = forms.CharField(
        label=_("Indstiller"),
        required=False,
        max_length=100,
        help_text=_("Fx Fællesforvaltningsdirektøren"),
        widget=forms.TextInput(attrs={"placeholder": DEFAULT_RECOMMENDER}),
    )
    recommendation = forms.ChoiceField(
        label=_("Indstilling"),
        required=False,
        choices=[("", _("Udvalgets standard")), *Recommendation.choices],
    )

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class AgendaSaveForm(forms.Form):
    """The final text, kept with a meeting (an existing one, or a minimal new one)."""

    text = forms.CharField(
        label=_("Dagsordenstekst"),
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30}),
    )
    meeting = forms.ModelChoiceField(
        label=_("Møde"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    meeting_date = forms.DateField(
        label=_("Mødedato"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, meetings: Any = None, plan: Any = None, **kwargs: Any) -> None:
        # The page's options form has "meeting" and "meeting_date" too: ids of their own.
        kwargs.setdefault("auto_id", "agenda-save-%s")
        super().__init__(*args, **kwargs)
        self.plan = plan
        if meetings is not None:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]

    def clean_meeting_date(self) -> Any:
        day = self.cleaned_data["meeting_date"]
        if self.plan is not None:
            validate_meeting_date(self.plan, day)
        return day

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError(_("Teksten er tom."))
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("meeting") and not cleaned.get("meeting_date") and not self.errors:
            raise forms.ValidationError(
                _("Vælg et møde eller angiv en mødedato, så teksten kan gemmes med mødet.")
            )
        return cleaned

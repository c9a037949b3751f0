"""Forms of the monthly status round ("Mine punkter")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Colour, RedReason

COMMENT_MAX_LENGTH = 4000
OBS_TEXT_MAX_LENGTH = 2000


FORM_INVALID = _("Formularen er ugyldig. Genindlæs siden og prøv igen.")


class SeenReportMixin(forms.Form):
    """The id of the newest report the person saw when the form was shown (empty: none).
    A save is refused when a newer report exists; see status_round.locked_item. Given the
    item (`item=`), the id must be one of its own reports: a forged id (2^63-1, or another
    item's report) would otherwise make every report look older and skip that check."""

    def __init__(self, *args: Any, item: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item

    def clean_seen_report(self) -> int | None:
        seen = self.cleaned_data.get("seen_report")
        if seen and self.item is not None and not self.item.reports.filter(pk=seen).exists():
            raise forms.ValidationError(FORM_INVALID)
        return seen

    seen_report = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**63 - 1,  # a bigint; larger values would not reach the database
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Formularen er ugyldig. Genindlæs siden og prøv igen."),
            "min_value": _("Formularen er ugyldig. Genindlæs siden og prøv igen."),
            "max_value": _("Formularen er ugyldig. Genindlæs siden og prøv igen."),
        },
    )


class StatusForm(SeenReportMixin):
    colour = forms.ChoiceField(
        label=_("Farve"),
        choices=Colour.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg en farve: grøn, gul eller rød."),
            "invalid_choice": _("Vælg en farve: grøn, gul eller rød."),
        },
    )
    red_reason = forms.ChoiceField(
        label=_("Årsag til rød"),
        choices=[("", _("Vælg årsag (kun ved rød)")), *RedReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Vælg en af årsagerne på listen.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Kommentaren må højst være %(limit_value)d tegn (den er %(show_value)d)."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        colour = cleaned.get("colour")
        cleaned["comment"] = (cleaned.get("comment") or "").strip()
        if colour == Colour.RED:
            if not cleaned.get("red_reason") and "red_reason" not in self.errors:
                self.add_error("red_reason", _("Vælg en årsag, når status er rød."))
            if not cleaned["comment"] and "comment" not in self.errors:
                self.add_error("comment", _("Skriv en kommentar, når status er rød."))
        else:
            # A reason only belongs to red; a stale choice from before is dropped.
            cleaned["red_reason"] = ""
        return cleaned


class CarryForwardForm(SeenReportMixin):
    pass


class ObsForm(SeenReportMixin):
    MARK = "mark"
    REMOVE = "remove"

    action = forms.ChoiceField(
        choices=[(MARK, _("Markér som OBS-punkt")), (REMOVE, _("Fjern OBS-markering"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Formularen er ugyldig. Genindlæs siden og prøv igen."),
            "invalid_choice": _("Formularen er ugyldig. Genindlæs siden og prøv igen."),
        },
    )
    obs_text = forms.CharField(
        label=_("OBS-tekst"),
        required=False,
        max_length=OBS_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": _(
                "OBS-teksten må højst være %(limit_value)d tegn (den er %(show_value)d)."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        cleaned["obs_text"] = (cleaned.get("obs_text") or "").strip()
        if not cleaned["obs_text"] and "obs_text" not in self.errors:
            if cleaned.get("action") == self.MARK:
                self.add_error("obs_text", _("Skriv, hvad direktionen skal følge op på."))
            elif cleaned.get("action") == self.REMOVE:
                self.add_error("obs_text", _("Skriv kort, hvorfor OBS-punktet lukkes."))
        return cleaned

    @property
    def marks(self) -> bool:
        return self.cleaned_data.get("action") == self.MARK

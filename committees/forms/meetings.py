"""Forms for meetings in the annual wheel and the committees' remarks on items."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.attachments import published_for
from committees.models import Committee, CommitteeNote, Meeting, validate_meeting_date
from plans.models import BudgetPlan, Theme
from plans.permissions import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "body",
            "date",
            "title",
            "case_number",
            "focus_theme",
            "focus_committee",
            "invited",
            "agenda_text",
        ]
        widgets = {
            "date": DateInput(),
            "invited": forms.CheckboxSelectMultiple,
            "agenda_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "date": _("Bilagene dannes pr. mødedatoens måned."),
            "case_number": _("Fx 24/7615. Står i bilagets titelblok."),
        }

    def __init__(self, *args: Any, plan: BudgetPlan, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        # Only the bodies the user manages (plans.permissions.managed_bodies).
        choice(self, "body").queryset = Committee.objects.all() if bodies is None else bodies
        choice(self, "focus_theme").queryset = Theme.objects.filter(plan=plan)
        choice(self, "focus_committee").queryset = Committee.objects.all()
        invited = choice(self, "invited")
        invited.queryset = (
            get_user_model()
            .objects.filter(Q(groups__name__in=[Role.HEAD, Role.DIRECTOR]) & Q(is_active=True))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        invited.label_from_instance = lambda user: (  # type: ignore[method-assign,assignment]
            user.get_full_name() or user.get_username()
        )

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        validate_meeting_date(self.plan, day)
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("focus_theme") and cleaned.get("focus_committee"):
            raise forms.ValidationError(
                _("Vælg enten et tema eller et udvalg som fokusområde, ikke begge.")
            )
        if cleaned.get("body") and cleaned.get("date"):
            probe = Meeting(
                pk=self.instance.pk, plan=self.plan, body=cleaned["body"], date=cleaned["date"]
            )
            if probe.has_duplicate():
                self.add_error("date", probe.duplicate_message())
        self._keep_what_the_published_attachment_is_for()
        return cleaned

    def _keep_what_the_published_attachment_is_for(self) -> None:
        """A published attachment was made as of the meeting's day for its body and never
        changes: moving the meeting would leave it answering for another day."""
        moved = [name for name in ("body", "date") if name in self.changed_data]
        if not self.instance.pk or not moved or published_for(self.instance) is None:
            return
        for name in moved:
            self.add_error(
                name,
                _(
                    "Bilaget er udgivet til mødet og gælder dets dato og udvalg, så de kan ikke"
                    " ændres. Er mødet flyttet, så opret et nyt møde og udgiv bilaget til det."
                ),
            )

    def save(self, commit: bool = True) -> Meeting:
        self.instance.plan = self.plan
        return super().save(commit=commit)


class NoteForm(forms.ModelForm):
    class Meta:
        model = CommitteeNote
        fields = ["text", "public"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Skriv bemærkningen.")}}
        help_texts = {
            "text": _("Fx «Ad. 307. Udvalget ønsker at modtage beregningen bag R307.»"),
            "public": _("Ikke-offentlige bemærkninger udelades i Åben sag."),
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Skriv bemærkningen."))
        if len(text) > 5000:
            raise forms.ValidationError(_("Bemærkningen må højst være 5.000 tegn."))
        return text

"""The workbook upload form of the browser import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.formatting import danish_number
from plans.importer.safety import MACRO_SUFFIXES, MACRO_WORKBOOK
from plans.models import BudgetPlan

NEW_PLAN = "__new__"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Projektmappe (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    plan = forms.ChoiceField(label=gettext_lazy("Importér til plan"))
    new_slug = forms.CharField(
        label=gettext_lazy("Budgetperiode for ny plan"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Fx 2025-2028. Kun når en ny plan skal oprettes."),
    )
    new_title = forms.CharField(
        label=gettext_lazy("Titel på ny plan"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Tom: «Udmøntningsplan» og budgetperioden."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(plan.slug, plan.title) for plan in BudgetPlan.objects.all()]
        choices.append((NEW_PLAN, _("Ny plan …")))
        self.fields["plan"].choices = choices  # type: ignore[attr-defined]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Filen er for stor (%(size)s KB). Grænsen er %(limit)s KB.")
                % {
                    "size": danish_number(upload.size // 1024),
                    "limit": danish_number(limit // 1024),
                }
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Filen er tom."))
        if (upload.name or "").lower().endswith(MACRO_SUFFIXES):
            raise forms.ValidationError(MACRO_WORKBOOK)
        return upload

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("plan") == NEW_PLAN:
            slug = (cleaned.get("new_slug") or "").strip()
            if not slug:
                self.add_error(
                    "new_slug", _("Skriv budgetperioden for den nye plan, fx 2025-2028.")
                )
            elif BudgetPlan.objects.filter(slug=slug).exists():
                self.add_error("new_slug", _("Planen %(slug)s findes allerede.") % {"slug": slug})
            else:
                try:
                    BudgetPlan.years_from_slug(slug)
                except ValueError as error:
                    self.add_error("new_slug", str(error))
        return cleaned

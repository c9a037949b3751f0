"""The form for an item's narrative texts (plans.narrative)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import NARRATIVE_FIELDS, Item
from plans.narrative import NARRATIVE_LABELS
from plans.sanitize import clean_text


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = list(NARRATIVE_FIELDS)
        labels = NARRATIVE_LABELS
        help_texts = {
            "course": _("Årets kurs for indsatsen."),
            "coordination": _("Proces, koordinering og tværgående aspekter."),
            "commitment": _("Hvad der er aftalt om forløbet og sagsbehandlingen."),
            "board_role": _("Direktionens rolle i indsatsen."),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in NARRATIVE_FIELDS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in NARRATIVE_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = clean_text(cleaned[name]).strip()
        return cleaned

"""What every publish form carries (the board report's and the strategic view's)."""

from __future__ import annotations

import secrets

from django import forms


class PublishOnceForm(forms.Form):
    """What every publish form carries besides its own fields: the form's one-time token,
    and the edition it replaces once the publisher has confirmed that."""

    token = forms.CharField(required=False, max_length=64)
    replaces = forms.IntegerField(required=False, min_value=1)

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)

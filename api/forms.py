"""Input shape of the token page; api.services writes."""

from django import forms

from api.services import EXPIRY_CHOICES_DAYS
from core.form_helpers import BootstrapFormMixin


class TokenCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “nightly activity sync”."
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in EXPIRY_CHOICES_DAYS],
        initial=90,
    )


class TokenRevokeForm(forms.Form):
    revoke = forms.IntegerField(min_value=1)

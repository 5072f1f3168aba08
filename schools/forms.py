"""Input shape of the leadership change; schools.services.leadership_change does the work."""

from __future__ import annotations

from django import forms

from accounts.scope import editable_cities
from core.form_helpers import BootstrapFormMixin, date_input
from schools.choices import EndReason, LeadershipRole
from schools.models import Organization


class SeatOrganizationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.city})"


class LeadershipChangeForm(BootstrapFormMixin, forms.Form):
    """One leader leaves a seat and a successor takes it."""

    organization = SeatOrganizationField(
        queryset=Organization.objects.none(),
        label="Organization",
        help_text="Organizations of the cities you edit.",
    )
    role = forms.ChoiceField(choices=[("", "Choose a role"), *LeadershipRole.choices])
    last_day = forms.DateField(label="Leaving leader's last day in post", widget=date_input())
    end_reason = forms.ChoiceField(
        label="Why they left", choices=[("", "Choose a reason"), *EndReason.choices]
    )
    successor_name = forms.CharField(
        label="Successor's full name",
        max_length=200,
        help_text="An existing person of that name is reused; otherwise a new one is recorded.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    successor_title = forms.CharField(label="Successor's title", max_length=200, required=False)
    successor_first_day = forms.DateField(label="Successor's first day", widget=date_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.filter(city__in=editable_cities(user))
            .select_related("city")
            .order_by("city__name", "name")
        )

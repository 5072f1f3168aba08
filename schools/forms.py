"""Input shape of the leadership change; schools.services.leadership_change does the work."""

from __future__ import annotations

from django import forms
from django.db.models import F, Q, QuerySet

from accounts.scope import editable_cities
from core.form_helpers import BootstrapFormMixin, date_input
from schools.choices import EndReason, LeadershipRole
from schools.models import Organization


def seat_organizations(user) -> QuerySet[Organization]:
    """The organizations at whose seats the user may record leadership changes: those of the
    cities they edit, and those without a city (networks, funders, associations) that take part
    in a compact of such a city or whose seat signed one."""
    cities = editable_cities(user)
    taking_part = Organization.objects.filter(participations__compact__city__in=cities)
    signed = Organization.objects.filter(leadership_terms__signatures__compact__city__in=cities)
    return Organization.objects.filter(
        Q(city__in=cities)
        | (
            Q(city__isnull=True)
            & (Q(pk__in=taking_part.values("pk")) | Q(pk__in=signed.values("pk")))
        )
    )


class SeatOrganizationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        place = f", {obj.city}" if obj.city_id else ""
        return f"{obj.name} ({obj.get_kind_display()}{place})"


class LeadershipChangeForm(BootstrapFormMixin, forms.Form):
    """One leader leaves a seat and a successor takes it; at a vacant seat, without a last day
    and a reason, the new leader is recorded alone."""

    organization = SeatOrganizationField(
        queryset=Organization.objects.none(),
        label="Organization",
        help_text="Organizations of the cities you edit, and the networks and other "
        "organizations without a city that take part in their compacts.",
    )
    role = forms.ChoiceField(choices=[("", "Choose a role"), *LeadershipRole.choices])
    last_day = forms.DateField(
        label="Leaving leader's last day in post",
        required=False,
        help_text="Leave empty when nobody is in post: the new leader is recorded alone.",
        widget=date_input(),
    )
    end_reason = forms.ChoiceField(
        label="Why they left",
        required=False,
        choices=[("", "Choose a reason"), *EndReason.choices],
        help_text="Leave empty when nobody is in post.",
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
        # Organizations without a city come after those of the cities, on every database.
        self.fields["organization"].queryset = (
            seat_organizations(user)
            .select_related("city")
            .order_by(F("city__name").asc(nulls_last=True), "name")
        )

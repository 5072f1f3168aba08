"""Input shape of the leadership forms; schools.services does the work."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.scope import can_edit_seat, editable_cities, tied_to
from core.concurrency import VersionedFormMixin
from core.form_helpers import BootstrapFormMixin, date_input, model_formfield
from core.formats import date_text
from core.ids import parse_id
from schools.choices import EndReason, LeadershipRole, role_in_sentence
from schools.models import LeadershipTerm, Organization, Person
from schools.selectors import successor_candidates

NEW_PERSON = "new"
AMBIGUOUS = (
    "Several people of this name are recorded in your cities: choose which one takes the seat, "
    "or record a new person."
)


def seat_organizations(user) -> QuerySet[Organization]:
    """The organizations at whose seats the user may record leadership changes: those of the
    cities they edit, and those without a city (networks, funders, associations) that take part
    in, fund or signed a compact of such a city. Whether a given seat of theirs may change is
    accounts.scope.can_edit_seat's decision."""
    cities = editable_cities(user).order_by().values("pk")
    return Organization.objects.filter(
        Q(city__in=cities) | (Q(city__isnull=True) & tied_to(cities))
    )


def _day(value) -> str:
    return date_text(value)


def _person_label(person: Person) -> str:
    term = person.latest_term
    if term is None:
        return person.full_name
    until = f"left {_day(term.ended_on)}" if term.ended_on else "in post"
    return (
        f"{person.full_name}: {term.get_role_display()}, {term.organization} "
        f"(from {_day(term.started_on)}, {until})"
    )


class SeatOrganizationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        place = f", {obj.city}" if obj.city_id else ""
        return f"{obj.name} ({obj.get_kind_display()}{place})"


class LeadershipChangeForm(BootstrapFormMixin, forms.Form):
    """One leader leaves a seat and a successor takes it; a leader leaves and nobody is named
    yet (a departure); or, at a vacant seat, without a last day and a reason, the new leader is
    recorded alone.

    cleaned_data["successor"] is the existing person who takes the seat, or None for a new
    person: only people in the user's scope are reused, and when several share the name the
    form asks which one (the `successor_person` field appears).

    At a seat the form finds vacant (`new_leader_only`), the leaving leader's fields are not
    shown and the new leader's name and first day are required. Input that gives a last day or
    a reason there anyway (an API client, a seat vacated meanwhile) gets today's form, and the
    service says there is no term to close: the service decides, under its lock.
    """

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
        help_text="Leave empty only when nobody is in post: the new leader is then recorded alone.",
        widget=date_input(),
    )
    end_reason = forms.ChoiceField(
        label="Why they left",
        required=False,
        choices=[("", "Choose a reason"), *EndReason.choices],
        help_text="Leave empty only when nobody is in post.",
    )
    successor_name = forms.CharField(
        label="Successor's full name",
        max_length=200,
        required=False,
        help_text="Leave the successor empty while the search is under way: the seat is then "
        "recorded as vacant. A person already recorded in your cities with this name is reused; "
        "otherwise a new person record is created.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    successor_title = forms.CharField(label="Successor's title", max_length=200, required=False)
    successor_first_day = forms.DateField(
        label="Successor's first day", required=False, widget=date_input()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Neither is optional while someone holds the seat, which is the usual case.
        for name in ("last_day", "end_reason"):
            self.fields[name].required_when = "needed while someone is in post"
        # Organizations without a city come after those of the cities, on every database.
        self.fields["organization"].queryset = (
            seat_organizations(user)
            .select_related("city")
            .order_by(F("city__name").asc(nulls_last=True), "name")
        )
        self.candidates = []
        if self.is_bound:
            self.candidates = successor_candidates(user=user, name=self.data.get("successor_name"))
        if len(self.candidates) > 1:
            name = " ".join(self.data.get("successor_name", "").split())
            self.fields["successor_person"] = forms.ChoiceField(
                label=f"Which {name}?",
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                choices=[
                    *((str(person.pk), _person_label(person)) for person in self.candidates),
                    (NEW_PERSON, f"Someone else: record a new person named {name}"),
                ],
                error_messages={"required": AMBIGUOUS},
            )
            self.order_fields(
                [
                    "organization",
                    "role",
                    "last_day",
                    "end_reason",
                    "successor_name",
                    "successor_person",
                ]
            )
        params = self.data if self.is_bound else self.initial
        closing = params.get("last_day") or params.get("end_reason")
        self.new_leader_only = not closing and self._seat_vacant(params)
        if self.new_leader_only:
            self._for_new_leader_only()

    def _seat_vacant(self, params) -> bool:
        """Whether the chosen seat, one the user may choose, has nobody in post (the service's
        test, without its lock: this only shapes the form)."""
        organization, role = params.get("organization"), params.get("role")
        organization_id = getattr(organization, "pk", None) or parse_id(organization or "")
        if organization_id is None or role not in LeadershipRole.values:
            return False
        in_post = LeadershipTerm.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()),
            organization=OuterRef("pk"),
            role=role,
        )
        return (
            self.fields["organization"]
            .queryset.filter(pk=organization_id)
            .filter(~Exists(in_post))
            .exists()
        )

    def _for_new_leader_only(self) -> None:
        """Nobody to close at a vacant seat: the leaving leader's fields go (empty, they ask
        nothing of the service) and the new leader is the whole change."""
        for name in ("last_day", "end_reason"):
            self.fields[name].widget = forms.HiddenInput()
        fields = self.fields
        fields["successor_name"].label = "New leader's full name"
        fields["successor_name"].help_text = (
            "A person already recorded in your cities with this name is reused; otherwise a new "
            "person record is created."
        )
        fields["successor_title"].label = "New leader's title"
        fields["successor_first_day"].label = "New leader's first day"
        for name, message in (
            ("successor_name", "Name the new leader."),
            ("successor_first_day", "Give the new leader's first day in post."),
        ):
            fields[name].required = True
            fields[name].error_messages["required"] = message

    @property
    def is_departure(self) -> bool:
        """No successor named: the leader leaves and the seat stays vacant for now."""
        if self.new_leader_only:
            return False
        data = getattr(self, "cleaned_data", {})
        return not data.get("successor_name") and not data.get("successor_first_day")

    def clean(self):
        data = super().clean()
        organization, role = data.get("organization"), data.get("role")
        if organization and role and not can_edit_seat(self.user, organization, role):
            self.add_error(
                "role",
                f"The {role_in_sentence(role)} seat of {organization} also signed compacts of "
                "cities you do not edit: only an editor of all of them, or an administrator, "
                "records a change there.",
            )
        name, first_day = data.get("successor_name", ""), data.get("successor_first_day")
        if name and not first_day and "successor_first_day" not in self.errors:
            self.add_error("successor_first_day", "Give the successor's first day.")
        if first_day and not name and "successor_name" not in self.errors:
            self.add_error("successor_name", "Give the successor's name.")
        if self.is_departure:
            if not data.get("last_day") and "last_day" not in self.errors:
                self.add_error(
                    "last_day",
                    "Give the leaving leader's last day, or name the successor.",
                )
            if not data.get("end_reason"):
                self.add_error("end_reason", "Say why the leader left.")
        data["successor"] = self._successor(data)
        return data

    def _successor(self, data) -> Person | None:
        if len(self.candidates) == 1:
            return self.candidates[0]
        if len(self.candidates) < 2:
            return None
        chosen = data.get("successor_person", NEW_PERSON)
        return next((person for person in self.candidates if str(person.pk) == chosen), None)


class LeadershipTermForm(BootstrapFormMixin, VersionedFormMixin, forms.ModelForm):
    """Correcting a term: its dates, title, end reason, source, and its person's name (when
    `may_rename`; the name is shared by all the person's terms)."""

    person_name = forms.CharField(label="Person's full name", max_length=200)

    class Meta:
        model = LeadershipTerm
        fields = ["title", "started_on", "ended_on", "end_reason", "source_url"]
        formfield_callback = model_formfield
        labels = {
            "started_on": "First day in post",
            "ended_on": "Last day in post",
            "end_reason": "Why they left",
            "source_url": "Source link",
        }
        help_texts = {"ended_on": "Leave empty while the leader is in post."}

    def __init__(self, *args, may_rename: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_name"].initial = self.instance.person.full_name
        self.order_fields(["person_name", "title"])
        if not may_rename:
            self.fields["person_name"].disabled = True
            self.fields["person_name"].help_text = (
                "This person also holds seats you do not edit; an administrator corrects "
                "their name."
            )
        else:
            self.fields["person_name"].help_text = "Corrects the name on every term of this person."

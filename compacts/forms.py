"""Input shape of the staff forms. Views hand cleaned_data to compacts.services; no form saves.

Every choice is limited to the compact's city (organizations, leadership terms, participants,
commitments) and, for organizations without a city, to what accounts.scope lets the user choose,
so a tampered POST naming another city's record is an ordinary field error. Edit forms carry the
loaded record's version (core.concurrency.VersionedFormMixin).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.scope import choosable_organizations, choosable_terms, editable_cities
from compacts.choices import CATEGORY_TIER, Category, CommitmentStatus, Tier
from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory
from core.concurrency import VersionedFormMixin
from core.form_helpers import BootstrapFormMixin, date_input, model_formfield
from core.formats import date_text
from schools.choices import DatePrecision, OrganizationKind
from schools.models import City, LeadershipTerm, Organization


def _day(value) -> str:
    return date_text(value)


class RecordForm(BootstrapFormMixin, VersionedFormMixin, forms.ModelForm):
    """Base of the ModelForms below: Bootstrap look and the version token."""


class RecordMeta:
    """Base Meta of the ModelForms below: date pickers, https assumed for typed URLs."""

    formfield_callback = model_formfield


class CompactForm(RecordForm):
    class Meta(RecordMeta):
        model = Compact
        fields = [
            "title",
            "signed_on",
            "signed_on_precision",
            "cohort",
            "status",
            "ended_on",
            "document_url",
            "summary",
        ]
        labels = {
            "signed_on": "Signed on",
            "signed_on_precision": "Signing date known to the",
            "ended_on": "Ended on",
            "document_url": "Link to the signed document",
        }
        help_texts = {
            "signed_on": "When only the month or year is known, pick its first day and set the "
            "precision below.",
            "ended_on": "Leave empty while the compact runs.",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: City) -> str:
        return str(obj)


class CompactCreateForm(CompactForm):
    """A new compact, in one of the cities the user edits."""

    city = CityChoiceField(queryset=City.objects.none(), label="City")

    class Meta(CompactForm.Meta):
        fields = ["city", *CompactForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = editable_cities(user)


class LeadershipTermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LeadershipTerm) -> str:
        until = _day(obj.ended_on) if obj.ended_on else "in post"
        return (
            f"{obj.person} · {obj.get_role_display()}, {obj.organization} "
            f"({_day(obj.started_on)} – {until})"
        )


class SignatoryForm(RecordForm):
    leadership_term = LeadershipTermChoiceField(
        queryset=LeadershipTerm.objects.none(),
        label="Leader and seat",
        help_text="The term the leader held on the signing date. A leader missing here is "
        "added by an administrator or through a leadership change; so is the leader of a "
        "network or association whose seat signed only other cities' compacts.",
    )

    class Meta(RecordMeta):
        model = Signatory
        fields = ["leadership_term"]

    def __init__(self, *args, compact: Compact, user, **kwargs):
        kwargs.setdefault("instance", Signatory(compact=compact))
        super().__init__(*args, **kwargs)
        self.fields["leadership_term"].queryset = (
            choosable_terms(user, compact.city)
            .select_related("person", "organization")
            .order_by("organization__name", "role", "-started_on", "id")
        )


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ParticipantForm(RecordForm):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(),
        label="District, charter school or network",
        help_text="A network already taking part only in other cities' compacts is added by "
        "an administrator.",
    )

    class Meta(RecordMeta):
        model = Participant
        fields = ["organization", "joined_on", "left_on"]
        labels = {"joined_on": "Joined on", "left_on": "Left on"}
        help_texts = {"left_on": "Leave empty while it takes part."}

    def __init__(self, *args, compact: Compact, user, **kwargs):
        kwargs.setdefault("instance", Participant(compact=compact))
        super().__init__(*args, **kwargs)
        # Networks often operate in several cities and are recorded without one.
        self.fields["organization"].queryset = (
            choosable_organizations(user, compact.city)
            .filter(kind__in=Participant.PARTICIPANT_KINDS)
            .filter(Q(city=compact.city) | Q(kind=OrganizationKind.CHARTER_NETWORK))
            .order_by("kind", "name")
        )


def category_choices() -> list:
    """The taxonomy grouped by tier, for a <select> with one optgroup per tier."""
    groups = [
        (tier.label, [(c.value, c.label) for c in Category if CATEGORY_TIER[c.value] == tier])
        for tier in Tier
    ]
    return [("", "Choose a category"), *groups]


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.organization.name


class CommitmentForm(RecordForm):
    category = forms.ChoiceField(choices=category_choices)
    participants = ParticipantsField(
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Opt-in participants",
        help_text="Leave all unticked when the commitment binds every participant.",
    )

    class Meta(RecordMeta):
        model = Commitment
        fields = [
            "category",
            "title",
            "description",
            "responsible_party",
            "target_on",
            "status",
            "achieved_on",
            "participants",
        ]
        labels = {"target_on": "Target date", "achieved_on": "Achieved on"}
        help_texts = {"achieved_on": "Required when the status is Achieved; never in the future."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, compact: Compact, **kwargs):
        kwargs.setdefault("instance", Commitment(compact=compact))
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            Participant.objects.filter(compact_id=compact.pk)
            .select_related("organization")
            .order_by("organization__name", "id")
        )


class MilestoneForm(RecordForm):
    class Meta(RecordMeta):
        model = Milestone
        fields = ["title", "due_on", "status", "completed_on", "evidence_url", "notes"]
        labels = {
            "due_on": "Due on",
            "completed_on": "Completed on",
            "evidence_url": "Evidence link",
        }
        help_texts = {
            "completed_on": "Required when the status is Done; never in the future.",
            "evidence_url": "A document, minutes or page showing it was done.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, commitment: Commitment, **kwargs):
        kwargs.setdefault("instance", Milestone(commitment=commitment))
        super().__init__(*args, **kwargs)
        self.warning = ""
        if self.instance.pk is None and commitment.status == CommitmentStatus.ACHIEVED:
            # A step added after the goal was reached is usually meant for another commitment.
            self.warning = (
                f"“{commitment.title}” was achieved on {_day(commitment.achieved_on)}. A new "
                "milestone usually belongs to another commitment; add it here only if the work "
                "goes on."
            )
            self.fields["add_to_achieved"] = forms.BooleanField(
                required=False,
                label="Yes, add it to this achieved commitment anyway",
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def clean(self):
        cleaned_data = super().clean()
        if "add_to_achieved" in self.fields and not cleaned_data.pop("add_to_achieved", False):
            self.add_error(
                "add_to_achieved",
                "The commitment is already achieved: tick this box to add the milestone anyway.",
            )
        return cleaned_data


class MilestoneDoneForm(BootstrapFormMixin, VersionedFormMixin, forms.Form):
    """The one-step "mark done": when, and the evidence."""

    completed_on = forms.DateField(label="Completed on", widget=date_input())
    evidence_url = forms.URLField(
        label="Evidence link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="A document, minutes or page showing it was done.",
    )

    def __init__(self, *args, instance: Milestone, **kwargs):
        self.instance = instance
        kwargs.setdefault(
            "initial",
            {
                "completed_on": instance.completed_on or timezone.localdate(),
                "evidence_url": instance.evidence_url,
            },
        )
        super().__init__(*args, **kwargs)


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        return f"{obj.category} · {obj.title}"


class ActivityForm(RecordForm):
    commitment = CommitmentChoiceField(
        queryset=Commitment.objects.none(),
        required=False,
        label="Commitment it served",
    )
    district_attendees = forms.IntegerField(min_value=0, initial=0, label="District attendees")
    charter_attendees = forms.IntegerField(min_value=0, initial=0, label="Charter attendees")

    class Meta(RecordMeta):
        model = Activity
        fields = [
            "kind",
            "occurred_on",
            "title",
            "commitment",
            "district_attendees",
            "charter_attendees",
            "notes",
        ]
        labels = {"occurred_on": "Date"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, compact: Compact, **kwargs):
        kwargs.setdefault("instance", Activity(compact=compact))
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(
            compact_id=compact.pk
        ).order_by("category", "title", "id")


class GrantForm(RecordForm):
    funder = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label="Funder",
        help_text="A funder known only to other cities' compacts is added by an administrator.",
    )
    amount = forms.DecimalField(label="Amount (USD)", min_value=0, max_digits=14, decimal_places=2)

    class Meta(RecordMeta):
        model = Grant
        fields = ["funder", "amount", "awarded_on", "months", "purpose"]
        labels = {"awarded_on": "Awarded on", "months": "Duration (months)"}

    def __init__(self, *args, compact: Compact, user, **kwargs):
        kwargs.setdefault("instance", Grant(compact=compact))
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = (
            choosable_organizations(user, compact.city)
            .filter(kind=OrganizationKind.FUNDER)
            .order_by("name")
        )


class ReaffirmationForm(BootstrapFormMixin, forms.Form):
    """A successor's public recommitment to a compact: when, and where it is documented. The
    successor is whoever holds the seat now (compacts.services.signatory_reaffirm)."""

    reaffirmed_on = forms.DateField(label="Re-affirmed on", widget=date_input())
    reaffirmed_on_precision = forms.ChoiceField(
        label="Date known to the",
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text="When only the month or year is known, pick its first day and set this.",
    )
    source_url = forms.URLField(
        label="Source or evidence",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="A statement, minutes or article where the successor recommits.",
    )

"""What the API answers (read serializers) and, for the schema, what its writes take (input
serializers). Writes are validated by the pages' own forms (api.writes), not by these."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory
from core.concurrency import version_token
from schools.choices import EndReason, LeadershipRole
from schools.models import City, LeadershipTerm, Organization, Person

VERSION_HELP = (
    "The record's version: send it back with a change; a change against an older version "
    "answers 409 with the record as stored now."
)


@extend_schema_field(OpenApiTypes.STR)
class VersionField(serializers.Field):
    """The edit forms' version token (core.concurrency), read-only."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, help_text=VERSION_HELP, **kwargs)

    def to_representation(self, value) -> str:
        return version_token(value)


class CitySlugField(serializers.SlugRelatedField):
    """The city's slug (as in /cities/<slug>/), from `source` (the record's own `city` if None)."""

    def __init__(self, source: str | None = None, **kwargs):
        if source:
            kwargs["source"] = source
        super().__init__(slug_field="slug", read_only=True, **kwargs)


class CitySerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in the city: editor or viewer.")

    class Meta:
        model = City
        fields = ["id", "slug", "name", "state", "role"]

    def get_role(self, city) -> str:
        return self.context["roles"].get(city.pk, "")


class OrganizationSerializer(serializers.ModelSerializer):
    city = CitySlugField(allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "city", "website"]


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "full_name"]


class LeadershipTermSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    organization = OrganizationBriefSerializer(read_only=True)
    version = VersionField()

    class Meta:
        model = LeadershipTerm
        fields = [
            "id",
            "person",
            "organization",
            "role",
            "title",
            "started_on",
            "ended_on",
            "date_precision",
            "end_reason",
            "source_url",
            "version",
        ]


class SignatorySerializer(serializers.ModelSerializer):
    leadership_term = LeadershipTermSerializer(read_only=True)

    class Meta:
        model = Signatory
        fields = ["id", "leadership_term", "reaffirmed_on", "reaffirmed_on_precision", "source_url"]


class ParticipantSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "organization", "joined_on", "left_on"]


class CompactSerializer(serializers.ModelSerializer):
    city = CitySlugField()
    signatories = SignatorySerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    version = VersionField()

    class Meta:
        model = Compact
        fields = [
            "id",
            "city",
            "title",
            "signed_on",
            "signed_on_precision",
            "cohort",
            "status",
            "ended_on",
            "document_url",
            "summary",
            "signatories",
            "participants",
            "version",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    city = CitySlugField("compact.city")
    participants = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Opt-in participants (ids of the compact's participants); empty: all of them.",
    )
    overdue_milestones = serializers.IntegerField(read_only=True)
    version = VersionField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "compact",
            "city",
            "category",
            "title",
            "description",
            "responsible_party",
            "target_on",
            "status",
            "achieved_on",
            "participants",
            "overdue_milestones",
            "version",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    compact = serializers.IntegerField(source="commitment.compact_id", read_only=True)
    city = CitySlugField("commitment.compact.city")
    overdue = serializers.BooleanField(read_only=True)
    version = VersionField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "commitment",
            "compact",
            "city",
            "title",
            "due_on",
            "status",
            "completed_on",
            "evidence_url",
            "notes",
            "overdue",
            "version",
        ]


class ActivitySerializer(serializers.ModelSerializer):
    city = CitySlugField("compact.city")
    version = VersionField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "compact",
            "city",
            "commitment",
            "kind",
            "occurred_on",
            "title",
            "district_attendees",
            "charter_attendees",
            "notes",
            "version",
        ]


class GrantSerializer(serializers.ModelSerializer):
    city = CitySlugField("compact.city")
    funder = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = Grant
        fields = ["id", "compact", "city", "funder", "amount", "awarded_on", "months", "purpose"]


# --- figures: reports' dataclasses as they are ---


class CityFiguresSerializer(serializers.BaseSerializer):
    """reports.figures.CityFigures as JSON: every field of the dataclasses, ratios as
    numerator and denominator (denominator 0: not applicable), plus `health` at the top."""

    def to_representation(self, figures) -> dict:
        data = asdict(figures)
        health = figures.health
        data["health"] = asdict(health) if health is not None else None
        return data


# --- input shapes, for the schema (the pages' forms validate) ---


class VersionedInput(serializers.Serializer):
    version = serializers.CharField(help_text="The `version` of the record you loaded.")


class CommitmentInput(serializers.ModelSerializer):
    participants = serializers.ListField(child=serializers.IntegerField(), required=False)

    class Meta:
        model = Commitment
        fields = [
            "compact",
            "category",
            "title",
            "description",
            "responsible_party",
            "target_on",
            "status",
            "achieved_on",
            "participants",
        ]


class CommitmentChange(CommitmentInput, VersionedInput):
    class Meta(CommitmentInput.Meta):
        fields = [name for name in CommitmentInput.Meta.fields if name != "compact"] + ["version"]
        extra_kwargs = dict.fromkeys(fields[:-1], {"required": False})


class MilestoneInput(serializers.ModelSerializer):
    add_to_achieved = serializers.BooleanField(
        required=False,
        help_text="Required (true) to add a milestone to an achieved commitment, as the page asks.",
    )

    class Meta:
        model = Milestone
        fields = [
            "commitment",
            "title",
            "due_on",
            "status",
            "completed_on",
            "evidence_url",
            "notes",
            "add_to_achieved",
        ]


class MilestoneChange(VersionedInput, serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "status", "completed_on", "evidence_url", "notes", "version"]
        extra_kwargs = dict.fromkeys(fields[:-1], {"required": False})


class MilestoneDoneInput(VersionedInput):
    completed_on = serializers.DateField()
    evidence_url = serializers.URLField(required=False, allow_blank=True)


class ActivityInput(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "compact",
            "kind",
            "occurred_on",
            "title",
            "commitment",
            "district_attendees",
            "charter_attendees",
            "notes",
        ]


class ActivityChange(VersionedInput, serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [*[name for name in ActivityInput.Meta.fields if name != "compact"], "version"]
        extra_kwargs = dict.fromkeys(fields[:-1], {"required": False})


class LeadershipChangeInput(serializers.Serializer):
    organization = serializers.IntegerField()
    role = serializers.ChoiceField(choices=LeadershipRole.choices)
    last_day = serializers.DateField(required=False, allow_null=True)
    end_reason = serializers.ChoiceField(
        choices=EndReason.choices, required=False, allow_blank=True
    )
    successor_name = serializers.CharField(required=False, allow_blank=True)
    successor_title = serializers.CharField(required=False, allow_blank=True)
    successor_first_day = serializers.DateField(required=False, allow_null=True)
    successor_person = serializers.CharField(
        required=False,
        help_text="When several people in your cities share the successor's name: the id of "
        "the one meant, or `new`.",
    )


class LeadershipChangeResult(serializers.Serializer):
    closed_term = LeadershipTermSerializer(allow_null=True)
    new_term = LeadershipTermSerializer(allow_null=True)
    compacts_losing_signatory = serializers.ListField(child=serializers.IntegerField())
    new_person = serializers.BooleanField()


class Conflict(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(allow_null=True, help_text="The record as stored now.")

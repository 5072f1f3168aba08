"""Compacts and what they promised and did: signatories, participants, commitments, milestones,
activities and grants."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from compacts.choices import (
    CATEGORY_TIER,
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
    ResponsibleParty,
)
from compacts.querysets import CommitmentQuerySet, MilestoneQuerySet
from core.formats import date_text
from core.models import TimeStampedModel
from core.validators import validate_plausible_date
from schools.choices import DatePrecision, OrganizationKind

# Free text (a summary, a description, notes) holds a few pages of minutes at most: about 3,000
# words. A browser's form (the textarea's maxlength) and every write path (full_clean) keep to
# it, so nobody pastes megabytes that every page and export then carries.
LONG_TEXT_MAX = 20_000
# A validator, not a TextField's max_length: that reaches forms only, and changing it would rebuild
# the tables on SQLite. core.form_helpers gives the forms the same limit (and the browser).
_within_long_text_max = MaxLengthValidator(LONG_TEXT_MAX)


def _not_in_future(value, field: str, errors: dict) -> None:
    if value and value > timezone.localdate():
        errors[field] = "This date is in the future; record it once it has happened."


# A milestone may record groundwork done before signing, but not this long before.
MILESTONE_LEAD_TIME = datetime.timedelta(days=365)


def _day(value: datetime.date) -> str:
    return date_text(value)


def _check_same_city(organization, compact, field: str, errors: dict) -> None:
    if (
        organization is not None
        and compact is not None
        and organization.city_id
        not in (
            None,
            compact.city_id,
        )
    ):
        errors[field] = f"{organization} is in {organization.city}, not in {compact.city}."


class Compact(TimeStampedModel):
    """A signed agreement between a city's district(s) and its charter sector."""

    city = models.ForeignKey("schools.City", on_delete=models.PROTECT, related_name="compacts")
    title = models.CharField(max_length=200)
    signed_on = models.DateField(db_index=True, validators=[validate_plausible_date])
    signed_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    cohort = models.CharField(max_length=20, blank=True, help_text='e.g. "2010-12"')
    status = models.CharField(
        max_length=12, choices=CompactStatus.choices, default=CompactStatus.ACTIVE, db_index=True
    )
    ended_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    document_url = models.URLField(max_length=500, blank=True)
    summary = models.TextField(blank=True, validators=[_within_long_text_max])
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name", "signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("signed_on")),
                name="%(app_label)s_%(class)s_ends_after_signing",
                violation_error_message="A compact cannot end before it was signed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city.name})"

    def clean(self):
        super().clean()
        errors = {}
        if self.ended_on and self.signed_on and self.ended_on < self.signed_on:
            errors["ended_on"] = "A compact cannot end before it was signed."
        if errors:
            raise ValidationError(errors)


class Signatory(TimeStampedModel):
    """A leader who signed the compact, through the term they held when signing; or a successor
    in the same seat who publicly re-affirmed it (`reaffirmed_on` set), which keeps the seat held
    for signatory retention (DESIGN.md)."""

    compact = models.ForeignKey(
        "compacts.Compact", on_delete=models.CASCADE, related_name="signatories"
    )
    leadership_term = models.ForeignKey(
        "schools.LeadershipTerm", on_delete=models.PROTECT, related_name="signatures"
    )
    reaffirmed_on = models.DateField(
        "re-affirmed on",
        null=True,
        blank=True,
        help_text="Only for a successor who recommitted to the compact; empty for the leaders "
        "who signed it.",
        validators=[validate_plausible_date],
    )
    reaffirmed_on_precision = models.CharField(
        "re-affirmation date known to the",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    source_url = models.URLField(
        "source",
        max_length=500,
        blank=True,
        help_text="Where the signature or the re-affirmation is documented.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "leadership_term"],
                name="%(app_label)s_%(class)s_unique_term_per_compact",
                violation_error_message="This leader already signed this compact.",
            ),
            models.CheckConstraint(
                condition=Q(reaffirmed_on__isnull=False)
                | Q(reaffirmed_on_precision=DatePrecision.DAY),
                name="%(app_label)s_%(class)s_precision_only_when_reaffirmed",
                violation_error_message="Only a re-affirmation has a date precision to set.",
            ),
        ]

    def __str__(self) -> str:
        if self.reaffirmed_on:
            return f"{self.leadership_term.person} re-affirmed {self.compact.title}"
        return f"{self.leadership_term.person} signed {self.compact.title}"

    @property
    def is_reaffirmation(self) -> bool:
        return self.reaffirmed_on is not None

    def clean(self):
        super().clean()
        errors = {}
        if self.reaffirmed_on is None and self.reaffirmed_on_precision != DatePrecision.DAY:
            errors["reaffirmed_on_precision"] = "Only a re-affirmation has a date precision to set."
        _not_in_future(self.reaffirmed_on, "reaffirmed_on", errors)
        if self.compact_id and self.leadership_term_id:
            _check_same_city(
                self.leadership_term.organization, self.compact, "leadership_term", errors
            )
            term, signed_on = self.leadership_term, self.compact.signed_on
            if self.reaffirmed_on is None:
                if term.started_on > signed_on or (term.ended_on and term.ended_on < signed_on):
                    errors["leadership_term"] = (
                        f"{term.person} was not in this seat on the signing date ({signed_on})."
                    )
            elif "reaffirmed_on" not in errors:
                self._check_reaffirmation_date(term, signed_on, errors)
        if errors:
            raise ValidationError(errors)

    def _check_reaffirmation_date(self, term, signed_on, errors: dict) -> None:
        day = self.reaffirmed_on
        if day < signed_on:
            errors["reaffirmed_on"] = (
                f"The compact was signed on {_day(signed_on)}: a re-affirmation comes after that."
            )
        elif day < term.started_on:
            errors["reaffirmed_on"] = (
                f"{term.person} took the seat on {_day(term.started_on)}: a re-affirmation comes "
                "after that."
            )
        elif term.ended_on and day > term.ended_on:
            errors["reaffirmed_on"] = (
                f"{term.person} left the seat on {_day(term.ended_on)}: a re-affirmation comes "
                "before that."
            )


class Participant(TimeStampedModel):
    """A district, charter school or network taking part in a compact."""

    compact = models.ForeignKey(
        "compacts.Compact", on_delete=models.CASCADE, related_name="participants"
    )
    organization = models.ForeignKey(
        "schools.Organization", on_delete=models.PROTECT, related_name="participations"
    )
    joined_on = models.DateField(validators=[validate_plausible_date])
    left_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    history = HistoricalRecords()

    PARTICIPANT_KINDS = (
        OrganizationKind.DISTRICT,
        OrganizationKind.CHARTER_SCHOOL,
        OrganizationKind.CHARTER_NETWORK,
    )

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="%(app_label)s_%(class)s_leaves_after_joining",
                violation_error_message="A participant cannot leave before it joined.",
            ),
            models.UniqueConstraint(
                fields=["compact", "organization", "joined_on"],
                name="%(app_label)s_%(class)s_unique_spell",
                violation_error_message="This organization already joined on that date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.compact.title}"

    def is_taking_part_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    def clean(self):
        super().clean()
        errors = {}
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = "A participant cannot leave before it joined."
        if self.organization_id:
            if self.organization.kind not in self.PARTICIPANT_KINDS:
                errors["organization"] = "Participants are districts, charter schools or networks."
            if self.compact_id:
                _check_same_city(self.organization, self.compact, "organization", errors)
        if errors:
            raise ValidationError(errors)


class Commitment(TimeStampedModel):
    """Something the compact's parties promised to do, in one category of the taxonomy."""

    compact = models.ForeignKey(
        "compacts.Compact", on_delete=models.CASCADE, related_name="commitments"
    )
    category = models.CharField(max_length=8, choices=Category.choices, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, validators=[_within_long_text_max])
    responsible_party = models.CharField(
        max_length=24, choices=ResponsibleParty.choices, default=ResponsibleParty.SHARED
    )
    target_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    status = models.CharField(
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
        db_index=True,
    )
    achieved_on = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    participants = models.ManyToManyField(
        "compacts.Participant",
        blank=True,
        related_name="opt_in_commitments",
        help_text="Leave empty when the commitment binds every participant.",
    )
    history = HistoricalRecords(m2m_fields=[participants])

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title"]
        indexes = [
            models.Index(fields=["compact", "status"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CommitmentStatus.ACHIEVED, achieved_on__isnull=False)
                | (~Q(status=CommitmentStatus.ACHIEVED) & Q(achieved_on__isnull=True)),
                name="%(app_label)s_%(class)s_achieved_on_iff_achieved",
                violation_error_message=(
                    "An achieved commitment needs its achieved date; other statuses have none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tier(self) -> str:
        return CATEGORY_TIER[self.category]

    def get_tier_display(self) -> str:
        return CATEGORY_TIER[self.category].label

    def clean(self):
        super().clean()
        errors = {}
        if self.status == CommitmentStatus.ACHIEVED and not self.achieved_on:
            errors["achieved_on"] = "Give the date the commitment was achieved."
        if self.status != CommitmentStatus.ACHIEVED and self.achieved_on:
            errors["achieved_on"] = "Only an achieved commitment has an achieved date."
        _not_in_future(self.achieved_on, "achieved_on", errors)
        if self.target_on and self.compact_id and self.target_on < self.compact.signed_on:
            errors["target_on"] = (
                f"The compact was signed on {_day(self.compact.signed_on)}: a target comes "
                "after that."
            )
        if errors:
            raise ValidationError(errors)


class Milestone(TimeStampedModel):
    """A dated step towards a commitment; done with evidence, or missed."""

    commitment = models.ForeignKey(
        "compacts.Commitment", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=300)
    due_on = models.DateField(db_index=True, validators=[validate_plausible_date])
    status = models.CharField(
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
        db_index=True,
    )
    completed_on = models.DateField(
        null=True, blank=True, db_index=True, validators=[validate_plausible_date]
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True, validators=[_within_long_text_max])
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MilestoneStatus.DONE, completed_on__isnull=False)
                | (~Q(status=MilestoneStatus.DONE) & Q(completed_on__isnull=True)),
                name="%(app_label)s_%(class)s_completed_on_iff_done",
                violation_error_message=(
                    "A done milestone needs its completion date; other statuses have none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day) -> bool:
        return self.status in (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS) and (
            self.due_on < day
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def clean(self):
        super().clean()
        errors = {}
        if self.status == MilestoneStatus.DONE and not self.completed_on:
            errors["completed_on"] = "Give the date the milestone was completed."
        if self.status != MilestoneStatus.DONE and self.completed_on:
            errors["completed_on"] = "Only a done milestone has a completion date."
        _not_in_future(self.completed_on, "completed_on", errors)
        if self.commitment_id:
            earliest = self.commitment.compact.signed_on - MILESTONE_LEAD_TIME
            for name, label in (("due_on", "due"), ("completed_on", "completed")):
                value = getattr(self, name)
                if value and value < earliest and name not in errors:
                    errors[name] = (
                        f"The compact was signed on {_day(self.commitment.compact.signed_on)}: "
                        f"a milestone {label} more than a year before that cannot be right."
                    )
        if errors:
            raise ValidationError(errors)


class Activity(TimeStampedModel):
    """Something the compact's parties did together: a meeting, joint PD, a working group ..."""

    compact = models.ForeignKey(
        "compacts.Compact", on_delete=models.CASCADE, related_name="activities"
    )
    commitment = models.ForeignKey(
        "compacts.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    kind = models.CharField(max_length=16, choices=ActivityKind.choices, db_index=True)
    occurred_on = models.DateField(validators=[validate_plausible_date])
    title = models.CharField(max_length=300)
    district_attendees = models.PositiveIntegerField(default=0)
    charter_attendees = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True, validators=[_within_long_text_max])
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["compact", "-occurred_on", "-id"]),
            models.Index(fields=["-occurred_on", "-id"]),
            models.Index(fields=["commitment", "updated_at"]),
            # Reports count each live compact's activities of the last 12 months: a range scan.
            models.Index(fields=["compact", "occurred_on"], name="compacts_activity_window_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.commitment_id and self.compact_id and self.commitment.compact_id != self.compact_id:
            errors["commitment"] = "Choose a commitment of the same compact."
        _not_in_future(self.occurred_on, "occurred_on", errors)
        if errors:
            raise ValidationError(errors)


class Grant(TimeStampedModel):
    """Money a funder gave to support a compact."""

    compact = models.ForeignKey("compacts.Compact", on_delete=models.CASCADE, related_name="grants")
    funder = models.ForeignKey(
        "schools.Organization",
        on_delete=models.PROTECT,
        related_name="grants_made",
        limit_choices_to={"kind": OrganizationKind.FUNDER},
    )
    amount = models.DecimalField("amount (USD)", max_digits=14, decimal_places=2)
    awarded_on = models.DateField(validators=[validate_plausible_date])
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["awarded_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message="A grant amount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: ${self.amount:,.0f}"

    def clean(self):
        super().clean()
        errors = {}
        if self.funder_id and self.funder.kind != OrganizationKind.FUNDER:
            errors["funder"] = "Choose an organization of kind funder."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "A grant amount cannot be negative."
        _not_in_future(self.awarded_on, "awarded_on", errors)
        if errors:
            raise ValidationError(errors)

"""Reference data: cities, the organizations that sign and take part in compacts, their leaders."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.validators import validate_plausible_date
from schools.choices import (
    GRADE_ORDER,
    DatePrecision,
    EndReason,
    Grade,
    LeadershipRole,
    OperatorType,
    OrganizationKind,
    State,
)
from schools.validators import (
    default_time_zone,
    leaid_validator,
    nces_school_id_validator,
    validate_time_zone,
)


class City(TimeStampedModel):
    """A city whose district and charter sector may sign a compact; the unit of access."""

    name = models.CharField(max_length=120)
    state = models.CharField(max_length=2, choices=State.choices)
    slug = models.SlugField(max_length=140, unique=True)
    # Reminder periods (a week from Monday 00:00) begin at midnight where the city's staff are.
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA time zone, e.g. America/Chicago: digest weeks start Monday 00:00 here. "
        "Empty: the site's zone.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["name", "state"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "state"],
                name="%(app_label)s_%(class)s_unique_name_state",
                violation_error_message="This city is already recorded in that state.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values),
                name="%(app_label)s_%(class)s_state_is_usps",
                violation_error_message="State must be a USPS code such as TX.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_city_slug(self.name, self.state)
        if not self.time_zone:
            self.time_zone = default_time_zone()
        super().save(*args, **kwargs)


def unique_city_slug(name: str, state: str) -> str:
    """A readable slug ("spring-branch"), qualified by state only when the name is taken."""
    base = slugify(name) or "city"
    if not City.objects.filter(slug=base).exists():
        return base
    return f"{base}-{state.lower()}"


class Organization(TimeStampedModel):
    """Every party to a compact, signatory employer or leadership seat."""

    name = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices, db_index=True)
    city = models.ForeignKey(
        "schools.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    website = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message="Choose a known kind of organization.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class District(Organization):
    """A local education agency (LEA), identified by its NCES LEAID when known."""

    organization_ptr = models.OneToOneField(
        "schools.Organization",
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="district_record",
    )
    nces_leaid = models.CharField(
        "NCES LEAID",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[leaid_validator],
    )
    is_charter_lea = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nces_leaid__isnull=True) | Q(nces_leaid__regex=r"^[0-9]{7}$"),
                name="%(app_label)s_%(class)s_leaid_7_digits",
                violation_error_message="An NCES LEAID is exactly 7 digits.",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The subtype fixes the kind, so that full_clean() passes before the first save.
        self.kind = OrganizationKind.DISTRICT

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.DISTRICT
        if self.nces_leaid == "":
            self.nces_leaid = None
        super().save(*args, **kwargs)


class CharterNetwork(Organization):
    """A charter management or education management organization running several schools."""

    slug = models.SlugField(max_length=140, unique=True)
    operator_type = models.CharField(
        max_length=20, choices=OperatorType.choices, default=OperatorType.NONPROFIT_CMO
    )
    headquarters_state = models.CharField(max_length=2, choices=State.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The subtype fixes the kind, so that full_clean() passes before the first save.
        self.kind = OrganizationKind.CHARTER_NETWORK

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.CHARTER_NETWORK
        if not self.slug:
            self.slug = slugify(self.name)[:140]
        super().save(*args, **kwargs)


class CharterSchool(Organization):
    """A charter school; independent when it has no network."""

    nces_school_id = models.CharField(
        "NCES school ID",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[nces_school_id_validator],
    )
    district = models.ForeignKey(
        "schools.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charter_schools",
        help_text="The geographic district (LEA) the school sits in.",
    )
    network = models.ForeignKey(
        "schools.CharterNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        help_text="Empty for an independent single-site school.",
    )
    grade_low = models.CharField(max_length=2, choices=Grade.choices, blank=True)
    grade_high = models.CharField(max_length=2, choices=Grade.choices, blank=True)
    opened_year = models.PositiveSmallIntegerField(null=True, blank=True)
    enrollment = models.PositiveIntegerField(null=True, blank=True)
    is_open = models.BooleanField(default=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nces_school_id__isnull=True) | Q(nces_school_id__regex=r"^[0-9]{12}$"),
                name="%(app_label)s_%(class)s_nces_id_12_digits",
                violation_error_message="An NCES school ID is exactly 12 digits.",
            ),
            models.CheckConstraint(
                condition=Q(opened_year__isnull=True)
                | Q(opened_year__gte=1990, opened_year__lte=2100),
                name="%(app_label)s_%(class)s_opened_year_plausible",
                violation_error_message="The first charter schools opened in the 1990s.",
            ),
        ]

    @property
    def is_independent(self) -> bool:
        return self.network_id is None

    def clean(self):
        super().clean()
        errors = {}
        if self.nces_school_id and self.district_id:
            leaid = self.district.nces_leaid
            if leaid and not self.nces_school_id.startswith(leaid):
                errors["nces_school_id"] = (
                    f"A school ID starts with its district's LEAID ({leaid})."
                )
        if (
            self.grade_low
            and self.grade_high
            and "UG" not in (self.grade_low, self.grade_high)
            and GRADE_ORDER[self.grade_low] > GRADE_ORDER[self.grade_high]
        ):
            errors["grade_high"] = "The highest grade cannot be below the lowest grade."
        if errors:
            raise ValidationError(errors)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The subtype fixes the kind, so that full_clean() passes before the first save.
        self.kind = OrganizationKind.CHARTER_SCHOOL

    def save(self, *args, **kwargs):
        self.kind = OrganizationKind.CHARTER_SCHOOL
        if self.nces_school_id == "":
            self.nces_school_id = None
        super().save(*args, **kwargs)


class Person(TimeStampedModel):
    """Someone who holds or held a leadership seat."""

    full_name = models.CharField(max_length=200, db_index=True)
    email = models.EmailField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name


class LeadershipTerm(TimeStampedModel):
    """A person's time in a leadership seat (organization, role).

    A seat has at most one open term; a leadership change closes it and opens the successor's.
    """

    person = models.ForeignKey(
        "schools.Person", on_delete=models.PROTECT, related_name="leadership_terms"
    )
    organization = models.ForeignKey(
        "schools.Organization", on_delete=models.PROTECT, related_name="leadership_terms"
    )
    role = models.CharField(max_length=32, choices=LeadershipRole.choices, db_index=True)
    title = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(db_index=True, validators=[validate_plausible_date])
    ended_on = models.DateField(
        null=True, blank=True, db_index=True, validators=[validate_plausible_date]
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization_id", "role", "started_on"]
        indexes = [models.Index(fields=["organization", "role", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="A term cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["organization", "role"],
                condition=Q(ended_on__isnull=True),
                name="%(app_label)s_%(class)s_one_open_term_per_seat",
                violation_error_message=(
                    "This seat already has a leader in post; record a leadership change instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(ended_on__isnull=False),
                name="%(app_label)s_%(class)s_reason_needs_end",
                violation_error_message="A term with an end reason needs an end date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}, {self.organization}"

    def clean(self):
        super().clean()
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "A term cannot end before it starts."
        if self.end_reason and not self.ended_on:
            errors["end_reason"] = "Give the last day in post, or leave the reason empty."
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day) -> bool:
        return self.ended_on is None or self.ended_on > day

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

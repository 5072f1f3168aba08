"""Filters of the leadership, schools and networks lists, per the list query-parameter contract
(helper brief, README)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.scope import readable_organizations, scope_queryset, visible_cities
from compacts.choices import LIVE_COMPACT_STATUSES
from compacts.models import Compact, Participant, Signatory
from core.lists import (
    IdChoiceFilter,
    ListFilterSet,
    TrueFalseFilter,
    choice_filter,
    date_filter,
)
from schools.choices import GRADE_ORDER, Grade, LeadershipRole, OperatorType, OrganizationKind
from schools.models import CharterNetwork, CharterSchool, City, LeadershipTerm


def city_choices_mine_first(user) -> list:
    """Every city (reference data is readable by all), the user's own first, from one query.

    Superusers, who belong everywhere, get one flat list."""
    cities = (
        City.objects.annotate(mine=Exists(visible_cities(user).filter(pk=OuterRef("pk"))))
        .order_by("-mine", "name", "state")
        .values_list("slug", "name", "state", "mine")
    )
    mine, others = [], []
    for slug, name, state, is_mine in cities:
        (mine if is_mine else others).append((slug, f"{name}, {state}"))
    if not others or not mine:
        return mine or others
    return [("Your cities", mine), ("Other cities", others)]


def signatory_seats(compact_ids=None, city_slug: str | None = None) -> Exists:
    """Terms held at the (organization, role) seat of a signatory of the given compacts (or of
    the compacts of a city): to be used in LeadershipTerm.objects.filter(...)."""
    signatories = Signatory.objects.filter(
        leadership_term__organization=OuterRef("organization"),
        leadership_term__role=OuterRef("role"),
    )
    if compact_ids is not None:
        signatories = signatories.filter(compact_id__in=compact_ids)
    if city_slug is not None:
        signatories = signatories.filter(compact__city__slug=city_slug)
    return Exists(signatories)


def open_term_q(today) -> Q:
    """A term is open (its holder in post) while ended_on is empty or in the future."""
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


class LeadershipTermFilterSet(ListFilterSet):
    city = choice_filter("City", method="filter_city")
    role = choice_filter("Role", LeadershipRole.choices)
    organization_kind = choice_filter(
        "Organization kind", OrganizationKind.choices, field_name="organization__kind"
    )
    state = choice_filter(
        "In post or ended", [("open", "In post"), ("ended", "Ended")], method="filter_state"
    )
    started_after = date_filter("started_on", "gte", "Started on or after")
    started_before = date_filter("started_on", "lte", "Started on or before")
    ended_after = date_filter("ended_on", "gte", "Ended on or after")
    ended_before = date_filter("ended_on", "lte", "Ended on or before")
    organization = IdChoiceFilter(label="Organization id")
    signatory_of = IdChoiceFilter(label="Signed compact (id)", method="filter_signatory_of")
    signatory_seat_of = IdChoiceFilter(
        label="At the signatory seats of compact (id)", method="filter_signatory_seat_of"
    )

    search_fields = ("person__full_name", "title", "organization__name")

    class Meta(ListFilterSet.Meta):
        model = LeadershipTerm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("city", [(city.slug, str(city)) for city in visible_cities(self.user)])
        # An organization of another city is not named, even by its id (the hostile review
        # read every city's organizations this way).
        self.set_queryset("organization", readable_organizations(self.user))
        compacts = scope_queryset(Compact.objects.all(), self.user, "city")
        self.set_queryset("signatory_of", compacts)
        self.set_queryset("signatory_seat_of", compacts)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Terms at the city's organizations, and at the signatory seats of its compacts (a
        network's seat has no city of its own)."""
        return queryset.filter(Q(organization__city__slug=value) | signatory_seats(city_slug=value))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        open_now = open_term_q(timezone.localdate())
        return queryset.filter(open_now if value == "open" else ~open_now)

    def filter_signatory_of(self, queryset: QuerySet, name: str, value: Compact) -> QuerySet:
        return queryset.filter(signatures__compact=value)

    def filter_signatory_seat_of(self, queryset: QuerySet, name: str, value: Compact) -> QuerySet:
        return queryset.filter(signatory_seats(compact_ids=[value.pk]))


def participating_q(today) -> Q:
    """An open charter school taking part today in a live compact (active or renewed) of its
    city, itself or through its network: a participant with joined_on <= today and left_on empty
    or after today. The numerator of charter_participation (DESIGN.md)."""
    participants = (
        Participant.objects.filter(
            compact__city=OuterRef("city"),
            compact__status__in=LIVE_COMPACT_STATUSES,
            joined_on__lte=today,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .filter(Q(organization=OuterRef("pk")) | Q(organization=OuterRef("network_id")))
    )
    return Q(is_open=True) & Q(Exists(participants))


def grade_q(code: str) -> Q:
    """Schools whose grade span covers the grade; "UG" matches spans that name ungraded."""
    if code == Grade.UG:
        return Q(grade_low=Grade.UG) | Q(grade_high=Grade.UG)
    order = GRADE_ORDER[code]
    graded = [grade for grade in Grade.values if grade != Grade.UG]
    return Q(
        grade_low__in=[grade for grade in graded if GRADE_ORDER[grade] <= order],
        grade_high__in=[grade for grade in graded if GRADE_ORDER[grade] >= order],
    )


class SchoolFilterSet(ListFilterSet):
    city = choice_filter("City", field_name="city__slug")
    network = choice_filter("Network", field_name="network__slug")
    independent = TrueFalseFilter(label="Independent (no network)", method="filter_independent")
    is_open = TrueFalseFilter(label="Open", field_name="is_open", method="filter_is_open")
    grade = choice_filter("Serves grade", Grade.choices, method="filter_grade")
    participating = TrueFalseFilter(
        label="Taking part in a live compact", method="filter_participating"
    )

    search_fields = ("name", "nces_school_id", "network__name", "district__name")

    class Meta(ListFilterSet.Meta):
        model = CharterSchool

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("city", city_choices_mine_first(self.user))
        self.set_choices(
            "network", CharterNetwork.objects.order_by("name").values_list("slug", "name")
        )

    def filter_independent(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(network__isnull=value)

    def filter_is_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_open=value)

    def filter_grade(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(grade_q(value))

    def filter_participating(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        participating = participating_q(timezone.localdate())
        return queryset.filter(participating if value else ~participating)


class NetworkFilterSet(ListFilterSet):
    city = choice_filter("City", method="filter_city")
    operator_type = choice_filter("Operator type", OperatorType.choices)

    search_fields = ("name", "slug")

    class Meta(ListFilterSet.Meta):
        model = CharterNetwork

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("city", city_choices_mine_first(self.user))

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Networks based in the city or running a school there."""
        runs_school = Exists(CharterSchool.objects.filter(network=OuterRef("pk"), city__slug=value))
        return queryset.filter(Q(city__slug=value) | runs_school)

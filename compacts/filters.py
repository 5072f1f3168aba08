"""Filters of the compact lists, per the list query-parameter contract (helper brief, README).

Metric filters (overdue, stale, on time) are built from compacts/querysets.py, so a dashboard
figure and the list it links to count the same records.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.scope import readable_cities, scope_queryset
from compacts.choices import (
    LIVE_COMPACT_STATUSES,
    ActivityKind,
    Category,
    CommitmentStatus,
    MilestoneStatus,
    ResponsibleParty,
    Tier,
    categories_in_tier,
)
from compacts.models import Activity, Commitment, Compact, Milestone
from compacts.querysets import overdue_milestone_q
from core.lists import (
    IdChoiceFilter,
    ListFilterSet,
    TrueFalseFilter,
    choice_filter,
    date_filter,
)


def scoped_compact_choices(user) -> tuple[list, list]:
    """(city choices, compact choices grouped by city) from ONE query over the compacts of the
    cities the user may read. A city without a compact has no commitments, milestones or
    activities to list, so the compacts' cities are exactly the cities worth offering.

    The cities' names and order come from the list every page reads from the cache
    (accounts.scope.readable_cities), so the query reads the compacts alone, in the user's
    scope: joined to the cities for their names, it cost about a millisecond more on every
    list page."""
    cities = readable_cities(user)
    if not cities:
        return [], []
    by_city: dict[int, list] = {}
    compacts = (
        scope_queryset(Compact.objects.all(), user, "city")
        .order_by("signed_on", "id")
        .values_list("id", "title", "signed_on", "city_id")
    )
    for pk, title, signed_on, city_id in compacts:
        by_city.setdefault(city_id, []).append((str(pk), f"{title} ({signed_on.year})"))
    city_choices, grouped = [], []
    for city in cities:
        if city["id"] in by_city:
            label = f"{city['name']}, {city['state']}"
            city_choices.append((city["slug"], label))
            grouped.append((label, by_city[city["id"]]))
    return city_choices, grouped


def _live_q(value: bool, prefix: str) -> Q:
    live = Q(**{f"{prefix}status__in": LIVE_COMPACT_STATUSES})
    return live if value else ~live


class CompactRecordFilterSet(ListFilterSet):
    """City and compact choices for records that belong to a compact (`compact_path` from the
    record to its Compact)."""

    compact_path = "compact"

    city = choice_filter("City", method="filter_city")
    compact = choice_filter("Compact", method="filter_compact")
    live = TrueFalseFilter(label="Compact live (active or renewed)", method="filter_live")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities, compacts = scoped_compact_choices(self.user)
        self.set_choices("city", cities)
        self.set_choices("compact", compacts)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.compact_path}__city__slug": value})

    def filter_compact(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.compact_path}_id": int(value)})

    def filter_live(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(_live_q(value, f"{self.compact_path}__"))


class CommitmentFilterSet(CompactRecordFilterSet):
    category = choice_filter("Category", Category.choices)
    tier = choice_filter("Tier", Tier.choices, method="filter_tier")
    status = choice_filter("Status", CommitmentStatus.choices)
    responsible_party = choice_filter("Responsible party", ResponsibleParty.choices)
    overdue = TrueFalseFilter(label="Has an overdue milestone", method="filter_overdue")
    stale = TrueFalseFilter(label="Stale", method="filter_stale")
    achieved_after = date_filter("achieved_on", "gte", "Achieved on or after")
    achieved_before = date_filter("achieved_on", "lte", "Achieved on or before")

    search_fields = ("title", "description", "compact__title")
    field_order = (
        "city",
        "compact",
        "category",
        "tier",
        "status",
        "responsible_party",
        "overdue",
        "stale",
        "achieved_after",
        "achieved_before",
        "live",
    )

    class Meta(ListFilterSet.Meta):
        model = Commitment

    def filter_tier(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(category__in=categories_in_tier(value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Exists(
            Milestone.objects.overdue(timezone.localdate()).filter(commitment=OuterRef("pk"))
        )
        return queryset.filter(overdue if value else ~overdue)

    def filter_stale(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        if value:
            return queryset.stale(today)
        return queryset.exclude(pk__in=Commitment.objects.stale(today).values("pk"))


class MilestoneFilterSet(CompactRecordFilterSet):
    compact_path = "commitment__compact"

    commitment = IdChoiceFilter(label="Commitment id")
    status = choice_filter("Status", MilestoneStatus.choices)
    due_after = date_filter("due_on", "gte", "Due on or after")
    due_before = date_filter("due_on", "lte", "Due on or before")
    overdue = TrueFalseFilter(label="Overdue", method="filter_overdue")
    completed_after = date_filter("completed_on", "gte", "Completed on or after")
    completed_before = date_filter("completed_on", "lte", "Completed on or before")
    on_time = TrueFalseFilter(label="Done on time", method="filter_on_time")

    search_fields = ("title", "notes", "commitment__title")
    field_order = (
        "city",
        "compact",
        "commitment",
        "status",
        "overdue",
        "on_time",
        "due_after",
        "due_before",
        "completed_after",
        "completed_before",
        "live",
    )

    class Meta(ListFilterSet.Meta):
        model = Milestone

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset(
            "commitment", scope_queryset(Commitment.objects.all(), self.user, "compact__city")
        )

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = overdue_milestone_q(timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)

    def filter_on_time(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """true: done by the due date (the on-time numerator). false: the rest of the on-time
        denominator, i.e. done late, missed, or overdue."""
        if value:
            return queryset.on_time()
        counted = Q(
            status__in=[MilestoneStatus.DONE, MilestoneStatus.MISSED]
        ) | overdue_milestone_q(timezone.localdate())
        return queryset.filter(counted).exclude(pk__in=Milestone.objects.on_time().values("pk"))


class ActivityFilterSet(CompactRecordFilterSet):
    commitment = IdChoiceFilter(label="Commitment id")
    kind = choice_filter("Kind", ActivityKind.choices)
    occurred_after = date_filter("occurred_on", "gte", "On or after")
    occurred_before = date_filter("occurred_on", "lte", "On or before")

    search_fields = ("title", "notes")
    field_order = (
        "city",
        "compact",
        "commitment",
        "kind",
        "occurred_after",
        "occurred_before",
        "live",
    )

    class Meta(ListFilterSet.Meta):
        model = Activity

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset(
            "commitment", scope_queryset(Commitment.objects.all(), self.user, "compact__city")
        )

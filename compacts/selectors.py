"""Reads of compact records, always through the user's scope (accounts.scope)."""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scope import scope_queryset
from compacts.filters import ActivityFilterSet, CommitmentFilterSet, MilestoneFilterSet
from compacts.models import Activity, Commitment, Milestone
from core.lists import FilterData, apply_filters

# --- list selectors (filterable lists) ---


def commitment_list(*, user, filters: FilterData = None) -> QuerySet[Commitment]:
    """Commitments of the cities the user may read, with their compact and city joined and the
    number of overdue milestones annotated (compacts/querysets.py's definition), filtered by
    CommitmentFilterSet. Default order: city, compact, category, title."""
    overdue = (
        Milestone.objects.overdue(timezone.localdate())
        .filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        scope_queryset(Commitment.objects.all(), user, "compact__city")
        .select_related("compact__city")
        .annotate(overdue_milestones=Coalesce(Subquery(overdue), Value(0)))
        .order_by(
            "compact__city__name", "compact__signed_on", "compact_id", "category", "title", "id"
        )
    )
    return apply_filters(queryset, filters, CommitmentFilterSet, user)


def milestone_list(*, user, filters: FilterData = None) -> QuerySet[Milestone]:
    """Milestones of the cities the user may read, with commitment, compact and city joined,
    filtered by MilestoneFilterSet. Default order: due date, then id."""
    queryset = (
        scope_queryset(Milestone.objects.all(), user, "commitment__compact__city")
        .select_related("commitment__compact__city")
        .order_by("due_on", "id")
    )
    return apply_filters(queryset, filters, MilestoneFilterSet, user)


def activity_list(*, user, filters: FilterData = None) -> QuerySet[Activity]:
    """Activities of the cities the user may read, newest first, with compact, city and commitment
    joined, filtered by ActivityFilterSet. The order (-occurred_on, -id) follows the indexes on
    (compact, -occurred_on, -id) and (-occurred_on, -id): the largest table pages from an index."""
    queryset = (
        scope_queryset(Activity.objects.all(), user, "compact__city")
        .select_related("compact__city", "commitment")
        .order_by("-occurred_on", "-id")
    )
    return apply_filters(queryset, filters, ActivityFilterSet, user)


# --- record getters and the compact page (staff workflow) ---

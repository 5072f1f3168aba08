"""Reads of compact records, always through the user's scope (accounts.scope)."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.scope import scope_queryset
from compacts.choices import CATEGORY_TIER, Category
from compacts.filters import ActivityFilterSet, CommitmentFilterSet, MilestoneFilterSet
from compacts.models import (
    Activity,
    Commitment,
    Compact,
    Grant,
    Milestone,
    Participant,
    Signatory,
)
from compacts.querysets import overdue_milestone_q
from core.lists import FilterData, apply_filters
from schools.choices import OrganizationKind
from schools.models import LeadershipTerm

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
    """Milestones of the cities the user may read, with commitment, compact and city joined and
    `overdue` annotated (compacts/querysets.py's definition), filtered by MilestoneFilterSet.
    Default order: due date, then id."""
    queryset = (
        scope_queryset(Milestone.objects.all(), user, "commitment__compact__city")
        .select_related("commitment__compact__city")
        .annotate(
            overdue=ExpressionWrapper(
                overdue_milestone_q(timezone.localdate()), output_field=BooleanField()
            )
        )
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


def _scoped_get(queryset: QuerySet, user, city_path: str, pk: int):
    """The record `pk` if its city is in the user's scope, else Http404."""
    record = scope_queryset(queryset, user, city_path).filter(pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return record


def compact_get(*, user, pk: int):
    """A compact with its city, if the user may read its city (Http404 otherwise)."""
    return _scoped_get(Compact.objects.select_related("city"), user, "city", pk)


def signatory_get(*, user, pk: int):
    """A signatory with its compact, city and leadership term, within the user's scope."""
    queryset = Signatory.objects.select_related(
        "compact__city", "leadership_term__person", "leadership_term__organization"
    )
    return _scoped_get(queryset, user, "compact__city", pk)


def participant_get(*, user, pk: int):
    """A participant with its compact, city and organization, within the user's scope."""
    queryset = Participant.objects.select_related("compact__city", "organization")
    return _scoped_get(queryset, user, "compact__city", pk)


def commitment_get(*, user, pk: int):
    """A commitment with its compact and city, within the user's scope."""
    return _scoped_get(
        Commitment.objects.select_related("compact__city"), user, "compact__city", pk
    )


def milestone_get(*, user, pk: int):
    """A milestone with its commitment, compact and city, within the user's scope."""
    return _scoped_get(
        Milestone.objects.select_related("commitment__compact__city"),
        user,
        "commitment__compact__city",
        pk,
    )


def activity_get(*, user, pk: int):
    """An activity with its compact, city and commitment, within the user's scope."""
    return _scoped_get(
        Activity.objects.select_related("compact__city", "commitment"), user, "compact__city", pk
    )


def grant_get(*, user, pk: int):
    """A grant with its compact, city and funder, within the user's scope."""
    return _scoped_get(
        Grant.objects.select_related("compact__city", "funder"), user, "compact__city", pk
    )


# The compact page shows the latest activities only; the activity list has them all.
COMPACT_PAGE_ACTIVITIES = 20
# What the page reads of an activity and a grant (templates/compacts/_compact_body.html).
_ACTIVITY_SHOWN = (
    "kind",
    "occurred_on",
    "title",
    "district_attendees",
    "charter_attendees",
    "commitment__title",
)
_GRANT_SHOWN = ("funder__name", "amount", "awarded_on", "months", "purpose")


@dataclass
class SeatHolder:
    """Who holds a signatory's seat now that the signatory has left."""

    name: str
    started_on: datetime.date
    precision: str = "day"  # of the term's dates: a start known only to the month or year


@dataclass
class SignatoryRow:
    """A signatory with its seat's state: in post, or who holds the seat now."""

    signatory: object
    in_post: bool
    holder_now: SeatHolder | None = None  # who holds the seat now, when the signatory has left
    vacant_since: datetime.date | None = None  # nobody holds it: the last holder's last day
    vacant_since_precision: str = "day"


@dataclass
class CommitmentGroup:
    """The commitments of one taxonomy category."""

    category: str
    label: str
    tier_label: str
    commitments: list


class CompactPage:
    """Everything the compact page shows. Each part is read on first use, so a page whose cached
    fragment is still current (compacts.page_cache) reads only the compact."""

    def __init__(self, compact, today: datetime.date):
        self.compact = compact
        self.today = today

    @property
    def records_version(self) -> str:
        """Changes whenever the compact or a record shown on its page is written, added or
        deleted (_records_version_sql)."""
        return f"{self.compact.updated_at.isoformat()}/{self.compact.records_version}"

    @cached_property
    def signatories(self) -> list[SignatoryRow]:
        return _signatory_rows(self.compact, self.today)

    @cached_property
    def _participant_parts(self) -> tuple[list, list, list, list, dict]:
        return _participants(self.compact, self.today)

    @property
    def districts(self) -> list:
        return self._participant_parts[0]

    @property
    def networks(self) -> list:
        return self._participant_parts[1]

    @property
    def independent_schools(self) -> list:
        return self._participant_parts[2]

    @property
    def other_participants(self) -> list:
        return self._participant_parts[3]

    @cached_property
    def _commitment_parts(self) -> tuple[list[CommitmentGroup], int]:
        return _commitment_groups(self.compact, self.today, self._participant_parts[4])

    @property
    def commitment_groups(self) -> list[CommitmentGroup]:
        return self._commitment_parts[0]

    @property
    def commitment_count(self) -> int:
        return self._commitment_parts[1]

    @cached_property
    def _latest_activities(self) -> list:
        return list(
            Activity.objects.filter(compact=self.compact)
            .select_related("commitment")
            .only(*_ACTIVITY_SHOWN)
            .order_by("-occurred_on", "-id")[: COMPACT_PAGE_ACTIVITIES + 1]
        )

    @property
    def activities(self) -> list:
        return self._latest_activities[:COMPACT_PAGE_ACTIVITIES]

    @property
    def more_activities(self) -> bool:
        return len(self._latest_activities) > COMPACT_PAGE_ACTIVITIES

    @cached_property
    def grants(self) -> list:
        return list(
            Grant.objects.filter(compact=self.compact)
            .select_related("funder")
            .only(*_GRANT_SHOWN)
            .order_by("awarded_on", "id")
        )


def _records_version_sql() -> str:
    """SQL for the latest `updated_at` and the number of the rows the compact page shows of the
    outer compact, as one text: any write moves the time, any deletion the count. The rows: its
    signatories, participants, commitments, milestones, activities and grants, and the terms at
    its signatories' seats (who holds a seat now). One scalar subquery of the compact's own
    query, in SQL because the aggregates built by the ORM cost more to compile than the page's
    cached render takes. Names of people and organizations, which would cost more joins than
    the rest together, move compacts.page_cache's city token instead."""
    compact_id = f"{Compact._meta.db_table}.id"
    term, signatory = LeadershipTerm._meta.db_table, Signatory._meta.db_table
    selects = [
        f"SELECT updated_at FROM {model._meta.db_table} WHERE compact_id = {compact_id}"
        for model in (Signatory, Participant, Commitment, Activity, Grant)
    ] + [
        f"SELECT m.updated_at FROM {Milestone._meta.db_table} m"
        f" JOIN {Commitment._meta.db_table} c ON m.commitment_id = c.id"
        f" WHERE c.compact_id = {compact_id}",
        f"SELECT t.updated_at FROM {term} t WHERE (t.organization_id, t.role) IN"
        f" (SELECT s.organization_id, s.role FROM {term} s"
        f" JOIN {signatory} g ON g.leadership_term_id = s.id WHERE g.compact_id = {compact_id})",
    ]
    return (
        "SELECT COALESCE(CAST(MAX(updated_at) AS TEXT), '') || '/' || CAST(COUNT(*) AS TEXT)"
        f" FROM ({' UNION ALL '.join(selects)}) page_records"
    )


_RECORDS_VERSION_SQL = _records_version_sql()


# What the page reads of a signatory, its term, the term's person and organization
# (templates/compacts/_compact_body.html, compacts_tags.with_seats): the rest is never loaded.
_SIGNATORY_SHOWN = (
    "reaffirmed_on",
    "reaffirmed_on_precision",
    "source_url",
    "leadership_term__organization__name",
    "leadership_term__person__full_name",
    "leadership_term__role",
    "leadership_term__title",
    "leadership_term__ended_on",
    "leadership_term__date_precision",
    "leadership_term__end_reason",
)


def _signatory_rows(compact, today: datetime.date) -> list[SignatoryRow]:
    """The signatories with who holds each one's seat today, from ONE query: each signatory
    joined to every term at its seat (same organization and role; its own term is one of them),
    one row per such term. The holder of a seat is the open term that started latest by today,
    else the first to start; a seat without one is vacant since the last day of the term that
    ended last. A plain join, sorted out here: the ORM's filtered join and two subqueries for
    the same took about 1 ms more of Python to build, of which PostgreSQL's planning of this
    wider join takes back about 0.4 ms (bench data)."""
    seat = "leadership_term__organization__leadership_terms"
    rows = (
        Signatory.objects.filter(compact=compact, **{f"{seat}__role": F("leadership_term__role")})
        .select_related("leadership_term__person", "leadership_term__organization")
        .only(*_SIGNATORY_SHOWN)
        .annotate(
            seat_term_id=F(f"{seat}__id"),
            seat_term_started_on=F(f"{seat}__started_on"),
            seat_term_ended_on=F(f"{seat}__ended_on"),
            seat_term_holder=F(f"{seat}__person__full_name"),
            seat_term_precision=F(f"{seat}__date_precision"),
        )
        .order_by(
            "leadership_term__organization__name",
            "leadership_term__role",
            "id",
            "seat_term_started_on",
            "seat_term_id",
        )
    )
    signatories: dict[int, Signatory] = {}
    holders: dict[int, SeatHolder] = {}
    last_days: dict[int, tuple] = {}  # signatory -> (ended_on, term id, precision), the latest
    for row in rows:
        signatories.setdefault(row.pk, row)
        ended_on = row.seat_term_ended_on
        if ended_on is None or ended_on > today:
            if row.pk not in holders or row.seat_term_started_on <= today:
                holders[row.pk] = SeatHolder(
                    row.seat_term_holder, row.seat_term_started_on, row.seat_term_precision
                )
        elif row.pk not in last_days or (ended_on, row.seat_term_id) > last_days[row.pk][:2]:
            last_days[row.pk] = (ended_on, row.seat_term_id, row.seat_term_precision)
    result = []
    for pk, signatory in signatories.items():
        in_post = signatory.leadership_term.is_open_on(today)
        holder = None if in_post else holders.get(pk)
        last_day, _, last_day_precision = last_days.get(pk, (None, None, None))
        result.append(
            SignatoryRow(
                signatory=signatory,
                in_post=in_post,
                holder_now=holder,
                vacant_since=last_day if not in_post and holder is None else None,
                vacant_since_precision=last_day_precision or "day",
            )
        )
    return result


# What the page reads of a participant, its organization and, for a school, its network
# (templates/compacts/_participants.html, templates/jinja2/compacts/commitment_groups.jinja).
_PARTICIPANT_SHOWN = (
    "joined_on",
    "left_on",
    "organization__name",
    "organization__kind",
    "organization__charterschool__network__name",
)


def _participants(compact, today: datetime.date) -> tuple[list, list, list, list, dict]:
    """The compact's participants by sector (districts, networks and their schools, independent
    schools, others), and the opt-in participants of each commitment (commitment id -> list),
    from ONE query: the participants joined to the commitments they opted into, one row per
    (participant, opt-in), in participant order."""
    rows = (
        Participant.objects.filter(compact=compact)
        .select_related("organization__charterschool__network")
        .only(*_PARTICIPANT_SHOWN)
        .annotate(opted_into=F("opt_in_commitments"))
        .order_by("organization__name", "joined_on", "id")
    )
    districts, networks, independents, others = [], [], [], []
    participants: dict[int, Participant] = {}
    opt_ins: dict[int, list] = {}
    for row in rows:
        participant = participants.get(row.pk)
        if participant is None:
            participant = participants[row.pk] = row
            participant.taking_part = participant.is_taking_part_on(today)
            kind = participant.organization.kind
            if kind == OrganizationKind.DISTRICT:
                districts.append(participant)
            elif kind == OrganizationKind.CHARTER_NETWORK:
                networks.append(participant)
            elif kind == OrganizationKind.CHARTER_SCHOOL:
                school = participant.organization.charterschool
                (independents if school.network_id is None else networks).append(participant)
            else:
                others.append(participant)
        if row.opted_into is not None:
            opt_ins.setdefault(row.opted_into, []).append(participant)
    return districts, networks, independents, others, opt_ins


def _shown_fields(model, names: set[str]) -> tuple[str, ...]:
    """The id and `names` of `model`, in the order of its fields, as Model.from_db reads them."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.primary_key or field.attname in names
    )


# What the page reads of a commitment and of each of its milestones (templates/jinja2/compacts/
# commitment_groups.jinja): the rest (notes, timestamps) is never loaded.
_COMMITMENT_SHOWN = _shown_fields(
    Commitment,
    {
        "category",
        "title",
        "description",
        "responsible_party",
        "target_on",
        "status",
        "achieved_on",
    },
)
_MILESTONE_SHOWN = _shown_fields(
    Milestone, {"title", "due_on", "status", "completed_on", "evidence_url"}
)


def _commitment_groups(
    compact, today: datetime.date, opt_ins: dict[int, list]
) -> tuple[list[CommitmentGroup], int]:
    """The compact's commitments by category, each with `page_milestones` (by due date, overdue
    ones marked) and `page_opt_ins` (its opt-in participants, from _participants), from ONE
    query: the commitments left-joined to their milestones, read as values (one row per
    milestone), a record made of each commitment once and of each milestone."""
    rows = (
        Commitment.objects.filter(compact=compact)
        .order_by("title", "id", "milestones__due_on", "milestones__id")
        .values_list(*_COMMITMENT_SHOWN, *(f"milestones__{name}" for name in _MILESTONE_SHOWN))
    )
    split = len(_COMMITMENT_SHOWN)
    by_category: dict[str, list] = {}
    commitments: dict[int, Commitment] = {}
    for row in rows:
        commitment = commitments.get(row[0])
        if commitment is None:
            commitment = Commitment.from_db(rows.db, _COMMITMENT_SHOWN, row[:split])
            commitments[row[0]] = commitment
            commitment.page_milestones = []
            commitment.page_opt_ins = opt_ins.get(row[0], [])
            by_category.setdefault(commitment.category, []).append(commitment)
        if row[split] is not None:
            milestone = Milestone.from_db(rows.db, _MILESTONE_SHOWN, row[split:])
            milestone.overdue = milestone.is_overdue_on(today)
            commitment.page_milestones.append(milestone)
    groups = [
        CommitmentGroup(
            category=category.value,
            label=category.label,
            tier_label=CATEGORY_TIER[category.value].label,
            commitments=by_category[category.value],
        )
        for category in Category
        if category.value in by_category
    ]
    return groups, len(commitments)


def compact_page(*, user, pk: int, versioned: bool = True) -> CompactPage:
    """The compact page: summary, signatories and their seats today, participants by sector,
    commitments by category with their milestones, the latest activities and the grants.

    Queries: the compact, with its records' version when `versioned` (the key of the page's
    cached fragment; a server that caches no page skips it); then, when the page renders them,
    the signatories with their seats' holders, participants with their opt-ins, commitments with
    their milestones, activities, grants; the same whatever the size.
    """
    compacts = Compact.objects.select_related("city")
    if versioned:
        compacts = compacts.annotate(records_version=RawSQL(_RECORDS_VERSION_SQL, ()))
    compact = _scoped_get(compacts, user, "city", pk)
    return CompactPage(compact, timezone.localdate())

"""My work: what is due, slipping or changed in the user's cities, read in a fixed number of
queries whatever the data size.

The definitions are the site's own (DESIGN.md "Metrics"): overdue milestones and stale
commitments come from compacts/querysets.py, seat notes from reports/seats.py. Only live
compacts (active or renewed) count: a lapsed compact's milestone is nobody's work.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.scope import role_in, scope_queryset, visible_cities
from compacts.choices import LIVE_COMPACT_STATUSES, OPEN_MILESTONE_STATUSES
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
from reports import seats
from reports.figures import VACANT
from reports.selectors import seat_terms
from schools.models import LeadershipTerm, Organization

# Rows shown per section; the counts and "see all" links cover the rest.
SECTION_ROWS = 10
DUE_HORIZONS = (14, 30, 90)

# Tracked records and the path from each to its City, for "what changed since".
CHANGE_PATHS = (
    (Compact, "city_id"),
    (Commitment, "compact__city_id"),
    (Milestone, "commitment__compact__city_id"),
    (Activity, "compact__city_id"),
    (Signatory, "compact__city_id"),
    (Participant, "compact__city_id"),
    (Grant, "compact__city_id"),
    (Organization, "city_id"),
    (LeadershipTerm, "organization__city_id"),
)


@dataclass(frozen=True)
class SeatLine:
    """A seat of a live compact whose signer left and that nobody re-affirmed."""

    compact_id: int
    compact_title: str
    city: dict
    state: str
    text: str
    organization_id: int
    role: str
    signatory_id: int

    @property
    def vacant(self) -> bool:
        return self.state == VACANT


@dataclass
class MyWork:
    today: datetime.date
    cities: list[dict]
    overdue: list = field(default_factory=list)
    due: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    stale: list = field(default_factory=list)
    stale_count: int = 0
    seats: list[SeatLine] = field(default_factory=list)
    seats_count: int = 0
    since: datetime.datetime | None = None
    changes: list[dict] = field(default_factory=list)

    @property
    def changes_count(self) -> int:
        return sum(city["changes"] for city in self.changes)

    @property
    def has_work(self) -> bool:
        """Anything to act on (what changed alone is news, not work)."""
        return bool(self.overdue or self.due or self.stale or self.seats)

    @property
    def has_news(self) -> bool:
        return self.has_work or bool(self.changes)


def my_work(
    *,
    user,
    today: datetime.date,
    horizon_days: int = DUE_HORIZONS[-1],
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> MyWork:
    """The user's work in their cities on `today`: overdue milestones, milestones due within
    `horizon_days` (next due first), stale commitments, seats whose signer left that are vacant
    or not re-affirmed, and, given `since`, the changes by others per city from then (until
    `until`)."""
    cities = list(visible_cities(user).values("id", "name", "state", "slug", "time_zone"))
    for city in cities:
        city["role"] = role_in(user, city["id"])
    work = MyWork(today=today, cities=cities, since=since)
    if not cities:
        return work
    by_id = {city["id"]: city for city in cities}
    milestones = scope_queryset(
        Milestone.objects.filter(commitment__compact__status__in=LIVE_COMPACT_STATUSES),
        user,
        "commitment__compact__city",
    )
    work.counts = _milestone_counts(milestones, today)
    rows = milestones.select_related("commitment__compact__city").order_by("due_on", "id")
    work.overdue = list(rows.filter(overdue_milestone_q(today))[:SECTION_ROWS])
    work.due = list(
        rows.filter(
            status__in=OPEN_MILESTONE_STATUSES,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=horizon_days),
        )[:SECTION_ROWS]
    )
    stale = scope_queryset(
        Commitment.objects.filter(compact__status__in=LIVE_COMPACT_STATUSES)
        .stale(today)
        .with_last_touch(),
        user,
        "compact__city",
    )
    # The last touch is the costly part (two subqueries a commitment): work it out once, for
    # the count and the order, then load the few rows shown.
    touched = list(stale.order_by("last_touch", "pk").values_list("pk", "last_touch"))
    work.stale_count = len(touched)
    shown = dict(touched[:SECTION_ROWS])
    rows = Commitment.objects.select_related("compact__city").in_bulk(list(shown))
    work.stale = [rows[pk] for pk in shown]
    for row in work.stale:
        row.last_touch = shown[row.pk]
    for row in (*work.overdue, *work.due):
        row.can_edit = by_id[row.commitment.compact.city_id]["role"] == Role.EDITOR
    for row in work.stale:
        row.can_edit = by_id[row.compact.city_id]["role"] == Role.EDITOR
    seat_lines = _seat_lines(user, today, by_id)
    work.seats, work.seats_count = seat_lines[:SECTION_ROWS], len(seat_lines)
    if since is not None:
        work.changes = _changes(user, by_id, since, until)
    return work


def _milestone_counts(milestones, today: datetime.date) -> dict:
    """Overdue, and due within each horizon, in one query."""
    due = {"status__in": OPEN_MILESTONE_STATUSES, "due_on__gte": today}
    return milestones.aggregate(
        overdue=Count("pk", filter=overdue_milestone_q(today)),
        **{
            f"due_{days}": Count(
                "pk", filter=Q(**due, due_on__lte=today + datetime.timedelta(days=days))
            )
            for days in DUE_HORIZONS
        },
    )


def _seat_lines(user, today: datetime.date, by_id: dict) -> list[SeatLine]:
    """Seat notes (reports/seats.py) of the live compacts in scope, the problems only: two
    queries (the compacts, and every term at their seats)."""
    live = scope_queryset(Compact.objects.filter(status__in=LIVE_COMPACT_STATUSES), user, "city")
    compacts = {
        row["id"]: row
        for row in live.filter(city_id__in=by_id).values("id", "title", "city_id", "signed_on")
    }
    if not compacts:
        return []
    terms = seat_terms(list(compacts))
    terms_at: dict[tuple, dict[int, dict]] = defaultdict(dict)
    signed_at: dict[tuple, list[dict]] = defaultdict(list)
    for row in terms:
        seat = (row["organization_id"], row["role"])
        terms_at[seat][row["id"]] = row
        if row["signed_compact"] in compacts:
            signed_at[(row["signed_compact"], *seat)].append(row)
    lines = []
    for (compact_id, organization_id, role), signed in signed_at.items():
        seat = (organization_id, role)
        note = seats.seat_note(compact_id, signed, list(terms_at[seat].values()), today)
        if note is None or not note.is_problem:
            continue
        compact = compacts[compact_id]
        lines.append(
            SeatLine(
                compact_id=compact_id,
                compact_title=compact["title"],
                city=by_id[compact["city_id"]],
                state=note.state,
                text=note.text,
                organization_id=organization_id,
                role=role,
                signatory_id=max(signed, key=lambda row: (row["started_on"], row["id"]))[
                    "signatory_id"
                ],
            )
        )
    return sorted(lines, key=lambda line: (line.city["name"], line.compact_title, line.text))


def _changes(user, by_id: dict, since: datetime.datetime, until) -> list[dict]:
    """Per city, how many changes others made to its records from `since`: one UNION ALL of a
    grouped count per kind of record, from the change history (simple_history)."""
    parts = []
    for model, path in CHANGE_PATHS:
        rows = model.history.model.objects.filter(
            **{f"{path}__in": list(by_id), "history_date__gte": since}
        )
        if until is not None:
            rows = rows.filter(history_date__lt=until)
        parts.append(
            rows.exclude(history_user_id=user.pk)
            .order_by()
            .values(city_key=F(path))
            .annotate(n=Count("pk"))
            .values("city_key", "n")
        )
    counts: dict[int, int] = defaultdict(int)
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["city_key"]] += row["n"]
    after = timezone.localtime(since).date().isoformat()
    return [
        {
            **by_id[city_id],
            "changes": counts[city_id],
            "url": reverse("core:city_changes", args=[by_id[city_id]["slug"]])
            + f"?changed_after={after}",
        }
        for city_id in by_id
        if counts.get(city_id)
    ]

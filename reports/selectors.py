"""The figures of DESIGN.md ("Metrics") for cities and their compacts, in a fixed number of queries.

However many cities, compacts and records there are, computing figures costs the same five
queries: the compacts with their commitments counted by status, one grouped, conditional aggregate
each for milestones and activities, one for the leadership terms at the signatories' seats, and
one for the charter schools taking part. The rows are combined in Python into typed figures
(reports/figures.py).
Dashboards add month and quarter to the grouping for their charts; the query count stays the same.

Counting reuses compacts/querysets.py (overdue, stale, on time, counted for completion), the same
building blocks as the lists the figures link to, so a figure and its list cannot disagree.

Selectors compute and never touch the cache: reports/cache.py wraps them, per city, and is
invalidated by every write (core.city_versions).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth, TruncQuarter
from django.http import Http404
from django.utils import timezone

from accounts.scope import readable_cities
from compacts.choices import LIVE_COMPACT_STATUSES, MilestoneStatus
from compacts.models import Activity, Commitment, Compact, Milestone, Participant, Signatory
from compacts.querysets import overdue_milestone_q
from reports import seats
from reports.charts import DashboardCharts, build_charts
from reports.figures import (
    CharterParticipation,
    CityFigures,
    CompactFigures,
    DepartedSignatory,
    Ratio,
    Tally,
    figures_from_tally,
)
from schools.choices import role_in_sentence
from schools.models import CharterSchool, LeadershipTerm

CITY_FIELDS = ("id", "name", "state", "slug")


@dataclass(frozen=True)
class CityDashboard:
    """Everything the city dashboard shows: the city's figures and its charts' data."""

    city: CityFigures
    charts: DashboardCharts | None
    today: datetime.date


def cities_in_scope(user) -> list[dict]:
    """The cities the user may read, by name: CITY_FIELDS and `role`, the user's role in each
    (editor everywhere for a superuser), from accounts.scope's cache (no query when warm). The
    report pages key their cached content on these, and hand them to the selectors below."""
    return readable_cities(user)


def city_in_scope(user, slug: str) -> dict:
    """One city the user may read, as `cities_in_scope` gives it; 404 outside the scope."""
    for city in readable_cities(user):
        if city["slug"] == slug:
            return city
    raise Http404("No such city.")


def city_figures_list(
    *, user, cities: list[dict] | None = None, today: datetime.date | None = None
) -> list[CityFigures]:
    """The cities in the user's scope (or `cities`, dicts with CITY_FIELDS), by name, each with
    its compacts and figures; today by default."""
    cities = readable_cities(user) if cities is None else cities
    figures = compute_city_figures(cities, today)
    return [figures[city["id"]] for city in cities]


def city_dashboard_get(
    *, user, slug: str, city: dict | None = None, today: datetime.date | None = None
) -> CityDashboard:
    """The dashboard of one city; 404 when the city does not exist or is outside the scope.
    A caller that already holds `city_in_scope(user, slug)` passes it in."""
    return compute_city_dashboard(city or city_in_scope(user, slug), today)


def compute_city_figures(
    cities: list[dict], today: datetime.date | None = None
) -> dict[int, CityFigures]:
    """Figures of the given cities (dicts with CITY_FIELDS), uncached; today by default."""
    today = today or timezone.localdate()
    return {
        city_id: computation.city_figures()
        for city_id, computation in _compute(cities, today, charts=False).items()
    }


def compute_city_dashboard(city: dict, today: datetime.date | None = None) -> CityDashboard:
    """One city's dashboard, uncached; today by default."""
    today = today or timezone.localdate()
    computation = _compute([city], today, charts=True)[city["id"]]
    return CityDashboard(city=computation.city_figures(), charts=computation.charts(), today=today)


# --- the computation -------------------------------------------------------------------------


def _window(today: datetime.date, field: str) -> Q:
    """`field` in the last 12 months: (today - 365 days, today]."""
    return Q(**{f"{field}__gt": today - datetime.timedelta(days=365), f"{field}__lte": today})


def _compute(cities: list[dict], today: datetime.date, *, charts: bool) -> dict[int, _City]:
    """Query the records of the cities' compacts once, and split them by city."""
    city_ids = [city["id"] for city in cities]
    compacts, commitment_rows = _compacts_with_commitments(city_ids, today, charts=charts)
    live = [row for row in compacts if row["status"] in LIVE_COMPACT_STATUSES]
    live_ids = [row["id"] for row in live]
    if live_ids:
        rows = _Rows.fetch(live_ids, commitment_rows, today, charts=charts)
        participation = _participation(sorted({row["city_id"] for row in live}), today)
    else:
        rows, participation = _Rows.empty(), {}
    by_city = {city["id"]: _City(city, today) for city in cities}
    for compact in compacts:
        by_city[compact["city_id"]].compacts.append(compact)
    tallies = rows.tallies(live, today)
    for city_id, computation in by_city.items():
        computation.tallies = {
            row["id"]: tallies[row["id"]] for row in computation.compacts if row["id"] in tallies
        }
        computation.participation = participation.get(city_id)
        computation.rows = rows.of(set(computation.tallies)) if charts else None
    return by_city


COMPACT_FIELDS = (
    "id",
    "city_id",
    "title",
    "status",
    "signed_on",
    "signed_on_precision",
    "ended_on",
)


def _compacts_with_commitments(
    city_ids: list[int], today: datetime.date, *, charts: bool
) -> tuple[list[dict], list[dict]]:
    """The cities' compacts, and the commitments of the live ones counted by status (and, for
    charts, by category and quarter achieved), from one query: each compact's rows joined to its
    commitments and grouped; a compact without commitments has one row with no status."""
    stale = (
        Commitment.objects.filter(
            compact__city_id__in=city_ids,
            compact__status__in=LIVE_COMPACT_STATUSES,
        )
        .stale(today)
        .values("pk")
    )
    groups = {"commitment_status": F("commitments__status")}
    if charts:
        groups |= {
            "category": F("commitments__category"),
            "achieved_quarter": TruncQuarter("commitments__achieved_on"),
        }
    grouped = (
        Compact.objects.filter(city_id__in=city_ids)
        .order_by("signed_on", "id")
        .values(*COMPACT_FIELDS, **groups)
        .annotate(
            n=Count("commitments"),
            achieved_in_window=Count(
                "commitments", filter=_window(today, "commitments__achieved_on")
            ),
            stale=Count("commitments", filter=Q(commitments__in=stale)),
        )
    )
    compacts: dict[int, dict] = {}
    commitments = []
    for row in grouped:
        compacts.setdefault(row["id"], {field: row[field] for field in COMPACT_FIELDS})
        if row["commitment_status"] is not None and row["status"] in LIVE_COMPACT_STATUSES:
            commitments.append(row | {"compact_id": row["id"], "status": row["commitment_status"]})
    return list(compacts.values()), commitments


def _participation(city_ids: list[int], today: datetime.date) -> dict[int, CharterParticipation]:
    """Charter participation per city: open charter schools of the city taking part in one of its
    live compacts today (joined_on <= today, left_on empty or after today), directly or through
    their network; split into independent schools and schools of a network."""
    taking_part = Participant.objects.filter(
        compact__city_id=OuterRef("city_id"),
        # Implied by the line above; said outright, the database hashes only these cities'
        # participants instead of every city's (twice: one look-up per EXISTS).
        compact__city_id__in=city_ids,
        compact__status__in=LIVE_COMPACT_STATUSES,
        joined_on__lte=today,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    # An independent school has no network, so "directly or through its network" is the rule
    # for both kinds: each school is counted in one group of (city, kind, taking part), and each
    # EXISTS is written (and run) once.
    taking_part_q = Q(Exists(taking_part.filter(organization_id=OuterRef("pk")))) | Q(
        Exists(taking_part.filter(organization_id=OuterRef("network_id")))
    )
    groups = (
        CharterSchool.objects.filter(city_id__in=city_ids, is_open=True)
        .order_by()
        .values(
            "city_id",
            independent=ExpressionWrapper(Q(network__isnull=True), output_field=BooleanField()),
            taking_part=ExpressionWrapper(taking_part_q, output_field=BooleanField()),
        )
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[tuple[bool, bool], int]] = defaultdict(dict)
    for row in groups:
        counts[row["city_id"]][(row["independent"], row["taking_part"])] = row["n"]

    def ratio(city: dict, independent: bool) -> Ratio:
        taking = city.get((independent, True), 0)
        return Ratio(taking, taking + city.get((independent, False), 0))

    found = {
        city_id: CharterParticipation(independent=ratio(city, True), network=ratio(city, False))
        for city_id, city in counts.items()
    }
    nothing = CharterParticipation(independent=Ratio(0, 0), network=Ratio(0, 0))
    return {city_id: found.get(city_id, nothing) for city_id in city_ids}


@dataclass
class _Rows:
    """Grouped rows of the live compacts' records, as the database returned them."""

    commitments: list[dict]
    milestones: list[dict]
    activities: list[dict]
    terms: list[dict]

    @classmethod
    def empty(cls) -> _Rows:
        return cls([], [], [], [])

    @classmethod
    def fetch(
        cls, compact_ids: list[int], commitments: list[dict], today: datetime.date, *, charts: bool
    ) -> _Rows:
        milestone_groups = {"compact_id": F("commitment__compact_id")}
        activity_groups = {}
        activities = Activity.objects.filter(compact_id__in=compact_ids).order_by()
        if charts:
            milestone_groups |= {
                "due_month": TruncMonth("due_on"),
                "completed_month": TruncMonth("completed_on"),
            }
            activity_groups = {"quarter": TruncQuarter("occurred_on")}
        else:
            # The portfolio needs only the last 12 months of activity: let the index skip the rest.
            activities = activities.filter(_window(today, "occurred_on"))
        return cls(
            commitments=commitments,
            milestones=list(
                Milestone.objects.filter(commitment__compact_id__in=compact_ids)
                .order_by()
                .values(**milestone_groups)
                .annotate(
                    n=Count("pk"),
                    done=Count("pk", filter=Q(status=MilestoneStatus.DONE)),
                    missed=Count("pk", filter=Q(status=MilestoneStatus.MISSED)),
                    # MilestoneQuerySet.on_time(), as a condition.
                    on_time=Count(
                        "pk",
                        filter=Q(status=MilestoneStatus.DONE, completed_on__lte=F("due_on")),
                    ),
                    overdue=Count("pk", filter=overdue_milestone_q(today)),
                    completed_in_window=Count("pk", filter=_window(today, "completed_on")),
                )
            ),
            activities=list(
                activities.values("compact_id", **activity_groups).annotate(
                    n=Count("pk"), in_window=Count("pk", filter=_window(today, "occurred_on"))
                )
            ),
            terms=list(seat_terms(compact_ids)),
        )

    def of(self, compact_ids: set[int]) -> _Rows:
        """The rows of some compacts only (one city's)."""
        return _Rows(
            commitments=[row for row in self.commitments if row["compact_id"] in compact_ids],
            milestones=[row for row in self.milestones if row["compact_id"] in compact_ids],
            activities=[row for row in self.activities if row["compact_id"] in compact_ids],
            # Every term at the seats: a seat can be shared with another city's compact (a
            # network's CEO), and its terms belong on both timelines.
            terms=self.terms,
        )

    def tallies(self, compacts: list[dict], today: datetime.date) -> dict[int, Tally]:
        """One tally per live compact."""
        tallies = {row["id"]: Tally() for row in compacts if row["status"] in LIVE_COMPACT_STATUSES}
        for row in self.commitments:
            tally = tallies[row["compact_id"]]
            tally.commitments_by_status[row["status"]] += row["n"]
            tally.commitments_achieved_in_window += row["achieved_in_window"]
            tally.stale_commitments += row["stale"]
        for row in self.milestones:
            tally = tallies[row["compact_id"]]
            tally.milestones += row["n"]
            tally.milestones_done += row["done"]
            tally.milestones_missed += row["missed"]
            tally.milestones_on_time += row["on_time"]
            tally.milestones_overdue += row["overdue"]
            tally.milestones_completed_in_window += row["completed_in_window"]
        for row in self.activities:
            tallies[row["compact_id"]].activities_in_window += row["in_window"]
        self._tally_signatories(tallies, compacts, today)
        return tallies

    def _tally_signatories(
        self, tallies: dict[int, Tally], compacts: list[dict], today: datetime.date
    ) -> None:
        """Retention by seats, departed signatories, a note on each seat whose signer left, and
        leadership changes since signing, per compact."""
        signed_on = {row["id"]: row["signed_on"] for row in compacts}
        signed_at: dict[int, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
        terms_at: dict[tuple, dict[int, dict]] = defaultdict(dict)
        for row in self.terms:
            seat = (row["organization_id"], row["role"])
            terms_at[seat][row["id"]] = row
            compact_id = row["signed_compact"]
            if compact_id not in tallies:
                continue
            signed_at[compact_id][seat].append(row)
            if not seats.is_open(row, today):
                tallies[compact_id].departed.append(
                    DepartedSignatory(
                        compact_id=compact_id,
                        name=row["person_name"],
                        organization=row["organization_name"],
                        role=role_in_sentence(row["role"]),
                        left_on=row["ended_on"],
                        precision=row["date_precision"],
                        reaffirmed_on=row["reaffirmed_on"],
                        reaffirmed_precision=row["reaffirmed_precision"],
                    )
                )
        for compact_id, by_seat in signed_at.items():
            tally = tallies[compact_id]
            for seat, signed in by_seat.items():
                terms = list(terms_at[seat].values())
                held = [row for row in signed if seats.is_open(row, today)]
                tally.seats += 1
                tally.seats_held += bool(held)
                tally.reaffirmations += sum(row["reaffirmed_on"] is not None for row in signed)
                if held and all(row["reaffirmed_on"] is not None for row in held):
                    tally.reaffirmed_seats_held += 1
                note = seats.seat_note(compact_id, signed, terms, today)
                if note is not None:
                    tally.seat_notes.append(note)
                tally.leadership_change_terms.update(
                    row["id"]
                    for row in terms
                    if row["ended_on"] is not None
                    and signed_on[compact_id] < row["ended_on"] <= today
                )


def seat_terms(compact_ids) -> QuerySet:
    """Every term at a seat (organization, role) where a signatory of the compacts sat, one row
    per signature of the term (signed_compact and signatory_id are None for a term that signed
    nothing). The dashboards' seat notes and My work (reminders) read seats through it."""
    signed_at_seat = Signatory.objects.filter(
        compact_id__in=compact_ids,
        leadership_term__organization_id=OuterRef("organization_id"),
        leadership_term__role=OuterRef("role"),
    )
    return (
        LeadershipTerm.objects.filter(Exists(signed_at_seat))
        .order_by("organization_id", "role", "started_on", "id")
        .values(
            "id",
            "organization_id",
            "role",
            "started_on",
            "ended_on",
            "date_precision",
            "person_id",
            organization_name=F("organization__name"),
            person_name=F("person__full_name"),
            signed_compact=F("signatures__compact_id"),
            signatory_id=F("signatures__id"),
            reaffirmed_on=F("signatures__reaffirmed_on"),
            reaffirmed_precision=F("signatures__reaffirmed_on_precision"),
        )
    )


class _City:
    """One city's share of a computation: its compacts, their tallies and (for charts) rows."""

    def __init__(self, city: dict, today: datetime.date):
        self.city = city
        self.today = today
        self.compacts: list[dict] = []
        self.tallies: dict[int, Tally] = {}
        self.participation: CharterParticipation | None = None
        self.rows: _Rows | None = None

    def city_figures(self) -> CityFigures:
        compacts = tuple(
            CompactFigures(
                id=row["id"],
                title=row["title"],
                status=row["status"],
                signed_on=row["signed_on"],
                signed_on_precision=row["signed_on_precision"],
                ended_on=row["ended_on"],
                figures=figures_from_tally(self.tallies[row["id"]])
                if row["id"] in self.tallies
                else None,
            )
            for row in self.compacts
        )
        live = [row for row in self.compacts if row["id"] in self.tallies]
        figures = participation = None
        if live:
            union = Tally()
            for row in live:
                union.add(self.tallies[row["id"]])
            figures = figures_from_tally(union)
            participation = self.participation
        return CityFigures(
            id=self.city["id"],
            name=self.city["name"],
            state=self.city["state"],
            slug=self.city["slug"],
            compacts=compacts,
            figures=figures,
            participation=participation,
        )

    def charts(self) -> DashboardCharts | None:
        if not self.tallies:
            return None
        live = [row for row in self.compacts if row["id"] in self.tallies]
        return build_charts(
            slug=self.city["slug"], live_compacts=live, rows=self.rows, today=self.today
        )

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

`compute_city_figures(..., as_of=day)` gives the figures as they stood at the end of a past day,
read from the records' own dates rather than their statuses of today (the monthly snapshots'
backfill, reports/snapshots.py): the same queries with each status condition replaced by the
dates that decide it (`_AsOf`). The stale-commitment figure is not available then: it rests on
when records were last saved, and a save after that day hides the earlier ones.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth, TruncQuarter
from django.http import Http404
from django.utils import timezone

from accounts.scope import readable_cities
from compacts.choices import (
    LIVE_COMPACT_STATUSES,
    OPEN_MILESTONE_STATUSES,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
)
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
    cities: list[dict],
    today: datetime.date | None = None,
    *,
    as_of: datetime.date | None = None,
) -> dict[int, CityFigures]:
    """Figures of the given cities (dicts with CITY_FIELDS), uncached; today by default.

    With `as_of`, a past day: the figures as they stood at its end, from the records' dates (see
    `_AsOf`); `today` is then ignored."""
    day = as_of or today or timezone.localdate()
    return {
        city_id: computation.city_figures()
        for city_id, computation in _compute(
            cities, day, charts=False, as_of=as_of is not None
        ).items()
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


ENDED_COMPACT_STATUSES = (CompactStatus.LAPSED, CompactStatus.TERMINATED, CompactStatus.SUPERSEDED)


@dataclass(frozen=True)
class _AsOf:
    """How the records stood at the end of `day`, from their own dates (DESIGN.md's metrics
    applied to that day). Where a status has no date of its own, its status of today stands:

    - a compact counts from its signed_on; an active or renewed one is live from then on; a
      lapsed, terminated or superseded one was live (as "active": renewals have no date) until
      its ended_on, and one of those without an ended_on is taken as never live. A draft stays a
      draft.
    - a commitment achieved after the day was in progress on it; every other status (not started,
      in progress, stalled, abandoned, superseded) has no date and stands as it is today.
    - a milestone is done iff completed on or before the day; missed iff marked missed and due
      before the day (a milestone cannot be missed before it falls due: until then it was
      planned); overdue iff due before the day and neither done by then nor missed. A deferred
      one stays deferred: deferring has no date.
    - a signatory's term is open by its started_on and ended_on; a re-affirmation counts from
      reaffirmed_on; terms that started after the day are not there yet.
    - an open charter school counts from its opened_year (a closed school has no closing date:
      it stands as closed).
    - stale commitments: not available (None), see the module's docstring.
    """

    day: datetime.date

    def live_compact_q(self, prefix: str = "") -> Q:
        def q(**lookups) -> Q:
            return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

        return q(signed_on__lte=self.day) & (
            q(status__in=LIVE_COMPACT_STATUSES)
            | q(status__in=ENDED_COMPACT_STATUSES, ended_on__gt=self.day)
        )

    def compact_fields(self) -> dict:
        """A compact's status and ended_on on the day, as annotations."""
        live_then = Q(status__in=ENDED_COMPACT_STATUSES, ended_on__gt=self.day)
        return {
            "status_then": Case(
                When(live_then, then=Value(CompactStatus.ACTIVE)),
                default=F("status"),
                output_field=CharField(),
            ),
            "ended_then": Case(
                When(ended_on__gt=self.day, then=Value(None, output_field=DateField())),
                default=F("ended_on"),
                output_field=DateField(),
            ),
        }

    def commitment_status(self) -> Case:
        return Case(
            When(
                commitments__status=CommitmentStatus.ACHIEVED,
                commitments__achieved_on__gt=self.day,
                then=Value(CommitmentStatus.IN_PROGRESS),
            ),
            default=F("commitments__status"),
            output_field=CharField(),
        )

    def milestone_counts(self) -> dict:
        day = self.day
        done = Q(status=MilestoneStatus.DONE, completed_on__lte=day)
        open_then = Q(status__in=OPEN_MILESTONE_STATUSES) | Q(
            status=MilestoneStatus.DONE, completed_on__gt=day
        )
        return _milestone_counts(
            day,
            done=done,
            missed=Q(status=MilestoneStatus.MISSED, due_on__lt=day),
            overdue=open_then & Q(due_on__lt=day),
        )

    def open_school_q(self) -> Q:
        return Q(opened_year__isnull=True) | Q(opened_year__lte=self.day.year)

    def terms(self, rows: list[dict]) -> list[dict]:
        """The seat terms' rows as they stood: none started after the day, and a re-affirmation
        made after it not yet a signature (the term stays a term at the seat)."""
        unsigned = {
            "signed_compact": None,
            "signatory_id": None,
            "reaffirmed_on": None,
            "reaffirmed_precision": None,
        }
        return [
            row | unsigned
            if row["reaffirmed_on"] is not None and row["reaffirmed_on"] > self.day
            else row
            for row in rows
            if row["started_on"] <= self.day
        ]


def _milestone_counts(today: datetime.date, *, done: Q, missed: Q, overdue: Q) -> dict:
    return {
        "n": Count("pk"),
        "done": Count("pk", filter=done),
        "missed": Count("pk", filter=missed),
        # MilestoneQuerySet.on_time(), as a condition.
        "on_time": Count("pk", filter=done & Q(completed_on__lte=F("due_on"))),
        "overdue": Count("pk", filter=overdue),
        "completed_in_window": Count("pk", filter=_window(today, "completed_on")),
    }


def _compute(
    cities: list[dict], today: datetime.date, *, charts: bool, as_of: bool = False
) -> dict[int, _City]:
    """Query the records of the cities' compacts once, and split them by city. With `as_of`,
    as the records stood at the end of `today`, a past day (`_AsOf`); not for charts."""
    if as_of and charts:
        raise ValueError("The dashboard's charts are of today only.")
    then = _AsOf(today) if as_of else None
    city_ids = [city["id"] for city in cities]
    compacts, commitment_rows = _compacts_with_commitments(
        city_ids, today, charts=charts, then=then
    )
    live = [row for row in compacts if row["status"] in LIVE_COMPACT_STATUSES]
    live_ids = [row["id"] for row in live]
    if live_ids:
        rows = _Rows.fetch(live_ids, commitment_rows, today, charts=charts, then=then)
        participation = _participation(sorted({row["city_id"] for row in live}), today, then)
    else:
        rows, participation = _Rows.empty(), {}
    by_city = {city["id"]: _City(city, today) for city in cities}
    for compact in compacts:
        by_city[compact["city_id"]].compacts.append(compact)
    tallies = rows.tallies(live, today, stale_known=then is None)
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
    "cohort",
)


def _compacts_with_commitments(
    city_ids: list[int], today: datetime.date, *, charts: bool, then: _AsOf | None = None
) -> tuple[list[dict], list[dict]]:
    """The cities' compacts, and the commitments of the live ones counted by status (and, for
    charts, by category and quarter achieved), from one query: each compact's rows joined to its
    commitments and grouped; a compact without commitments has one row with no status.
    With `then`, the compacts signed by that day, with their status and commitments' statuses of
    that day, and no stale count."""
    compacts_q = Compact.objects.filter(city_id__in=city_ids).order_by("signed_on", "id")
    fields: tuple = COMPACT_FIELDS
    renamed: dict[str, str] = {}
    groups = {"commitment_status": F("commitments__status")}
    counts = {
        "n": Count("commitments"),
        "achieved_in_window": Count(
            "commitments", filter=_window(today, "commitments__achieved_on")
        ),
    }
    if then is None:
        stale = (
            Commitment.objects.filter(
                compact__city_id__in=city_ids,
                compact__status__in=LIVE_COMPACT_STATUSES,
            )
            .stale(today)
            .values("pk")
        )
        counts["stale"] = Count("commitments", filter=Q(commitments__in=stale))
    else:
        compacts_q = compacts_q.filter(signed_on__lte=then.day)
        fields = tuple(field for field in COMPACT_FIELDS if field not in ("status", "ended_on"))
        groups = then.compact_fields() | {"commitment_status": then.commitment_status()}
        renamed = {"status": "status_then", "ended_on": "ended_then"}
    if charts:
        groups |= {
            "category": F("commitments__category"),
            "achieved_quarter": TruncQuarter("commitments__achieved_on"),
        }
    grouped = compacts_q.values(*fields, **groups).annotate(**counts)
    compacts: dict[int, dict] = {}
    commitments = []
    for row in grouped:
        compact = compacts.setdefault(
            row["id"], {field: row[renamed.get(field, field)] for field in COMPACT_FIELDS}
        )
        if row["commitment_status"] is not None and compact["status"] in LIVE_COMPACT_STATUSES:
            commitments.append(row | {"compact_id": row["id"], "status": row["commitment_status"]})
    return list(compacts.values()), commitments


def _participation(
    city_ids: list[int], today: datetime.date, then: _AsOf | None = None
) -> dict[int, CharterParticipation]:
    """Charter participation per city: open charter schools of the city taking part in one of its
    live compacts today (joined_on <= today, left_on empty or after today), directly or through
    their network; split into independent schools and schools of a network. With `then`, the
    compacts live and the schools open on that day."""
    live = (
        Q(compact__status__in=LIVE_COMPACT_STATUSES)
        if then is None
        else then.live_compact_q("compact__")
    )
    taking_part = Participant.objects.filter(
        live,
        compact__city_id=OuterRef("city_id"),
        # Implied by the line above; said outright, the database hashes only these cities'
        # participants instead of every city's (twice: one look-up per EXISTS).
        compact__city_id__in=city_ids,
        joined_on__lte=today,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    schools = CharterSchool.objects.filter(city_id__in=city_ids, is_open=True)
    if then is not None:
        schools = schools.filter(then.open_school_q())
    # An independent school has no network, so "directly or through its network" is the rule
    # for both kinds: each school is counted in one group of (city, kind, taking part), and each
    # EXISTS is written (and run) once.
    taking_part_q = Q(Exists(taking_part.filter(organization_id=OuterRef("pk")))) | Q(
        Exists(taking_part.filter(organization_id=OuterRef("network_id")))
    )
    groups = (
        schools.order_by()
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
        cls,
        compact_ids: list[int],
        commitments: list[dict],
        today: datetime.date,
        *,
        charts: bool,
        then: _AsOf | None = None,
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
        if then is None:
            milestone_counts = _milestone_counts(
                today,
                done=Q(status=MilestoneStatus.DONE),
                missed=Q(status=MilestoneStatus.MISSED),
                overdue=overdue_milestone_q(today),
            )
        else:
            milestone_counts = then.milestone_counts()
        terms = list(seat_terms(compact_ids))
        return cls(
            commitments=commitments,
            milestones=list(
                Milestone.objects.filter(commitment__compact_id__in=compact_ids)
                .order_by()
                .values(**milestone_groups)
                .annotate(**milestone_counts)
            ),
            activities=list(
                activities.values("compact_id", **activity_groups).annotate(
                    n=Count("pk"), in_window=Count("pk", filter=_window(today, "occurred_on"))
                )
            ),
            terms=terms if then is None else then.terms(terms),
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

    def tallies(
        self, compacts: list[dict], today: datetime.date, *, stale_known: bool = True
    ) -> dict[int, Tally]:
        """One tally per live compact; without `stale_known`, stale commitments are None."""
        tallies = {
            row["id"]: Tally(stale_commitments=0 if stale_known else None)
            for row in compacts
            if row["status"] in LIVE_COMPACT_STATUSES
        }
        for row in self.commitments:
            tally = tallies[row["compact_id"]]
            tally.commitments_by_status[row["status"]] += row["n"]
            tally.commitments_achieved_in_window += row["achieved_in_window"]
            if stale_known:
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
                cohort=row["cohort"],
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

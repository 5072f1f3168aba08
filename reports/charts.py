"""Data of the city dashboard's charts, from the grouped rows the selectors fetched.

Each chart is a frozen dataclass with the rows of its accessible data table (every count links to
the list of its records) and `payload()`, the JSON the page hands to static/js/dashboard.js.

A chart names things in full, as the data table under it does: a category by its label, never its
code ("Special-education responsibility", not SPED); a month as every page writes it
(core.formats, "Dec 2026"). A long name is a list of lines, which Chart.js draws one under the
other, so a narrow screen keeps the whole name instead of cutting it.
"""

from __future__ import annotations

import datetime
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from compacts.choices import CATEGORY_TIER, Category, CommitmentStatus
from core.formats import date_text
from reports.links import RecordLinks, list_url, month_bounds, quarter_bounds
from schools.choices import DatePrecision, LeadershipRole


@dataclass(frozen=True)
class Cell:
    """A count in a data table, with the list of its records (None when there are none)."""

    value: int
    url: str | None


# The longest line of a chart's label: the longest category ("Common accountability framework /
# report card") takes two lines, the width of a phone's axis.
LABEL_LINE = 24


def label_lines(label: str, width: int = LABEL_LINE) -> str | list[str]:
    """A label as Chart.js draws it: short ones as they are, longer ones as lines of at most
    `width` characters, broken between words only (a word longer than that stays whole)."""
    if len(label) <= width:
        return label
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False)


def _cell(value: int, list_of: Callable[..., str], **filters) -> Cell:
    """A count and, when there is something to list, the list's address (built only then)."""
    return Cell(value, list_of(**filters) if value else None)


# --- commitments by category and status -------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label: str
    tier: str
    cells: tuple[Cell, ...]
    total: Cell

    @property
    def counts(self) -> tuple[Cell, ...]:
        """The row's cells in table order: one per status, then the category's total."""
        return (*self.cells, self.total)


@dataclass(frozen=True)
class CommitmentsChart:
    statuses: tuple[tuple[str, str], ...]
    rows: tuple[CategoryRow, ...]
    totals: tuple[Cell, ...]

    def payload(self) -> dict:
        return {
            "labels": [label_lines(row.label) for row in self.rows],
            "titles": [f"{row.label} ({row.tier})" for row in self.rows],
            "datasets": [
                {"status": code, "label": label, "data": [row.cells[i].value for row in self.rows]}
                for i, (code, label) in enumerate(self.statuses)
            ],
        }


def _commitments_chart(rows: list[dict], links: RecordLinks) -> CommitmentsChart:
    counts: Counter = Counter()
    for row in rows:
        counts[(row["category"], row["status"])] += row["n"]
    statuses = tuple(
        (status.value, status.label)
        for status in CommitmentStatus
        if any(status == key[1] for key in counts)
    )
    categories = [code for code in Category.values if any(code == key[0] for key in counts)]
    table = tuple(
        CategoryRow(
            code=code,
            label=Category(code).label,
            tier=CATEGORY_TIER[code].label,
            cells=tuple(
                _cell(counts[(code, status)], links.commitments, category=code, status=status)
                for status, _label in statuses
            ),
            total=_cell(
                sum(counts[(code, status)] for status, _label in statuses),
                links.commitments,
                category=code,
            ),
        )
        for code in categories
    )
    totals = tuple(
        _cell(sum(counts[(code, status)] for code in categories), links.commitments, status=status)
        for status, _label in statuses
    )
    return CommitmentsChart(statuses=statuses, rows=table, totals=totals)


# --- milestones due and done per month, cumulative -------------------------------------------


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _as_date(value) -> datetime.date | None:
    # TruncMonth/TruncQuarter of a DateField give dates on PostgreSQL and SQLite alike; a
    # datetime would only come from a DateTimeField, but keep the day either way.
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    due: Cell
    done: Cell
    due_cumulative: int
    done_cumulative: int

    @property
    def counts(self) -> tuple[Cell, Cell]:
        return (self.due, self.done)


@dataclass(frozen=True)
class MilestonesChart:
    rows: tuple[MonthRow, ...]
    today: datetime.date

    def payload(self) -> dict:
        return {
            "labels": [date_text(row.month, "month") for row in self.rows],
            "due": [row.due_cumulative for row in self.rows],
            "done": [row.done_cumulative for row in self.rows],
            "today": date_text(self.today.replace(day=1), "month"),
        }


def _milestones_chart(rows: list[dict], links: RecordLinks, today) -> MilestonesChart:
    due: Counter = Counter()
    done: Counter = Counter()
    for row in rows:
        due[_as_date(row["due_month"])] += row["n"]
        if row["completed_month"] is not None:
            done[_as_date(row["completed_month"])] += row["done"]
    months = set(due) | set(done)
    table = []
    if months:
        month, last = min(months), max(months)
        due_total = done_total = 0
        while month <= last:
            first, final = month_bounds(month)
            due_total += due[month]
            done_total += done[month]
            table.append(
                MonthRow(
                    month=month,
                    due=_cell(due[month], links.milestones, due_after=first, due_before=final),
                    done=_cell(
                        done[month],
                        links.milestones,
                        completed_after=first,
                        completed_before=final,
                    ),
                    due_cumulative=due_total,
                    done_cumulative=done_total,
                )
            )
            month = _next_month(month)
    return MilestonesChart(rows=tuple(table), today=today)


# --- activities against outcomes per quarter -------------------------------------------------


def _quarter_label(quarter: datetime.date) -> str:
    return f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class QuarterRow:
    quarter: datetime.date
    activities: Cell
    milestones_done: Cell
    commitments_achieved: Cell

    @property
    def label(self) -> str:
        return _quarter_label(self.quarter)

    @property
    def counts(self) -> tuple[Cell, Cell, Cell]:
        return (self.activities, self.milestones_done, self.commitments_achieved)

    @property
    def outcomes(self) -> int:
        return self.milestones_done.value + self.commitments_achieved.value


@dataclass(frozen=True)
class ActivitiesChart:
    rows: tuple[QuarterRow, ...]

    def payload(self) -> dict:
        return {
            "labels": [row.label for row in self.rows],
            "activities": [row.activities.value for row in self.rows],
            "outcomes": [row.outcomes for row in self.rows],
        }


def _quarter_of(month: datetime.date) -> datetime.date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)


def _activities_chart(rows, links: RecordLinks) -> ActivitiesChart:
    activities: Counter = Counter()
    milestones: Counter = Counter()
    achieved: Counter = Counter()
    for row in rows.activities:
        activities[_as_date(row["quarter"])] += row["n"]
    for row in rows.milestones:
        if row["completed_month"] is not None:
            milestones[_quarter_of(_as_date(row["completed_month"]))] += row["done"]
    for row in rows.commitments:
        if row["achieved_quarter"] is not None:
            achieved[_as_date(row["achieved_quarter"])] += row["n"]
    quarters = set(activities) | set(milestones) | set(achieved)
    table = []
    if quarters:
        quarter, last = min(quarters), max(quarters)
        while quarter <= last:
            first, final = quarter_bounds(quarter)
            table.append(
                QuarterRow(
                    quarter=quarter,
                    activities=_cell(
                        activities[quarter],
                        links.activities,
                        occurred_after=first,
                        occurred_before=final,
                    ),
                    milestones_done=_cell(
                        milestones[quarter],
                        links.milestones,
                        completed_after=first,
                        completed_before=final,
                    ),
                    commitments_achieved=_cell(
                        achieved[quarter],
                        links.commitments,
                        achieved_after=first,
                        achieved_before=final,
                    ),
                )
            )
            quarter = _quarter_of(final + datetime.timedelta(days=1))
    return ActivitiesChart(rows=tuple(table))


# --- leadership timeline per signatory seat --------------------------------------------------


def _year_fraction(day: datetime.date) -> float:
    """A day as a decimal year, the x axis of the timeline (no date adapter needed)."""
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return round(day.year + (day - start).days / length, 4)


@dataclass(frozen=True)
class TermBar:
    person: str
    started_on: datetime.date
    ended_on: datetime.date | None
    precision: str
    in_post: bool
    signed: bool
    reaffirmed: bool = False


@dataclass(frozen=True)
class Signing:
    compact_title: str
    signed_on: datetime.date
    precision: str


@dataclass(frozen=True)
class Seat:
    label: str
    terms: tuple[TermBar, ...]
    signings: tuple[Signing, ...]
    url: str


@dataclass(frozen=True)
class LeadershipTimeline:
    seats: tuple[Seat, ...]
    today: datetime.date

    def payload(self) -> dict:
        return {
            "seats": [seat.label for seat in self.seats],
            "bars": [
                {
                    "seat": index,
                    "from": _year_fraction(term.started_on),
                    "to": _year_fraction(term.ended_on if not term.in_post else self.today),
                    "person": term.person,
                    "inPost": term.in_post,
                    "signed": term.signed,
                }
                for index, seat in enumerate(self.seats)
                for term in seat.terms
            ],
            "signings": [
                {
                    "seat": index,
                    "at": _year_fraction(signing.signed_on),
                    "label": signing.compact_title,
                }
                for index, seat in enumerate(self.seats)
                for signing in seat.signings
            ],
            "today": _year_fraction(self.today),
        }


def _leadership_timeline(terms: list[dict], live_compacts: list[dict], today) -> LeadershipTimeline:
    live = {row["id"]: row for row in live_compacts}
    seat_rows: dict[tuple, dict[int, dict]] = defaultdict(dict)
    signed_terms: set[int] = set()
    reaffirmed_terms: set[int] = set()
    signings: dict[tuple, set[int]] = defaultdict(set)
    for row in terms:
        seat = (row["organization_id"], row["role"])
        seat_rows[seat][row["id"]] = row
        if row["signed_compact"] in live:
            signed_terms.add(row["id"])
            if row["reaffirmed_on"] is not None:
                reaffirmed_terms.add(row["id"])
            else:
                signings[seat].add(row["signed_compact"])
    seats = []
    for seat in sorted(signings, key=lambda s: (LeadershipRole(s[1]).label, s[0])):
        rows = sorted(seat_rows[seat].values(), key=lambda r: (r["started_on"], r["id"]))
        organization_id, role = seat
        seats.append(
            Seat(
                label=f"{LeadershipRole(role).label}, {rows[0]['organization_name']}",
                terms=tuple(
                    TermBar(
                        person=row["person_name"],
                        started_on=row["started_on"],
                        ended_on=row["ended_on"],
                        precision=row["date_precision"] or DatePrecision.DAY,
                        in_post=row["ended_on"] is None or row["ended_on"] > today,
                        signed=row["id"] in signed_terms,
                        reaffirmed=row["id"] in reaffirmed_terms,
                    )
                    for row in rows
                ),
                signings=tuple(
                    Signing(
                        compact_title=live[compact_id]["title"],
                        signed_on=live[compact_id]["signed_on"],
                        precision=live[compact_id]["signed_on_precision"],
                    )
                    for compact_id in sorted(signings[seat], key=lambda c: live[c]["signed_on"])
                ),
                url=list_url("/leadership/", organization=organization_id, role=role),
            )
        )
    return LeadershipTimeline(seats=tuple(seats), today=today)


# --- all four ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCharts:
    commitments: CommitmentsChart
    milestones: MilestonesChart
    leadership: LeadershipTimeline
    activities: ActivitiesChart

    def payload(self) -> dict:
        return {
            "commitments": self.commitments.payload(),
            "milestones": self.milestones.payload(),
            "leadership": self.leadership.payload(),
            "activities": self.activities.payload(),
        }


def build_charts(*, slug: str, live_compacts: list[dict], rows, today) -> DashboardCharts:
    """The four charts over the union of a city's live compacts."""
    links = RecordLinks.for_city(slug, today)
    return DashboardCharts(
        commitments=_commitments_chart(rows.commitments, links),
        milestones=_milestones_chart(rows.milestones, links, today),
        leadership=_leadership_timeline(rows.terms, live_compacts, today),
        activities=_activities_chart(rows, links),
    )

"""A city's figures over time, and what changed since last quarter, in words.

The months come from the stored snapshots (reports/snapshots.py); "now" is the live figures the
dashboard already shows. What changed compares now with the snapshot three months back, and
names the records behind the change: milestones done and missed, leaders who left their seat,
signatories' successors who re-affirmed the compact.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Exists, OuterRef, Q

from compacts.choices import LIVE_COMPACT_STATUSES, MilestoneStatus
from compacts.models import Milestone, Signatory
from core.formats import date_text
from reports.figures import CityFigures, Ratio
from reports.links import list_url
from reports.snapshots import TrendPoint, add_months, city_trend, month_of
from reports.templatetags.reports_extras import health_label
from schools.models import LeadershipTerm

TREND_MONTHS = 36
QUARTER_MONTHS = 3

# (metric, label) of the percentages drawn over time, in the dashboard's order.
TREND_RATIOS = (
    ("commitment_completion", "Commitment completion"),
    ("milestone_on_time", "Milestones on time"),
    ("signatory_retention", "Signatory retention"),
    ("charter_participation", "Charter participation"),
)
TREND_COUNTS = (
    ("overdue_milestones", "Overdue milestones"),
    ("stale_commitments", "Stale commitments"),
)


@dataclass(frozen=True)
class TrendRow:
    """One line of the data table under the chart."""

    label: str
    health: str
    ratios: tuple[Ratio | None, ...]
    counts: tuple[int | None, ...]
    backfilled: bool = False
    is_today: bool = False


@dataclass(frozen=True)
class CountLink:
    value: int
    url: str


@dataclass(frozen=True)
class QuarterChange:
    since: datetime.date
    moves: tuple[str, ...]
    milestones_done: CountLink
    milestones_missed: CountLink
    departures: tuple[str, ...]
    reaffirmations: tuple[str, ...]


@dataclass(frozen=True)
class CityTrend:
    rows: tuple[TrendRow, ...]
    change: QuarterChange | None

    @property
    def has_history(self) -> bool:
        return len(self.rows) > 1

    @property
    def backfilled(self) -> bool:
        return any(row.backfilled for row in self.rows)

    @property
    def collapsed_rows(self) -> tuple[TrendRow, ...]:
        """The rows with each run of months that read the same (health, percentages as shown,
        counts) as one row, "Jan 2025 – Jun 2025": a board pack's table of two years of
        unchanged months is a page of the same line (phone review). Today stays its own row."""
        collapsed: list[TrendRow] = []
        first_label = None
        for row in self.rows:
            last = collapsed[-1] if collapsed else None
            if last is not None and not row.is_today and _shown(last) == _shown(row):
                collapsed[-1] = replace(last, label=f"{first_label} – {row.label}")
                continue
            first_label = row.label
            collapsed.append(row)
        return tuple(collapsed)

    def chart_payload(self) -> dict:
        """The JSON static/js/dashboard.js draws: percentages (0-100, one decimal) per month."""
        return {
            "labels": [row.label for row in self.rows],
            "datasets": [
                {
                    "label": label,
                    "metric": metric,
                    "data": [_percent_number(row.ratios[index]) for row in self.rows],
                }
                for index, (metric, label) in enumerate(TREND_RATIOS)
            ],
        }


def _shown(row: TrendRow) -> tuple:
    """What a table row shows, apart from its label."""
    percents = tuple(ratio.percent if ratio is not None else None for ratio in row.ratios)
    return (row.health, percents, row.counts, row.backfilled)


def _percent_number(ratio: Ratio | None) -> float | None:
    rounded = ratio.rounded(3) if ratio is not None else None
    return None if rounded is None else float(rounded * 100)


def _now_figures(city: CityFigures) -> dict:
    figures = city.figures
    values = {metric: getattr(figures, metric) for metric, _label in TREND_RATIOS[:3]}
    values["charter_participation"] = city.participation.overall
    values |= {metric: getattr(figures, metric) for metric, _label in TREND_COUNTS}
    return values


def _row(
    label: str, health: str, values: dict, *, backfilled: bool = False, is_today: bool = False
) -> TrendRow:
    return TrendRow(
        label=label,
        health=health,
        ratios=tuple(values.get(metric) for metric, _label in TREND_RATIOS),
        counts=tuple(values.get(metric) for metric, _label in TREND_COUNTS),
        backfilled=backfilled,
        is_today=is_today,
    )


def _point_values(point: TrendPoint) -> dict:
    values = {metric: point.ratio(metric) for metric, _label in TREND_RATIOS}
    return values | {metric: point.count(metric) for metric, _label in TREND_COUNTS}


def city_trend_view(city: CityFigures, today: datetime.date) -> CityTrend:
    """The rows of the last TREND_MONTHS months and today, and the change since last quarter."""
    points = city_trend(city.id, TREND_MONTHS, today)
    rows = [
        _row(
            date_text(point.month, "month"),
            point.health,
            _point_values(point),
            backfilled=point.backfilled,
        )
        for point in points
    ]
    if city.figures is None:
        return CityTrend(rows=tuple(rows), change=None)
    now = _now_figures(city)
    rows.append(_row(f"Today, {date_text(today)}", city.health.colour, now, is_today=True))
    baseline_month = add_months(month_of(today), -QUARTER_MONTHS)
    baseline = next((point for point in points if point.month == baseline_month), None)
    return CityTrend(rows=tuple(rows), change=_change(city, baseline, now, today))


def _change(city, baseline: TrendPoint | None, now: dict, today) -> QuarterChange | None:
    if baseline is None:
        return None
    since = baseline.as_of
    moves = [_health_move(baseline.health, comparable_health(city, baseline.backfilled))]
    then = _point_values(baseline)
    for metric, label in TREND_RATIOS:
        moves.append(_ratio_move(label, then.get(metric), now[metric]))
    for metric, label in TREND_COUNTS:
        if metric in baseline.figures and baseline.figures[metric] is None:
            # A backfilled month has no stale-commitment figure (reports/snapshots.py): say so
            # rather than let a change in health look unexplained.
            moves.append(
                f"{label}: {now[metric]} today; no comparison, as this figure was not recorded "
                f"on {date_text(since)}."
            )
        else:
            moves.append(_count_move(label, then.get(metric), now[metric]))
    done, missed = _milestones(city, since, today)
    return QuarterChange(
        since=since,
        moves=tuple(move for move in moves if move),
        milestones_done=done,
        milestones_missed=missed,
        departures=_departures(city.id, since, today),
        reaffirmations=_reaffirmations(city.id, since, today),
    )


def comparable_health(city: CityFigures, baseline_backfilled: bool) -> str:
    """Today's health colour as it compares with a baseline: a backfilled month knew no stale
    commitments, so today's is taken without them too, or a stale commitment alone would read
    as the city getting worse (phone review)."""
    if baseline_backfilled:
        return city.figures.health_without_stale().colour
    return city.health.colour


def _health_move(then: str, now: str) -> str:
    if then == now:
        return f"Health stayed {health_label(now)}."
    return f"Health went from {health_label(then or None)} to {health_label(now)}."


def _ratio_move(label: str, then: Ratio | None, now: Ratio) -> str | None:
    before = then.rounded(2) if then is not None else None
    after = now.rounded(2)
    if before == after:
        return None
    if before is None or after is None:
        old = then.percent if then is not None else "n/a"
        return f"{label} went from {old} to {now.percent}."
    verb = "rose" if after > before else "fell"
    return f"{label} {verb} from {then.percent} to {now.percent}."


def _count_move(label: str, then: int | None, now: int) -> str | None:
    if then is None or then == now:
        return None
    verb = "rose" if now > then else "fell"
    return f"{label} {verb} from {then} to {now}."


def _live(city_id: int) -> dict:
    return {"compact__city_id": city_id, "compact__status__in": LIVE_COMPACT_STATUSES}


def _milestones(city, since, today) -> tuple[CountLink, CountLink]:
    """Milestones of the city's live compacts done (by completion date) and missed (by due
    date) after `since`, up to today, counted in one query."""
    done = Q(status=MilestoneStatus.DONE, completed_on__gt=since, completed_on__lte=today)
    missed = Q(status=MilestoneStatus.MISSED, due_on__gt=since, due_on__lte=today)
    counts = Milestone.objects.filter(
        commitment__compact__city_id=city.id,
        commitment__compact__status__in=LIVE_COMPACT_STATUSES,
    ).aggregate(done=Count("pk", filter=done), missed=Count("pk", filter=missed))
    after = since + datetime.timedelta(days=1)
    scope = {"city": city.slug, "live": True}
    return (
        CountLink(
            counts["done"],
            list_url(
                "/milestones/",
                **scope,
                status=MilestoneStatus.DONE,
                completed_after=after,
                completed_before=today,
            ),
        ),
        CountLink(
            counts["missed"],
            list_url(
                "/milestones/",
                **scope,
                status=MilestoneStatus.MISSED,
                due_after=after,
                due_before=today,
            ),
        ),
    )


def _departures(city_id: int, since, today) -> tuple[str, ...]:
    """Leaders whose term at a signatory seat of a live compact ended after `since`."""
    seats = Signatory.objects.filter(
        **_live(city_id),
        leadership_term__organization_id=OuterRef("organization_id"),
        leadership_term__role=OuterRef("role"),
    )
    terms = (
        LeadershipTerm.objects.filter(Exists(seats), ended_on__gt=since, ended_on__lte=today)
        .select_related("person", "organization")
        .order_by("ended_on", "person__full_name")
    )
    return tuple(
        f"{term.person.full_name} ({term.get_role_display()}, {term.organization.name}) left on "
        f"{date_text(term.ended_on)}."
        for term in terms
    )


def _reaffirmations(city_id: int, since, today) -> tuple[str, ...]:
    signatories = (
        Signatory.objects.filter(
            **_live(city_id), reaffirmed_on__gt=since, reaffirmed_on__lte=today
        )
        .select_related("leadership_term__person", "compact")
        .order_by("reaffirmed_on")
    )
    return tuple(
        f"{row.leadership_term.person.full_name} re-affirmed {row.compact.title} on "
        f"{date_text(row.reaffirmed_on)}."
        for row in signatories
    )

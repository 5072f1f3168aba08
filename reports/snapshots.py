"""Taking and backfilling the monthly snapshots (reports.models), and reading them back.

`take` stores what the live metrics give today, under today's month: run again in the same month
it replaces that month's row, so a monthly cron job (or a re-run after a failure) is harmless.
`backfill` works out the months before the first snapshot from the records' own dates (a
milestone's due and completion dates, a term's start and end, a compact's signing and end, ...):
each month's figures as of its last day (reports/selectors.py `_AsOf` says how each status is
read from dates). Given the same records it writes the same rows. Stale commitments rest on when
records were last saved, which the records do not keep for past days: backfilled rows store
None ("not available") for that figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.changes import cities_changed
from reports import selectors
from reports.figures import CityFigures, Figures, Ratio
from reports.models import CitySnapshot, CompactSnapshot
from schools.models import City

RATIOS = ("commitment_completion", "milestone_on_time", "signatory_retention")
COUNTS = (
    "commitments",
    "milestones",
    "milestones_done",
    "milestones_missed",
    "overdue_milestones",
    "stale_commitments",
    "leadership_changes_since_signing",
    "reaffirmations",
    "activities_last_12_months",
)
_FIELDS = ("health", "reasons", "figures", "backfilled", "as_of")


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def figures_payload(figures: Figures | None, participation: Ratio | None = None) -> dict:
    if figures is None:
        return {}
    payload = {name: _ratio(getattr(figures, name)) for name in RATIOS}
    payload |= {name: getattr(figures, name) for name in COUNTS}
    payload["name_only"] = figures.name_only
    if participation is not None:
        payload["charter_participation"] = _ratio(participation)
    return payload


def _ratio(ratio: Ratio) -> list[int]:
    return [ratio.numerator, ratio.denominator]


def _city_row(city: CityFigures, as_of: datetime.date, backfilled: bool) -> CitySnapshot:
    health = city.health
    return CitySnapshot(
        city_id=city.id,
        month=month_of(as_of),
        as_of=as_of,
        health=health.colour if health else "",
        reasons=list(health.reasons) if health else [],
        figures=figures_payload(
            city.figures, city.participation.overall if city.participation else None
        ),
        backfilled=backfilled,
    )


def _compact_rows(city: CityFigures, as_of: datetime.date, backfilled: bool):
    for compact in city.compacts:
        if compact.figures is None:
            continue
        yield CompactSnapshot(
            compact_id=compact.id,
            month=month_of(as_of),
            as_of=as_of,
            health=compact.figures.health.colour,
            reasons=list(compact.figures.health.reasons),
            figures=figures_payload(compact.figures),
            backfilled=backfilled,
        )


def _rows(figures: list[CityFigures], as_of: datetime.date, *, backfilled: bool):
    cities = [_city_row(city, as_of, backfilled) for city in figures]
    compacts = [row for city in figures for row in _compact_rows(city, as_of, backfilled)]
    return cities, compacts


def _save(cities: list[CitySnapshot], compacts: list[CompactSnapshot]) -> None:
    CitySnapshot.objects.bulk_create(
        cities, update_conflicts=True, unique_fields=["city", "month"], update_fields=_FIELDS
    )
    CompactSnapshot.objects.bulk_create(
        compacts, update_conflicts=True, unique_fields=["compact", "month"], update_fields=_FIELDS
    )


def _all_cities() -> list[dict]:
    return list(City.objects.order_by("name", "state").values(*selectors.CITY_FIELDS))


def take(today: datetime.date | None = None) -> int:
    """Every city's and live compact's figures of today, stored under today's month. Pages show
    the months before today's, and their cached copies are keyed by the day, so nothing cached
    needs forgetting."""
    today = today or timezone.localdate()
    with transaction.atomic():
        figures = selectors.compute_city_figures(_all_cities(), today)
        cities, compacts = _rows(list(figures.values()), today, backfilled=False)
        _save(cities, compacts)
        return len(cities)


def backfill(first_month: datetime.date, today: datetime.date | None = None) -> int:
    """Months from `first_month` up to the one before today's, as of each month's last day;
    a month someone took on the day keeps its snapshot. Returns the number of months written."""
    today = today or timezone.localdate()
    cities = _all_cities()
    taken = set(
        CitySnapshot.objects.filter(backfilled=False).values_list("month", flat=True).distinct()
    )
    written = 0
    month = month_of(first_month)
    city_rows: list[CitySnapshot] = []
    compact_rows: list[CompactSnapshot] = []
    while month < month_of(today):
        if month not in taken:
            as_of = month_end(month)
            figures = selectors.compute_city_figures(cities, as_of=as_of)
            more_cities, more_compacts = _rows(list(figures.values()), as_of, backfilled=True)
            city_rows += more_cities
            compact_rows += more_compacts
            written += 1
        month = add_months(month, 1)
    # Every month in one write (bulk_create batches it): a month at a time, the inserts took
    # longer than working the figures out.
    with transaction.atomic():
        _save(city_rows, compact_rows)
        cities_changed(city["id"] for city in cities)
    return written


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: datetime.date
    as_of: datetime.date
    health: str
    figures: dict
    backfilled: bool

    def ratio(self, name: str) -> Ratio | None:
        pair = self.figures.get(name)
        return Ratio(*pair) if pair else None

    def count(self, name: str) -> int | None:
        return self.figures.get(name)


def city_trend(city_id: int, months: int, today: datetime.date) -> list[TrendPoint]:
    """The city's snapshots of the last `months` months before today's, oldest first."""
    start = add_months(month_of(today), -months)
    rows = CitySnapshot.objects.filter(city_id=city_id, month__gte=start, month__lt=month_of(today))
    return [
        TrendPoint(row.month, row.as_of, row.health, row.figures, row.backfilled)
        for row in rows.order_by("month")
    ]

"""What the portfolio needs per city beyond its figures: its snapshot of last quarter (the trend
column), read for all the reader's cities in one query and cached per city under the city's data
key, like the figures. (The cohorts of the cohort filter come with the figures: CompactFigures.)

Last quarter is the snapshot of the month three months before today's, the one the city
dashboard's "what changed since last quarter" compares with (reports/trends.py), so the two pages
never disagree about a city. The trend word weighs the health first: a city whose health moved is
better or worse whatever its commitment completion did; with the same health, commitment
completion (the first figure of the table, whole percentages as on the dashboard) decides.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.formats import date_text
from reports import cache as report_cache
from reports.figures import CityFigures, Ratio
from reports.models import CitySnapshot
from reports.snapshots import add_months, month_of
from reports.templatetags.reports_extras import health_label
from reports.trends import QUARTER_MONTHS, comparable_health

FACTS = "portfolio_facts"

BETTER, WORSE, SAME, NEW = "better", "worse", "same", "new"
TREND_LABELS = {BETTER: "Better", WORSE: "Worse", SAME: "Same", NEW: "New", "": "No live compact"}
_HEALTH_RANK = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class Baseline:
    """A city's snapshot of last quarter: what the trend compares today with."""

    as_of: datetime.date
    health: str
    completion: Ratio | None
    backfilled: bool = False


@dataclass(frozen=True)
class CityFacts:
    # A wrapper of one field, on purpose: it is what the cache keeps per city, and "no baseline"
    # must be a value the cache can hold (Django's Redis get_many drops a stored None).
    baseline: Baseline | None


@dataclass(frozen=True)
class Trend:
    """better / worse / same / new, or "" for a city without a live compact; `detail` says what
    moved, in words."""

    code: str
    detail: str

    @property
    def label(self) -> str:
        return TREND_LABELS[self.code]


def baseline_month(today: datetime.date) -> datetime.date:
    return add_months(month_of(today), -QUARTER_MONTHS)


def compute_facts(city_ids: list[int], today: datetime.date) -> dict[int, CityFacts]:
    """The facts of these cities, uncached: one query however many cities."""
    baselines = {}
    snapshots = CitySnapshot.objects.filter(
        city_id__in=city_ids, month=baseline_month(today)
    ).values_list("city_id", "as_of", "health", "figures", "backfilled")
    for city_id, as_of, health, figures, backfilled in snapshots:
        pair = figures.get("commitment_completion")
        baselines[city_id] = Baseline(as_of, health, Ratio(*pair) if pair else None, backfilled)
    return {city_id: CityFacts(baselines.get(city_id)) for city_id in city_ids}


def city_facts(keys: dict[int, str], today: datetime.date) -> dict[int, CityFacts]:
    """The facts of the cities of `keys` (from report_cache.data_keys of `today`): the cached ones
    in one cache read, the others computed together and stored. A write in a city moves its
    token; a backfill announces every city; the baseline month moves with the day in the key."""
    found = report_cache.get_many(keys, FACTS)
    missing = [city_id for city_id in keys if city_id not in found]
    if missing:
        computed = compute_facts(missing, today)
        report_cache.set_many(keys, FACTS, computed)
        found |= computed
    return {city_id: found[city_id] for city_id in keys}


def trend_of(city: CityFigures, baseline: Baseline | None, today: datetime.date) -> Trend:
    if city.figures is None:
        return Trend("", "No live compact today: nothing to compare.")
    if baseline is None or not baseline.health:
        month = baseline_month(today)
        return Trend(NEW, f"No figures from {month:%b %Y} to compare with.")
    then, now = baseline.health, comparable_health(city, baseline.backfilled)
    moves = [
        f"health stayed {health_label(now)}"
        if then == now
        else f"health went from {health_label(then)} to {health_label(now)}"
    ]
    before = baseline.completion.rounded(2) if baseline.completion else None
    after = city.figures.commitment_completion.rounded(2)
    old = baseline.completion.percent if baseline.completion else "n/a"
    new = city.figures.commitment_completion.percent
    if before == after:
        moves.append(f"commitment completion stayed at {new}")
    elif before is None or after is None:
        moves.append(f"commitment completion went from {old} to {new}")
    else:
        moves.append(
            f"commitment completion {'rose' if after > before else 'fell'} from {old} to {new}"
        )
    if baseline.backfilled and city.figures.stale_commitments:
        moves.append("stale commitments not compared (not recorded then)")
    detail = f"Since {date_text(baseline.as_of)}: {'; '.join(moves)}."
    if _HEALTH_RANK[now] != _HEALTH_RANK.get(then, _HEALTH_RANK[now]):
        return Trend(BETTER if _HEALTH_RANK[now] > _HEALTH_RANK[then] else WORSE, detail)
    if before is None or after is None or before == after:
        return Trend(SAME, detail)
    return Trend(BETTER if after > before else WORSE, detail)

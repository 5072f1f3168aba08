"""The portfolio overview: one row per city, every metric, sortable, and its CSV and XLSX exports.

Page and exports read the same rows, so they cannot show different figures: a ratio is rounded
once (3 places, half up), shown as a whole percentage on the page and in the workbook (the
workbook's cell keeps the 3 places), and exported as a decimal with 3 places in the CSV
(scripts read it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from core import exports
from core.formats import date_text
from reports.figures import CityFigures, Ratio
from reports.portfolio_trend import TREND_LABELS, Trend
from reports.templatetags.reports_extras import health_label

COLUMNS = (
    "city",
    "state",
    "compacts",
    "commitment_completion",
    "milestone_on_time",
    "overdue_milestones",
    "signatory_retention",
    "leadership_changes_since_signing",
    "charter_participation",
    "name_only",
    "stale_commitments",
    "health",
)

LABELS = {
    "city": "City",
    "state": "State",
    "compacts": "Compacts",
    "commitment_completion": "Commitment completion",
    "milestone_on_time": "Milestones on time",
    "overdue_milestones": "Overdue milestones",
    "signatory_retention": "Signatory retention",
    "leadership_changes_since_signing": "Leadership changes since signing",
    "charter_participation": "Charter participation",
    "name_only": "In name only",
    "stale_commitments": "Stale commitments",
    "health": "Health",
    "trend": "Since last quarter",
}

# The page shows the trend after the health; the exports append it after their other columns, so
# a script reading the CSV by position keeps working.
PAGE_COLUMNS = (*COLUMNS, "trend")

# The page's numeric figure columns, between the compacts and "in name only".
FIGURE_COLUMNS = COLUMNS[3:9]

RATIO_COLUMNS = frozenset(
    ("commitment_completion", "milestone_on_time", "signatory_retention", "charter_participation")
)

_HEALTH_ORDER = {"red": 0, "amber": 1, "green": 2}
_TREND_ORDER = {"worse": 0, "same": 1, "better": 2, "new": 3}


def figure_cells(values: dict) -> list[tuple[str, object, str]]:
    """(column, data value, shown text) of the figures from completion to participation, of a
    row or of the totals: ratios export 3 places and show a whole percentage, as every page does."""
    cells = []
    for column in FIGURE_COLUMNS:
        value = values[column]
        if isinstance(value, Ratio):
            cells.append((column, value.export, value.percent))
        else:
            cells.append((column, value, value))
    return cells


@dataclass(frozen=True)
class PortfolioRow:
    """One city's line: values keyed by column; None where the city has no live compact."""

    city: CityFigures
    values: dict
    trend: Trend | None = None

    @property
    def figure_cells(self) -> list[tuple[str, object, str]]:
        return figure_cells(self.values)

    def export_value(self, column: str) -> str:
        """The CSV cell: ratios with 3 decimals, booleans true/false, nothing as empty."""
        value = self.values[column]
        if isinstance(value, Ratio):
            return value.export
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)


def portfolio_row(city: CityFigures, trend: Trend | None = None) -> PortfolioRow:
    """One city's line; `trend` (reports/portfolio_trend.py) where the reader sees it: the
    overview and its exports."""
    figures = city.figures
    values = {
        "city": city.name,
        "state": city.state,
        "compacts": len(city.compacts),
        "trend": trend.code if trend and trend.code else None,
    }
    if figures is None:
        values |= dict.fromkeys(COLUMNS[3:])
    else:
        values |= {
            "commitment_completion": figures.commitment_completion,
            "milestone_on_time": figures.milestone_on_time,
            "overdue_milestones": figures.overdue_milestones,
            "signatory_retention": figures.signatory_retention,
            "leadership_changes_since_signing": figures.leadership_changes_since_signing,
            "charter_participation": city.participation.overall,
            "name_only": figures.name_only,
            "stale_commitments": figures.stale_commitments,
            "health": figures.health.colour,
        }
    return PortfolioRow(city=city, values=values, trend=trend)


def _sort_key(column: str, value):
    if value is None:
        return None
    if isinstance(value, Ratio):
        return value.fraction
    if column == "health":
        return _HEALTH_ORDER[value]
    if column == "trend":
        return _TREND_ORDER[value]
    if isinstance(value, str):
        return value.casefold()
    return value


def applied_sort(sort: str) -> str:
    """The sort a request asks for, as `sort_rows` applies it: an unknown column sorts by city."""
    return sort if sort.removeprefix("-") in PAGE_COLUMNS else "city"


def sort_rows(rows: list[PortfolioRow], sort: str) -> tuple[list[PortfolioRow], str]:
    """Rows sorted by a column ("-column" descending); n/a and empty values always last.

    An unknown column sorts by city; returns the sort actually applied.
    """
    column = sort.removeprefix("-")
    if column not in PAGE_COLUMNS:
        return rows, "city"
    present, missing = [], []
    for row in rows:
        value = _sort_key(column, row.values[column])
        (missing if value is None else present).append((value, row))
    present.sort(key=lambda pair: pair[0], reverse=sort.startswith("-"))
    return [row for _value, row in present] + [row for _value, row in missing], sort


def _percent(value) -> str:
    return f"{value:.0%}"


def export_columns() -> tuple[exports.Column, ...]:
    """Every exported column: the page's, then the health in words, its reasons and the day."""
    per = exports.PERCENT
    meanings = {
        "city": ("The city.", 18, None),
        "state": ("Its state.", 7, None),
        "compacts": ("All the city's compacts, whatever their status.", 10, exports.INTEGER),
        "commitment_completion": (
            "Commitments achieved / all commitments except abandoned and superseded, over the "
            "city's live compacts (active or renewed). n/a when there is none to count.",
            14,
            per,
        ),
        "milestone_on_time": (
            "Milestones done by their due date / (done + missed + overdue).",
            12,
            per,
        ),
        "overdue_milestones": (
            "Milestones planned or in progress whose due date has passed (due today is not "
            "overdue; deferred never is).",
            11,
            exports.INTEGER,
        ),
        "signatory_retention": (
            "Signatory seats held by their signer, or by a successor who re-affirmed the "
            "compact / all signatory seats.",
            12,
            per,
        ),
        "leadership_changes_since_signing": (
            "Terms at a signatory's organization and role that ended after the compact was "
            "signed, each counted once.",
            14,
            exports.INTEGER,
        ),
        "charter_participation": (
            "Open charter schools of the city taking part (directly or through their network) "
            "/ open charter schools of the city.",
            13,
            per,
        ),
        "name_only": (
            f"Collaboration in name only: at least {settings.NAME_ONLY_MIN_ACTIVITIES} "
            "activities in the last 12 months, but no milestone completed and no commitment "
            "achieved in them (true / false).",
            10,
            None,
        ),
        "stale_commitments": (
            f"Commitments in progress untouched for more than {settings.STALE_COMMITMENT_DAYS} "
            "days (the commitment, its milestones and its activities).",
            11,
            exports.INTEGER,
        ),
        "health": (
            "The health as a code: red, amber or green; empty without a live compact.",
            9,
            None,
        ),
    }
    columns = [
        exports.Column(code, LABELS[code], meaning, width, number_format)
        for code, (meaning, width, number_format) in meanings.items()
    ]
    columns[-1] = exports.Column("health", "Health code", *meanings["health"])
    return (
        *columns,
        exports.Column(
            "health_label",
            "Health",
            "The health in words. At risk (red): in name only, signatory retention under "
            f"{_percent(settings.HEALTH_MIN_SIGNATORY_RETENTION)}, or more than "
            f"{_percent(settings.HEALTH_MAX_OVERDUE_SHARE)} of milestones overdue. Needs "
            "attention (amber): any overdue milestone or stale commitment. On track (green): "
            "neither. No live compact: the city has no active or renewed compact.",
            16,
        ),
        exports.Column(
            "health_reasons",
            "Why",
            "The reasons behind the health, or why a city has no figures.",
            70,
        ),
        exports.Column(
            "as_of", "As of", "The day the figures are of (YYYY-MM-DD).", 12, exports.DATE
        ),
        exports.Column(
            "trend",
            "Trend code",
            "Compared with the city's snapshot of three months before this month (last "
            "quarter), as a code: better, worse or same (a change of health decides; with the "
            "same health, commitment completion in whole percentages does), new when there is "
            "no snapshot from then; empty without a live compact.",
            9,
        ),
        exports.Column(
            "trend_label",
            "Since last quarter",
            "The trend in words: Better, Worse, Same, New, or No live compact.",
            12,
        ),
        exports.Column(
            "trend_detail",
            "What moved",
            "The health and commitment completion then and now, with the snapshot's day.",
            60,
        ),
    )


def no_figures_reason(city: CityFigures) -> str:
    """Why a city without a live compact shows no figures: its compacts' status and end, worded
    as on its dashboard."""
    if not city.compacts:
        return "No compact recorded."
    states = [
        f"{compact.title}: {compact.status_label.lower()}"
        + (f", ended {date_text(compact.ended_on)}" if compact.ended_on else "")
        for compact in city.compacts
    ]
    return "No live compact. " + "; ".join(states) + "."


def _words(row: PortfolioRow) -> tuple[str, str]:
    health = row.city.health
    if health is None:
        return health_label(None), no_figures_reason(row.city)
    return health_label(health.colour), "; ".join(health.reasons)


def _trend_cells(row: PortfolioRow) -> list[str]:
    if row.trend is None:
        return ["", "", ""]
    return [row.trend.code, row.trend.label, row.trend.detail]


def as_csv(rows: list[PortfolioRow], today: datetime.date) -> bytes:
    """The page's columns as codes (ratios 0.500, booleans true/false, nothing when n/a), then
    the health in words, its reasons, the day and the trend. No totals row: scripts read every
    line as a city."""
    return exports.csv_bytes(
        export_columns(),
        (
            [row.export_value(column) for column in COLUMNS]
            + [*_words(row), today.isoformat(), *_trend_cells(row)]
            for row in rows
        ),
    )


def _xlsx_cell(row: PortfolioRow, column: str):
    """Numbers as numbers (ratios shown as percentages by the column's format); "n/a" for a ratio
    with nothing to count, and "no live compact" in the figure cells of a city without one."""
    value = row.values[column]
    if row.city.figures is None and column in COLUMNS[3:-1]:
        return "no live compact"
    return _xlsx_value(value)


def _xlsx_value(value):
    if isinstance(value, Ratio):
        rounded = value.rounded(3)
        return "n/a" if rounded is None else float(rounded)
    if isinstance(value, bool):
        return "yes" if value else "no"  # as the page says it; the CSV keeps true/false for scripts
    return value


# --- the totals row -----------------------------------------------------------------------------

TOTALS_NOTE = (
    "Totals: counts are summed over the cities shown; a percentage is the sum of the cities' "
    "numerators over the sum of their denominators (e.g. all achieved commitments over all "
    "counted ones), not an average of the cities' percentages. Cities without a live compact "
    "count only in the compacts."
)

_COUNT_COLUMNS = (
    "overdue_milestones",
    "leadership_changes_since_signing",
    "stale_commitments",
)


@dataclass(frozen=True)
class PortfolioTotals:
    """The foot of the table over `rows`: `values` keyed by column like a row's."""

    cities: int
    with_figures: int
    values: dict
    health_counts: dict
    trend_counts: dict
    # The cities the reader follows, when filters may have kept fewer.
    followed: int | None = None

    @property
    def label(self) -> str:
        if self.followed is not None and self.followed != self.cities:
            return f"{self.cities} of {self.followed} cities (filtered)"
        return f"All {self.cities} shown" if self.cities != 1 else "The 1 shown"

    @property
    def health_text(self) -> str:
        return _counted(self.health_counts, health_label)

    @property
    def trend_text(self) -> str:
        return _counted(self.trend_counts, TREND_LABELS.get)

    @property
    def figure_cells(self) -> list[tuple[str, object, str]]:
        return figure_cells(self.values)


def _counted(counts: dict, label_of) -> str:
    """ "2 on track, 1 at risk": each count that is not zero, in words; "none" when all are."""
    parts = [f"{count} {label_of(code).lower()}" for code, count in counts.items() if count]
    return ", ".join(parts) or "none"


def totals(rows: list[PortfolioRow], followed: int | None = None) -> PortfolioTotals:
    live = [row for row in rows if row.city.figures is not None]
    values: dict = {"compacts": sum(row.values["compacts"] for row in rows)}
    for column in RATIO_COLUMNS:
        values[column] = Ratio(
            sum(row.values[column].numerator for row in live),
            sum(row.values[column].denominator for row in live),
        )
    for column in _COUNT_COLUMNS:
        values[column] = sum(row.values[column] for row in live)
    values["name_only"] = sum(1 for row in live if row.values["name_only"])
    health_counts = dict.fromkeys(("red", "amber", "green"), 0)
    trend_counts = dict.fromkeys(("better", "same", "worse", "new"), 0)
    for row in live:
        health_counts[row.values["health"]] += 1
        if row.trend is not None:
            trend_counts[row.trend.code] += 1
    health_counts[None] = len(rows) - len(live)
    return PortfolioTotals(
        cities=len(rows),
        with_figures=len(live),
        values=values,
        health_counts=health_counts,
        trend_counts=trend_counts,
        followed=followed,
    )


def _xlsx_totals(total: PortfolioTotals, today: datetime.date) -> list:
    """The workbook's last row: the totals in the columns' own formats, the health and trend as
    counts in words, and how the percentages were summed."""
    cells = {column: _xlsx_value(value) for column, value in total.values.items()}
    cells["city"] = f"Total: {total.cities} {'city' if total.cities == 1 else 'cities'}"
    if total.followed is not None and total.followed != total.cities:
        cells["city"] = f"Total: {total.cities} of {total.followed} cities (filtered)"
    cells["name_only"] = f"{total.values['name_only']} in name only"
    figures = [cells.get(column) for column in COLUMNS[:-1]]
    return [
        *figures,
        None,
        total.health_text,
        TOTALS_NOTE,
        today,
        None,
        total.trend_text,
        None,
    ]


def as_xlsx(
    rows: list[PortfolioRow],
    today: datetime.date,
    followed: int | None = None,
    filtered_by: list[tuple[str, str]] = (),
) -> bytes:
    """`filtered_by`: the filters applied, in words, for the Read me sheet."""
    kept = (
        "Only the cities with "
        + ", ".join(f"{label.lower()} {choice}" for label, choice in filtered_by)
        + "."
        if filtered_by
        else "Every city you follow."
    )
    return exports.workbook_bytes(
        sheet_title="Portfolio",
        columns=export_columns(),
        rows=(
            [_xlsx_cell(row, column) for column in COLUMNS]
            + [*_words(row), today, *_trend_cells(row)]
            for row in rows
        ),
        title="Compact Tracker: portfolio overview",
        today=today,
        notes=(
            "One row per city in your scope (and the filters you chose). A city's figures take "
            "its live compacts (active or renewed) together; a city without one says why instead.",
            kept,
            "Percentages show whole; each cell holds the ratio to 3 places (rounded half up). "
            "n/a means there was nothing to count.",
            "The last row (bold) holds the totals. " + TOTALS_NOTE,
        ),
        totals=_xlsx_totals(totals(rows, followed), today),
    )

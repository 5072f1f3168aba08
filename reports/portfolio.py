"""The portfolio overview: one row per city, every metric, sortable, and its CSV and XLSX exports.

Page and exports read the same rows, so they cannot show different figures: a ratio is rounded
once (3 places, half up) and shown as a percentage with one decimal on the page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.figures import CityFigures, Ratio

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
}

# The page's numeric figure columns, between the compacts and "in name only".
FIGURE_COLUMNS = COLUMNS[3:9]

RATIO_COLUMNS = frozenset(
    ("commitment_completion", "milestone_on_time", "signatory_retention", "charter_participation")
)

_HEALTH_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class PortfolioRow:
    """One city's line: values keyed by column; None where the city has no live compact."""

    city: CityFigures
    values: dict

    @property
    def figure_cells(self) -> list[tuple[str, object, str]]:
        """(column, data value, shown text) of the figures from completion to participation:
        ratios export 3 places and show a percentage with one decimal."""
        cells = []
        for column in FIGURE_COLUMNS:
            value = self.values[column]
            if isinstance(value, Ratio):
                cells.append((column, value.export, value.percent_exact))
            else:
                cells.append((column, value, value))
        return cells

    def export_value(self, column: str) -> str:
        """The CSV cell: ratios with 3 decimals, booleans true/false, nothing as empty."""
        value = self.values[column]
        if isinstance(value, Ratio):
            return value.export
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    def xlsx_value(self, column: str):
        value = self.values[column]
        if isinstance(value, Ratio):
            rounded = value.rounded(3)
            return None if rounded is None else float(rounded)
        if isinstance(value, bool):
            return "true" if value else "false"
        return value


def portfolio_row(city: CityFigures) -> PortfolioRow:
    figures = city.figures
    values = {"city": city.name, "state": city.state, "compacts": len(city.compacts)}
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
    return PortfolioRow(city=city, values=values)


def _sort_key(column: str, value):
    if value is None:
        return None
    if isinstance(value, Ratio):
        return value.fraction
    if column == "health":
        return _HEALTH_ORDER[value]
    if isinstance(value, str):
        return value.casefold()
    return value


def applied_sort(sort: str) -> str:
    """The sort a request asks for, as `sort_rows` applies it: an unknown column sorts by city."""
    return sort if sort.removeprefix("-") in COLUMNS else "city"


def sort_rows(rows: list[PortfolioRow], sort: str) -> tuple[list[PortfolioRow], str]:
    """Rows sorted by a column ("-column" descending); n/a and empty values always last.

    An unknown column sorts by city; returns the sort actually applied.
    """
    column = sort.removeprefix("-")
    if column not in COLUMNS:
        return rows, "city"
    present, missing = [], []
    for row in rows:
        value = _sort_key(column, row.values[column])
        (missing if value is None else present).append((value, row))
    present.sort(key=lambda pair: pair[0], reverse=sort.startswith("-"))
    return [row for _value, row in present] + [row for _value, row in missing], sort


def as_csv(rows: list[PortfolioRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.export_value(column) for column in COLUMNS])
    return buffer.getvalue()


def as_xlsx(rows: list[PortfolioRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portfolio"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    ratio_columns = {index + 1 for index, column in enumerate(COLUMNS) if column in RATIO_COLUMNS}
    for row in rows:
        sheet.append([row.xlsx_value(column) for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if cell.column in ratio_columns:
                cell.number_format = "0.000"
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

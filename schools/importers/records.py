"""From a file's rows to clean records: one DistrictRecord or SchoolRecord per row to import.

Rows outside the --state / --city filter and non-charter school rows are counted, not checked:
the file is judged on the rows it would write. Every problem of a row is reported, each with
its row number, column, value and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice

from schools.importers import parsing
from schools.importers.layouts import (
    DISTRICTS,
    HEADER_SEARCH_ROWS,
    SCHOOLS,
    Detected,
    detect,
)
from schools.importers.parsing import BadValue, RowError

# A state's file has up to ~10,000 rows (Texas's CCD file 9,336); the commands take more.
DEFAULT_MAX_ROWS = 20_000


@dataclass(frozen=True)
class Filters:
    """Which rows to import: all, one state, or some cities given as (name, state)."""

    state: str | None = None
    cities: tuple[tuple[str, str], ...] = ()

    def keeps(self, city: str | None, state: str | None) -> bool:
        if self.state and state != self.state:
            return False
        if self.cities:
            key = ((city or "").casefold(), state)
            return key in {(name.casefold(), code) for name, code in self.cities}
        return True

    @property
    def active(self) -> bool:
        return bool(self.state or self.cities)


@dataclass
class DistrictRecord:
    row: int
    leaid: str
    name: str
    city: str
    state: str
    is_charter_lea: bool | None


@dataclass
class SchoolRecord:
    row: int
    nces_id: str
    leaid: str
    name: str
    city: str
    state: str
    is_open: bool | None
    grade_low: str | None
    grade_high: str | None
    enrollment: int | None


@dataclass
class ReadResult:
    """What a file holds: its layout, the records to import, and what was left out or wrong."""

    detected: Detected
    rows: int = 0
    records: list = field(default_factory=list)
    skipped: int = 0  # school rows that are not charter schools
    filtered: int = 0  # rows outside --state / --city
    errors: list[RowError] = field(default_factory=list)


class _Row:
    """One data row with its layout's columns, collecting errors instead of stopping at one."""

    def __init__(
        self, number: int, cells: list[str], header: list[str], detected: Detected, errors
    ):
        self.number = number
        self.cells = cells
        self.header_cells = header
        self.detected = detected
        self.errors = errors
        self.ok = True

    def raw(self, field_name: str) -> str:
        index = self.detected.columns.get(field_name)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def header(self, field_name: str) -> str:
        index = self.detected.columns.get(field_name)
        return "" if index is None else self.header_cells[index].replace("\ufeff", "").strip()

    def get(self, field_name: str, parser: Callable, *args):
        try:
            return parser(self.raw(field_name), *args)
        except BadValue as error:
            self.ok = False
            self.errors.append(
                RowError(self.number, self.header(field_name), self.raw(field_name), str(error))
            )
            return None


def read(
    data: bytes,
    kind: str,
    filters: Filters = Filters(),  # noqa: B008
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ReadResult:
    """Read a districts or schools file; raises LayoutError when it is in no known layout, and
    TooManyRows past `max_rows` rows (only the records to import are kept in memory)."""
    rows = parsing.read_rows(data, max_rows)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    detected = detect(head, kind)
    result = ReadResult(detected=detected)
    header = detected.header
    reader = _read_school if kind == SCHOOLS else _read_district
    for offset, cells in enumerate(chain(head[detected.header_row :], rows)):
        if not any(cell.strip() for cell in cells):
            continue
        result.rows += 1
        row = _Row(detected.header_row + offset + 1, cells, header, detected, result.errors)
        reader(row, filters, result)
    return result


def _location(row: _Row, filters: Filters, result: ReadResult) -> tuple[str, str] | None:
    """City and state, or None when the row is outside the filters (counted) or invalid."""
    if filters.active:
        try:
            state = parsing.parse_state(row.raw("state"))
            city = parsing.city_name(row.raw("city"))
        except BadValue:
            state = city = None
        if not filters.keeps(city, state):
            result.filtered += 1
            return None
    state = row.get("state", parsing.parse_state)
    city = row.get("city", parsing.city_name)
    return city, state


def _read_district(row: _Row, filters: Filters, result: ReadResult) -> None:
    location = _location(row, filters, result)
    if location is None:
        return
    city, state = location
    fipst = parsing.parse_fipst(row.raw("fipst"), state)
    leaid = row.get("leaid", parsing.parse_leaid, fipst)
    name = row.get("name", parsing.parse_text, 200, "district name")
    is_charter_lea = row.get("type", parsing.parse_charter_agency)
    if row.ok:
        result.records.append(DistrictRecord(row.number, leaid, name, city, state, is_charter_lea))


def _read_school(row: _Row, filters: Filters, result: ReadResult) -> None:
    is_charter = row.get("charter", parsing.parse_charter)
    if not row.ok:
        return
    if not is_charter:
        result.skipped += 1
        return
    location = _location(row, filters, result)
    if location is None:
        return
    city, state = location
    fipst = parsing.parse_fipst(row.raw("fipst"), state)
    leaid = row.get("leaid", parsing.parse_leaid, fipst)
    nces_id = row.get("nces_id", parsing.parse_school_id, leaid, fipst)
    name = row.get("name", parsing.parse_text, 200, "school name")
    is_open = row.get("status", parsing.parse_open)
    grade_low = row.get("grade_low", parsing.parse_grade)
    grade_high = row.get("grade_high", parsing.parse_grade)
    enrollment = row.get("enrollment", parsing.parse_count)
    if row.ok and grade_low and grade_high and "UG" not in (grade_low, grade_high):
        order = parsing.GRADE_CODES
        if order.index(grade_low) > order.index(grade_high):
            row.get("grade_high", _refuse, "The highest grade is below the lowest grade.")
    if row.ok:
        result.records.append(
            SchoolRecord(
                row.number,
                nces_id,
                leaid,
                name,
                city,
                state,
                is_open,
                grade_low,
                grade_high,
                enrollment,
            )
        )


def _refuse(value: str, reason: str):
    raise BadValue(reason)


__all__ = ["DISTRICTS", "SCHOOLS", "DistrictRecord", "Filters", "SchoolRecord", "read"]

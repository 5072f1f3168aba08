"""Exports a funder can hand on unedited: CSV that Excel opens as UTF-8, and workbooks with a
frozen header, an autofilter, sensible column widths, percentages as percentages and a "Read me"
sheet that says what every column means and what day the figures are of.

Each export keeps its machine codes (scripts read them) and puts the words a person reads next to
them, so a CSV column never changes meaning.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.formats import date_text

# A cell starting with one of these is a formula to Excel (and to openpyxl): a city named
# "=HYPERLINK(...)" must stay text in every export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Where a spreadsheet may start a new cell inside one CSV field: Excel in a locale whose list
# separator is ";" splits "a;=1+1" into "a" and a formula; "," and tab split elsewhere (other
# programs, or a CSV "opened" by pasting it), and a line break starts a new row in some readers.
# Spaces before the formula start do not stop it, and the field's start counts when spaces
# precede it. All four starts count, "-" before a digit too: "-1+1+cmd|' /C calc'!A0" is one.
_FORMULA_AFTER_SEPARATOR = re.compile(r"(^|[;,\t\r\n])(?=[ \t]*[=+\-@])")

# Put first in every CSV: without it Excel reads UTF-8 as the local code page ("NuÃ±ez").
BYTE_ORDER_MARK = "\ufeff"

# Whole percentages, as every page shows them; the cell keeps the exact value.
PERCENT = "0%"
INTEGER = "0"
DATE = "d mmm yyyy"
README_SHEET = "Read me"


def cell_text(value: str) -> str:
    """Text that spreadsheet programs show as text, never run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_text(value: str) -> str:
    """Text for a CSV field, which a spreadsheet program may split at a separator it contains:
    the first-character rule of cell_text, and the same apostrophe right after every separator
    that a formula start follows (spaces between or not), so no piece is a formula either."""
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", cell_text(value))


def _safe(value):
    return cell_text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Column:
    """One exported column: its code (the CSV header, stable for scripts), the label people read
    (the workbook header), what it means, and how the workbook shows it."""

    code: str
    label: str
    meaning: str
    width: int = 14
    number_format: str | None = None


def as_of_line(today: datetime.date) -> str:
    return f"As of {date_text(today)}: every figure is computed from the records of that day."


def _csv_safe(value):
    return csv_text(value) if isinstance(value, str) else value


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel does not read "Nuñez" as "NuÃ±ez"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.code for column in columns])
    for row in rows:
        writer.writerow(["" if value is None else _csv_safe(value) for value in row])
    return (BYTE_ORDER_MARK + buffer.getvalue()).encode("utf-8")


def workbook_bytes(
    *,
    sheet_title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    title: str,
    today: datetime.date,
    notes: Sequence[str] = (),
    totals: Sequence | None = None,
) -> bytes:
    """The data sheet (first, the one that opens) and the "Read me" sheet explaining it; a
    `totals` row goes last, in bold and outside the autofilter (sorting must not move it)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([column.label for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        _append(sheet, row, columns)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last = f"{get_column_letter(len(columns))}{sheet.max_row}"
    sheet.auto_filter.ref = f"A1:{last}"
    if totals is not None:
        _append(sheet, totals, columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    _readme(workbook, title=title, today=today, columns=columns, notes=notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append(sheet, row: Sequence, columns: Sequence[Column]) -> None:
    sheet.append([_safe(value) for value in row])
    for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
        if column.number_format and cell.value is not None and not isinstance(cell.value, str):
            cell.number_format = column.number_format


def _readme(workbook, *, title: str, today: datetime.date, columns, notes) -> None:
    readme = workbook.create_sheet(README_SHEET)
    readme.append([title])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append([as_of_line(today)])
    for note in notes:
        readme.append([note])
    readme.append([])
    readme.append(["Column", "Code in the CSV export", "What it means"])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        readme.append([column.label, column.code, column.meaning])
        readme.cell(readme.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    readme.column_dimensions["A"].width = 34
    readme.column_dimensions["B"].width = 34
    readme.column_dimensions["C"].width = 90

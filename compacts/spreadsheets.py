"""Commitments and milestones as a spreadsheet: export to XLSX, edit, import back.

The workbook has a Commitments and a Milestones sheet, one record per row with its ID, a Lists
sheet holding the codes the choice columns accept (their cells offer them as drop-down lists)
and a Read me sheet. Importing matches rows by ID, so nothing is duplicated: a row without an ID
is a new record; a row whose values equal the stored record is left alone (no history row); a
row that is not in the file is not deleted.

Bounded: a file past the limits of compacts.workbook_guard (size, unpacked size, rows, cells)
is refused before it is parsed; 20,000 rows preview and save in a few seconds.

All or nothing: every row is checked first (the same full_clean() as the forms, the user's
editable scope, the version each row was exported at, which a changed row must carry), and
every problem is reported with its sheet, row, column, value and reason; only a clean workbook
is written, in one transaction, in bulk with history by the acting user
(compacts.spreadsheet_writer).
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from compacts import services
from compacts.choices import Category, CommitmentStatus, MilestoneStatus, ResponsibleParty
from compacts.models import Commitment, Compact, Milestone
from compacts.spreadsheet_writer import write_plan
from compacts.workbook_guard import NOT_A_WORKBOOK, WorkbookError, check_workbook, limit
from core.concurrency import StaleVersion, is_current, version_token
from core.ids import MAX_ID, parse_id
from schools.importers.parsing import RowError

COMMITMENTS = "Commitments"
MILESTONES = "Milestones"
LISTS = "Lists"
README = "Read me"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
VALIDATED_ROWS = 2000

TEXT, DATE, CHOICE, ID, INFO = "text", "date", "choice", "id", "info"


@dataclass(frozen=True)
class Column:
    """A column of a sheet. `kind` says how its cells are read; INFO columns are written for
    the reader and ignored on import; `choices` lists the codes of a CHOICE column."""

    name: str
    kind: str
    width: int = 14
    choices: type | None = None
    max_length: int | None = None


COMMITMENT_COLUMNS = (
    Column("id", ID, 8),
    Column("compact_id", ID, 11),
    Column("compact", INFO, 30),
    Column("category", CHOICE, 10, choices=Category),
    Column("title", TEXT, 40, max_length=300),
    Column("description", TEXT, 40),
    Column("responsible_party", CHOICE, 18, choices=ResponsibleParty),
    Column("target_on", DATE, 12),
    Column("status", CHOICE, 13, choices=CommitmentStatus),
    Column("achieved_on", DATE, 12),
    Column("version", INFO, 30),
)
MILESTONE_COLUMNS = (
    Column("id", ID, 8),
    Column("commitment_id", ID, 13),
    Column("commitment", INFO, 30),
    Column("title", TEXT, 40, max_length=300),
    Column("due_on", DATE, 12),
    Column("status", CHOICE, 13, choices=MilestoneStatus),
    Column("completed_on", DATE, 12),
    Column("evidence_url", TEXT, 30, max_length=500),
    Column("notes", TEXT, 40),
    Column("version", INFO, 30),
)
SHEET_COLUMNS = {COMMITMENTS: COMMITMENT_COLUMNS, MILESTONES: MILESTONE_COLUMNS}
# The fields a row may change: the services' own list (what a record belongs to is fixed at
# creation); opt-in participants are not in the spreadsheet.
COMMITMENT_FIELDS = tuple(name for name in services.COMMITMENT_FIELDS if name != "participants")
MILESTONE_FIELDS = services.MILESTONE_FIELDS
DEFAULTS = {
    COMMITMENTS: {
        "responsible_party": ResponsibleParty.SHARED,
        "status": CommitmentStatus.NOT_STARTED,
    },
    MILESTONES: {"status": MilestoneStatus.PLANNED},
}
REQUIRED_COLUMNS = {COMMITMENTS: ("id", "title"), MILESTONES: ("id", "title")}

README_LINES = (
    "Commitments and milestones of the compacts in this workbook.",
    "",
    "Edit the Commitments and Milestones sheets, then import the workbook back:",
    "- Keep each row's id: the import matches rows to records by id, so nothing is duplicated.",
    "- Add a row with an empty id to create a record. A new commitment needs its compact_id "
    "(when the workbook has several compacts); a new milestone needs its commitment_id, or "
    "the exact title of a commitment of the Commitments sheet in the commitment column.",
    "- Removing a row does not delete its record: delete records in the application.",
    "- Codes: the category, responsible_party and status columns take the codes of the Lists "
    "sheet (their labels are accepted too).",
    "- Dates as YYYY-MM-DD.",
    "- Leave the version column alone: it tells the import whether someone else changed a "
    "record since this workbook was exported.",
    "- A workbook with any invalid row writes nothing; the report lists every problem.",
)


# --- export ---


def _cell_text(value: str) -> str:
    # A title like "=HYPERLINK(...)" or "-1 day" stays text.
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def export_workbook(compacts: QuerySet[Compact]) -> bytes:
    """The XLSX workbook of the commitments and milestones of `compacts` (three queries)."""
    commitments = list(
        Commitment.objects.filter(compact__in=compacts)
        .select_related("compact__city")
        .order_by("compact__city__name", "compact_id", "category", "title", "id")
    )
    milestones = list(
        Milestone.objects.filter(commitment__compact__in=compacts)
        .select_related("commitment")
        .order_by("commitment__compact_id", "commitment_id", "due_on", "id")
    )
    workbook = Workbook()
    readme = workbook.active
    readme.title = README
    for line in README_LINES:
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    lists = _lists_sheet(workbook)
    _data_sheet(
        workbook,
        COMMITMENTS,
        [
            {
                "id": c.pk,
                "compact_id": c.compact_id,
                "compact": str(c.compact),
                "category": c.category,
                "title": c.title,
                "description": c.description,
                "responsible_party": c.responsible_party,
                "target_on": c.target_on,
                "status": c.status,
                "achieved_on": c.achieved_on,
                "version": version_token(c),
            }
            for c in commitments
        ],
        lists,
    )
    _data_sheet(
        workbook,
        MILESTONES,
        [
            {
                "id": m.pk,
                "commitment_id": m.commitment_id,
                "commitment": m.commitment.title,
                "title": m.title,
                "due_on": m.due_on,
                "status": m.status,
                "completed_on": m.completed_on,
                "evidence_url": m.evidence_url,
                "notes": m.notes,
                "version": version_token(m),
            }
            for m in milestones
        ],
        lists,
    )
    workbook.active = workbook.sheetnames.index(COMMITMENTS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _lists_sheet(workbook) -> dict[type, str]:
    """Codes and labels of every choice, two columns each; returns each list's cell range."""
    sheet = workbook.create_sheet(LISTS)
    ranges = {}
    for index, choices in enumerate(
        (Category, ResponsibleParty, CommitmentStatus, MilestoneStatus)
    ):
        code_column = get_column_letter(index * 3 + 1)
        label_column = get_column_letter(index * 3 + 2)
        sheet[f"{code_column}1"] = choices.__name__
        sheet[f"{label_column}1"] = "label"
        sheet[f"{code_column}1"].font = sheet[f"{label_column}1"].font = Font(bold=True)
        for row, (code, label) in enumerate(choices.choices, start=2):
            sheet[f"{code_column}{row}"] = code
            sheet[f"{label_column}{row}"] = label
        sheet.column_dimensions[code_column].width = 20
        sheet.column_dimensions[label_column].width = 44
        last = len(choices.choices) + 1
        ranges[choices] = f"{LISTS}!${code_column}$2:${code_column}${last}"
    return ranges


def _data_sheet(workbook, title: str, rows: list[dict], lists: dict[type, str]) -> None:
    sheet = workbook.create_sheet(title)
    columns = SHEET_COLUMNS[title]
    sheet.append([column.name for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for row in rows:
        values = []
        for column in columns:
            value = row[column.name]
            values.append(_cell_text(value) if isinstance(value, str) else value)
        sheet.append(values)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == DATE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if column.choices is not None:
            validation = DataValidation(
                type="list",
                formula1=f"={lists[column.choices]}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"Not a {column.name} code",
                error=f"Choose one of the codes of the Lists sheet ({column.choices.__name__}).",
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)


# --- import: reading cells ---


class BadCell(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    text = str(value).strip()
    # The apostrophe the export put before text that looks like a formula.
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def _id(value) -> int | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise BadCell("An ID is a whole number.")
    if isinstance(value, int | float) and float(value).is_integer() and 0 < value <= MAX_ID:
        return int(value)
    number = parse_id(_text(value))
    if number is not None:
        return number
    raise BadCell(
        "An ID is a whole number: keep the exported one, or leave it empty for a new row."
    )


def _date(value) -> datetime.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise BadCell("Not a date: write it as YYYY-MM-DD.")


@functools.cache
def _codes(choices) -> dict[str, str]:
    """Code of each casefolded code and label of a choices class (a label never hides a code)."""
    by_label = {str(label).casefold(): code for code, label in choices.choices}
    return {**by_label, **{code.casefold(): code for code in choices.values}}


def _choice(value, choices) -> str | None:
    text = _text(value)
    if not text:
        return None
    code = _codes(choices).get(re.sub(r"\s+", " ", text).casefold())
    if code is not None:
        return code
    raise BadCell("Not one of the codes of the Lists sheet: " + ", ".join(choices.values) + ".")


# --- import: planning ---


@dataclass
class RowPlan:
    """One row that creates or changes a record."""

    sheet: str
    row: int
    label: str
    values: dict
    instance: object | None = None  # the stored record, for an update
    diffs: list[tuple[str, str, str]] = field(default_factory=list)
    version: str | None = None
    compact: Compact | None = None  # new commitments
    commitment: Commitment | None = None  # new milestones of an existing commitment
    commitment_row: int | None = None  # new milestones of a new commitment (its row)


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class WorkbookPlan:
    commitments: list[RowPlan] = field(default_factory=list)
    milestones: list[RowPlan] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=lambda: {COMMITMENTS: 0, MILESTONES: 0})
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({(error.source, error.row) for error in self.errors})

    def counts(self) -> dict[str, SheetCounts]:
        result = {}
        for sheet, rows in ((COMMITMENTS, self.commitments), (MILESTONES, self.milestones)):
            created = sum(1 for row in rows if row.instance is None)
            result[sheet] = SheetCounts(created, len(rows) - created, self.unchanged[sheet])
        return result

    def summary(self, *, dry_run: bool = False) -> str:
        verb = "would be " if dry_run else ""
        return " ".join(
            f"{sheet}: {counts.created} {verb}created, {counts.updated} {verb}updated, "
            f"{counts.unchanged} unchanged."
            for sheet, counts in self.counts().items()
        )

    def error_report(self) -> str:
        return "\n".join(
            [
                f"{self.bad_rows} invalid row(s); nothing was written.",
                *(f"  {error}" for error in self.errors),
            ]
        )


def _read_sheets(data: bytes) -> dict[str, list[tuple[int, dict]]]:
    """Each known sheet's rows as (row number, {column: raw value}); refuses other files, and
    files past the limits of compacts.workbook_guard before parsing them."""
    check_workbook(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookError(NOT_A_WORKBOOK) from error
    sheets = {}
    try:
        for title, columns in SHEET_COLUMNS.items():
            if title not in workbook.sheetnames:
                continue
            sheet = workbook[title]
            # Read the rows that are there, whatever size the sheet declares.
            sheet.reset_dimensions()
            rows = _bounded(sheet.iter_rows(values_only=True), title)
            header = [_text(value).lower() for value in next(rows, ())]
            known = {column.name for column in columns}
            missing = [name for name in REQUIRED_COLUMNS[title] if name not in header]
            if title == MILESTONES and not {"commitment_id", "commitment"} & set(header):
                missing.append("commitment_id")
            if missing:
                raise WorkbookError(
                    f"The {title} sheet lacks the column(s) {', '.join(missing)}. Its columns "
                    f"are: {', '.join(column.name for column in columns)}."
                )
            positions = {name: index for index, name in enumerate(header) if name in known}
            sheets[title] = [
                (
                    number,
                    {name: cells[index] for name, index in positions.items() if index < len(cells)},
                )
                for number, cells in enumerate(rows, start=2)
                if any(_text(cell) for cell in cells)
            ]
    finally:
        workbook.close()
    if not sheets:
        raise WorkbookError(
            f"The workbook has neither a {COMMITMENTS} nor a {MILESTONES} sheet: export the "
            "compact's spreadsheet and edit that one."
        )
    return sheets


def _bounded(rows, title: str):
    """The rows of a sheet, stopping past the row limit (empty rows count: openpyxl yields one
    for every row number a sheet skips)."""
    most = limit("SPREADSHEET_MAX_ROWS") + 1  # and the header
    for number, cells in enumerate(rows, start=1):
        if number > most:
            raise WorkbookError(
                f"The {title} sheet has more than {most - 1:,} rows; at most {most - 1:,} per "
                "upload."
            )
        yield cells


def plan_workbook(data: bytes, *, compacts: QuerySet[Compact]) -> WorkbookPlan:
    """Check a workbook against the records of `compacts` (the user's editable scope, or one
    compact); raises WorkbookError for a file that is not such a workbook.

    Reads the database a fixed number of times for the lookups (the compacts, the stored
    commitments and milestones named by ID), plus full_clean()'s checks of each changed row.
    """
    sheets = _read_sheets(data)
    plan = WorkbookPlan()
    allowed = {compact.pk: compact for compact in compacts.select_related("city")}
    commitment_rows = [
        _Row(plan, COMMITMENTS, n, cells) for n, cells in sheets.get(COMMITMENTS, [])
    ]
    milestone_rows = [_Row(plan, MILESTONES, n, cells) for n, cells in sheets.get(MILESTONES, [])]
    commitment_ids = {row.safe_id("id") for row in commitment_rows}
    commitment_ids |= {row.safe_id("commitment_id") for row in milestone_rows}
    stored_commitments = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in=commitment_ids - {None}).select_related("compact")
        if c.compact_id in allowed
    }
    # Scope checked here rather than in the WHERE clause: SQLite plans a join filtered by
    # thousands of IDs as a nested loop (11 s for 10,000 milestones, against 0.2 s).
    stored_milestones = {
        m.pk: m
        for m in Milestone.objects.filter(
            pk__in={row.safe_id("id") for row in milestone_rows} - {None}
        ).select_related("commitment__compact")
        if m.commitment.compact_id in allowed
    }
    # Milestones may name their commitment by title: every title of the Commitments sheet.
    titles: dict[str, list[tuple[int, Commitment | None]]] = {}
    seen: dict[int, int] = {}
    for row in commitment_rows:
        row_plan = _plan_commitment(row, allowed, stored_commitments, seen)
        key = _text(row.cells.get("title")).casefold()
        if key:
            titles.setdefault(key, []).append(
                (row.number, stored_commitments.get(row.safe_id("id")))
            )
        if row_plan is not None:
            plan.commitments.append(row_plan)
    new_rows = {row.row for row in plan.commitments if row.instance is None}
    seen = {}
    for row in milestone_rows:
        row_plan = _plan_milestone(
            row, stored_commitments, stored_milestones, titles, new_rows, seen
        )
        if row_plan is not None:
            plan.milestones.append(row_plan)
    plan.errors.sort(key=lambda error: (error.source != COMMITMENTS, error.row))
    return plan


# What a row of each sheet is, and what it belongs to.
NOUNS = {COMMITMENTS: ("commitment", "compact"), MILESTONES: ("milestone", "commitment")}


@dataclass
class _Row:
    """One data row of a sheet, and where its problems are reported."""

    plan: WorkbookPlan
    sheet: str
    number: int
    cells: dict

    def error(self, column: str, reason: str) -> None:
        value = _text(self.cells.get(column))
        self.plan.errors.append(RowError(self.number, column, value, reason, self.sheet))

    def safe_id(self, column: str) -> int | None:
        try:
            return _id(self.cells.get(column))
        except BadCell:
            return None

    def read_id(self, column: str) -> int | None | bool:
        """The ID in `column` (None when empty), or False when the cell is not an ID."""
        try:
            return _id(self.cells.get(column))
        except BadCell as error:
            self.error(column, str(error))
            return False


def _read_values(row: _Row) -> dict | None:
    """The row's editable values, by column present in the sheet; None when a cell is bad."""
    values = {}
    ok = True
    for column in SHEET_COLUMNS[row.sheet]:
        if column.kind in (ID, INFO) or column.name not in row.cells:
            continue
        raw = row.cells[column.name]
        try:
            if column.kind == TEXT:
                value = _text(raw)
                if column.max_length and len(value) > column.max_length:
                    raise BadCell(f"At most {column.max_length} characters.")
            elif column.kind == DATE:
                value = _date(raw)
            else:
                value = _choice(raw, column.choices)
        except BadCell as error:
            row.error(column.name, str(error))
            ok = False
            continue
        values[column.name] = value
    return values if ok else None


def _begin(row: _Row, seen: dict[int, int]):
    """(record ID or None, values, parent ID or None), or None when the row is already bad."""
    parent = NOUNS[row.sheet][1]
    record_id = row.read_id("id")
    if record_id and record_id in seen:
        row.error("id", f"The same ID is on row {seen[record_id]}.")
        record_id = False
    elif record_id:
        seen[record_id] = row.number
    values = _read_values(row)
    parent_id = row.read_id(f"{parent}_id")
    if record_id is False or values is None or parent_id is False:
        return None
    return record_id, values, parent_id


def _plan_existing(row: _Row, stored: dict, ids: tuple, values: dict, fields) -> RowPlan | None:
    record_id, parent_id = ids
    noun, parent = NOUNS[row.sheet]
    instance = stored.get(record_id)
    if instance is None:
        row.error("id", f"No {noun} with this ID in the compacts you may edit here.")
        return None
    if parent_id is not None and parent_id != getattr(instance, f"{parent}_id"):
        row.error(
            f"{parent}_id",
            f"A {noun} cannot move to another {parent}: add it there as a new row.",
        )
        return None
    return _plan_update(row, instance, values, fields)


def _new_values(row: _Row, values: dict) -> dict:
    return {**DEFAULTS[row.sheet], **{k: v for k, v in values.items() if v is not None}}


def _plan_commitment(row: _Row, allowed, stored, seen) -> RowPlan | None:
    begun = _begin(row, seen)
    if begun is None:
        return None
    record_id, values, compact_id = begun
    if record_id is not None:
        return _plan_existing(row, stored, (record_id, compact_id), values, COMMITMENT_FIELDS)
    if compact_id is None and len(allowed) == 1:
        compact_id = next(iter(allowed))
    if compact_id not in allowed:
        row.error(
            "compact_id",
            "Give the compact_id of the compact this new commitment belongs to."
            if compact_id is None
            else "Not a compact you may edit here.",
        )
        return None
    values = _new_values(row, values)
    candidate = Commitment(compact=allowed[compact_id], **values)
    if not _full_clean(row, candidate):
        return None
    return RowPlan(
        COMMITMENTS, row.number, values.get("title", ""), values, compact=candidate.compact
    )


def _plan_milestone(row: _Row, commitments, stored, titles, new_rows, seen) -> RowPlan | None:
    begun = _begin(row, seen)
    if begun is None:
        return None
    record_id, values, commitment_id = begun
    if record_id is not None:
        return _plan_existing(row, stored, (record_id, commitment_id), values, MILESTONE_FIELDS)
    values = _new_values(row, values)
    row_plan = RowPlan(MILESTONES, row.number, values.get("title", ""), values)
    if commitment_id is not None:
        row_plan.commitment = commitments.get(commitment_id)
        if row_plan.commitment is None:
            row.error(
                "commitment_id", "No commitment with this ID in the compacts you may edit here."
            )
            return None
    else:
        matches = titles.get(_text(row.cells.get("commitment")).casefold(), [])
        if len(matches) != 1:
            row.error(
                "commitment",
                "Several commitments have this title: give the commitment_id."
                if matches
                else "Give the commitment_id, or the exact title of a commitment of the "
                "Commitments sheet.",
            )
            return None
        commitment_row, existing = matches[0]
        if existing is not None:
            row_plan.commitment = existing
        elif commitment_row in new_rows:
            row_plan.commitment_row = commitment_row
        else:
            return None  # that commitment row is itself invalid and already reported
    candidate = Milestone(commitment=row_plan.commitment, **values)
    # A milestone of a commitment created by the same workbook has no commitment_id yet.
    exclude = ["commitment"] if row_plan.commitment is None else []
    if not _full_clean(row, candidate, exclude):
        return None
    return row_plan


def _plan_update(row: _Row, instance, values: dict, fields) -> RowPlan | None:
    """An update when the row differs from the stored record; unchanged rows cost nothing."""
    values = {
        name: value
        for name, value in values.items()
        if name in fields and not (value is None and name in DEFAULTS[row.sheet])
    }
    diffs = [
        (name, _show(getattr(instance, name)), _show(value))
        for name, value in values.items()
        if getattr(instance, name) != value
    ]
    if not diffs:
        row.plan.unchanged[row.sheet] += 1
        return None
    version = _text(row.cells.get("version"))
    if not version:
        # Without it the row would overwrite whatever changed since the export, unseen.
        row.error(
            "version",
            "A row with an ID must keep the version the export wrote: export the spreadsheet "
            "again and redo this row.",
        )
        return None
    if not is_current(instance, version):
        stale = StaleVersion.for_record(instance)
        who = f" by {stale.changed_by}" if stale.changed_by else ""
        when = (
            f" on {timezone.localtime(stale.changed_at):%Y-%m-%d %H:%M}" if stale.changed_at else ""
        )
        row.error(
            "version",
            f"Changed{who}{when} since this spreadsheet was exported: export it again and redo "
            "this row.",
        )
        return None
    candidate = _copy(instance)
    for name, value in values.items():
        setattr(candidate, name, value)
    if not _full_clean(row, candidate):
        return None
    changed = {name: values[name] for name, _, _ in diffs}
    return RowPlan(row.sheet, row.number, candidate.title, changed, instance, diffs, version)


def _copy(instance):
    """A detached copy to validate the edited values on, leaving the stored record as read."""
    copy = type(instance)()
    copy.__dict__.update({k: v for k, v in instance.__dict__.items() if k != "_state"})
    copy._state.adding = False
    copy._state.db = instance._state.db
    copy._state.fields_cache = dict(instance._state.fields_cache)
    return copy


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# What a row belongs to was checked against the user's scope when it was looked up.
PARENTS = {Commitment: "compact", Milestone: "commitment"}


def _full_clean(row: _Row, candidate, exclude=None) -> bool:
    """full_clean() without its per-row queries: the parent's existence (looked up in bulk) and
    the check constraints, evaluated in Python when they are plain comparisons."""
    exclude = {*(exclude or ()), PARENTS[type(candidate)]}
    errors = {}
    try:
        candidate.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    # As full_clean() does: a constraint on a field already in error is not checked.
    exclude |= set(errors) - {NON_FIELD_ERRORS}
    try:
        _check_constraints(candidate, exclude)
    except ValidationError as error:
        errors = {**errors, NON_FIELD_ERRORS: [*errors.get(NON_FIELD_ERRORS, []), *error.messages]}
    for name, messages in errors.items():
        for message in messages:
            row.error("(row)" if name == NON_FIELD_ERRORS else name, message)
    return not errors


def _check_constraints(candidate, exclude: set[str]) -> None:
    for constraint in candidate._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if isinstance(condition, Q) and not exclude & _fields(condition):
            holds = _holds(condition, candidate)
            if holds is False:
                raise ValidationError(constraint.get_violation_error_message())
            if holds:
                continue
        constraint.validate(type(candidate), candidate, exclude=exclude)


def _fields(condition: Q) -> set[str]:
    return {
        *(name for child in condition.children if isinstance(child, Q) for name in _fields(child)),
        *(child[0].split("__")[0] for child in condition.children if not isinstance(child, Q)),
    }


PLAIN = (str, int, bool, datetime.date, type(None))


def _holds(condition: Q, instance) -> bool | None:
    """Whether `instance` meets a Q of exact and isnull lookups on its own fields; None when
    the Q uses anything else (the database must judge it)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = _holds(child, instance)
        else:
            lookup, expected = child
            name, _, operator = lookup.partition("__")
            if operator not in ("", "exact", "isnull") or not isinstance(expected, PLAIN):
                return None
            try:
                value = getattr(instance, instance._meta.get_field(name).attname)
            except (LookupError, AttributeError, FieldDoesNotExist):
                return None
            result = (value is None) == expected if operator == "isnull" else value == expected
        if result is None:
            return None
        results.append(result)
    result = all(results) if condition.connector == Q.AND else any(results)
    return not result if condition.negated else result


# --- import: writing ---


def apply_workbook(plan: WorkbookPlan, *, actor) -> None:
    """Write a clean plan in one transaction (all or nothing), in bulk with history
    (compacts.spreadsheet_writer); raises WorkbookStale when a row changed since its export."""
    if not plan.ok:
        raise ValueError("A workbook with errors is never written.")
    write_plan(plan.commitments, plan.milestones, actor=actor)

"""What an uploaded workbook may cost, checked before openpyxl parses any of it.

An XLSX file is a zip of XML parts. A 1 MB upload can unpack to gigabytes (a decompression
bomb), and openpyxl, even in read-only mode, reads a whole sheet to find its size when the
sheet does not declare one, and a whole row before yielding it. So, before parsing:
- the zip directory's declared sizes are added up (zipfile never inflates a part past its
  declared size, so the declaration is a real bound);
- every XML part is streamed through expat, counting rows and cells without building anything,
  and the scan stops as soon as a limit is passed;
- a DOCTYPE, which no workbook part has, is refused (entity expansion).

The limits are settings with the defaults below (SPREADSHEET_MAX_UPLOAD_BYTES, ...).
"""

from __future__ import annotations

import io
import re
import zipfile
from pyexpat import ExpatError, ParserCreate

from django.conf import settings

from core.uploads import megabytes

DEFAULT_LIMITS = {
    "SPREADSHEET_MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "SPREADSHEET_MAX_UNCOMPRESSED_BYTES": 64 * 1024 * 1024,
    # Data rows of the Commitments and Milestones sheets together.
    "SPREADSHEET_MAX_ROWS": 20_000,
    # Cells of every sheet together; the export writes 10 or 11 per row.
    "SPREADSHEET_MAX_CELLS": 500_000,
    "SPREADSHEET_MAX_CELLS_PER_ROW": 1_000,
}
DATA_SHEETS = ("Commitments", "Milestones")
NOT_A_WORKBOOK = (
    "This is not an XLSX workbook: export the compact's spreadsheet, edit it and upload it as "
    ".xlsx."
)
CHUNK = 64 * 1024
# Where the sheets' names and parts are listed.
WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


class WorkbookError(ValueError):
    """The file is not a workbook the import reads; the message says what it expects."""


def limit(name: str) -> int:
    return getattr(settings, name, DEFAULT_LIMITS[name])


def check_workbook(data: bytes) -> None:
    """Refuse, before parsing, a workbook larger than the limits; raises WorkbookError."""
    max_upload = limit("SPREADSHEET_MAX_UPLOAD_BYTES")
    if len(data) > max_upload:
        raise WorkbookError(
            f"The file is {megabytes(len(data))}; at most {megabytes(max_upload)} per upload."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise WorkbookError(NOT_A_WORKBOOK) from error
    with archive:
        declared = sum(info.file_size for info in archive.infolist())
        max_unpacked = limit("SPREADSHEET_MAX_UNCOMPRESSED_BYTES")
        if declared > max_unpacked:
            raise WorkbookError(
                f"The workbook unpacks to {megabytes(declared)}; at most "
                f"{megabytes(max_unpacked)} per upload. Upload the compact's own spreadsheet, "
                "or split the rows over several uploads."
            )
        try:
            _Scan(archive).run()
        except (zipfile.BadZipFile, ExpatError, EOFError, OSError, ValueError) as error:
            if isinstance(error, WorkbookError):
                raise
            raise WorkbookError(NOT_A_WORKBOOK) from error


class _Scan:
    """One pass over the XML parts: sheet names first, then rows and cells of every sheet."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.max_rows = limit("SPREADSHEET_MAX_ROWS")
        self.max_cells = limit("SPREADSHEET_MAX_CELLS")
        self.max_row_cells = limit("SPREADSHEET_MAX_CELLS_PER_ROW")
        self.sheet_ids: dict[str, str] = {}  # relationship id -> sheet name
        self.targets: dict[str, str] = {}  # relationship id -> part name
        self.cells = 0
        self.data_rows = 0  # of the data sheets scanned so far
        self.strings = 0

    def run(self) -> None:
        names = set(self.archive.namelist())
        first = [name for name in WORKBOOK_PARTS if name in names]
        for name in first:
            self._parse(name, self._workbook_start)
        sheets = {
            _part(target): self.sheet_ids[rid]
            for rid, target in self.targets.items()
            if rid in self.sheet_ids
        }
        for info in self.archive.infolist():
            name = info.filename
            if name in first or not name.endswith((".xml", ".rels", ".vml")):
                continue
            if name in sheets or name.startswith("xl/worksheets/"):
                sheet = _Sheet(self, sheets.get(name, name.rpartition("/")[2]))
                self._parse(name, sheet.start)
                sheet.done()
            elif name == "xl/sharedStrings.xml":
                self._parse(name, self._strings_start)
            else:
                self._parse(name, None)

    def _parse(self, name: str, handler) -> None:
        parser = ParserCreate()
        parser.StartDoctypeDeclHandler = _refuse_doctype
        if handler is not None:
            parser.StartElementHandler = handler
        with self.archive.open(name) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _workbook_start(self, name: str, attrs: dict) -> None:
        tag = _local(name)
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            if rid:
                self.sheet_ids[rid] = attrs.get("name", "")
        elif tag == "Relationship" and attrs.get("Id") and attrs.get("Target"):
            self.targets[attrs["Id"]] = attrs["Target"]

    def _strings_start(self, name: str, attrs: dict) -> None:
        if _local(name) == "si":
            self.strings += 1
            if self.strings > self.max_cells:
                raise WorkbookError(
                    f"The workbook holds more than {self.max_cells:,} texts; at most "
                    f"{self.max_cells:,} cells per upload."
                )


class _Sheet:
    """Counts of one worksheet part while it streams by."""

    def __init__(self, scan: _Scan, title: str):
        self.scan = scan
        self.title = title
        self.is_data = title in DATA_SHEETS
        self.last_row = 0
        self.declared_rows = 0
        self.row_cells = 0

    def start(self, name: str, attrs: dict) -> None:
        tag = _local(name)
        if tag == "c":
            self._cell()
        elif tag == "row":
            number = attrs.get("r", "")
            self.last_row = int(number) if number.isdigit() else self.last_row + 1
            self.row_cells = 0
            if self.last_row - 1 > self.scan.max_rows:
                self._too_many_rows()
        elif tag == "dimension":
            match = re.search(r"(\d+)$", attrs.get("ref", ""))
            self.declared_rows = int(match.group(1)) - 1 if match else 0

    def _cell(self) -> None:
        scan = self.scan
        self.row_cells += 1
        scan.cells += 1
        if self.row_cells > scan.max_row_cells:
            raise WorkbookError(
                f"Row {self.last_row} of the {self.title} sheet has more than "
                f"{scan.max_row_cells:,} cells; at most {scan.max_row_cells:,} per row."
            )
        if scan.cells > scan.max_cells:
            raise WorkbookError(
                f"The workbook has more than {scan.max_cells:,} cells; at most "
                f"{scan.max_cells:,} per upload."
            )

    def _too_many_rows(self) -> None:
        # The scan stops here: the exact count is known only when the sheet declares it.
        if self.declared_rows > self.scan.max_rows:
            count = f"{self.declared_rows:,}"
        else:
            count = f"more than {self.scan.max_rows:,}"
        raise WorkbookError(
            f"The {self.title} sheet has {count} rows; at most {self.scan.max_rows:,} per "
            "upload. Split the rows over several uploads."
        )

    def done(self) -> None:
        if not self.is_data:
            return
        scan = self.scan
        scan.data_rows += max(self.last_row - 1, 0)
        if scan.data_rows > scan.max_rows:
            raise WorkbookError(
                f"The {' and '.join(DATA_SHEETS)} sheets have {scan.data_rows:,} rows together; "
                f"at most {scan.max_rows:,} per upload. Split the rows over several uploads."
            )


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _part(target: str) -> str:
    """A relationship target of xl/workbook.xml as a part name of the archive."""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _refuse_doctype(*args) -> None:
    raise WorkbookError(NOT_A_WORKBOOK)

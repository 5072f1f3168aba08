"""The NCES file layouts the importers read, and detection of a file's layout from its header.

Three real layouts exist for each kind of file (schools, districts):
- the CCD directory files up to 2014-15 (one column per variable, short upper-case names; files
  before 2010 suffix the time-varying columns with the year, e.g. CHARTR09);
- the CCD directory files from 2016-17 on (ccd_sch_029_* and ccd_lea_029_*);
- the CSV export of the NCES "Search for Public Schools" / "Search for Public School Districts"
  pages (spelled-out names, some with a trailing asterisk).

A layout maps each field the importer needs to the header names that carry it. Detection is by
header only: the first of the first few rows that holds every required column of a layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.uploads import FileRefused

SCHOOLS = "schools"
DISTRICTS = "districts"

# Real exports sometimes start with a title or notes before the header.
HEADER_SEARCH_ROWS = 20


def normalise_header(name: str) -> str:
    """Compare header names without case, BOM, asterisks (NCES footnote marks) or extra spaces."""
    name = name.replace("\ufeff", "").strip().rstrip("*").strip()
    return re.sub(r"\s+", " ", name).upper()


@dataclass(frozen=True)
class Layout:
    """One NCES layout of one kind of file.

    columns: field -> accepted header names, in order of preference.
    required: the fields a file must carry to be read in this layout.
    year_suffix: whether a column may carry a two-digit year suffix (CCD before 2010).
    """

    key: str
    kind: str
    label: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    year_suffix: bool = False
    # The header names shown when a file of another layout is refused.
    signature: tuple[str, ...] = field(default=())

    def expected_columns(self) -> str:
        names = self.signature or tuple(self.columns[name][0] for name in self.required)
        return ", ".join(names)

    def match(self, header: list[str]) -> tuple[dict[str, int], list[str]]:
        """Column index of each field found in the header, and the required fields missing."""
        positions = {normalise_header(name): index for index, name in enumerate(header)}
        found: dict[str, int] = {}
        for field_name, names in self.columns.items():
            index = self._find(positions, names)
            if index is not None:
                found[field_name] = index
        missing = [self.columns[name][0] for name in self.required if name not in found]
        return found, missing

    def _find(self, positions: dict[str, int], names: tuple[str, ...]) -> int | None:
        for name in names:
            if name in positions:
                return positions[name]
        if self.year_suffix:
            for name in names:
                suffixed = [
                    index
                    for header, index in positions.items()
                    if re.fullmatch(rf"{re.escape(name)}\d{{2}}", header)
                ]
                if len(suffixed) == 1:
                    return suffixed[0]
        return None


SCHOOL_LAYOUTS = (
    Layout(
        key="ccd_2014",
        kind=SCHOOLS,
        label="CCD school directory up to 2014-15",
        columns={
            "nces_id": ("NCESSCH",),
            "leaid": ("LEAID",),
            "fipst": ("FIPST",),
            "name": ("SCHNAM",),
            "city": ("LCITY",),
            "state": ("LSTATE",),
            "status": ("STATUS",),
            "grade_low": ("GSLO",),
            "grade_high": ("GSHI",),
            "charter": ("CHARTR",),
        },
        required=("nces_id", "leaid", "name", "city", "state", "status", "charter"),
        year_suffix=True,
        signature=(
            "NCESSCH",
            "LEAID",
            "SCHNAM",
            "LCITY",
            "LSTATE",
            "STATUS",
            "GSLO",
            "GSHI",
            "CHARTR",
        ),
    ),
    Layout(
        key="ccd_029",
        kind=SCHOOLS,
        label="CCD school directory from 2016-17 (ccd_sch_029)",
        columns={
            "nces_id": ("NCESSCH",),
            "leaid": ("LEAID",),
            "fipst": ("FIPST",),
            "name": ("SCH_NAME",),
            "city": ("LCITY",),
            "state": ("LSTATE", "ST"),
            "status": ("SY_STATUS_TEXT", "SY_STATUS"),
            "grade_low": ("GSLO",),
            "grade_high": ("GSHI",),
            "charter": ("CHARTER_TEXT",),
        },
        required=("nces_id", "leaid", "name", "city", "state", "status", "charter"),
        signature=(
            "NCESSCH",
            "LEAID",
            "SCH_NAME",
            "LCITY",
            "LSTATE",
            "SY_STATUS_TEXT",
            "GSLO",
            "GSHI",
            "CHARTER_TEXT",
        ),
    ),
    Layout(
        key="nces_search",
        kind=SCHOOLS,
        label='NCES "Search for Public Schools" export',
        columns={
            "nces_id": ("NCES SCHOOL ID",),
            "leaid": ("NCES DISTRICT ID",),
            "name": ("SCHOOL NAME",),
            "city": ("CITY",),
            "state": ("STATE",),
            "status": ("STATUS",),
            "grade_low": ("LOW GRADE",),
            "grade_high": ("HIGH GRADE",),
            "charter": ("CHARTER",),
            "enrollment": ("STUDENTS",),
        },
        required=("nces_id", "leaid", "name", "city", "state", "charter"),
        signature=(
            "NCES School ID",
            "NCES District ID",
            "School Name",
            "City",
            "State",
            "Low Grade*",
            "High Grade*",
            "Charter",
            "Status",
        ),
    ),
)

DISTRICT_LAYOUTS = (
    Layout(
        key="ccd_2014",
        kind=DISTRICTS,
        label="CCD district directory up to 2014-15",
        columns={
            "leaid": ("LEAID",),
            "fipst": ("FIPST",),
            "name": ("NAME",),
            "city": ("LCITY",),
            "state": ("LSTATE",),
            "type": ("TYPE",),
        },
        required=("leaid", "name", "city", "state", "type"),
        year_suffix=True,
        signature=("LEAID", "NAME", "LCITY", "LSTATE", "TYPE"),
    ),
    Layout(
        key="ccd_029",
        kind=DISTRICTS,
        label="CCD district directory from 2016-17 (ccd_lea_029)",
        columns={
            "leaid": ("LEAID",),
            "fipst": ("FIPST",),
            "name": ("LEA_NAME",),
            "city": ("LCITY",),
            "state": ("LSTATE", "ST"),
            "type": ("LEA_TYPE_TEXT", "LEA_TYPE"),
        },
        required=("leaid", "name", "city", "state", "type"),
        signature=("LEAID", "LEA_NAME", "LCITY", "LSTATE", "LEA_TYPE_TEXT"),
    ),
    Layout(
        key="nces_search",
        kind=DISTRICTS,
        label='NCES "Search for Public School Districts" export',
        columns={
            "leaid": ("NCES DISTRICT ID",),
            "name": ("DISTRICT NAME",),
            "city": ("CITY",),
            "state": ("STATE",),
            "type": ("TYPE",),
        },
        required=("leaid", "name", "city", "state"),
        signature=("NCES District ID", "District Name", "City", "State", "Type"),
    ),
)

LAYOUTS = {SCHOOLS: SCHOOL_LAYOUTS, DISTRICTS: DISTRICT_LAYOUTS}
COMMANDS = {SCHOOLS: "import_schools", DISTRICTS: "import_districts"}


class LayoutError(FileRefused):
    """The file is not in any layout of the expected kind; the message says what was expected."""


@dataclass(frozen=True)
class Detected:
    layout: Layout
    columns: dict[str, int]
    header_row: int  # 1-based row number of the header in the file
    header: list[str]


def detect(rows: list[list[str]], kind: str) -> Detected:
    """The layout of a file of `kind` from its first rows, or LayoutError naming what we expect."""
    candidates = rows[:HEADER_SEARCH_ROWS]
    for index, row in enumerate(candidates):
        for layout in LAYOUTS[kind]:
            columns, missing = layout.match(row)
            if not missing:
                return Detected(layout=layout, columns=columns, header_row=index + 1, header=row)
    raise LayoutError(_refusal(candidates, kind))


def _refusal(rows: list[list[str]], kind: str) -> str:
    other = DISTRICTS if kind == SCHOOLS else SCHOOLS
    for row in rows:
        for layout in LAYOUTS[other]:
            if not layout.match(row)[1]:
                return (
                    f"This looks like a {other[:-1]} file ({layout.label}), not a {kind[:-1]} "
                    f"file: import it with {COMMANDS[other]}."
                )
    header = rows[0] if rows else []
    closest = min(LAYOUTS[kind], key=lambda layout: len(layout.match(header)[1]))
    expected = "; ".join(f"{layout.label}: {layout.expected_columns()}" for layout in LAYOUTS[kind])
    missing = ", ".join(closest.match(header)[1])
    return (
        f"This file is not a {kind[:-1]} directory in a layout we read. Expected the columns of "
        f"one of: {expected}. Closest is {closest.label}, missing: {missing}."
    )

"""Reading NCES files as they come, and turning their messy values into clean ones.

Everything is read as text: IDs keep their leading zeros. Each parser returns a value or raises
BadValue with the reason; `None` means "the file does not know" (NCES's M, N, -1, -2, -9, the
search export's dagger and dash, or an empty cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.uploads import FileRefused
from schools.choices import USPS_STATES

# Markers NCES uses for "missing", "not applicable" or "did not meet standards".
UNKNOWN = frozenset(
    {"", "M", "N", "NA", "N/A", "-1", "-2", "-3", "-9", "†", "‡", "–", "—", "-", "NOT APPLICABLE"}
    | {"MISSING", "NOT REPORTED"}
)

# ANSI (FIPS) state codes: the first two digits of every LEAID.
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}  # fmt: skip

GRADE_CODES = ("PK", "KG", *(f"{n:02d}" for n in range(1, 13)), "UG")
# Grades the model has no code for: read as unknown rather than refused.
GRADES_READ_AS_UNKNOWN = frozenset({"AE", "13"})
GRADE_ALIASES = {"K": "KG", "PREK": "PK", "PRE-K": "PK", "P": "PK"}

# NCES school statuses (CCD SY_STATUS codes 1-8 and their labels, as the CCD files and the search
# export spell them). A school counts as open when it operates this year: open, new, added,
# moved to another agency or reopened. Closed, inactive (temporarily closed) and future (not yet
# operating) schools are not open.
SCHOOL_STATUS_CODES = {
    1: True,  # Open
    2: False,  # Closed
    3: True,  # New
    4: True,  # Added
    5: True,  # Changed Agency (CCD: "Changed Boundary/Agency")
    6: False,  # Inactive: temporarily closed
    7: False,  # Future: not yet operating
    8: True,  # Reopened
}
SCHOOL_STATUS_LABELS = {
    "OPEN": 1,
    "OPERATIONAL": 1,
    "CLOSED": 2,
    "NEW": 3,
    "ADDED": 4,
    "CHANGED AGENCY": 5,
    "CHANGED BOUNDARY": 5,
    "CHANGED BOUNDARY/AGENCY": 5,
    "CHANGED BOUNDARY AGENCY": 5,
    "INACTIVE": 6,
    "TEMPORARILY CLOSED": 6,
    "FUTURE": 7,
    "REOPENED": 8,
}

# NCES agency types (CCD LEA_TYPE codes 1-9) and their labels in the CCD files and the search
# export. Only one matters here: 7, the charter agency (a charter school that is its own LEA, or
# a charter network's LEA).
CHARTER_AGENCY_TYPE = 7
DISTRICT_TYPE_CODES = range(1, 10)
DISTRICT_TYPE_LABELS = {
    "REGULAR LOCAL": 1,
    "REGULAR LOCAL SCHOOL DISTRICT": 1,
    "REGULAR PUBLIC SCHOOL DISTRICT THAT IS NOT A COMPONENT OF A SUPERVISORY UNION": 1,
    "REGULAR LOCAL SCHOOL DISTRICT THAT IS NOT A COMPONENT OF A SUPERVISORY UNION": 1,
    "LOCAL SCHOOL DISTRICT THAT IS A COMPONENT OF A SUPERVISORY UNION": 2,
    "REGULAR PUBLIC SCHOOL DISTRICT THAT IS A COMPONENT OF A SUPERVISORY UNION": 2,
    "COMPONENT OF A SUPERVISORY UNION": 2,
    "COMPONENT OF SUPERVISORY UNION": 2,
    "SUPERVISORY UNION": 3,
    "SUPERVISORY UNION ADMINISTRATIVE CENTER": 3,
    "REGIONAL EDUCATION SERVICE AGENCY": 4,
    "REGIONAL EDUCATION SERVICES AGENCY": 4,
    "REGIONAL": 4,
    "STATE": 5,
    "STATE AGENCY": 5,
    "STATE-OPERATED AGENCY": 5,
    "STATE OPERATED AGENCY": 5,
    "FEDERAL": 6,
    "FEDERAL AGENCY": 6,
    "FEDERAL-OPERATED AGENCY": 6,
    "FEDERAL OPERATED AGENCY": 6,
    "CHARTER": 7,
    "CHARTER AGENCY": 7,
    "CHARTER SCHOOL AGENCY": 7,
    "INDEPENDENT CHARTER AGENCY": 7,
    "INDEPENDENT CHARTER DISTRICT": 7,
    "OTHER": 8,
    "OTHER EDUCATION AGENCY": 8,
    "OTHER EDUCATION AGENCIES": 8,
    "SPECIALIZED": 9,
    "SPECIALIZED PUBLIC SCHOOL DISTRICT": 9,
}

CHARTER_VALUES = {"1": True, "YES": True, "Y": True, "2": False, "NO": False}

LOWER_CASE_WORDS = frozenset({"of", "the", "and", "on", "in", "at", "by"})


class BadValue(ValueError):
    """A value the importer cannot accept; its message is the reason shown in the report."""


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; else Windows-1252 (Latin-1 plus NCES's dash and dagger)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


MAX_CELLS_PER_ROW = 1_000


class TooManyRows(FileRefused):
    """A file with more rows than an import reads."""

    def __init__(self, rows: int, most: int):
        self.rows = rows
        self.most = most
        super().__init__(f"The file has {rows:,} rows; at most {most:,} per import.")


def read_rows(data: bytes, max_rows: int) -> Iterator[list[str]]:
    """The records of a CSV (or the tab-separated CCD .txt) file, as lists of strings, one at a
    time; raises TooManyRows past `max_rows` records (counting them all, to say how many), and
    FileRefused for a record the csv module cannot read."""
    text = decode(data).replace("\x00", "")
    first_line = re.search(r"^.*\S.*$", text, re.MULTILINE)
    first_line = first_line.group(0) if first_line else ""
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > max_rows:
                raise TooManyRows(number + sum(1 for _ in reader), max_rows)
            if len(cells) > MAX_CELLS_PER_ROW:
                raise FileRefused(
                    f"Row {number} has {len(cells):,} cells; at most {MAX_CELLS_PER_ROW:,} per "
                    "row (NCES files have fewer than 100 columns)."
                )
            yield cells
    except csv.Error as error:
        raise FileRefused(
            f"Line {reader.line_num} cannot be read as CSV ({error}): export the file again."
        ) from error


def clean(value: str | None) -> str:
    """Strip spreadsheet tricks that keep leading zeros (="0622710", '0622710) and spaces."""
    value = (value or "").strip()
    match = re.fullmatch(r'="(.*)"', value)
    if match:
        value = match.group(1).strip()
    return value


def is_unknown(value: str) -> bool:
    return value.upper() in UNKNOWN


def parse_text(value: str, max_length: int, what: str) -> str:
    value = re.sub(r"\s+", " ", clean(value))
    if is_unknown(value):
        raise BadValue(f"The {what} is missing.")
    if len(value) > max_length:
        raise BadValue(f"The {what} is longer than {max_length} characters.")
    return value


def parse_state(value: str) -> str:
    value = clean(value).upper()
    if is_unknown(value):
        raise BadValue("The state is missing.")
    if value not in USPS_STATES:
        raise BadValue("Not a USPS state code (such as TX or CA).")
    return value


def _digits(value: str, length: int, fipst: str | None) -> str:
    value = clean(value).lstrip("'")
    # A spreadsheet that read the ID as a number dropped its leading zero (California's 06...):
    # restore it only when the state's ANSI code says so.
    if fipst and len(value) == length - 1 and ("0" + value).startswith(fipst):
        value = "0" + value
    return value


def parse_leaid(value: str, fipst: str | None = None) -> str:
    if is_unknown(clean(value)):
        raise BadValue("The NCES district ID (LEAID) is missing.")
    value = _digits(value, 7, fipst)
    if not re.fullmatch(r"\d{7}", value):
        raise BadValue("An NCES district ID (LEAID) is exactly 7 digits, leading zeros included.")
    return value


def parse_school_id(value: str, leaid: str | None, fipst: str | None = None) -> str:
    if is_unknown(clean(value)):
        raise BadValue("The NCES school ID is missing.")
    value = _digits(value, 12, fipst)
    if not re.fullmatch(r"\d{12}", value):
        raise BadValue(
            "An NCES school ID is exactly 12 digits (the 7-digit LEAID and a 5-digit number)."
        )
    if leaid and not value.startswith(leaid):
        raise BadValue(f"The school ID does not start with its district's LEAID ({leaid}).")
    return value


def parse_fipst(value: str, state: str | None) -> str | None:
    value = clean(value)
    if re.fullmatch(r"\d{1,2}", value):
        return value.zfill(2)
    return STATE_FIPS.get(state or "")


def parse_grade(value: str) -> str | None:
    value = clean(value).upper()
    if is_unknown(value) or value in GRADES_READ_AS_UNKNOWN:
        return None
    value = GRADE_ALIASES.get(value, value)
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 12:
        value = f"{int(value):02d}"
    if value not in GRADE_CODES:
        raise BadValue("Not a grade code (PK, KG, 01-12, UG, or N for none).")
    return value


def _code_and_label(value: str) -> tuple[int | None, str]:
    """ "7", "7.00000", "7-Charter agency" and "Charter agency" as (code or None, LABEL)."""
    value = re.sub(r"\s+", " ", clean(value)).upper()
    match = re.fullmatch(r"(\d+)(?:\.0*)?(?:\s*-\s*(.*))?", value)
    if match:
        return int(match.group(1)), (match.group(2) or "").strip()
    return None, value


def parse_open(value: str) -> bool | None:
    value = clean(value)
    if is_unknown(value):
        return None
    code, label = _code_and_label(value)
    if code is None:
        code = SCHOOL_STATUS_LABELS.get(label)
    if code not in SCHOOL_STATUS_CODES:
        raise BadValue(
            "Not a school status (1-8, or Open, Closed, New, Added, Changed Agency, Inactive, "
            "Future, Reopened)."
        )
    return SCHOOL_STATUS_CODES[code]


def parse_charter(value: str) -> bool:
    value = clean(value).upper()
    if is_unknown(value):
        return False
    if value not in CHARTER_VALUES:
        raise BadValue("Not a charter flag (1 or Yes for charter, 2 or No for not).")
    return CHARTER_VALUES[value]


def parse_charter_agency(value: str) -> bool | None:
    """Whether an agency type (a code 1-9 or its label) is the charter agency type.

    A label that is not in DISTRICT_TYPE_LABELS is still read: NCES words its labels differently
    from one product to the next, and every wording of the charter type names charters.
    """
    value = clean(value)
    if is_unknown(value):
        return None
    code, label = _code_and_label(value)
    if code is None:
        code = DISTRICT_TYPE_LABELS.get(label)
    if code is None and re.search("[A-Z]", label):
        return "CHARTER" in label
    if code not in DISTRICT_TYPE_CODES:
        raise BadValue("Not an agency type (1-9, or Regular Local, Charter, Specialized ...).")
    return code == CHARTER_AGENCY_TYPE


def parse_count(value: str) -> int | None:
    """A count, also written as a decimal with a zero fraction (the search export's 315.00000)."""
    value = clean(value).replace(",", "")
    if is_unknown(value):
        return None
    match = re.fullmatch(r"(-?\d+)(?:\.(\d*))?", value)
    if not match or (match.group(2) or "").strip("0"):
        raise BadValue("Not a whole number: a count has no fraction.")
    number = int(match.group(1))
    if is_unknown(str(number)):  # -1.00000, -9.00000
        return None
    if number < 0:
        raise BadValue("Not a whole number: a count is never negative.")
    return number


def city_name(value: str) -> str:
    """City names as people write them: "SAN ANTONIO" -> "San Antonio", "MCALLEN" -> "McAllen".

    A name already in mixed case is kept as written.
    """
    value = re.sub(r"\s+", " ", clean(value))
    if is_unknown(value):
        raise BadValue("The city is missing.")
    if len(value) > 120:
        raise BadValue("The city is longer than 120 characters.")
    if value != value.upper():
        return value
    words = value.lower().split(" ")
    return " ".join(
        word if index and word in LOWER_CASE_WORDS else _capitalise(word)
        for index, word in enumerate(words)
    )


def _capitalise(word: str) -> str:
    parts = re.split(r"([-/.])", word)
    return "".join(_capitalise_part(part) for part in parts)


def _capitalise_part(part: str) -> str:
    if not part:
        return part
    if part.startswith("mc") and len(part) > 2:
        return "Mc" + part[2:].capitalize()
    if "'" in part:
        head, _, tail = part.partition("'")
        # O'Donnell, D'Hanis, but Martin's Mill.
        tail = tail if tail in ("s", "") else tail.capitalize()
        return f"{head.capitalize()}'{tail}"
    return part.capitalize()


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be imported: where (row, column), what (value) and why."""

    row: int
    column: str
    value: str
    reason: str
    source: str = ""  # "" for the file itself, or e.g. "network map"

    def __str__(self) -> str:
        where = f"{self.source} row {self.row}" if self.source else f"row {self.row}"
        return f"{where}, {self.column} = {self.value!r}: {self.reason}"

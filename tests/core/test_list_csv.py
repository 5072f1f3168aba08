"""Every list CSV is a file a funder can hand on (issue 15): UTF-8 with a byte-order mark for
Excel, the words next to each code in a `<code>_label` column (the codes and every earlier column
kept, in order, for scripts), dated by its file name, and typed-in text that looks like a formula
kept as text."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from compacts.choices import ActivityKind, Category, CommitmentStatus, MilestoneStatus
from core import exports
from schools.choices import EndReason, LeadershipRole, OperatorType
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
)
from tests.list_helpers import csv_dicts, csv_header, fetch
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

HOSTILE = '=HYPERLINK("http://evil.example","Nuñez")'
NEUTRALISED = "'" + HOSTILE

# The columns each CSV had before the label columns: a script reading any of them by name
# reads what it read before, and they keep their order.
EARLIER_COLUMNS = {
    "/commitments/": [
        "id", "city", "city_slug", "compact_id", "compact", "category", "category_label", "tier",
        "title", "description", "responsible_party", "status", "target_on", "achieved_on",
        "overdue_milestones",
    ],
    "/milestones/": [
        "id", "city", "city_slug", "compact_id", "compact", "commitment_id", "commitment",
        "title", "due_on", "status", "overdue", "completed_on", "evidence_url", "notes",
    ],
    "/activities/": [
        "id", "city", "city_slug", "compact_id", "compact", "commitment_id", "commitment",
        "kind", "occurred_on", "title", "district_attendees", "charter_attendees", "notes",
    ],
    "/leadership/": [
        "id", "person", "person_id", "role", "title", "organization_id", "organization",
        "organization_kind", "city", "city_slug", "started_on", "ended_on", "end_reason",
        "in_post", "signed_compact_ids", "source_url",
    ],
    "/schools/": [
        "id", "name", "nces_school_id", "city", "city_slug", "network", "network_slug",
        "independent", "district", "district_leaid", "grade_low", "grade_high", "opened_year",
        "enrollment", "is_open", "participating",
    ],
    "/networks/": [
        "id", "name", "slug", "operator_type", "headquarters_state", "city", "city_slug",
        "school_count", "open_school_count", "website",
    ],
}  # fmt: skip

# Per list: each code column and the words its label column must hold for the record made below.
LABELS = {
    "/commitments/": {
        "category": ("SPED", Category.SPED.label),
        "tier": ("systemic", "Systemic"),
        "responsible_party": ("district", "District"),
        "status": ("stalled", CommitmentStatus.STALLED.label),
    },
    "/milestones/": {"status": ("missed", MilestoneStatus.MISSED.label)},
    "/activities/": {"kind": ("joint_pd", ActivityKind.JOINT_PD.label)},
    "/leadership/": {
        "role": ("board_chair", LeadershipRole.BOARD_CHAIR.label),
        "organization_kind": ("district", "District"),
        "end_reason": ("moved", EndReason.MOVED.label),
    },
    "/schools/": {"grade_low": ("PK", "Pre-K"), "grade_high": ("KG", "Kindergarten")},
    "/networks/": {"operator_type": ("for_profit_emo", OperatorType.FOR_PROFIT_EMO.label)},
}

# Per list: the column holding the hostile text typed into the record.
TYPED = {
    "/commitments/": "title",
    "/milestones/": "title",
    "/activities/": "title",
    "/leadership/": "person",
    "/schools/": "name",
    "/networks/": "name",
}


@pytest.fixture
def records(city_x):
    compact = CompactFactory(city=city_x)
    commitment = CommitmentFactory(
        compact=compact,
        title=HOSTILE,
        category=Category.SPED,
        responsible_party="district",
        status=CommitmentStatus.STALLED,
    )
    MilestoneFactory(
        commitment=CommitmentFactory(compact=compact, title="Other"),
        title=HOSTILE,
        status=MilestoneStatus.MISSED,
        due_on=datetime.date(2020, 1, 1),
    )
    ActivityFactory(
        compact=compact, commitment=commitment, title=HOSTILE, kind=ActivityKind.JOINT_PD
    )
    LeadershipTermFactory(
        organization=DistrictFactory(city=city_x),
        person=PersonFactory(full_name=HOSTILE),
        role=LeadershipRole.BOARD_CHAIR,
        ended_on=datetime.date(2015, 6, 30),
        end_reason=EndReason.MOVED,
    )
    CharterSchoolFactory(city=city_x, name=HOSTILE, grade_low="PK", grade_high="KG")
    CharterNetworkFactory(name=HOSTILE, operator_type=OperatorType.FOR_PROFIT_EMO)


def _export(client, path):
    return fetch(client, f"{path}?export=csv")


@pytest.mark.parametrize("path", list(EARLIER_COLUMNS))
def test_a_list_csv_starts_with_a_byte_order_mark_and_reads_as_utf8(editor_client, records, path):
    response = _export(editor_client, path)
    assert response.body.startswith("\ufeff".encode())
    assert response.body.count("\ufeff".encode()) == 1
    assert "Nuñez" in response.body.decode("utf-8-sig")


@pytest.mark.parametrize("path", list(EARLIER_COLUMNS))
def test_a_list_csv_keeps_every_earlier_column_in_its_order(editor_client, records, path):
    header = csv_header(_export(editor_client, path))
    earlier = set(EARLIER_COLUMNS[path])
    assert [name for name in header if name in earlier] == EARLIER_COLUMNS[path]
    added = [name for name in header if name not in earlier]
    assert all(name.endswith("_label") for name in added), added


@pytest.mark.parametrize("path", list(LABELS))
def test_a_list_csv_puts_the_words_right_after_each_code(editor_client, records, path):
    response = _export(editor_client, path)
    header = csv_header(response)
    (row,) = [row for row in csv_dicts(response) if row[TYPED[path]] == NEUTRALISED]
    for code_column, (code, label) in LABELS[path].items():
        label_column = f"{code_column}_label"
        assert header.index(label_column) == header.index(code_column) + 1
        assert (row[code_column], row[label_column]) == (code, label)


def test_an_empty_code_has_an_empty_label(editor_client, city_x):
    LeadershipTermFactory(organization=DistrictFactory(city=city_x), end_reason="")
    (row,) = csv_dicts(_export(editor_client, "/leadership/"))
    assert (row["end_reason"], row["end_reason_label"]) == ("", "")


@pytest.mark.parametrize("path", list(TYPED))
def test_a_list_csv_keeps_formula_looking_text_as_text(editor_client, records, path):
    rows = csv_dicts(_export(editor_client, path))
    assert NEUTRALISED in [row[TYPED[path]] for row in rows]
    assert HOSTILE not in [value for row in rows for value in row.values()]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(editor_client, city_x, start):
    CommitmentFactory(compact=CompactFactory(city=city_x), title=f"{start}1+1")
    (row,) = csv_dicts(_export(editor_client, "/commitments/"))
    assert row["title"] == f"'{start}1+1"


# A formula after a separator inside a cell: Excel with ";" as its list separator (most of
# Europe) splits "a;=1+1" into two cells, the second a formula.
AFTER_A_SEPARATOR = [
    ("a;=1+1", "a;'=1+1"),
    ("x,@SUM(1)", "x,'@SUM(1)"),
    ("line\n=cmd", "line\n'=cmd"),
    ("tab\t+1", "tab\t'+1"),
    ("a; =1+1", "a;' =1+1"),
    ("a;-1+1+cmd|' /C calc'!A0", "a;'-1+1+cmd|' /C calc'!A0"),
    # A minus before a digit is neutralised too (see core.exports): a DDE payload starts so.
    ("3-5 schools; -2 staff", "3-5 schools;' -2 staff"),
    ("=a;=b", "'=a;'=b"),
    (" =1+1", "' =1+1"),  # the field's start, after spaces
]
ORDINARY = ["3-5 schools; 2 staff", "Smith, Jones & Co.", "e-mail: a@b.example; x=y", "a\nb"]


@pytest.mark.parametrize(("typed", "exported"), AFTER_A_SEPARATOR)
def test_a_formula_after_a_separator_is_neutralised(typed, exported):
    assert exports.csv_text(typed) == exported


@pytest.mark.parametrize("typed", ORDINARY)
def test_ordinary_text_with_separators_is_left_alone(typed):
    assert exports.csv_text(typed) == typed


@pytest.mark.parametrize(("typed", "exported"), AFTER_A_SEPARATOR)
def test_a_list_csv_neutralises_a_formula_after_a_separator(editor_client, city_x, typed, exported):
    CommitmentFactory(compact=CompactFactory(city=city_x), title=typed)
    (row,) = csv_dicts(_export(editor_client, "/commitments/"))
    assert row["title"] == exported


@pytest.mark.parametrize(("typed", "exported"), AFTER_A_SEPARATOR)
def test_csv_bytes_neutralises_a_formula_after_a_separator(typed, exported):
    # The portfolio's CSV (reports.portfolio.as_csv) is written by csv_bytes.
    columns = [exports.Column("city", "City", "The city"), exports.Column("n", "N", "A count")]
    body = exports.csv_bytes(columns, [[typed, 3]])
    (row,) = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert row == {"city": exported, "n": "3"}


def test_the_workbook_keeps_separators_as_typed():
    # An xlsx cell is one cell whatever it holds: only the first-character rule applies there.
    assert exports._safe("a;=1+1") == "a;=1+1"


@pytest.mark.parametrize("path", list(EARLIER_COLUMNS))
def test_a_list_csv_is_dated_by_its_file_name(editor_client, records, path):
    response = _export(editor_client, path)
    name = path.strip("/")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{name}-{today}.csv"'

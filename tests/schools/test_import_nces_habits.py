"""The habits of NCES's "Search for Public Schools / School Districts" exports as states download
them today: decimal counts, every status and agency type NCES publishes, dagger and dash markers.
The files are written by the tests in those habits (never read from a real download)."""

from __future__ import annotations

import pytest

from schools.models import CharterSchool, District
from tests.schools.test_import import (
    SEARCH_DISTRICT_HEADER,
    SEARCH_SCHOOL_HEADER,
    csv_bytes,
    refused,
    run,
    write,
)

pytestmark = pytest.mark.django_db


def search_school(nces="260000100001", **more) -> dict:
    row = {
        "NCES School ID": nces,
        "NCES District ID": nces[:7],
        "School Name": f"Academy {nces[-3:]}",
        "City": "DETROIT",
        "State": "MI",
        "Low Grade*": "KG",
        "High Grade*": "08",
        "Charter": "Yes",
        "Students*": "315.00000",
        "Teachers*": "18.50000",
        "Student Teacher Ratio*": "17.02702700",
        "Type": "Regular",
        "Status": "Open",
    }
    row.update(more)
    return row


def search_district(leaid="2600001", type_="Regular Local", **more) -> dict:
    row = {
        "NCES District ID": leaid,
        "District Name": f"District {leaid}",
        "City": "DETROIT",
        "State": "MI",
        "Students*": "98.00000",
        "Teachers*": "3.85000",
        "Schools*": "1.00000",
        "Type": type_,
        "Status": "Open",
    }
    row.update(more)
    return row


def import_schools(tmp_path, rows) -> str:
    return run("import_schools", write(tmp_path, "s.csv", csv_bytes(SEARCH_SCHOOL_HEADER, rows)))


@pytest.mark.parametrize(
    ("students", "expected"),
    [
        ("315.00000", 315),
        ("0.00000", 0),
        ("1,234.00", 1234),
        ("574", 574),
        ("315.", 315),
        ("†", None),
        ("–", None),
        ("‡", None),
        ("-1.00000", None),
    ],
)
def test_counts_written_as_decimals_with_a_zero_fraction_are_whole_numbers(
    tmp_path, students, expected
):
    import_schools(tmp_path, [search_school(**{"Students*": students})])
    assert CharterSchool.objects.get().enrollment == expected


@pytest.mark.parametrize("students", ["315.5", "315.00001", "-4", "3e2", "about 300"])
def test_a_real_fraction_or_a_non_number_where_a_count_belongs_is_still_refused(tmp_path, students):
    rows = [search_school(), search_school("260000100002", **{"Students*": students})]
    path = write(tmp_path, "s.csv", csv_bytes(SEARCH_SCHOOL_HEADER, rows))
    out, error = refused("import_schools", path)
    assert "1 invalid row(s)" in error
    assert f"row 3, Students* = {students!r}: Not a whole number" in out
    assert not CharterSchool.objects.exists()


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        ("Open", True),
        ("Closed", False),
        ("New", True),
        ("Added", True),
        ("Changed Agency", True),
        ("Changed Boundary/Agency", True),
        ("Inactive", False),
        ("Future", False),
        ("Reopened", True),
        ("REOPENED", True),
        ("1", True),
        ("2", False),
        ("3", True),
        ("4", True),
        ("5", True),
        ("6", False),
        ("7", False),
        ("8", True),
        ("1-Open", True),
        ("6-Inactive", False),
    ],
)
def test_every_school_status_nces_publishes_maps_to_open_or_not(tmp_path, status, is_open):
    import_schools(tmp_path, [search_school(Status=status)])
    assert CharterSchool.objects.get().is_open is is_open


@pytest.mark.parametrize("status", ["9", "Sleeping", "0"])
def test_a_status_nces_does_not_publish_is_refused(tmp_path, status):
    path = write(tmp_path, "s.csv", csv_bytes(SEARCH_SCHOOL_HEADER, [search_school(Status=status)]))
    out, _ = refused("import_schools", path)
    assert "Not a school status" in out


@pytest.mark.parametrize(
    ("type_", "is_charter_lea"),
    [
        ("Regular Local", False),
        ("Regular Local School District", False),
        ("Regular public school district that is NOT a component of a supervisory union", False),
        ("Local school district that is a component of a supervisory union", False),
        ("Supervisory Union", False),
        ("Regional Education Service Agency", False),
        ("State Agency", False),
        ("State", False),
        ("State-operated agency", False),
        ("Federal Agency", False),
        ("Federal-operated agency", False),
        ("Charter", True),
        ("Charter Agency", True),
        ("Independent charter district", True),
        ("Other Education Agency", False),
        ("Other", False),
        ("Specialized Public School District", False),
        ("Specialized", False),
        ("1", False),
        ("2", False),
        ("3", False),
        ("4", False),
        ("5", False),
        ("6", False),
        ("7", True),
        ("8", False),
        ("9", False),
        ("7.00000", True),
        ("7-Charter agency", True),
        ("†", None),
        ("–", None),
    ],
)
def test_every_district_type_label_and_code_is_read_and_charter_agencies_are_recognised(
    tmp_path, type_, is_charter_lea
):
    path = write(
        tmp_path, "d.csv", csv_bytes(SEARCH_DISTRICT_HEADER, [search_district(type_=type_)])
    )
    run("import_districts", path)
    district = District.objects.get()
    # An unknown type leaves the default (not a charter agency).
    assert district.is_charter_lea is bool(is_charter_lea)


@pytest.mark.parametrize("type_", ["0", "10", "12.5"])
def test_an_agency_type_code_nces_does_not_publish_is_refused(tmp_path, type_):
    path = write(
        tmp_path, "d.csv", csv_bytes(SEARCH_DISTRICT_HEADER, [search_district(type_=type_)])
    )
    out, _ = refused("import_districts", path)
    assert "Not an agency type" in out


def test_a_state_export_with_every_habit_imports_and_a_second_run_changes_nothing(tmp_path):
    districts = [
        search_district("2600001", "Regular Local"),
        search_district("2600002", "Charter", **{"Students*": "†", "Status": "New"}),
        search_district("2600003", "Specialized", Status="Future"),
        search_district("2600004", "State", **{"Teachers*": "–"}),
        search_district("2600005", "Other", **{"Students*": "‡"}),
    ]
    districts_path = write(tmp_path, "d.csv", csv_bytes(SEARCH_DISTRICT_HEADER, districts))
    assert "created: 5, updated: 0, unchanged: 0" in run("import_districts", districts_path)
    assert list(District.objects.filter(is_charter_lea=True).values_list("nces_leaid", flat=True))
    statuses = [
        "Open",
        "Closed",
        "New",
        "Added",
        "Changed Agency",
        "Inactive",
        "Future",
        "Reopened",
    ]
    schools = [
        search_school(f"26000020000{n}", Status=status, **{"Low Grade*": "–", "High Grade*": "–"})
        for n, status in enumerate(statuses, start=1)
    ]
    schools += [
        search_school("260000100001", **{"Students*": "†", "Teachers*": "†"}),
        search_school("260000100002", Charter="No", **{"Students*": "1.50000"}),
        search_school("260000300001", Charter="†"),
    ]
    schools_path = write(tmp_path, "s.csv", csv_bytes(SEARCH_SCHOOL_HEADER, schools))
    out = run("import_schools", schools_path)
    assert "created: 9, updated: 0, unchanged: 0" in out
    assert "Skipped (not charter schools): 2" in out
    open_ids = set(
        CharterSchool.objects.filter(is_open=True).values_list("nces_school_id", flat=True)
    )
    assert open_ids == {
        "260000200001",
        "260000200003",
        "260000200004",
        "260000200005",
        "260000200008",
        "260000100001",
    }
    assert CharterSchool.objects.get(nces_school_id="260000200001").district.is_charter_lea
    assert "created: 0, updated: 0, unchanged: 5" in run("import_districts", districts_path)
    assert "created: 0, updated: 0, unchanged: 9" in run("import_schools", schools_path)

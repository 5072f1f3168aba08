"""import_districts and import_schools on small files written by the tests, in each NCES layout,
with the messy values real files carry."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compacts.models import Participant
from core.audit import SYSTEM_USERNAME, system_user
from core.changes import city_changed
from schools.importers import DISTRICTS, SCHOOLS, Filters, prepare
from schools.models import CharterNetwork, CharterSchool, City, District, unique_city_slug
from tests.compacts.factories import CompactFactory
from tests.schools.factories import CharterNetworkFactory, CityFactory, DistrictFactory

pytestmark = pytest.mark.django_db


def columns(names: str) -> list[str]:
    return names.split(",")


# The real headers of the three layouts (from NCES's files).
CCD2014_DISTRICT_HEADER = columns(
    "SURVYEAR,LEAID,FIPST,STID,NAME,PHONE,MSTREE,MCITY,MSTATE,MZIP,MZIP4,LSTREE,LCITY,LSTATE,"
    "LZIP,LZIP4,TYPE,UNION,CONUM,CONAME,CSA,CBSA,METMIC,ULOCAL,CDCODE,LATCOD,LONCOD,BOUND,GSLO,GSHI"
)
CCD2014_SCHOOL_HEADER = columns(
    "SURVYEAR,NCESSCH,FIPST,LEAID,SCHNO,STID,SEASCH,LEANM,SCHNAM,PHONE,MSTREE,MCITY,MSTATE,MZIP,"
    "MZIP4,LSTREE,LCITY,LSTATE,LZIP,LZIP4,TYPE,STATUS,UNION,ULOCAL,LATCOD,LONCOD,CONUM,CONAME,"
    "CDCODE,GSLO,GSHI,CHARTR"
)
CCD029_DISTRICT_HEADER = columns(
    "SCHOOL_YEAR,FIPST,STATENAME,ST,LEA_NAME,STATE_AGENCY_NO,UNION,ST_LEAID,LEAID,MSTREET1,"
    "MCITY,MSTATE,MZIP,LSTREET1,LCITY,LSTATE,LZIP,PHONE,WEBSITE,SY_STATUS,SY_STATUS_TEXT,"
    "UPDATED_STATUS,LEA_TYPE,LEA_TYPE_TEXT,CHARTER_LEA,CHARTER_LEA_TEXT,GSLO,GSHI"
)
CCD029_SCHOOL_HEADER = columns(
    "SCHOOL_YEAR,FIPST,STATENAME,ST,SCH_NAME,LEA_NAME,STATE_AGENCY_NO,UNION,ST_LEAID,LEAID,"
    "ST_SCHID,NCESSCH,SCHID,MSTREET1,MCITY,MSTATE,MZIP,LSTREET1,LCITY,LSTATE,LZIP,PHONE,WEBSITE,"
    "SY_STATUS,SY_STATUS_TEXT,UPDATED_STATUS,UPDATED_STATUS_TEXT,SCH_TYPE,SCH_TYPE_TEXT,"
    "CHARTER_TEXT,NOGRADES,GSLO,GSHI,LEVEL"
)
SEARCH_SCHOOL_HEADER = [
    "NCES School ID",
    "State School ID",
    "NCES District ID",
    "State District ID",
    "Low Grade*",
    "High Grade*",
    "School Name",
    "District",
    "County Name*",
    "Street Address",
    "City",
    "State",
    "ZIP",
    "ZIP 4-digit",
    "Phone",
    "Locale Code*",
    "Locale*",
    "Charter",
    "Magnet*",
    "Title I School*",
    "Students*",
    "Teachers*",
    "Student Teacher Ratio*",
    "Type",
    "Status",
]
SEARCH_DISTRICT_HEADER = [
    "NCES District ID",
    "State District ID",
    "District Name",
    "County Name*",
    "Street Address",
    "City",
    "State",
    "ZIP",
    "ZIP 4-digit",
    "Phone",
    "Students*",
    "Teachers*",
    "Schools*",
    "Locale Code*",
    "Locale*",
    "Type",
    "Status",
]


def csv_bytes(header, rows, encoding="utf-8", delimiter=",", preamble=()) -> bytes:
    """A CSV file: `rows` are dicts of the columns that matter, every other column gets "M"."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in preamble:
        writer.writerow(line)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "M") for column in header])
    return out.getvalue().encode(encoding)


def write(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def district_2014(leaid="4800001", name="CROSBYTON CISD", city="CROSBYTON", state="TX", **more):
    return {"LEAID": leaid, "NAME": name, "LCITY": city, "LSTATE": state, "TYPE": "1", **more}


def school_2014(nces="480000101145", leaid="4800001", name="KIPP AUSTIN COLLEGE PREP", **more):
    row = {
        "NCESSCH": nces,
        "LEAID": leaid,
        "FIPST": nces[:2],
        "SCHNAM": name,
        "LCITY": "AUSTIN",
        "LSTATE": "TX",
        "STATUS": "1",
        "GSLO": "05",
        "GSHI": "08",
        "CHARTR": "1",
    }
    row.update(more)
    return row


def run(command, path, *args) -> str:
    out = io.StringIO()
    call_command(command, path, *args, stdout=out)
    return out.getvalue()


def refused(command, path, *args) -> tuple[str, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(command, path, *args, stdout=out)
    return out.getvalue(), str(excinfo.value)


@pytest.fixture
def texas_districts(tmp_path):
    rows = [
        district_2014(),
        district_2014("4800002", "KIPP TEXAS PUBLIC SCHOOLS", "HOUSTON", TYPE="7"),
        district_2014("4800003", "SAN ANTONIO ISD", "SAN ANTONIO"),
    ]
    return write(tmp_path, "districts.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows))


# --- the three layouts ---


def test_it_imports_districts_then_charter_schools_of_the_ccd_2014_layout(
    tmp_path, texas_districts
):
    out = run("import_districts", texas_districts)
    assert "created: 3, updated: 0, unchanged: 0" in out
    kipp = District.objects.get(nces_leaid="4800002")
    assert kipp.is_charter_lea and kipp.kind == "district"
    assert kipp.city.name == "Houston" and kipp.city.state == "TX"
    assert not District.objects.get(nces_leaid="4800001").is_charter_lea

    schools = [
        school_2014("480000201001", "4800002", "KIPP AUSTIN COLLEGE PREP"),
        school_2014("480000301002", "4800003", "SAN ANTONIO HIGH", CHARTR="2", LCITY="SAN ANTONIO"),
        school_2014(
            "480000301003", "4800003", "BASIS SAN ANTONIO", LCITY="SAN ANTONIO", STATUS="2"
        ),
    ]
    path = write(tmp_path, "schools.csv", csv_bytes(CCD2014_SCHOOL_HEADER, schools))
    out = run("import_schools", path)
    assert "created: 2, updated: 0, unchanged: 0" in out
    assert "Skipped (not charter schools): 1" in out
    school = CharterSchool.objects.get(nces_school_id="480000201001")
    assert school.district == kipp
    assert (school.city.name, school.grade_low, school.grade_high) == ("Austin", "05", "08")
    assert school.is_open and school.network is None and school.kind == "charter_school"
    basis = CharterSchool.objects.get(nces_school_id="480000301003")
    assert basis.city == City.objects.get(name="San Antonio", state="TX")
    assert not basis.is_open
    assert not CharterSchool.objects.filter(name="SAN ANTONIO HIGH").exists()


def test_it_imports_the_ccd_layout_from_2016_17_on(tmp_path):
    districts = [
        {
            "LEAID": "0622710",
            "LEA_NAME": "Los Angeles Unified",
            "LCITY": "Los Angeles",
            "LSTATE": "CA",
            "ST": "CA",
            "LEA_TYPE": "1",
            "LEA_TYPE_TEXT": "Regular public school district that is NOT a component of a "
            "supervisory union",
        },
        {
            "LEAID": "0600001",
            "LEA_NAME": "Aspire Public Schools",
            "LCITY": "Oakland",
            "LSTATE": "CA",
            "LEA_TYPE_TEXT": "Independent charter district",
        },
    ]
    path = write(
        tmp_path, "ccd_lea_029_1617_w_1a_11212017.csv", csv_bytes(CCD029_DISTRICT_HEADER, districts)
    )
    assert "created: 2" in run("import_districts", path)
    assert District.objects.get(nces_leaid="0600001").is_charter_lea
    assert not District.objects.get(nces_leaid="0622710").is_charter_lea

    schools = [
        {
            "NCESSCH": "062271003240",
            "LEAID": "0622710",
            "SCH_NAME": "Camino Nuevo Charter Academy",
            "LCITY": "Los Angeles",
            "LSTATE": "CA",
            "SY_STATUS_TEXT": "Open",
            "CHARTER_TEXT": "Yes",
            "GSLO": "KG",
            "GSHI": "12",
        },
        {
            "NCESSCH": "062271003241",
            "LEAID": "0622710",
            "SCH_NAME": "Closed Charter",
            "LCITY": "Los Angeles",
            "LSTATE": "CA",
            "SY_STATUS_TEXT": "Closed",
            "CHARTER_TEXT": "Yes",
            "GSLO": "PK",
            "GSHI": "05",
        },
        {
            "NCESSCH": "062271003242",
            "LEAID": "0622710",
            "SCH_NAME": "Garfield High",
            "LCITY": "Los Angeles",
            "LSTATE": "CA",
            "SY_STATUS_TEXT": "Open",
            "CHARTER_TEXT": "No",
        },
        {
            "NCESSCH": "060000100001",
            "LEAID": "0600001",
            "SCH_NAME": "Not Applicable Charter Flag",
            "LCITY": "Oakland",
            "LSTATE": "CA",
            "SY_STATUS_TEXT": "Open",
            "CHARTER_TEXT": "Not applicable",
        },
    ]
    path = write(
        tmp_path, "ccd_sch_029_1617_w_1a_11212017.csv", csv_bytes(CCD029_SCHOOL_HEADER, schools)
    )
    out = run("import_schools", path)
    assert "created: 2" in out and "Skipped (not charter schools): 2" in out
    camino = CharterSchool.objects.get(nces_school_id="062271003240")
    assert camino.district.nces_leaid == "0622710" and camino.is_open
    assert camino.city.name == "Los Angeles"
    assert not CharterSchool.objects.get(nces_school_id="062271003241").is_open


def test_it_imports_the_nces_search_export_with_its_daggers_and_dashes(tmp_path):
    districts = [
        {
            "NCES District ID": "4800002",
            "District Name": "KIPP Texas Public Schools",
            "City": "Houston",
            "State": "TX",
            "Type": "7",
            "Status": "1",
        }
    ]
    preamble = [["Search for Public School Districts"], ["Source: CCD"], []]
    path = write(
        tmp_path,
        "ncesdata_districts.csv",
        csv_bytes(SEARCH_DISTRICT_HEADER, districts, preamble=preamble),
    )
    run("import_districts", path)
    assert District.objects.get(nces_leaid="4800002").is_charter_lea

    schools = [
        {
            "NCES School ID": "480000201001",
            "NCES District ID": "4800002",
            "School Name": "KIPP Sunnyside High School",
            "City": "Houston",
            "State": "TX",
            "Low Grade*": "9",
            "High Grade*": "12",
            "Charter": "Yes",
            "Students*": "1,234",
            "Status": "1",
        },
        {
            "NCES School ID": "480000201002",
            "NCES District ID": "4800002",
            "School Name": "KIPP Dagger Academy",
            "City": "Houston",
            "State": "TX",
            "Low Grade*": "†",
            "High Grade*": "–",
            "Charter": "Yes",
            "Students*": "†",
            "Status": "–",
        },
        {
            "NCES School ID": "480000201003",
            "NCES District ID": "4800002",
            "School Name": "Not A Charter",
            "City": "Houston",
            "State": "TX",
            "Charter": "†",
        },
    ]
    path = write(tmp_path, "ncesdata_schools.csv", csv_bytes(SEARCH_SCHOOL_HEADER, schools))
    out = run("import_schools", path)
    assert "created: 2" in out and "Skipped (not charter schools): 1" in out
    sunnyside = CharterSchool.objects.get(nces_school_id="480000201001")
    assert (sunnyside.grade_low, sunnyside.grade_high, sunnyside.enrollment) == ("09", "12", 1234)
    dagger = CharterSchool.objects.get(nces_school_id="480000201002")
    assert (dagger.grade_low, dagger.grade_high, dagger.enrollment) == ("", "", None)
    assert dagger.is_open


def test_it_reads_the_tab_separated_ccd_text_files(tmp_path):
    data = csv_bytes(CCD2014_DISTRICT_HEADER, [district_2014()], delimiter="\t")
    run("import_districts", write(tmp_path, "ag131a.txt", data))
    assert District.objects.get(nces_leaid="4800001").name == "CROSBYTON CISD"


def test_it_reads_year_suffixed_columns_of_ccd_files_before_2010(tmp_path):
    header = [
        {"TYPE": "TYPE09", "STATUS": "STATUS09", "GSLO": "GSLO09", "GSHI": "GSHI09"}.get(
            column, column
        )
        for column in CCD2014_SCHOOL_HEADER
    ]
    header[header.index("CHARTR")] = "CHARTR09"
    row = school_2014()
    row = {**row, "CHARTR09": "1", "STATUS09": "1", "GSLO09": "KG", "GSHI09": "05"}
    run("import_schools", write(tmp_path, "sc092a.csv", csv_bytes(header, [row])))
    school = CharterSchool.objects.get()
    assert (school.grade_low, school.grade_high) == ("KG", "05")


# --- messy values ---


def test_ids_keep_their_leading_zeros_and_lost_ones_are_restored_from_the_state_code(tmp_path):
    districts = [
        district_2014("0622710", "LOS ANGELES UNIFIED", "LOS ANGELES", "CA", FIPST="06"),
        # Opened and saved in a spreadsheet: the LEAID became the number 601234.
        district_2014("601234", "OAKLAND UNIFIED", "OAKLAND", "CA", FIPST="6"),
    ]
    run("import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, districts)))
    assert set(District.objects.values_list("nces_leaid", flat=True)) == {"0622710", "0601234"}
    schools = [
        school_2014("062271003240", "0622710", LCITY="LOS ANGELES", LSTATE="CA"),
        school_2014('="060123400001"', '="0601234"', "LIGHTHOUSE", LCITY="OAKLAND", LSTATE="CA"),
    ]
    run("import_schools", write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, schools)))
    assert set(CharterSchool.objects.values_list("nces_school_id", flat=True)) == {
        "062271003240",
        "060123400001",
    }
    assert CharterSchool.objects.get(nces_school_id="060123400001").district.name == (
        "OAKLAND UNIFIED"
    )


@pytest.mark.parametrize("marker", ["M", "N", "-1", "-2", "-9", "†", "–", ""])
def test_every_nces_unknown_marker_leaves_a_value_unknown(tmp_path, marker):
    rows = [school_2014(GSLO=marker, GSHI=marker, STATUS=marker)]
    run("import_schools", write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows)))
    school = CharterSchool.objects.get()
    assert (school.grade_low, school.grade_high, school.is_open) == ("", "", True)


def test_an_unknown_value_never_overwrites_a_known_one(tmp_path):
    run(
        "import_schools",
        write(tmp_path, "a.csv", csv_bytes(CCD2014_SCHOOL_HEADER, [school_2014()])),
    )
    rows = [school_2014(GSLO="N", GSHI="N", STATUS="M")]
    out = run("import_schools", write(tmp_path, "b.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows)))
    assert "unchanged: 1" in out
    school = CharterSchool.objects.get()
    assert (school.grade_low, school.grade_high) == ("05", "08")


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("PK", "KG", ("PK", "KG")),
        ("1", "5", ("01", "05")),
        ("01", "12", ("01", "12")),
        ("UG", "UG", ("UG", "UG")),
        ("N", "N", ("", "")),
        ("kg", "8", ("KG", "08")),
    ],
)
def test_grade_codes_are_normalised(tmp_path, low, high, expected):
    rows = [school_2014(GSLO=low, GSHI=high)]
    run("import_schools", write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows)))
    school = CharterSchool.objects.get()
    assert (school.grade_low, school.grade_high) == expected


def test_it_reads_utf8_with_a_bom_and_names_with_commas_and_quotes(tmp_path):
    rows = [school_2014(SCHNAM='YES PREP "NORTH", HOUSTON')]
    data = b"\xef\xbb\xbf" + csv_bytes(CCD2014_SCHOOL_HEADER, rows)
    run("import_schools", write(tmp_path, "bom.csv", data))
    assert CharterSchool.objects.get().name == 'YES PREP "NORTH", HOUSTON'


def test_it_reads_latin_1_files(tmp_path):
    rows = [school_2014(SCHNAM="ESCUELA NIÑOS – CAÑON", LCITY="CAÑON CITY", LSTATE="TX")]
    data = csv_bytes(CCD2014_SCHOOL_HEADER, rows, encoding="cp1252")
    run("import_schools", write(tmp_path, "latin.csv", data))
    school = CharterSchool.objects.get()
    assert school.name == "ESCUELA NIÑOS – CAÑON"
    assert school.city.name == "Cañon City"
    plain = csv_bytes(CCD2014_SCHOOL_HEADER, [school_2014(SCHNAM="ÉCOLE")], encoding="latin-1")
    run("import_schools", write(tmp_path, "latin1.csv", plain))
    assert CharterSchool.objects.get().name == "ÉCOLE"


def test_unknown_columns_are_ignored(tmp_path):
    header = [*CCD2014_DISTRICT_HEADER, "MY_NOTES", "FAVOURITE_COLOUR"]
    row = district_2014(MY_NOTES="call back", FAVOURITE_COLOUR="blue")
    run("import_districts", write(tmp_path, "d.csv", csv_bytes(header, [row])))
    assert District.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SAN ANTONIO", "San Antonio"),
        ("MCALLEN", "McAllen"),
        ("O'DONNELL", "O'Donnell"),
        ("MARTIN'S MILL", "Martin's Mill"),
        ("WINSTON-SALEM", "Winston-Salem"),
        ("LAKE OF THE PINES", "Lake of the Pines"),
        ("Los Angeles", "Los Angeles"),
    ],
)
def test_city_names_are_title_cased_sensibly(tmp_path, raw, expected):
    row = district_2014(city=raw)
    run("import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, [row])))
    assert District.objects.get().city.name == expected


def test_an_existing_city_is_reused_whatever_the_case_of_the_file(tmp_path):
    san_antonio = CityFactory(name="San Antonio", state="TX")
    row = district_2014(city="SAN ANTONIO")
    run("import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, [row])))
    assert District.objects.get().city == san_antonio
    assert City.objects.filter(name__iexact="san antonio").count() == 1


def test_new_cities_get_slugs_by_the_rule_of_unique_city_slug(tmp_path):
    CityFactory(name="Springfield", state="IL", slug="springfield")
    expected = unique_city_slug("Springfield", "TX")
    rows = [
        district_2014("4800001", city="SPRINGFIELD"),
        district_2014("0100001", city="SPRINGFIELD", state="AL"),
        district_2014("4800003", city="AUSTIN"),
    ]
    run("import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows)))
    assert City.objects.get(name="Springfield", state="TX").slug == expected == "springfield-tx"
    assert City.objects.get(name="Springfield", state="AL").slug == "springfield-al"
    assert City.objects.get(name="Austin").slug == "austin"


# --- refusals ---


def test_a_file_of_another_layout_is_refused_naming_the_columns_expected(tmp_path):
    path = write(tmp_path, "x.csv", b"id,title,amount\r\n1,Something,3\r\n")
    _, message = refused("import_schools", path)
    assert "NCESSCH, LEAID, SCHNAM, LCITY, LSTATE, STATUS, GSLO, GSHI, CHARTR" in message
    assert "SCH_NAME" in message and "NCES School ID" in message
    _, message = refused("import_districts", path)
    assert "LEAID, NAME, LCITY, LSTATE, TYPE" in message and "LEA_TYPE_TEXT" in message
    assert District.objects.count() == 0


def test_a_district_file_given_as_schools_says_which_command_reads_it(tmp_path, texas_districts):
    _, message = refused("import_schools", texas_districts)
    assert "district file" in message and "import_districts" in message


def test_one_bad_row_writes_nothing_and_the_report_lists_every_bad_row(tmp_path):
    rows = [
        school_2014("480000101145"),
        school_2014("4800001011450", SCHNAM="THIRTEEN DIGITS"),  # row 3
        school_2014("480000201146", SCHNAM="WRONG DISTRICT"),  # row 4: LEAID 4800001
        school_2014("480000101147", LSTATE="ZZ"),  # row 5
        school_2014("480000101148", GSLO="K9", GSHI="14"),  # row 6: two bad columns
        school_2014("480000101149", GSLO="09", GSHI="05"),  # row 7
        school_2014("480000101145", SCHNAM="DUPLICATE"),  # row 8
    ]
    path = write(tmp_path, "bad.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows))
    report, message = refused("import_schools", path)
    assert "nothing was written" in message
    assert CharterSchool.objects.count() == 0 and City.objects.count() == 0
    assert "row 3, NCESSCH = '4800001011450': An NCES school ID is exactly 12 digits" in report
    assert "row 4, NCESSCH = '480000201146'" in report and "LEAID (4800001)" in report
    assert "row 5, LSTATE = 'ZZ': Not a USPS state code" in report
    assert "row 6, GSLO = 'K9': Not a grade code" in report
    assert "row 6, GSHI = '14': Not a grade code" in report
    assert "row 7, GSHI = '05': The highest grade is below the lowest grade." in report
    assert "row 8, NCESSCH = '480000101145': The same ID is already on row 2." in report
    assert "6 invalid row(s)" in report


def test_a_bad_district_row_writes_no_district(tmp_path):
    rows = [
        district_2014(),
        district_2014("48000012", "EIGHT DIGITS"),
        district_2014("4800003", ""),
    ]
    report, _ = refused(
        "import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows))
    )
    assert "row 3, LEAID = '48000012': An NCES district ID (LEAID) is exactly 7 digits" in report
    assert "row 4, NAME = '': The district name is missing." in report
    assert District.objects.count() == 0


def test_rows_that_are_not_imported_are_not_judged(tmp_path):
    rows = [
        school_2014(),
        school_2014("999", SCHNAM="NOT A CHARTER WITH A BROKEN ID", CHARTR="2"),
        school_2014("480000101146", LSTATE="ZZ", SCHNAM="OUTSIDE THE FILTER"),
    ]
    out = run(
        "import_schools",
        write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows)),
        "--state",
        "TX",
    )
    assert "created: 1" in out and "Outside --state/--city: 1" in out


def test_it_refuses_to_move_a_compact_party_to_another_city(tmp_path):
    xville = CityFactory(name="Xville", state="TX")
    district = DistrictFactory(nces_leaid="4800001", city=xville, name="XVILLE ISD")
    compact = CompactFactory(city=xville)
    Participant.objects.create(compact=compact, organization=district, joined_on=compact.signed_on)
    row = district_2014(name="XVILLE ISD", city="ELSEWHERE")
    report, _ = refused(
        "import_districts", write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, [row]))
    )
    assert "row 2, LCITY = 'Elsewhere, TX'" in report and "compact of Xville" in report
    district.refresh_from_db()
    assert district.city == xville


# --- idempotence, updates, dry run, history ---


def test_a_second_run_changes_nothing_and_writes_no_history(tmp_path, texas_districts):
    run("import_districts", texas_districts)
    history = District.history.count()
    out = run("import_districts", texas_districts)
    assert "created: 0, updated: 0, unchanged: 3" in out
    assert District.history.count() == history == 3
    assert District.objects.count() == 3


def test_a_changed_record_is_updated_with_a_history_row_and_others_are_untouched(
    tmp_path, texas_districts
):
    run("import_districts", texas_districts)
    before = District.objects.get(nces_leaid="4800001").updated_at
    rows = [
        district_2014(),
        district_2014("4800002", "KIPP TEXAS", "AUSTIN", TYPE="7"),
        district_2014("4800003", "SAN ANTONIO ISD", "SAN ANTONIO"),
    ]
    out = run(
        "import_districts", write(tmp_path, "d2.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows))
    )
    assert "created: 0, updated: 1, unchanged: 2" in out
    kipp = District.objects.get(nces_leaid="4800002")
    assert (kipp.name, kipp.city.name) == ("KIPP TEXAS", "Austin")
    latest = kipp.history.latest()
    assert latest.history_type == "~" and latest.name == "KIPP TEXAS"
    assert latest.history_change_reason == "districts import from d2.csv"
    assert District.objects.get(nces_leaid="4800001").updated_at == before
    assert District.history.filter(nces_leaid="4800001").count() == 1


def test_an_import_records_the_actor_it_is_given_on_every_history_row(
    tmp_path, texas_districts, superuser
):
    run("import_districts", texas_districts, "--actor", "admin")
    rows = District.history.all()
    assert rows.count() == 3
    assert {row.history_user for row in rows} == {superuser}
    assert {row.history_user for row in City.history.all()} == {superuser}


def test_an_import_without_an_actor_is_recorded_as_the_system_user(tmp_path):
    path = write(tmp_path, "s.csv", _school_file(2))
    run("import_schools", path)
    users = {row.history_user for row in CharterSchool.history.all()}
    assert [user.username for user in users] == [SYSTEM_USERNAME]
    assert CharterSchool.history.count() == 2


def test_an_unknown_actor_is_refused_and_nothing_is_written(texas_districts):
    out, error = refused("import_districts", texas_districts, "--actor", "nobody")
    assert error == 'No user "nobody" to act as.'
    assert not District.objects.exists() and not District.history.exists()


def test_a_dry_run_creates_no_system_user(texas_districts):
    run("import_districts", texas_districts, "--dry-run")
    assert not get_user_model().objects.filter(username=SYSTEM_USERNAME).exists()


def test_a_dry_run_reports_the_counts_and_writes_nothing(tmp_path, texas_districts):
    out = run("import_districts", texas_districts, "--dry-run")
    assert "Districts would be created: 3, updated: 0, unchanged: 0." in out
    assert "Dry run: nothing was written." in out
    assert District.objects.count() == 0 and City.objects.count() == 0


def test_schools_imported_before_their_district_are_attached_on_the_next_run(tmp_path):
    path = write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, [school_2014()]))
    run("import_schools", path)
    assert CharterSchool.objects.get().district is None
    district = DistrictFactory(nces_leaid="4800001")
    assert "updated: 1" in run("import_schools", path)
    assert CharterSchool.objects.get().district == district


def test_imported_cities_have_their_dashboards_invalidated_after_commit(
    tmp_path, texas_districts, request, django_capture_on_commit_callbacks
):
    calls = []

    def announced(sender, city_ids, **kwargs):
        calls.append(sorted(city_ids))

    # The importer announces its cities through core.changes; reports subscribe to it.
    city_changed.connect(announced)
    request.addfinalizer(lambda: city_changed.disconnect(announced))
    with django_capture_on_commit_callbacks(execute=True):
        run("import_districts", texas_districts)
    assert calls == [sorted(District.objects.values_list("city_id", flat=True))]
    with django_capture_on_commit_callbacks(execute=True):
        run("import_districts", texas_districts)
    assert len(calls) == 1  # nothing changed, nothing to invalidate


def test_an_import_really_invalidates_the_cached_figures_of_its_cities(
    tmp_path, texas_districts, django_capture_on_commit_callbacks
):
    from reports import cache as report_cache

    city = CityFactory(name="Houston", state="TX")
    before = report_cache.data_keys([city.pk], datetime.date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run("import_districts", texas_districts)
    assert report_cache.data_keys([city.pk], datetime.date(2026, 1, 1)) != before


# --- filters ---


def test_the_state_filter_keeps_only_that_states_rows(tmp_path):
    rows = [district_2014(), district_2014("0622710", "LA UNIFIED", "LOS ANGELES", "CA")]
    path = write(tmp_path, "d.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows))
    out = run("import_districts", path, "--state", "ca")
    assert "created: 1" in out and "Outside --state/--city: 1" in out
    assert list(District.objects.values_list("nces_leaid", flat=True)) == ["0622710"]


def test_the_city_filter_keeps_only_those_cities(tmp_path, texas_districts):
    out = run(
        "import_districts", texas_districts, "--city", "Houston,TX", "--city", "san antonio,tx"
    )
    assert "created: 2" in out
    assert set(District.objects.values_list("city__name", flat=True)) == {"Houston", "San Antonio"}


@pytest.mark.parametrize("args", [["--state", "XX"], ["--city", "Austin"], ["--city", "Austin,ZZ"]])
def test_bad_filters_are_refused(texas_districts, args):
    with pytest.raises(CommandError):
        call_command("import_districts", texas_districts, *args, stdout=io.StringIO())


def test_a_missing_file_is_refused_plainly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_districts", str(tmp_path / "nope.csv"))


# --- network map ---


def test_the_network_map_links_schools_by_name_prefix_leaid_or_school_id(tmp_path):
    existing = CharterNetworkFactory(name="IDEA Public Schools", slug="idea-public-schools")
    schools = [
        school_2014("480000101001", SCHNAM="KIPP AUSTIN COLLEGE PREP"),
        school_2014("480000101002", SCHNAM="KIPPERS ACADEMY"),  # not a KIPP school
        school_2014("480000101003", SCHNAM="IDEA ALLAN"),
        school_2014("480000201004", "4800002", SCHNAM="HARMONY SCIENCE ACADEMY"),
        school_2014("480000101005", SCHNAM="LONE STAR PREP"),
    ]
    mapping = (
        "match,network,operator type\r\n"
        "KIPP,KIPP Texas\r\n"
        "idea,IDEA Public Schools\r\n"
        "4800002,Harmony Public Schools,nonprofit_cmo\r\n"
        "480000101005,Uplift Education,For-profit EMO\r\n"
    )
    map_path = write(tmp_path, "networks.csv", mapping.encode())
    path = write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, schools))
    out = run("import_schools", path, "--network-map", map_path)
    assert "networks created: 3" in out
    network_of = dict(CharterSchool.objects.values_list("name", "network__name"))
    assert network_of == {
        "KIPP AUSTIN COLLEGE PREP": "KIPP Texas",
        "KIPPERS ACADEMY": None,
        "IDEA ALLAN": existing.name,
        "HARMONY SCIENCE ACADEMY": "Harmony Public Schools",
        "LONE STAR PREP": "Uplift Education",
    }
    assert CharterNetwork.objects.get(name="Uplift Education").operator_type == "for_profit_emo"
    assert CharterNetwork.objects.get(name="KIPP Texas").slug == "kipp-texas"
    assert CharterNetwork.history.filter(name="KIPP Texas").count() == 1
    assert "unchanged: 5" in run("import_schools", path, "--network-map", map_path)
    assert "unchanged: 5" in run("import_schools", path)  # without a map, networks stay


def test_a_bad_network_map_row_writes_nothing(tmp_path):
    map_path = write(
        tmp_path, "networks.csv", b"KIPP,KIPP Texas\r\n12345,Nowhere\r\nIDEA,IDEA,charity\r\n"
    )
    path = write(tmp_path, "s.csv", csv_bytes(CCD2014_SCHOOL_HEADER, [school_2014()]))
    report, _ = refused("import_schools", path, "--network-map", map_path)
    assert "network map row 2, match = '12345'" in report
    assert "network map row 3, operator_type = 'charity'" in report
    assert CharterSchool.objects.count() == 0 and CharterNetwork.objects.count() == 0


# --- speed: a fixed number of queries whatever the file's size ---


def _school_file(count: int) -> bytes:
    rows = [
        school_2014(f"4800001{n:05d}", SCHNAM=f"CHARTER {n}", LCITY=f"TOWN {n % 7}")
        for n in range(count)
    ]
    return csv_bytes(CCD2014_SCHOOL_HEADER, rows)


def assert_queries(context, expected: int) -> None:
    sql = "\n".join(query["sql"][:200] for query in context.captured_queries)
    assert len(context) == expected, f"{len(context)} queries:\n{sql}"


@pytest.mark.parametrize("count", [3, 40])
def test_planning_reads_the_database_a_fixed_number_of_times(count):
    DistrictFactory(nces_leaid="4800001")
    # existing schools, cities of the file's states, districts of the file's LEAIDs
    with CaptureQueriesContext(connection) as context:
        plan = prepare(_school_file(count), SCHOOLS)
    assert_queries(context, 3)
    assert len(plan.creates) == count


@pytest.mark.parametrize("count", [3, 40])
def test_a_first_import_writes_in_a_fixed_number_of_queries(tmp_path, count):
    DistrictFactory(nces_leaid="4800001")
    path = write(tmp_path, "s.csv", _school_file(count))
    system_user()
    # the system user; 3 reads; savepoint; taken slugs, cities, their history; organizations,
    # schools, their history; release
    with CaptureQueriesContext(connection) as context:
        call_command("import_schools", path, stdout=io.StringIO())
    assert_queries(context, 12)
    assert CharterSchool.objects.count() == count


def test_filters_read_cities_case_insensitively():
    assert Filters(cities=(("austin", "TX"),)).keeps("Austin", "TX")
    assert not Filters(cities=(("austin", "TX"),)).keeps("Austin", "CA")
    assert prepare(csv_bytes(CCD2014_DISTRICT_HEADER, []), DISTRICTS).counts()["created"] == 0

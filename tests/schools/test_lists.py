"""The leadership, schools and networks lists: scope, every filter of the list contract,
sorting, paging, CSV export, refused filter values and flat query counts."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from compacts.choices import CompactStatus
from schools.choices import EndReason, LeadershipRole, OperatorType
from tests.compacts.factories import CompactFactory, ParticipantFactory, SignatoryFactory
from tests.list_helpers import (
    csv_dicts,
    csv_header,
    exactly_queries,
    fetch,
    shown,
    url,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def term(organization, role, started_on, ended_on=None, name=None, **extra):
    return LeadershipTermFactory(
        organization=organization,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=EndReason.RETIRED if ended_on else "",
        person=PersonFactory(full_name=name) if name else PersonFactory(),
        **extra,
    )


def names(response) -> set[str]:
    return {record.person.full_name for record in shown(response)}


@dataclass
class Seats:
    """Leadership in city X: a district's superintendent seat (Ann, then Bob), its board chair
    (Cara, leaving next month), and a network CEO seat without a city (Dan, then Eve) whose
    signatory signed compact A. Another network's CEO (Mo) signed nothing of X; Yuri leads city
    Y's district."""

    district: object
    north: object
    a: object
    b: object
    y_compact: object


@pytest.fixture
def seats(city_x, city_y) -> Seats:
    district = DistrictFactory(city=city_x, name="Xville ISD")
    north = CharterNetworkFactory(name="North Star Schools", slug="north-star")
    other = CharterNetworkFactory(name="Mountain Academies", slug="mountain")
    superintendent, ceo = LeadershipRole.SUPERINTENDENT, LeadershipRole.NETWORK_CEO
    ann = term(
        district, superintendent, datetime.date(2008, 1, 1), datetime.date(2013, 6, 30), "Ann Old"
    )
    bob = term(district, superintendent, datetime.date(2013, 7, 1), None, "Bob New")
    term(
        district,
        LeadershipRole.BOARD_CHAIR,
        datetime.date(2011, 1, 1),
        TODAY + 30 * DAY,
        "Cara Chair",
    )
    dan = term(
        north,
        ceo,
        datetime.date(2009, 1, 1),
        datetime.date(2015, 12, 31),
        "Dan Ceo",
        title="Founder",
    )
    term(north, ceo, datetime.date(2016, 1, 1), None, "Eve Next")
    term(other, ceo, datetime.date(2010, 1, 1), None, "Mo Other")
    term(DistrictFactory(city=city_y), superintendent, datetime.date(2010, 1, 1), None, "Yuri Y")
    a = CompactFactory(city=city_x, title="Compact A", signed_on=datetime.date(2012, 1, 15))
    b = CompactFactory(city=city_x, title="Compact B", signed_on=datetime.date(2014, 1, 15))
    y_compact = CompactFactory(
        city=city_y, title="Yton Compact", signed_on=datetime.date(2012, 3, 1)
    )
    SignatoryFactory(compact=a, leadership_term=ann)
    SignatoryFactory(compact=a, leadership_term=dan)
    SignatoryFactory(compact=b, leadership_term=bob)
    SignatoryFactory(compact=y_compact, leadership_term=dan)
    return Seats(district=district, north=north, a=a, b=b, y_compact=y_compact)


EVERYONE_OF_X = {"Ann Old", "Bob New", "Cara Chair", "Dan Ceo", "Eve Next"}

LEADERSHIP_FILTERS = [
    (lambda s: {}, EVERYONE_OF_X),
    (lambda s: {"city": "xville"}, EVERYONE_OF_X),
    (lambda s: {"role": "network_ceo"}, {"Dan Ceo", "Eve Next"}),
    (lambda s: {"organization_kind": "district"}, {"Ann Old", "Bob New", "Cara Chair"}),
    (lambda s: {"state": "open"}, {"Bob New", "Cara Chair", "Eve Next"}),
    (lambda s: {"state": "ended"}, {"Ann Old", "Dan Ceo"}),
    (lambda s: {"started_after": "2013-07-01"}, {"Bob New", "Eve Next"}),
    (lambda s: {"started_before": "2009-01-01"}, {"Ann Old", "Dan Ceo"}),
    (lambda s: {"ended_after": "2015-12-31"}, {"Dan Ceo", "Cara Chair"}),
    (lambda s: {"ended_before": "2013-06-30"}, {"Ann Old"}),
    (lambda s: {"organization": s.district.pk}, {"Ann Old", "Bob New", "Cara Chair"}),
    (lambda s: {"signatory_of": s.a.pk}, {"Ann Old", "Dan Ceo"}),
    (lambda s: {"signatory_seat_of": s.a.pk}, {"Ann Old", "Bob New", "Dan Ceo", "Eve Next"}),
    # reports.links.leadership_changes_url: terms at A's seats that ended after its signing.
    (
        lambda s: {"signatory_seat_of": s.a.pk, "state": "ended", "ended_after": "2012-01-16"},
        {"Ann Old", "Dan Ceo"},
    ),
    (lambda s: {"q": "eve"}, {"Eve Next"}),
    (lambda s: {"q": "north founder"}, {"Dan Ceo"}),
]


@pytest.mark.parametrize(("params", "expected"), LEADERSHIP_FILTERS)
def test_the_leadership_list_filters_by_every_contract_parameter(
    editor_client, seats, params, expected
):
    assert names(editor_client.get(url("/leadership/", **params(seats)))) == expected


def test_the_leadership_list_shows_terms_of_the_users_cities_and_their_signatory_seats(
    outsider_client, superuser_client, seats
):
    # The outsider (city Y) sees Yuri, and the North Star seat because Dan signed Y's compact.
    assert names(outsider_client.get("/leadership/")) == {"Yuri Y", "Dan Ceo", "Eve Next"}
    assert names(superuser_client.get("/leadership/")) == EVERYONE_OF_X | {"Mo Other", "Yuri Y"}


def test_a_term_lists_only_the_signed_compacts_of_the_users_cities(
    editor_client, outsider_client, seats
):
    mine = editor_client.get("/leadership/?q=dan").content.decode()
    theirs = outsider_client.get("/leadership/?q=dan").content.decode()
    assert f'href="/compacts/{seats.a.pk}/"' in mine
    assert f"/compacts/{seats.y_compact.pk}/" not in mine
    assert f'href="/compacts/{seats.y_compact.pk}/"' in theirs
    assert f"/compacts/{seats.a.pk}/" not in theirs


def test_it_sorts_leadership_by_start_date_both_ways(editor_client, seats):
    ascending = [t.started_on for t in shown(editor_client.get("/leadership/?sort=started_on"))]
    descending = [t.started_on for t in shown(editor_client.get("/leadership/?sort=-started_on"))]
    assert ascending == sorted(ascending)
    assert descending == sorted(ascending, reverse=True)


def test_it_pages_51_terms(editor_client, city_x):
    district = DistrictFactory(city=city_x)
    for year in range(1950, 2001):
        term(district, LeadershipRole.OTHER, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    assert len(shown(editor_client.get("/leadership/"))) == 50
    assert len(shown(editor_client.get("/leadership/?page=2"))) == 1


def test_the_leadership_csv_has_one_row_per_term_in_the_filter(editor_client, seats):
    rows = csv_dicts(fetch(editor_client, f"/leadership/?signatory_of={seats.a.pk}&export=csv"))
    assert sorted(row["person"] for row in rows) == ["Ann Old", "Dan Ceo"]
    dan = next(row for row in rows if row["person"] == "Dan Ceo")
    assert dan["signed_compact_ids"] == str(seats.a.pk)
    assert dan["in_post"] == "false"
    assert dan["ended_on"] == "2015-12-31"


def test_the_leadership_csv_never_holds_an_outsiders_city(outsider_client, seats):
    rows = csv_dicts(fetch(outsider_client, "/leadership/?export=csv"))
    assert {row["person"] for row in rows} == {"Yuri Y", "Dan Ceo", "Eve Next"}
    assert {row["signed_compact_ids"] for row in rows} == {"", str(seats.y_compact.pk)}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (lambda s: {"started_after": "July 2013"}, "Enter a date as YYYY-MM-DD."),
        (lambda s: {"ended_before": "2013-02-29"}, "Enter a date as YYYY-MM-DD."),
        (lambda s: {"state": "closed"}, "There is no choice closed here."),
        (lambda s: {"role": "king"}, "There is no choice king here."),
        (lambda s: {"organization_kind": "guild"}, "There is no choice guild here."),
        (lambda s: {"city": "yton"}, "There is no choice yton here."),
        (lambda s: {"organization": "abc"}, "No record with that id is in your scope."),
        (lambda s: {"signatory_of": "abc"}, "No record with that id is in your scope."),
        (lambda s: {"signatory_of": s.y_compact.pk}, "No record with that id is in your scope."),
        (lambda s: {"signatory_seat_of": 999999}, "No record with that id is in your scope."),
    ],
)
def test_an_unreadable_leadership_filter_gets_a_message_and_no_rows(
    editor_client, seats, params, message
):
    response = editor_client.get(url("/leadership/", **params(seats)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown(response) == []


# --- schools -------------------------------------------------------------------------------------


@pytest.fixture
def schools(city_x, city_y):
    """Charter schools of X and Y. Compact A (X, active): North Star takes part, Solo Prep left
    yesterday, Closed High is a participant but closed, Fresh Start joined today, Next Year joins
    tomorrow. Compact L (X, lapsed): Solo Prep. Yton Star is North Star's school in Y."""
    north = CharterNetworkFactory(name="North Star Schools", slug="north-star")
    x_district = DistrictFactory(city=city_x)
    y_district = DistrictFactory(city=city_y)

    def school(name, city, district, **extra):
        return CharterSchoolFactory(name=name, city=city, district=district, **extra)

    star = school("North Star Elementary", city_x, x_district, network=north)
    solo = school("Solo Prep", city_x, x_district, grade_low="06", grade_high="08")
    closed = school(
        "Closed High", city_x, x_district, grade_low="09", grade_high="12", is_open=False
    )
    fresh = school("Fresh Start", city_x, x_district, grade_low="UG", grade_high="UG")
    later = school("Next Year Academy", city_x, x_district, grade_low="09", grade_high="12")
    school("Yton Star", city_y, y_district, network=north, grade_low="PK", grade_high="KG")
    a = CompactFactory(city=city_x, signed_on=datetime.date(2012, 1, 1))
    lapsed = CompactFactory(city=city_x, status=CompactStatus.LAPSED)
    ParticipantFactory(compact=a, organization=north, joined_on=datetime.date(2012, 1, 1))
    ParticipantFactory(
        compact=a, organization=solo, joined_on=datetime.date(2012, 1, 1), left_on=TODAY - DAY
    )
    ParticipantFactory(compact=lapsed, organization=solo, joined_on=datetime.date(2012, 1, 1))
    ParticipantFactory(compact=a, organization=closed, joined_on=datetime.date(2012, 1, 1))
    ParticipantFactory(compact=a, organization=fresh, joined_on=TODAY)
    ParticipantFactory(compact=a, organization=later, joined_on=TODAY + DAY)
    return star


ALL_SCHOOLS = {
    "North Star Elementary",
    "Solo Prep",
    "Closed High",
    "Fresh Start",
    "Next Year Academy",
    "Yton Star",
}

SCHOOL_FILTERS = [
    ({}, ALL_SCHOOLS),
    ({"city": "xville"}, ALL_SCHOOLS - {"Yton Star"}),
    ({"city": "yton"}, {"Yton Star"}),
    ({"network": "north-star"}, {"North Star Elementary", "Yton Star"}),
    ({"independent": "true"}, {"Solo Prep", "Closed High", "Fresh Start", "Next Year Academy"}),
    ({"independent": "false"}, {"North Star Elementary", "Yton Star"}),
    ({"is_open": "false"}, {"Closed High"}),
    ({"is_open": "true"}, ALL_SCHOOLS - {"Closed High"}),
    ({"grade": "03"}, {"North Star Elementary"}),
    ({"grade": "KG"}, {"North Star Elementary", "Yton Star"}),
    ({"grade": "07"}, {"Solo Prep"}),
    ({"grade": "12"}, {"Closed High", "Next Year Academy"}),
    ({"grade": "UG"}, {"Fresh Start"}),
    ({"participating": "true"}, {"North Star Elementary", "Fresh Start"}),
    (
        {"participating": "false"},
        {"Solo Prep", "Closed High", "Next Year Academy", "Yton Star"},
    ),
    # reports.links.schools_url: open schools of a city, taking part, independent.
    (
        {"city": "xville", "is_open": "true", "independent": "true", "participating": "true"},
        {"Fresh Start"},
    ),
    ({"q": "north star"}, {"North Star Elementary", "Yton Star"}),  # the network's name too
    ({"q": "elementary"}, {"North Star Elementary"}),
]


@pytest.mark.parametrize(("params", "expected"), SCHOOL_FILTERS)
def test_the_schools_list_filters_by_every_contract_parameter(
    viewer_client, schools, params, expected
):
    response = viewer_client.get(url("/schools/", **params))
    assert {school.name for school in shown(response)} == expected


def test_the_schools_list_is_reference_data_every_member_reads_whole(
    viewer_client, outsider_client, schools
):
    assert {s.name for s in shown(outsider_client.get("/schools/"))} == ALL_SCHOOLS
    assert {s.name for s in shown(viewer_client.get("/schools/"))} == ALL_SCHOOLS


def test_the_city_choices_put_the_users_cities_first(viewer_client, schools):
    content = viewer_client.get("/schools/").content.decode()
    assert content.index('<optgroup label="Your cities">') < content.index(">Xville, TX<")
    assert content.index(">Xville, TX<") < content.index('<optgroup label="Other cities">')
    assert content.index('<optgroup label="Other cities">') < content.index(">Yton, CA<")


def test_it_sorts_schools_by_name_both_ways(viewer_client, schools):
    ascending = [s.name for s in shown(viewer_client.get("/schools/?sort=name"))]
    assert ascending == sorted(ascending)
    assert [s.name for s in shown(viewer_client.get("/schools/?sort=-name"))] == ascending[::-1]


def test_a_network_links_to_its_schools(viewer_client, schools):
    content = viewer_client.get("/schools/").content.decode()
    assert 'href="/schools/?network=north-star"' in content


def test_it_pages_51_schools(viewer_client, city_x):
    CharterSchoolFactory.create_batch(51, city=city_x)
    assert len(shown(viewer_client.get("/schools/"))) == 50
    assert len(shown(viewer_client.get("/schools/?page=2"))) == 1


def test_the_schools_csv_has_one_row_per_school_in_the_filter(viewer_client, schools):
    rows = csv_dicts(fetch(viewer_client, "/schools/?participating=true&export=csv"))
    assert sorted(row["name"] for row in rows) == ["Fresh Start", "North Star Elementary"]
    star = next(row for row in rows if row["name"] == "North Star Elementary")
    assert star["network_slug"] == "north-star"
    assert star["independent"] == "false"
    assert star["participating"] == "true"
    assert star["nces_school_id"] == schools.nces_school_id


def test_the_schools_csv_has_stable_column_names(viewer_client, schools):
    assert csv_header(fetch(viewer_client, "/schools/?export=csv")) == [
        "id",
        "name",
        "nces_school_id",
        "city",
        "city_slug",
        "network",
        "network_slug",
        "independent",
        "district",
        "district_leaid",
        "grade_low",
        "grade_low_label",
        "grade_high",
        "grade_high_label",
        "opened_year",
        "enrollment",
        "is_open",
        "participating",
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("city", "atlantis", "There is no choice atlantis here."),
        ("network", "nowhere", "There is no choice nowhere here."),
        ("independent", "perhaps", "Use true or false (got perhaps)."),
        ("is_open", "open", "Use true or false (got open)."),
        ("grade", "13", "There is no choice 13 here."),
        ("participating", "2", "Use true or false (got 2)."),
    ],
)
def test_an_unreadable_school_filter_gets_a_message_and_no_rows(
    viewer_client, schools, name, value, message
):
    response = viewer_client.get(url("/schools/", **{name: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown(response) == []


# --- networks ------------------------------------------------------------------------------------


@pytest.fixture
def networks(city_x, city_y):
    north = CharterNetworkFactory(name="North Star Schools", slug="north-star")
    CharterNetworkFactory(
        name="Mountain Academies",
        slug="mountain",
        city=city_y,
        operator_type=OperatorType.FOR_PROFIT_EMO,
    )
    pine = CharterNetworkFactory(
        name="Pine Learning", slug="pine", operator_type=OperatorType.OTHER
    )
    CharterSchoolFactory(city=city_x, network=north)
    CharterSchoolFactory(city=city_y, network=north, is_open=False)
    CharterSchoolFactory(city=city_x, network=pine)
    return north


NETWORK_FILTERS = [
    ({}, {"North Star Schools", "Mountain Academies", "Pine Learning"}),
    ({"city": "xville"}, {"North Star Schools", "Pine Learning"}),
    ({"city": "yton"}, {"North Star Schools", "Mountain Academies"}),
    ({"operator_type": "for_profit_emo"}, {"Mountain Academies"}),
    ({"q": "pine"}, {"Pine Learning"}),
]


@pytest.mark.parametrize(("params", "expected"), NETWORK_FILTERS)
def test_the_networks_list_filters_by_every_contract_parameter(
    viewer_client, networks, params, expected
):
    response = viewer_client.get(url("/networks/", **params))
    assert {network.name for network in shown(response)} == expected


def test_the_networks_list_counts_schools_and_links_to_them(viewer_client, networks):
    response = viewer_client.get("/networks/?q=north")
    (north,) = shown(response)
    assert (north.school_count, north.open_school_count) == (2, 1)
    assert 'href="/schools/?network=north-star"' in response.content.decode()


def test_it_sorts_networks_by_school_count(viewer_client, networks):
    counts = [n.school_count for n in shown(viewer_client.get("/networks/?sort=-school_count"))]
    assert counts == [2, 1, 0]


def test_it_pages_51_networks(viewer_client, db):
    CharterNetworkFactory.create_batch(51)
    assert len(shown(viewer_client.get("/networks/"))) == 50
    assert len(shown(viewer_client.get("/networks/?page=2"))) == 1


def test_the_networks_csv_has_one_row_per_network_in_the_filter(outsider_client, networks):
    rows = csv_dicts(fetch(outsider_client, "/networks/?city=xville&export=csv"))
    assert sorted(row["slug"] for row in rows) == ["north-star", "pine"]
    north = next(row for row in rows if row["slug"] == "north-star")
    assert (north["school_count"], north["open_school_count"]) == ("2", "1")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("operator_type", "charity", "There is no choice charity here."),
        ("city", "x" * 30, "There is no choice"),
    ],
)
def test_an_unreadable_network_filter_gets_a_message_and_no_rows(
    viewer_client, networks, name, value, message
):
    response = viewer_client.get(url("/networks/", **{name: value}))
    assert message in response.content.decode()
    assert shown(response) == []


@pytest.mark.parametrize("path", ["/leadership/", "/schools/", "/networks/"])
def test_a_reference_list_refuses_post(viewer_client, path):
    assert viewer_client.post(path).status_code == 405


# --- query counts --------------------------------------------------------------------------------


def _grow(city, rows):
    """`rows` leadership terms (each a signatory), schools, networks, in city X."""
    compact = CompactFactory(city=city)
    for _ in range(rows):
        network = CharterNetworkFactory()
        CharterSchoolFactory(city=city, network=network)
        SignatoryFactory(compact=compact)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The user comes from the cache (accounts.backends), like the session and the user's
        # roles (whether a row links to its correction page): one query fewer than with the
        # user's own query (5, 5, 4, 5, 5, 4, 4, 4, 3 before).
        # city choices, COUNT, rows, signed compacts.
        ("/leadership/", 4),
        ("/leadership/?state=open&role=superintendent&city=xville&q=leader&sort=-ended_on", 4),
        # city choices, rows, signed compacts.
        ("/leadership/?export=csv", 3),
        # city choices, network choices, COUNT, rows.
        ("/schools/", 4),
        ("/schools/?participating=false&grade=03&independent=false&sort=network", 4),
        ("/schools/?export=csv", 3),
        # city choices, COUNT, rows.
        ("/networks/", 3),
        ("/networks/?city=xville&operator_type=nonprofit_cmo&sort=-school_count", 3),
        ("/networks/?export=csv", 2),
    ],
)
def test_each_reference_list_runs_a_fixed_number_of_queries(
    editor_client, city_x, rows, path, expected
):
    _grow(city_x, rows)
    fetch(editor_client, path)  # warm the per-process caches (the demo banner)
    with exactly_queries(expected):
        response = fetch(editor_client, path)
    assert response.status_code == 200


def test_a_compact_asked_for_by_id_is_named_under_its_box(editor_client, seats):
    content = editor_client.get(url("/leadership/", signatory_of=seats.a.pk)).content.decode()
    assert '<div class="form-text">Compact A</div>' in content


def test_an_organization_of_another_city_is_not_named_even_by_its_id(outsider_client, seats):
    response = outsider_client.get(url("/leadership/", organization=seats.district.pk))
    page = response.content.decode()

    assert "No record with that id is in your scope." in page
    assert "Xville ISD" not in page
    assert shown(response) == []


def test_an_organization_of_no_city_is_reference_data_every_member_names(editor_client, seats):
    page = editor_client.get(url("/leadership/", organization=seats.north.pk)).content.decode()

    assert "North Star Schools" in page
    assert "No record with that id is in your scope." not in page


def test_an_editor_of_the_terms_city_gets_a_correct_link_and_a_viewer_does_not(
    editor_client, viewer_client, city_x
):
    district = DistrictFactory(city=city_x)
    leader = term(district, LeadershipRole.SUPERINTENDENT, datetime.date(2015, 1, 1), name="Ana")
    link = f'href="/leadership/terms/{leader.pk}/edit/">Correct'
    assert link in editor_client.get("/leadership/").content.decode()
    assert link not in viewer_client.get("/leadership/").content.decode()

"""The commitments, milestones and activities lists: scope, every filter of the list contract,
sorting, paging, CSV export, refused filter values and flat query counts."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.choices import Role
from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
    ResponsibleParty,
)
from compacts.models import Commitment, Milestone
from compacts.selectors import commitment_list
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
)
from tests.list_helpers import (
    csv_dicts,
    csv_header,
    exactly_queries,
    fetch,
    shown,
    shown_titles,
    url,
)
from tests.schools.factories import CityFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@dataclass
class Records:
    """In city X: a live compact A and a lapsed compact B; in city W (the editor's second city) a
    compact; in city Y (the outsider's) a compact. Each with commitments, milestones, activities."""

    a: object
    b: object
    w: object
    y: object
    c_enr: object  # A, systemic, in progress, stale, with an overdue milestone
    c_pd: object  # A, capacity, achieved 2020-05-01
    c_gov: object  # B, governance, not started, "Transport pilot"
    c_w: object
    c_y: object
    m_overdue: object
    m_on_time: object
    m_late: object
    m_missed: object
    m_future: object
    m_w: object
    m_y: object
    act_meeting: object
    act_pd: object
    act_b: object
    act_w: object
    act_y: object


@pytest.fixture
def records(editor, city_x, city_y) -> Records:
    city_w = CityFactory(name="Wexford", state="TX")
    MembershipFactory(user=editor, city=city_w, role=Role.VIEWER)
    a = CompactFactory(city=city_x, title="Xville Compact")
    b = CompactFactory(city=city_x, title="Old Xville Compact", status=CompactStatus.LAPSED)
    w = CompactFactory(city=city_w, title="Wexford Compact")
    y = CompactFactory(city=city_y, title="Yton Compact")
    c_enr = CommitmentFactory(compact=a, title="Common enrollment", category=Category.ENR)
    c_pd = CommitmentFactory(
        compact=a,
        title="Shared PD days",
        category=Category.PD,
        status=CommitmentStatus.ACHIEVED,
        achieved_on=datetime.date(2020, 5, 1),
        responsible_party=ResponsibleParty.DISTRICT,
    )
    c_gov = CommitmentFactory(
        compact=b,
        title="Transport pilot",
        category=Category.GOV,
        status=CommitmentStatus.NOT_STARTED,
        responsible_party=ResponsibleParty.CHARTER,
        description="Buses for charter students",
    )
    c_w = CommitmentFactory(compact=w, title="Wexford facilities", category=Category.FAC)
    c_y = CommitmentFactory(compact=y, title="Yton enrollment", category=Category.ENR)
    m_overdue = MilestoneFactory(
        commitment=c_enr, title="Pilot the lottery", due_on=TODAY - 10 * DAY
    )
    m_on_time = MilestoneFactory(
        commitment=c_pd,
        title="First PD day",
        due_on=datetime.date(2019, 9, 1),
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2019, 8, 30),
    )
    m_late = MilestoneFactory(
        commitment=c_pd,
        title="Second PD day",
        due_on=datetime.date(2019, 10, 1),
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2019, 10, 15),
    )
    m_missed = MilestoneFactory(
        commitment=c_gov,
        title="Bus routes agreed",
        due_on=datetime.date(2018, 1, 1),
        status=MilestoneStatus.MISSED,
    )
    m_future = MilestoneFactory(commitment=c_enr, title="Unified lottery", due_on=TODAY + 30 * DAY)
    m_w = MilestoneFactory(commitment=c_w, title="Wexford lease", due_on=TODAY - 5 * DAY)
    m_y = MilestoneFactory(commitment=c_y, title="Yton lottery", due_on=TODAY - 5 * DAY)
    act_meeting = ActivityFactory(
        compact=a, commitment=c_enr, title="Enrollment working session", occurred_on=TODAY
    )
    act_pd = ActivityFactory(
        compact=a,
        kind=ActivityKind.JOINT_PD,
        title="Joint PD",
        occurred_on=datetime.date(2019, 9, 1),
        notes="Literacy",
    )
    act_b = ActivityFactory(compact=b, title="Old steering", occurred_on=datetime.date(2014, 2, 1))
    act_w = ActivityFactory(compact=w, title="Wexford steering", occurred_on=TODAY - DAY)
    act_y = ActivityFactory(compact=y, title="Yton steering", occurred_on=TODAY)
    # c_enr: untouched for 100 days (itself, its milestones and activities) -> stale.
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Commitment.objects.filter(pk=c_enr.pk).update(updated_at=long_ago)
    Milestone.objects.filter(commitment=c_enr).update(updated_at=long_ago)
    c_enr.activities.update(updated_at=long_ago)
    return Records(
        **{name: value for name, value in locals().items() if name in Records.__annotations__}
    )


# --- commitments ---------------------------------------------------------------------------------

COMMITMENT_FILTERS = [
    (lambda r: {}, {"c_enr", "c_pd", "c_gov", "c_w"}),
    (lambda r: {"city": "xville"}, {"c_enr", "c_pd", "c_gov"}),
    (lambda r: {"compact": r.a.pk}, {"c_enr", "c_pd"}),
    (lambda r: {"category": "PD"}, {"c_pd"}),
    (lambda r: {"tier": "governance"}, {"c_gov"}),
    (lambda r: {"tier": "systemic"}, {"c_enr", "c_w"}),
    (lambda r: {"status": "achieved"}, {"c_pd"}),
    (lambda r: {"responsible_party": "charter"}, {"c_gov"}),
    (lambda r: {"overdue": "true"}, {"c_enr", "c_w"}),
    (lambda r: {"overdue": "false"}, {"c_pd", "c_gov"}),
    (lambda r: {"stale": "true"}, {"c_enr"}),
    (lambda r: {"stale": "FALSE"}, {"c_pd", "c_gov", "c_w"}),
    (lambda r: {"achieved_after": "2020-05-01"}, {"c_pd"}),
    (lambda r: {"achieved_after": "2020-05-02"}, set()),
    (lambda r: {"achieved_before": "2020-05-01"}, {"c_pd"}),
    (lambda r: {"achieved_before": "2020-04-30"}, set()),
    (lambda r: {"live": "true"}, {"c_enr", "c_pd", "c_w"}),
    (lambda r: {"live": "false"}, {"c_gov"}),
    (lambda r: {"q": "transport"}, {"c_gov"}),
    (lambda r: {"q": "charter BUSES"}, {"c_gov"}),
    (lambda r: {"q": "old xville"}, {"c_gov"}),
    (lambda r: {"city": "xville", "live": "true", "overdue": "true"}, {"c_enr"}),
]


@pytest.mark.parametrize(("params", "expected"), COMMITMENT_FILTERS)
def test_the_commitments_list_filters_by_every_contract_parameter(
    editor_client, records, params, expected
):
    response = editor_client.get(url("/commitments/", **params(records)))
    assert {record.pk for record in shown(response)} == {
        getattr(records, name).pk for name in expected
    }


def test_the_commitments_list_never_shows_a_city_the_user_does_not_belong_to(
    outsider_client, records
):
    assert shown_titles(outsider_client.get("/commitments/")) == ["Yton enrollment"]


def test_it_sorts_commitments_by_a_column_both_ways(editor_client, records):
    ascending = shown_titles(editor_client.get("/commitments/?sort=title"))
    descending = shown_titles(editor_client.get("/commitments/?sort=-title"))
    assert ascending == sorted(ascending)
    assert descending == list(reversed(ascending))
    assert len(ascending) == 4


def test_it_sorts_commitments_by_the_overdue_count(editor_client, records):
    MilestoneFactory(commitment=records.c_w, due_on=TODAY - DAY)
    response = editor_client.get("/commitments/?sort=-overdue_milestones")
    assert [c.overdue_milestones for c in shown(response)] == [2, 1, 0, 0]


def test_the_commitments_list_shows_the_overdue_count_and_links_to_the_compact_page(
    editor_client, records
):
    response = editor_client.get(url("/commitments/", compact=records.a.pk))
    content = response.content.decode()
    assert f'href="/compacts/{records.a.pk}/#commitment-{records.c_enr.pk}"' in content
    assert {c.title: c.overdue_milestones for c in shown(response)} == {
        "Common enrollment": 1,
        "Shared PD days": 0,
    }


def test_it_pages_51_commitments_into_two_pages_of_50_and_1(editor_client, city_x):
    compact = CompactFactory(city=city_x)
    CommitmentFactory.create_batch(51, compact=compact)
    first = editor_client.get("/commitments/")
    second = editor_client.get("/commitments/?page=2")
    assert len(shown(first)) == 50
    assert len(shown(second)) == 1
    assert not {c.pk for c in shown(first)} & {c.pk for c in shown(second)}
    assert "51 commitments" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()


@pytest.mark.parametrize(("page", "expected_rows"), [("abc", 50), ("0", 50), ("99", 1)])
def test_an_impossible_page_number_shows_the_first_or_last_page(
    editor_client, city_x, page, expected_rows
):
    CommitmentFactory.create_batch(51, compact=CompactFactory(city=city_x))
    assert len(shown(editor_client.get(f"/commitments/?page={page}"))) == expected_rows


def test_it_ignores_a_per_page_parameter(editor_client, city_x):
    CommitmentFactory.create_batch(51, compact=CompactFactory(city=city_x))
    assert len(shown(editor_client.get("/commitments/?per_page=1000"))) == 50


def test_the_commitments_csv_has_one_row_per_commitment_in_the_filter(editor_client, records):
    rows = csv_dicts(fetch(editor_client, "/commitments/?city=xville&export=csv"))
    assert sorted(row["title"] for row in rows) == [
        "Common enrollment",
        "Shared PD days",
        "Transport pilot",
    ]
    enr = next(row for row in rows if row["title"] == "Common enrollment")
    assert enr["id"] == str(records.c_enr.pk)
    assert enr["city_slug"] == "xville"
    assert enr["compact_id"] == str(records.a.pk)
    assert enr["tier"] == "systemic"
    assert enr["overdue_milestones"] == "1"


def test_the_commitments_csv_is_not_paged(editor_client, city_x):
    CommitmentFactory.create_batch(60, compact=CompactFactory(city=city_x))
    assert len(csv_dicts(fetch(editor_client, "/commitments/?export=csv"))) == 60


def test_the_commitments_csv_has_stable_column_names(editor_client, records):
    assert csv_header(fetch(editor_client, "/commitments/?export=csv")) == [
        "id",
        "city",
        "city_slug",
        "compact_id",
        "compact",
        "category",
        "category_label",
        "tier",
        "tier_label",
        "title",
        "description",
        "responsible_party",
        "responsible_party_label",
        "status",
        "status_label",
        "target_on",
        "achieved_on",
        "overdue_milestones",
    ]


def test_the_commitments_csv_never_holds_an_outsiders_city(editor_client, records):
    rows = csv_dicts(fetch(editor_client, "/commitments/?export=csv"))
    assert {row["city_slug"] for row in rows} == {"xville", "wexford"}
    assert "Yton enrollment" not in {row["title"] for row in rows}


def test_the_csv_keeps_the_current_sort(editor_client, records):
    rows = csv_dicts(fetch(editor_client, "/commitments/?sort=-title&export=csv"))
    titles = [row["title"] for row in rows]
    assert titles == sorted(titles, reverse=True)


def test_the_export_link_keeps_the_current_filter(editor_client, records):
    response = editor_client.get("/commitments/?status=achieved&page=1&sort=title")
    assert 'href="?status=achieved&amp;sort=title&amp;export=csv"' in response.content.decode()


def test_a_spreadsheet_formula_in_a_title_is_exported_as_text(editor_client, city_x):
    CommitmentFactory(compact=CompactFactory(city=city_x), title="=HYPERLINK(1)")
    rows = csv_dicts(fetch(editor_client, "/commitments/?export=csv"))
    assert rows[0]["title"] == "'=HYPERLINK(1)"


BAD_COMMITMENT_FILTERS = [
    ("achieved_after", "2020-13-45", "Enter a date as YYYY-MM-DD."),
    ("achieved_before", "yesterday", "Enter a date as YYYY-MM-DD."),
    ("status", "finished", "There is no choice finished here."),
    ("tier", "cosmic", "There is no choice cosmic here."),
    ("category", "enr", "There is no choice enr here."),
    ("city", "atlantis", "There is no choice atlantis here."),
    ("compact", "abc", "There is no choice abc here."),
    ("overdue", "yes", "Use true or false (got yes)."),
    ("stale", "1", "Use true or false (got 1)."),
    ("live", "maybe", "Use true or false (got maybe)."),
    ("q", "x" * 201, "at most 200 characters"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_COMMITMENT_FILTERS)
def test_an_unreadable_commitment_filter_gets_a_message_and_no_rows(
    editor_client, records, name, value, message
):
    response = editor_client.get(url("/commitments/", **{name: value}))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert f'id="id_{name}_error"' in content  # next to the field
    assert "Some filters could not be read" in content  # and on top
    assert shown(response) == []


def test_an_outsiders_compact_is_not_a_choice(editor_client, records):
    response = editor_client.get(url("/commitments/", compact=records.y.pk))
    assert f"There is no choice {records.y.pk} here." in response.content.decode()
    assert shown(response) == []


def test_an_export_with_an_unreadable_filter_is_refused_not_guessed(editor_client, records):
    response = editor_client.get("/commitments/?overdue=yes&export=csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The export needs filters that can be read" in response.content.decode()


def test_an_unknown_export_format_is_refused(editor_client, records):
    response = editor_client.get("/commitments/?export=pdf")
    assert response.status_code == 400
    assert "There is no export format pdf; use export=csv." in response.content.decode()


@pytest.mark.parametrize("path", ["/commitments/", "/milestones/", "/activities/"])
def test_a_list_refuses_post(editor_client, path):
    assert editor_client.post(path).status_code == 405


# --- milestones ----------------------------------------------------------------------------------

MILESTONE_FILTERS = [
    (lambda r: {}, {"m_overdue", "m_on_time", "m_late", "m_missed", "m_future", "m_w"}),
    (lambda r: {"city": "wexford"}, {"m_w"}),
    (lambda r: {"compact": r.b.pk}, {"m_missed"}),
    (lambda r: {"commitment": r.c_pd.pk}, {"m_on_time", "m_late"}),
    (lambda r: {"status": "missed"}, {"m_missed"}),
    (lambda r: {"due_after": (TODAY + 30 * DAY).isoformat()}, {"m_future"}),
    (lambda r: {"due_before": "2019-09-01"}, {"m_on_time", "m_missed"}),
    (lambda r: {"overdue": "true"}, {"m_overdue", "m_w"}),
    (lambda r: {"overdue": "false"}, {"m_on_time", "m_late", "m_missed", "m_future"}),
    (lambda r: {"completed_after": "2019-10-15"}, {"m_late"}),
    (lambda r: {"completed_before": "2019-08-30"}, {"m_on_time"}),
    (lambda r: {"on_time": "true"}, {"m_on_time"}),
    (lambda r: {"on_time": "false"}, {"m_late", "m_missed", "m_overdue", "m_w"}),
    (lambda r: {"live": "false"}, {"m_missed"}),
    (
        lambda r: {"live": "true", "city": "xville"},
        {"m_overdue", "m_on_time", "m_late", "m_future"},
    ),
    (lambda r: {"q": "lottery"}, {"m_overdue", "m_future"}),
    (lambda r: {"q": "pd second"}, {"m_late"}),
]


@pytest.mark.parametrize(("params", "expected"), MILESTONE_FILTERS)
def test_the_milestones_list_filters_by_every_contract_parameter(
    editor_client, records, params, expected
):
    response = editor_client.get(url("/milestones/", **params(records)))
    assert {record.pk for record in shown(response)} == {
        getattr(records, name).pk for name in expected
    }


def test_the_milestones_list_marks_overdue_ones_and_links_to_the_compact_page(
    editor_client, records
):
    response = editor_client.get(url("/milestones/", commitment=records.c_enr.pk))
    content = response.content.decode()
    assert content.count(">overdue</span>") == 1
    assert f"/compacts/{records.a.pk}/#milestone-{records.m_overdue.pk}" in content


def test_it_sorts_milestones_by_due_date_both_ways(editor_client, records):
    ascending = [m.due_on for m in shown(editor_client.get("/milestones/?sort=due_on"))]
    descending = [m.due_on for m in shown(editor_client.get("/milestones/?sort=-due_on"))]
    assert ascending == sorted(ascending)
    assert descending == sorted(ascending, reverse=True)


@pytest.fixture
def due_and_done(city_x) -> list[str]:
    """Milestones of every state, made out of order; returned in the next-due-first order."""
    commitment = CommitmentFactory(compact=CompactFactory(city=city_x))

    def milestone(title, status, due_on):
        MilestoneFactory(commitment=commitment, title=title, status=status, due_on=due_on)

    milestone("done long ago", MilestoneStatus.DONE, datetime.date(2019, 3, 1))
    milestone("coming later", MilestoneStatus.PLANNED, TODAY + 100 * DAY)
    milestone("missed last month", MilestoneStatus.MISSED, TODAY - 30 * DAY)
    milestone("overdue", MilestoneStatus.PLANNED, TODAY - 10 * DAY)
    milestone("deferred", MilestoneStatus.DEFERRED, TODAY + DAY)
    milestone("coming soon", MilestoneStatus.IN_PROGRESS, TODAY + 5 * DAY)
    milestone("due today", MilestoneStatus.PLANNED, TODAY)
    return [
        "overdue",
        "due today",
        "coming soon",
        "coming later",
        "deferred",
        "missed last month",
        "done long ago",
    ]


def test_milestones_come_next_due_first_by_default(editor_client, due_and_done):
    """Open milestones by due date (the overdue on top), then the others, latest due first."""
    assert shown_titles(editor_client.get("/milestones/")) == due_and_done


def test_the_milestones_csv_keeps_the_next_due_first_order(editor_client, due_and_done):
    rows = csv_dicts(fetch(editor_client, "/milestones/?export=csv"))
    assert [row["title"] for row in rows] == due_and_done


def test_no_column_claims_the_next_due_first_order(editor_client, due_and_done):
    """The Due header is not marked sorted, and its first click sorts ascending."""
    content = editor_client.get("/milestones/").content.decode()
    assert '<th class="orderable" scope="col"><a href="?sort=due_on">Due</a></th>' in content
    assert 'class="asc' not in content and 'class="desc' not in content


def test_a_sorted_column_replaces_the_next_due_first_order(editor_client, due_and_done):
    by_due = shown(editor_client.get("/milestones/?sort=due_on"))
    assert [m.due_on for m in by_due] == sorted(m.due_on for m in by_due)
    assert shown_titles(editor_client.get("/milestones/?sort=title")) == sorted(due_and_done)


def test_it_pages_51_milestones(editor_client, city_x):
    MilestoneFactory.create_batch(51, commitment=CommitmentFactory(compact__city=city_x))
    assert len(shown(editor_client.get("/milestones/"))) == 50
    assert len(shown(editor_client.get("/milestones/?page=2"))) == 1


def test_the_milestones_csv_has_one_row_per_milestone_in_the_filter(editor_client, records):
    rows = csv_dicts(fetch(editor_client, "/milestones/?overdue=true&export=csv"))
    assert sorted(row["title"] for row in rows) == ["Pilot the lottery", "Wexford lease"]
    assert {row["overdue"] for row in rows} == {"true"}
    assert "Yton lottery" not in {row["title"] for row in rows}
    assert list(rows[0]) == [
        "id",
        "city",
        "city_slug",
        "compact_id",
        "compact",
        "commitment_id",
        "commitment",
        "title",
        "due_on",
        "status",
        "status_label",
        "overdue",
        "completed_on",
        "evidence_url",
        "notes",
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("due_after", "31/12/2020", "Enter a date as YYYY-MM-DD."),
        ("completed_before", "2021-02-30", "Enter a date as YYYY-MM-DD."),
        ("status", "late", "There is no choice late here."),
        ("commitment", "abc", "No record with that id is in your scope."),
        ("commitment", "999999", "No record with that id is in your scope."),
        ("commitment", "9" * 30, "No record with that id is in your scope."),
        ("commitment", "1.5", "No record with that id is in your scope."),
        ("on_time", "sure", "Use true or false (got sure)."),
        ("overdue", "", None),
    ],
)
def test_an_unreadable_milestone_filter_gets_a_message_and_no_rows(
    editor_client, records, name, value, message
):
    response = editor_client.get(url("/milestones/", **{name: value}))
    assert response.status_code == 200
    if message is None:  # an empty value is no filter at all
        assert len(shown(response)) == 6
        return
    assert message in response.content.decode()
    assert shown(response) == []


def test_an_outsiders_commitment_id_is_refused_like_a_missing_one(editor_client, records):
    response = editor_client.get(url("/milestones/", commitment=records.c_y.pk))
    assert "No record with that id is in your scope." in response.content.decode()
    assert shown(response) == []


# --- activities ----------------------------------------------------------------------------------

ACTIVITY_FILTERS = [
    (lambda r: {}, {"act_meeting", "act_pd", "act_b", "act_w"}),
    (lambda r: {"city": "xville"}, {"act_meeting", "act_pd", "act_b"}),
    (lambda r: {"compact": r.a.pk}, {"act_meeting", "act_pd"}),
    (lambda r: {"commitment": r.c_enr.pk}, {"act_meeting"}),
    (lambda r: {"kind": "joint_pd"}, {"act_pd"}),
    (lambda r: {"occurred_after": (TODAY - DAY).isoformat()}, {"act_meeting", "act_w"}),
    (lambda r: {"occurred_before": "2019-09-01"}, {"act_pd", "act_b"}),
    (lambda r: {"occurred_after": "2019-09-01", "occurred_before": "2019-09-01"}, {"act_pd"}),
    (lambda r: {"live": "true"}, {"act_meeting", "act_pd", "act_w"}),
    (lambda r: {"live": "false"}, {"act_b"}),
    (lambda r: {"q": "literacy"}, {"act_pd"}),
]


@pytest.mark.parametrize(("params", "expected"), ACTIVITY_FILTERS)
def test_the_activities_list_filters_by_every_contract_parameter(
    editor_client, records, params, expected
):
    response = editor_client.get(url("/activities/", **params(records)))
    assert {record.pk for record in shown(response)} == {
        getattr(records, name).pk for name in expected
    }


def test_activities_come_newest_first_by_default(editor_client, records):
    dates = [a.occurred_on for a in shown(editor_client.get("/activities/"))]
    assert dates == sorted(dates, reverse=True)


def test_it_sorts_activities_by_a_column(editor_client, records):
    ascending = shown_titles(editor_client.get("/activities/?sort=title"))
    assert ascending == sorted(ascending)
    assert shown_titles(editor_client.get("/activities/?sort=-title")) == ascending[::-1]


def test_activities_page_without_counting(editor_client, city_x):
    ActivityFactory.create_batch(51, compact=CompactFactory(city=city_x))
    editor_client.get("/activities/")
    with exactly_queries(ACTIVITY_LIST_QUERIES) as captured:
        first = editor_client.get("/activities/")
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    second = editor_client.get("/activities/?page=2")
    assert len(shown(first)) == 50
    assert len(shown(second)) == 1
    assert "Next" in first.content.decode()
    assert "Page 1</span>" in first.content.decode()  # no "of n": the total is not counted
    assert "Next" not in second.content.decode()
    assert "Previous" in second.content.decode()


def test_a_page_past_the_last_activity_shows_the_first(editor_client, city_x):
    ActivityFactory.create_batch(3, compact=CompactFactory(city=city_x))
    assert len(shown(editor_client.get("/activities/?page=7"))) == 3


def test_the_activities_csv_has_one_row_per_activity_in_the_filter(editor_client, records):
    rows = csv_dicts(fetch(editor_client, "/activities/?city=xville&export=csv"))
    assert sorted(row["title"] for row in rows) == [
        "Enrollment working session",
        "Joint PD",
        "Old steering",
    ]
    meeting = next(row for row in rows if row["title"] == "Enrollment working session")
    assert meeting["commitment_id"] == str(records.c_enr.pk)
    assert meeting["district_attendees"] == "4"
    assert meeting["charter_attendees"] == "3"


def test_the_activities_csv_never_holds_an_outsiders_city(outsider_client, records):
    rows = csv_dicts(fetch(outsider_client, "/activities/?export=csv"))
    assert [row["title"] for row in rows] == ["Yton steering"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("occurred_after", "2020-1-1x", "Enter a date as YYYY-MM-DD."),
        ("kind", "party", "There is no choice party here."),
        ("commitment", "-3", "No record with that id is in your scope."),
        ("live", "on", "Use true or false (got on)."),
    ],
)
def test_an_unreadable_activity_filter_gets_a_message_and_no_rows(
    editor_client, records, name, value, message
):
    response = editor_client.get(url("/activities/", **{name: value}))
    assert message in response.content.decode()
    assert shown(response) == []


# --- query counts --------------------------------------------------------------------------------

# The session and the user come from the cache (accounts.backends): each count is one fewer than
# with the user's own query (4, 3 and 3 before).
# The compacts behind the city and compact choices, COUNT, the page's rows.
COUNTED_LIST_QUERIES = 3
# Compact choices, the page's rows (no COUNT).
ACTIVITY_LIST_QUERIES = 2
# Compact choices, the rows.
EXPORT_QUERIES = 2


def _grow_commitments(city, rows):
    compact = CompactFactory(city=city)
    for commitment in CommitmentFactory.create_batch(rows, compact=compact):
        MilestoneFactory(commitment=commitment, due_on=TODAY - DAY)
        ActivityFactory(compact=compact, commitment=commitment)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/commitments/", COUNTED_LIST_QUERIES),
        (
            "/commitments/?overdue=true&stale=false&live=true&city=xville&q=commitment",
            COUNTED_LIST_QUERIES,
        ),
        ("/commitments/?export=csv", EXPORT_QUERIES),
        ("/milestones/", COUNTED_LIST_QUERIES),
        ("/milestones/?overdue=true&on_time=false&sort=-due_on", COUNTED_LIST_QUERIES),
        ("/milestones/?export=csv", EXPORT_QUERIES),
        ("/activities/", ACTIVITY_LIST_QUERIES),
        ("/activities/?kind=meeting&occurred_before=2030-01-01&sort=title", ACTIVITY_LIST_QUERIES),
        ("/activities/?export=csv", EXPORT_QUERIES),
    ],
)
def test_each_compact_list_runs_a_fixed_number_of_queries(
    editor_client, city_x, rows, path, expected
):
    _grow_commitments(city_x, rows)
    fetch(editor_client, path)  # warm the per-process caches (the demo banner)
    with exactly_queries(expected):
        response = fetch(editor_client, path)
    assert response.status_code == 200


def test_the_filter_form_starts_with_search_and_ends_with_the_live_switch(editor_client, records):
    form = editor_client.get("/commitments/").context["form"]
    assert list(form.fields)[:3] == ["q", "city", "compact"]
    assert list(form.fields)[-1] == "live"


def test_the_selector_takes_raw_filter_values_and_refuses_unreadable_ones(editor, records):
    achieved = commitment_list(user=editor, filters={"status": "achieved"})
    assert list(achieved) == [records.c_pd]
    with pytest.raises(ValidationError):
        commitment_list(user=editor, filters={"overdue": "yes"})


def test_a_milestone_done_after_its_due_day_is_marked_late(editor_client, city_x):
    commitment = CommitmentFactory(compact=CompactFactory(city=city_x))
    for title, done_on in (("on time", datetime.date(2020, 1, 1)), ("late", TODAY)):
        MilestoneFactory(
            commitment=commitment,
            title=title,
            status=MilestoneStatus.DONE,
            due_on=datetime.date(2020, 1, 10),
            completed_on=done_on,
        )

    content = editor_client.get("/milestones/").content.decode()

    assert content.count(">late</span>") == 1


def test_on_a_phone_each_milestone_names_its_city_and_compact(editor_client, records):
    """The city and compact columns are for wide screens; a narrow one reads them under the
    title (hidden from md up, where the columns show)."""
    content = editor_client.get(url("/milestones/", commitment=records.c_enr.pk)).content.decode()

    assert '<span class="d-md-none"> · Xville · Xville Compact</span>' in content

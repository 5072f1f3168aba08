"""The city cards, the city dashboard and the portfolio overview with its exports, as users see
them: figures, their links to the records they count, scope, exports equal to the page, query
counts."""

import datetime
import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from core.context_processors import current_demo_banner
from core.formats import date_text
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.compacts.factories import ParticipantFactory
from tests.reports.builders import (
    activity,
    commitment,
    days,
    live_compact,
    milestone,
    signatory,
    term_at,
)
from tests.reports.pages import (
    csv_rows,
    page_metrics,
    page_text,
    portfolio_page_rows,
    read_page,
    xlsx_rows,
    xlsx_sheet,
)
from tests.schools.factories import CharterSchoolFactory, CityFactory, PersonFactory

pytestmark = pytest.mark.django_db


def build_x(city):
    """City X, worked by hand: completion 1/2, on time 1/2, 1 of 3 milestones overdue (red),
    retention 1/2 with one departed signatory, 1 leadership change, participation 1/1."""
    today = timezone.localdate()
    compact = live_compact(city, title="Xville Compact")
    commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=today - days(400))
    in_progress = commitment(compact)
    commitment(compact, CommitmentStatus.ABANDONED)
    milestone(in_progress, today - days(10))  # overdue
    milestone(in_progress, today - days(100), MilestoneStatus.DONE, today - days(120))
    milestone(in_progress, today)  # due today: not overdue
    signatory(compact)
    departed = signatory(
        compact,
        person=PersonFactory(full_name="Jane Departed"),
        ended_on=datetime.date(2013, 1, 1),
        end_reason="moved",
    )
    term_at(departed, started_on=datetime.date(2013, 1, 2))
    activity(compact, today - days(3))
    school = CharterSchoolFactory(city=city)
    ParticipantFactory(compact=compact, organization=school)
    return compact


# --- the city dashboard -----------------------------------------------------------------------


def test_the_dashboard_shows_every_headline_figure(viewer_client, city_x):
    build_x(city_x)

    response = viewer_client.get(f"/cities/{city_x.slug}/")

    assert response.status_code == 200
    assert page_metrics(response) == {
        "commitment_completion": "0.500",
        "milestone_on_time": "0.500",
        "overdue_milestones": "1",
        "stale_commitments": "0",
        "signatory_retention": "0.500",
        "leadership_changes_since_signing": "1",
        "charter_participation": "1.000",
        "charter_participation_independent": "1.000",
        "charter_participation_network": "",
        "name_only": "false",
    }


def test_the_dashboard_gives_the_health_with_every_reason_in_words(viewer_client, city_x):
    build_x(city_x)

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))

    assert "Health: At risk" in text
    assert "1 of 3 milestones is overdue (33%)" in text


def test_the_dashboard_names_departed_signatories_and_when_they_left(viewer_client, city_x):
    build_x(city_x)

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))

    assert "Jane Departed, superintendent of" in text
    assert "left 1 Jan 2013" in text


def test_every_figure_links_to_the_list_of_the_records_it_counts(viewer_client, city_x):
    compact = build_x(city_x)
    today = timezone.localdate()
    since = today - days(364)
    scope = f"city={city_x.slug}&live=true"

    links = set(read_page(viewer_client.get(f"/cities/{city_x.slug}/")).links)

    assert {
        f"/commitments/?{scope}&status=achieved",
        f"/commitments/?{scope}",
        f"/commitments/?{scope}&stale=true",
        f"/commitments/?{scope}&status=abandoned",
        f"/milestones/?{scope}&on_time=true",
        f"/milestones/?{scope}&status=done",
        f"/milestones/?{scope}&status=missed",
        f"/milestones/?{scope}&overdue=true",
        f"/milestones/?{scope}",
        f"/leadership/?signatory_of={compact.id}&state=open",
        f"/leadership/?signatory_of={compact.id}",
        f"/leadership/?signatory_seat_of={compact.id}&state=ended&ended_after=2012-01-16",
        f"/schools/?city={city_x.slug}&is_open=true&participating=true",
        f"/schools/?city={city_x.slug}&is_open=true",
        f"/schools/?city={city_x.slug}&is_open=true&independent=true&participating=true",
        f"/schools/?city={city_x.slug}&is_open=true&independent=false&participating=true",
        f"/activities/?{scope}&occurred_after={since}&occurred_before={today}",
        f"/milestones/?{scope}&completed_after={since}&completed_before={today}",
        f"/commitments/?{scope}&achieved_after={since}&achieved_before={today}",
        f"/compacts/{compact.id}/",
        f"/milestones/?compact={compact.id}&overdue=true",
    } <= links


def test_chart_data_travels_as_json_and_no_script_runs_inline(viewer_client, city_x):
    build_x(city_x)

    html = viewer_client.get(f"/cities/{city_x.slug}/").content.decode()

    data = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html)
    payload = json.loads(data.group(1))
    assert set(payload) == {"commitments", "milestones", "leadership", "activities", "trend"}
    assert payload["leadership"]["seats"][0].startswith("Superintendent, ")
    assert len(payload["leadership"]["signings"]) == 2
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "chart.umd.min.js" in html and "js/dashboard.js" in html
    assert 'style="' not in html


def test_each_chart_has_a_data_table_whose_counts_link_to_their_records(viewer_client, city_x):
    build_x(city_x)

    response = viewer_client.get(f"/cities/{city_x.slug}/")
    html = response.content.decode()

    assert html.count('<details class="chart-table">') == 4
    assert html.count("<table") == 4
    links = read_page(response).links
    assert f"/commitments/?city={city_x.slug}&live=true&category=ENR&status=achieved" in links


def test_a_city_without_live_compact_shows_its_compacts_status_and_end_date(viewer_client, city_x):
    live_compact(
        city_x,
        title="Old Compact",
        status=CompactStatus.TERMINATED,
        ended_on=datetime.date(2013, 6, 1),
    )

    response = viewer_client.get(f"/cities/{city_x.slug}/")
    text = page_text(response)

    assert "No live compact" in text
    assert "Old Compact: terminated, ended 1 Jun 2013" in text
    assert page_metrics(response) == {}
    assert "dashboard-data" not in response.content.decode()


def test_the_dashboard_of_an_unknown_or_foreign_city_is_not_found(
    viewer_client, outsider_client, city_x
):
    build_x(city_x)

    assert viewer_client.get("/cities/atlantis/").status_code == 404
    assert outsider_client.get(f"/cities/{city_x.slug}/").status_code == 404


# --- the city cards ---------------------------------------------------------------------------


def test_the_city_cards_show_health_reasons_compacts_completion_and_overdue(viewer_client, city_x):
    build_x(city_x)
    live_compact(
        city_x,
        title="First Try",
        status=CompactStatus.LAPSED,
        signed_on=datetime.date(2010, 3, 1),
        ended_on=datetime.date(2011, 6, 1),
    )

    response = viewer_client.get("/cities/")
    text = page_text(response)

    assert "Xville TX At risk" in text
    assert "1 of 3 milestones is overdue (33%)" in text
    assert "Xville Compact Active signed 15 Jan 2012" in text
    assert "First Try Lapsed signed 1 Mar 2010 · ended 1 Jun 2011" in text
    assert page_metrics(response) == {"commitment_completion": "0.500", "overdue_milestones": "1"}
    links = read_page(response).links
    assert f"/cities/{city_x.slug}/" in links
    assert f"/commitments/?city={city_x.slug}&live=true&status=achieved" in links
    assert f"/milestones/?city={city_x.slug}&live=true&overdue=true" in links


# --- scope: a viewer of three cities ----------------------------------------------------------


@pytest.fixture
def viewer_of_three(db):
    cities = [CityFactory(name=name, state="MA") for name in ("Boston", "Lawrence", "Worcester")]
    for name in ("Denver", "Tulsa"):
        live_compact(CityFactory(name=name, state="CO"))
    user = UserFactory(username="funder")
    for city in cities:
        MembershipFactory(user=user, city=city, role=Role.VIEWER)
        live_compact(city)
    client = Client()
    client.force_login(user)
    return client


def test_a_viewer_of_three_cities_sees_exactly_those_three_everywhere(viewer_of_three):
    expected = ["Boston", "Lawrence", "Worcester"]

    cards = viewer_of_three.get("/cities/")
    page = viewer_of_three.get("/reports/")
    exported_csv = viewer_of_three.get("/reports/?export=csv")
    exported_xlsx = viewer_of_three.get("/reports/?export=xlsx")

    card_links = [link for link in read_page(cards).links if re.fullmatch(r"/cities/.+/", link)]
    assert sorted(set(card_links)) == ["/cities/boston/", "/cities/lawrence/", "/cities/worcester/"]
    assert read_page(page).rows == ["boston", "lawrence", "worcester"]
    assert [row["city"] for row in csv_rows(exported_csv)] == expected
    assert [row["city"] for row in xlsx_rows(exported_xlsx)] == expected
    assert viewer_of_three.get("/cities/denver/").status_code == 404


# --- the portfolio and its exports ------------------------------------------------------------

COLUMNS = [
    "city",
    "state",
    "compacts",
    "commitment_completion",
    "milestone_on_time",
    "overdue_milestones",
    "signatory_retention",
    "leadership_changes_since_signing",
    "charter_participation",
    "name_only",
    "stale_commitments",
    "health",
]
EXPORT_COLUMNS = [
    *COLUMNS,
    "health_label",
    "health_reasons",
    "as_of",
    "trend",
    "trend_label",
    "trend_detail",
]
NO_SNAPSHOT = {"trend": "new", "trend_label": "New"}


@pytest.fixture
def portfolio(superuser_client, city_x, city_y):
    build_x(city_x)
    live_compact(city_y)  # nothing to count: n/a ratios
    ended = CityFactory(name="Rochester", state="NY")
    live_compact(ended, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 6, 1))
    return superuser_client


def test_the_exports_have_the_columns_in_order_and_the_values_in_their_formats(portfolio):
    response = portfolio.get("/reports/?export=csv")
    today = timezone.localdate().isoformat()

    assert response["Content-Type"].startswith("text/csv")
    # The page's columns keep their codes and places (scripts read them); the words follow.
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(EXPORT_COLUMNS)
    rows = {row["city"]: row for row in csv_rows(response)}
    assert rows["Xville"] == {
        "city": "Xville",
        "state": "TX",
        "compacts": "1",
        "commitment_completion": "0.500",
        "milestone_on_time": "0.500",
        "overdue_milestones": "1",
        "signatory_retention": "0.500",
        "leadership_changes_since_signing": "1",
        "charter_participation": "1.000",
        "name_only": "false",
        "stale_commitments": "0",
        "health": "red",
        "health_label": "At risk",
        "health_reasons": "1 of 3 milestones is overdue (33%)",
        "as_of": today,
        **NO_SNAPSHOT,
        "trend_detail": rows["Xville"]["trend_detail"],
    }
    assert rows["Xville"]["trend_detail"].startswith("No figures from ")
    assert rows["Yton"] | {"city": "", "state": ""} == dict.fromkeys(EXPORT_COLUMNS, "") | {
        "compacts": "1",
        "overdue_milestones": "0",
        "leadership_changes_since_signing": "0",
        "name_only": "false",
        "stale_commitments": "0",
        "health": "green",
        "health_label": "On track",
        "health_reasons": "No overdue milestone, no stale commitment; no signatory recorded",
        "as_of": today,
        **NO_SNAPSHOT,
        "trend_detail": rows["Yton"]["trend_detail"],
    }
    assert rows["Rochester"] == dict.fromkeys(EXPORT_COLUMNS, "") | {
        "city": "Rochester",
        "state": "NY",
        "compacts": "1",
        "health_label": "No live compact",
        "health_reasons": rows["Rochester"]["health_reasons"],
        "as_of": today,
        "trend_label": "No live compact",
        "trend_detail": "No live compact today: nothing to compare.",
    }
    assert rows["Rochester"]["health_reasons"].startswith("No live compact. ")
    assert "terminated, ended 1 Jun 2013" in rows["Rochester"]["health_reasons"]


def test_the_xlsx_export_holds_the_csv_figures_as_numbers_and_percentages(portfolio):
    from_csv = {row["city"]: row for row in csv_rows(portfolio.get("/reports/?export=csv"))}
    response = portfolio.get("/reports/?export=xlsx")
    from_xlsx = {row["city"]: row for row in xlsx_rows(response)}

    ratios = ["commitment_completion", "milestone_on_time", "signatory_retention"]
    ratios.append("charter_participation")
    assert set(from_xlsx) == set(from_csv)
    for city, row in from_xlsx.items():
        for column in EXPORT_COLUMNS:
            value, text = row[column], from_csv[city][column]
            if city == "Rochester" and column in EXPORT_COLUMNS[3:11]:
                assert value == "no live compact", column
            elif column in ratios:
                assert value == ("n/a" if text == "" else float(text)), (city, column)
            elif column == "as_of":
                assert value.date().isoformat() == text
            elif column == "name_only":  # words for people, true/false for scripts
                assert value == {"true": "yes", "false": "no"}[text], city
            else:
                assert ("" if value is None else str(value)) == text, (city, column)

    sheet = xlsx_sheet(response)
    xville = next(line for line in sheet.iter_rows(min_row=2) if line[0].value == "Xville")
    by_code = dict(zip(EXPORT_COLUMNS, xville, strict=True))
    assert by_code["signatory_retention"].value == 0.5
    assert by_code["signatory_retention"].number_format == "0%"
    assert by_code["overdue_milestones"].number_format == "0"
    assert by_code["as_of"].number_format == "d mmm yyyy"
    assert sheet.freeze_panes == "B2"
    # the autofilter covers the cities; the totals row follows it
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row - 1}"
    assert sheet.column_dimensions["O"].width == 12


def test_the_workbook_explains_every_column_and_the_day(portfolio):
    response = portfolio.get("/reports/?export=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == ["Portfolio", "Read me"]
    readme = [
        [cell for cell in line if cell] for line in workbook["Read me"].iter_rows(values_only=True)
    ]
    as_of = date_text(timezone.localdate())
    assert readme[1] == [f"As of {as_of}: every figure is computed from the records of that day."]
    explained = {line[1]: line[2] for line in readme if len(line) == 3}
    assert set(explained) >= set(EXPORT_COLUMNS)
    assert "At risk (red)" in explained["health_label"]


def test_text_that_looks_like_a_formula_stays_text_in_both_exports(superuser_client):
    live_compact(CityFactory(name='=HYPERLINK("http://evil","x")', state="TX"))

    csv_city = csv_rows(superuser_client.get("/reports/?export=csv"))[0]["city"]
    xlsx_city = xlsx_rows(superuser_client.get("/reports/?export=xlsx"))[0]["city"]

    assert csv_city == xlsx_city == '\'=HYPERLINK("http://evil","x")'


def test_the_exports_match_the_page(portfolio):
    page = portfolio_page_rows(portfolio.get("/reports/"))
    exported = {row["city"].lower(): row for row in csv_rows(portfolio.get("/reports/?export=csv"))}

    assert set(page) == {"xville", "yton", "rochester"}
    for slug, shown in page.items():
        for metric, value in shown.items():
            assert exported[slug][metric] == value, (slug, metric)


def test_the_dashboard_figures_equal_the_exported_ones(portfolio, city_x):
    shown = page_metrics(portfolio.get(f"/cities/{city_x.slug}/"))
    exported = {row["city"]: row for row in csv_rows(portfolio.get("/reports/?export=csv"))}

    for metric in COLUMNS[3:-1]:
        assert shown[metric] == exported["Xville"][metric], metric


def test_the_portfolio_shows_ratios_as_percentages_and_na_where_nothing_is_counted(portfolio):
    text = page_text(portfolio.get("/reports/"))

    # (the health badge shows under the city's name too, for narrow screens)
    assert "Xville At risk • new TX 1 50% 50% 1 50% 1 100% no 0 At risk • new" in text
    assert "Yton On track • new CA 1 n/a n/a 0 n/a 0 n/a no 0 On track • new" in text
    assert "Rochester No live compact NY 1 No live compact:" in text


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("city", ["rochester", "xville", "yton"]),
        ("-city", ["yton", "xville", "rochester"]),
        ("commitment_completion", ["xville", "rochester", "yton"]),
        ("-overdue_milestones", ["xville", "yton", "rochester"]),
        ("health", ["xville", "yton", "rochester"]),
        ("-health", ["yton", "xville", "rochester"]),
        ("nonsense", ["rochester", "xville", "yton"]),
    ],
)
def test_the_portfolio_sorts_by_any_column_with_empty_values_last(portfolio, sort, order):
    assert read_page(portfolio.get(f"/reports/?sort={sort}")).rows == order
    exported = csv_rows(portfolio.get(f"/reports/?sort={sort}&export=csv"))
    assert [row["city"].lower() for row in exported] == order


def test_an_unknown_export_format_is_a_bad_request(portfolio):
    assert portfolio.get("/reports/?export=pdf").status_code == 400


# --- queries: a fixed number per page, whatever the number of cities --------------------------


def _cities(n: int, user) -> list:
    today = timezone.localdate()
    cities = []
    for index in range(n):
        city = CityFactory(name=f"Town {index:02d}")
        MembershipFactory(user=user, city=city, role=Role.VIEWER)
        compact = live_compact(city)
        live_compact(city, status=CompactStatus.LAPSED)
        signer = signatory(compact, ended_on=datetime.date(2014, 1, 1))
        term_at(signer, started_on=datetime.date(2014, 1, 2))
        c = commitment(compact)
        milestone(c, today - days(5))
        milestone(c, today - days(50), MilestoneStatus.DONE, today - days(60))
        activity(compact, today - days(7), commitment_=c)
        ParticipantFactory(compact=compact, organization=CharterSchoolFactory(city=city))
        cities.append(city)
    return cities


# The cities and the reader's roles (both cached after the first page), then (uncached)
# compacts, commitments, milestones, activities, terms; warm, none. The session comes from the
# cache (cached_db), and so does the user, stored there when they signed in (accounts.backends):
# 7 where it was 8 with the user's query, and 0 warm where it was 1. The dashboard also reads the
# city's monthly snapshots; the portfolio reads its cities' cohorts and last quarter's snapshots
# (cached per city like the figures), and a filter asks which cities it keeps (not cached apart:
# a warm page is its cached content). The figures are read from the cities' rollups first and,
# computed, stored there (reports/rollups.py): 9 where it was 7 before the rollups, on a first
# page; while the rollups are current, the five aggregates become that one read. The portfolio's
# cohorts come with the figures (CompactFigures.cohort): its facts are last quarter's snapshots
# only, 1 where they were 2.
UNCACHED, CACHED = 9, 0
TREND = 1
PORTFOLIO_FACTS = 1
FILTER = 1
FILTERED = "?cohort=2011-12&health=red&state=TX"


@pytest.mark.parametrize("n_cities", [2, 20])
@pytest.mark.parametrize(
    ("path", "extra_cold", "extra_warm"),
    [
        ("/cities/", 0, 0),
        ("dashboard", TREND, 0),
        ("/reports/", PORTFOLIO_FACTS, 0),
        ("/reports/?export=csv", PORTFOLIO_FACTS, 0),
        (f"/reports/{FILTERED}", PORTFOLIO_FACTS + FILTER, 0),
        (f"/reports/{FILTERED}&sort=-trend&export=csv", PORTFOLIO_FACTS + FILTER, FILTER),
        (f"/reports/{FILTERED}&export=xlsx", PORTFOLIO_FACTS + FILTER, FILTER),
    ],
)
def test_report_pages_take_a_fixed_number_of_queries(
    n_cities, path, extra_cold, extra_warm, viewer, viewer_client, django_assert_num_queries
):
    cities = _cities(n_cities, viewer)
    url = f"/cities/{cities[-1].slug}/" if path == "dashboard" else path
    current_demo_banner()  # the banner is cached for every page; not this test's concern

    with django_assert_num_queries(UNCACHED + extra_cold):
        first = viewer_client.get(url)
    with django_assert_num_queries(CACHED + extra_warm):
        second = viewer_client.get(url)

    assert first.status_code == second.status_code == 200
    if "export=xlsx" in url:
        assert xlsx_rows(first) == xlsx_rows(second)
        return
    assert read_page(first).rows == read_page(second).rows
    assert read_page(first).metrics == read_page(second).metrics
    assert read_page(first).links == read_page(second).links

"""The portfolio's trend since last quarter, its totals row and its filters, on the page and in
the exports. Today is frozen at 18 Mar 2026, so last quarter is the snapshot of Dec 2025."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from compacts.choices import CommitmentStatus, CompactStatus
from reports.models import CitySnapshot
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.reports.builders import commitment, live_compact
from tests.reports.pages import (
    csv_rows,
    page_text,
    portfolio_page_rows,
    read_page,
    xlsx_rows,
    xlsx_sheet,
    xlsx_totals,
)
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db

FROZEN = datetime.datetime(2026, 3, 18, 15, 30, tzinfo=datetime.UTC)
LAST_QUARTER = datetime.date(2025, 12, 1)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    return FROZEN.date()


def _completion(city, achieved: int, others: int, cohort: str = "2010-12"):
    """A live compact whose commitment completion is achieved / (achieved + others); green."""
    compact = live_compact(city, cohort=cohort)
    for _ in range(achieved):
        commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=datetime.date(2025, 1, 1))
    for _ in range(others):
        commitment(compact, CommitmentStatus.NOT_STARTED)
    return compact


def _snapshot(city, health: str, completion: list[int], month=LAST_QUARTER):
    return CitySnapshot.objects.create(
        city=city,
        month=month,
        as_of=datetime.date(month.year, month.month, 31 if month.month == 12 else 28),
        health=health,
        figures={"commitment_completion": completion},
        backfilled=True,
    )


# --- the trend ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("health", "completion", "code", "moved"),
    [
        ("green", [1, 2], "same", "health stayed On track; commitment completion stayed at 50%"),
        ("amber", [1, 2], "better", "health went from Needs attention to On track"),
        ("green", [0, 2], "better", "commitment completion rose from 0% to 50%"),
        ("green", [2, 2], "worse", "commitment completion fell from 100% to 50%"),
        # the health decides, whatever completion did
        ("red", [2, 2], "better", "health went from At risk to On track"),
        ("green", [0, 0], "same", "commitment completion went from n/a to 50%"),
    ],
)
def test_the_trend_compares_health_then_completion_with_last_quarter(
    superuser_client, city_x, health, completion, code, moved
):
    _completion(city_x, achieved=1, others=1)
    _snapshot(city_x, health, completion)

    response = superuser_client.get("/reports/")
    row = portfolio_page_rows(response)[city_x.slug]
    exported = csv_rows(superuser_client.get("/reports/?export=csv"))[0]

    assert row["trend"] == exported["trend"] == code
    assert exported["trend_label"] == code.capitalize()
    assert exported["trend_detail"].startswith("Since 31 Dec 2025: ")
    assert moved in exported["trend_detail"]
    html = response.content.decode()
    assert f'title="{exported["trend_detail"]}"' in html  # what moved, for the mouse
    assert f'<span class="visually-hidden">. {exported["trend_detail"]}</span>' in html


def test_a_city_without_last_quarters_snapshot_is_new_and_one_without_a_live_compact_has_none(
    superuser_client, city_x, city_y
):
    _completion(city_x, achieved=1, others=1)
    _snapshot(city_x, "red", [0, 1], month=datetime.date(2026, 1, 1))  # not last quarter
    ended = CityFactory(name="Rochester", state="NY")
    live_compact(ended, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 6, 1))
    _snapshot(ended, "green", [1, 1])

    rows = {row["city"]: row for row in csv_rows(superuser_client.get("/reports/?export=csv"))}

    assert rows["Xville"]["trend"] == "new"
    assert rows["Xville"]["trend_detail"] == "No figures from Dec 2025 to compare with."
    assert (rows["Rochester"]["trend"], rows["Rochester"]["trend_label"]) == ("", "No live compact")


def test_the_portfolio_sorts_by_trend_worse_first(superuser_client, city_x, city_y):
    _completion(city_x, achieved=1, others=1)
    _snapshot(city_x, "amber", [1, 2])  # better
    _completion(city_y, achieved=0, others=1)
    _snapshot(city_y, "green", [1, 1])  # worse

    assert read_page(superuser_client.get("/reports/?sort=trend")).rows == ["yton", "xville"]
    assert read_page(superuser_client.get("/reports/?sort=-trend")).rows == ["xville", "yton"]


# --- the totals -----------------------------------------------------------------------------------


@pytest.fixture
def three(superuser_client, city_x, city_y):
    _completion(city_x, achieved=1, others=1, cohort="2010-12")  # 1/2
    _completion(city_y, achieved=1, others=2, cohort="2011-12")  # 1/3
    ended = CityFactory(name="Rochester", state="NY")
    live_compact(
        ended,
        status=CompactStatus.TERMINATED,
        ended_on=datetime.date(2013, 6, 1),
        cohort="2010-12",
    )
    _snapshot(city_x, "amber", [1, 2])
    return superuser_client


def test_the_totals_sum_counts_and_divide_summed_numerators_not_average_percents(three):
    response = three.get("/reports/")
    html = response.content.decode()
    text = page_text(response)

    # 2 of 5 commitments achieved: 40%, not the 42% average of 50% and 33%
    assert 'data-total="commitment_completion" data-value="0.400">40%' in html
    assert 'data-total="compacts">3<' in html
    assert "All 3 shown" in text
    assert "2 on track, 1 no live compact" in text
    assert "1 better, 1 new" in text
    assert "not an average of the cities' percentages" in text
    # the totals are no city: a reader of the rows never meets them
    assert set(portfolio_page_rows(response)) == {"xville", "yton", "rochester"}


def test_the_workbook_ends_with_a_bold_totals_row_and_the_csv_has_none(three):
    csv = csv_rows(three.get("/reports/?export=csv"))
    response = three.get("/reports/?export=xlsx")
    totals = xlsx_totals(response)
    sheet = xlsx_sheet(response)

    assert len(csv) == 3 and len(xlsx_rows(response)) == 3
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row - 1}"  # sorting leaves the totals last
    assert totals["city"].value == "Total: 3 cities"
    assert totals["compacts"].value == 3
    assert totals["commitment_completion"].value == 0.4
    assert totals["commitment_completion"].number_format == "0%"
    assert totals["milestone_on_time"].value == "n/a"
    assert totals["health_label"].value == "2 on track, 1 no live compact"
    assert "not an average" in totals["health_reasons"].value
    assert all(cell.font.bold for cell in totals.values())
    readme = load_workbook(io.BytesIO(response.content))["Read me"]
    assert any("The last row (bold) holds the totals" in (line[0] or "") for line in readme.values)


# --- the filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", ["rochester", "xville", "yton"]),
        ("cohort=2010-12", ["rochester", "xville"]),
        ("cohort=2011-12", ["yton"]),
        ("state=CA", ["yton"]),
        ("state=TX&cohort=2011-12", []),
        ("health=green", ["xville", "yton"]),
        ("health=none", ["rochester"]),
        ("health=green&sort=-city", ["yton", "xville"]),
    ],
)
def test_the_filters_keep_the_cities_asked_for_on_the_page_and_in_both_exports(three, query, shown):
    page = three.get(f"/reports/?{query}")
    exported = csv_rows(three.get(f"/reports/?{query}&export=csv"))
    workbook = xlsx_rows(three.get(f"/reports/?{query}&export=xlsx"))

    assert read_page(page).rows == shown
    assert [row["city"].lower() for row in exported] == shown
    assert [row["city"].lower() for row in workbook] == shown
    if not shown:
        assert "No city you follow matches these filters." in page_text(page)


def test_the_links_keep_the_filters(three):
    links = read_page(three.get("/reports/?state=CA&sort=-health")).links

    assert "?state=CA&sort=-trend" not in links
    assert "?state=CA&sort=trend" in links
    assert "?state=CA&sort=health" in links
    assert "?state=CA&sort=-health&export=csv" in links
    assert "?state=CA&sort=-health&export=xlsx" in links


def test_the_choices_are_the_readers_own_cities(three, city_x, city_y):
    reader = UserFactory(username="funder")
    MembershipFactory(user=reader, city=city_y)
    three.force_login(reader)

    html = three.get("/reports/").content.decode()
    select = {
        name: html[html.index(f'name="{name}"') : html.index("</select>", html.index(name))]
        for name in ("cohort", "state", "health")
    }

    assert 'value="2011-12"' in select["cohort"] and "2010-12" not in select["cohort"]
    assert 'value="CA"' in select["state"] and 'value="TX"' not in select["state"]
    assert 'value="red"' in select["health"]
    # a value outside the reader's cities is refused, not silently ignored
    response = three.get("/reports/?state=TX")
    assert response.status_code == 200
    assert read_page(response).rows == []
    assert "There is no choice TX here." in page_text(response)


@pytest.mark.parametrize(
    "query",
    [
        "state=ZZ",
        "cohort=<script>alert(1)</script>",
        "health=purple",
        "health=red&state=" + "x" * 5000,
        "cohort=%00",
    ],
)
def test_bad_filter_values_show_no_rows_and_exports_refuse_them(three, query):
    page = three.get(f"/reports/?{query}")
    exported = three.get(f"/reports/?{query}&export=csv")

    assert page.status_code == 200
    assert read_page(page).rows == []
    assert "Some filters could not be read, so no rows are shown." in page_text(page)
    assert "<script>alert" not in page.content.decode()
    assert exported.status_code == 400
    assert "Some filters could not be read" in exported.content.decode()


def _queries(client, url) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_each_filter_is_cached_apart_and_a_warm_filtered_page_costs_what_an_unfiltered_one_does(
    three,
):
    for url in ("/reports/", "/reports/?state=CA", "/reports/?state=TX"):
        three.get(url)

    _page, unfiltered = _queries(three, "/reports/")
    ca, ca_queries = _queries(three, "/reports/?state=CA")
    tx, tx_queries = _queries(three, "/reports/?state=TX")

    assert ca_queries == tx_queries == unfiltered  # the content comes from the cache
    assert read_page(ca).rows == ["yton"]
    assert read_page(tx).rows == ["xville"]


def test_unreadable_filters_are_never_stored_and_a_warm_page_with_empty_ones_is_the_same_entry(
    three, monkeypatch
):
    from reports import portfolio_page

    renders = []
    invalid_content = portfolio_page.invalid_content
    monkeypatch.setattr(
        portfolio_page,
        "invalid_content",
        lambda *args: renders.append(args) or invalid_content(*args),
    )
    first = three.get("/reports/?health=purple")
    second = three.get("/reports/?health=purple")
    three.get("/reports/")
    _page, warm = _queries(three, "/reports/")
    _empty, empty_queries = _queries(three, "/reports/?cohort=&state=&health=")

    assert len(renders) == 2  # rendered each time: nothing was kept for it
    assert "Some filters could not be read" in page_text(first)
    assert "Some filters could not be read" in page_text(second)
    assert empty_queries == warm == 0  # empty filters ask for nothing: the unfiltered entry


def test_a_row_built_without_a_trend_exports_empty_trend_cells(city_x, frozen):
    """Other pages (the board pack) build portfolio rows without a trend."""
    from reports import portfolio, selectors
    from tests.reports.builders import city_row

    _completion(city_x, achieved=1, others=1)
    figures = selectors.compute_city_figures([city_row(city_x)], frozen)[city_x.id]
    row = portfolio.portfolio_row(figures)

    exported = csv_rows_of(portfolio.as_csv([row], frozen))[0]
    assert (exported["trend"], exported["trend_label"], exported["trend_detail"]) == ("", "", "")
    assert portfolio.totals([row]).trend_text == "none"


def csv_rows_of(body: bytes) -> list[dict]:
    import csv

    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# --- the board pack prints what the overview shows ------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown", "said"),
    [
        ("", ["rochester", "xville", "yton"], None),
        ("cohort=2010-12", ["rochester", "xville"], "Only the cities with compact cohort 2010-12."),
        ("health=green&sort=-city", ["yton", "xville"], "Only the cities with health On track."),
    ],
)
def test_the_pack_prints_the_overviews_filters_and_sort(three, query, shown, said):
    pack = three.get(f"/reports/board-pack/?{query}")
    text = page_text(pack)

    assert read_page(pack).rows == shown
    assert (said in text) if said else ("Only the cities with" not in text)
    total = f"All {len(shown)} shown*" if not said else f"{len(shown)} of 3 cities (filtered)*"
    assert total in text
    assert "not an average of the cities' percentages" in text


def test_the_pack_prints_every_city_when_the_filters_cannot_be_read(three):
    text = page_text(three.get("/reports/board-pack/?health=purple&state=<b>"))

    assert "The filters asked for could not be read; every city is shown." in text
    assert "All 3 shown*" in text
    assert "<b>" not in text


def test_the_pack_prints_each_citys_trend_and_the_totals(three):
    html = three.get("/reports/board-pack/").content.decode()
    text = page_text(three.get("/reports/board-pack/"))

    # Xville was amber last quarter; Yton has no snapshot yet; Rochester no live compact
    assert html.count('data-trend="better"') == 1
    assert html.count('data-trend="new"') == 1
    assert 'data-total="commitment_completion" data-value="0.400">40%' in html
    assert "Health: 2 on track, 1 no live compact; since last quarter: 1 better, 1 new." in text


def test_the_overviews_print_link_carries_its_filters(three):
    links = read_page(three.get("/reports/?cohort=2010-12&sort=-city")).links

    assert "/reports/board-pack/?cohort=2010-12&sort=-city" in links


def test_filtered_totals_and_files_say_they_are_filtered(three):
    page = page_text(three.get("/reports/?cohort=2010-12"))
    response = three.get("/reports/?cohort=2010-12&export=xlsx")
    csv_response = three.get("/reports/?cohort=2010-12&export=csv")
    readme = load_workbook(io.BytesIO(response.content))["Read me"]

    assert "2 of 3 cities (filtered)" in page
    assert xlsx_totals(response)["city"].value == "Total: 2 of 3 cities (filtered)"
    assert any(line[0] == "Only the cities with compact cohort 2010-12." for line in readme.values)
    assert "portfolio-2010-12-" in response["Content-Disposition"]
    assert "portfolio-2010-12-" in csv_response["Content-Disposition"]
    assert three.get("/reports/?export=csv")["Content-Disposition"].startswith(
        'attachment; filename="portfolio-2'
    )


def test_a_pack_whose_filters_keep_no_city_says_so(three):
    text = page_text(three.get("/reports/board-pack/?state=TX&cohort=2011-12"))

    assert "No city you follow matches these filters." in text
    assert "not a member of any city" not in text


def test_the_workbook_says_yes_or_no_as_the_page_does(three):
    rows = xlsx_rows(three.get("/reports/?export=xlsx"))

    assert {row["name_only"] for row in rows if row["name_only"] != "no live compact"} <= {
        "yes",
        "no",
    }

"""A funder reads, compares and downloads, and can change nothing: they sign in, sort the
portfolio by health, download it as CSV and XLSX (and check the workbook a board would get: types,
formats, the totals row, the "Read me" sheet), filter it to the cities at risk and download those,
open a city at risk and follow a figure to the records it counts. No page shows them an edit
control, and a forged write is refused."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest

from tests.e2e.browser import sign_in_through_the_form
from tests.e2e.checks import edit_controls

pytestmark = pytest.mark.e2e

HEALTH_ORDER = {"red": 0, "amber": 1, "green": 2}
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
RATIOS = [
    "commitment_completion",
    "milestone_on_time",
    "signatory_retention",
    "charter_participation",
]
TRENDS = {"better": "Better", "worse": "Worse", "same": "Same", "new": "New"}
WORDS = {"red": "At risk", "amber": "Needs attention", "green": "On track"}


def _portfolio_rows(page) -> list[dict]:
    """The portfolio table as the page shows it: city name and every metric's exact value."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.portfolio-table tbody tr')].map(tr => {
          const row = {city: tr.querySelector('th a').innerText.trim(), slug: tr.dataset.city,
                       state: tr.querySelector('td').innerText.trim()};
          for (const td of tr.querySelectorAll('td[data-metric]')) {
            row[td.dataset.metric] = td.dataset.value;
          }
          return row;
        })"""
    )


def _assert_no_edit_control(page) -> None:
    assert edit_controls(page) == [], f"edit controls shown to a viewer on {page.url}"


def _download(page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_a_funder_compares_downloads_and_follows_a_figure_and_can_change_nothing(open_page, site):
    from schools.models import City

    page = open_page()
    sign_in_through_the_form(page, site, site.funder)
    cities = page.locator(".city-cards > li")
    assert cities.count() == City.objects.count()
    _assert_no_edit_control(page)

    # The portfolio, sorted by health: at risk first, then needs attention, then on track, and
    # the cities with no live compact (no health) last.
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url(site("/reports/"))
    _assert_no_edit_control(page)
    page.get_by_role("columnheader", name="Health").get_by_role("link").click()
    page.wait_for_url(site("/reports/?sort=health"))
    assert page.get_by_role("columnheader", name=re.compile("Health")).get_attribute(
        "aria-sort"
    ) == ("ascending")
    rows = _portfolio_rows(page)
    assert len(rows) == City.objects.count()
    ranks = [HEALTH_ORDER.get(row["health"], 3) for row in rows]
    assert ranks == sorted(ranks), [row["health"] for row in rows]
    assert {row["health"] for row in rows} >= {"red", "amber", "green"}

    # CSV: the same rows in the same order with the same values as the page.
    filename, body = _download(page, "Download CSV")
    assert filename.endswith(".csv")
    assert body.startswith("\ufeff".encode()), "a byte-order mark, so Excel reads UTF-8"
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == EXPORT_COLUMNS
    assert [line[0] for line in table[1:]] == [row["city"] for row in rows]
    for line, row in zip(table[1:], rows, strict=True):
        for column, value in zip(EXPORT_COLUMNS, line, strict=True):
            if column in row and column != "city":
                assert value == row[column], (row["city"], column, value, row[column])
        exported = dict(zip(EXPORT_COLUMNS, line, strict=True))
        assert exported["health_label"] == WORDS.get(row["health"], "No live compact")
        assert exported["health_reasons"], row["city"]

    # XLSX: the same rows under the labels people read, figures as numbers and percentages,
    # a frozen header with filters, and a sheet that explains every column and the day.
    filename, body = _download(page, "Download XLSX")
    assert filename.endswith(".xlsx")
    _check_the_workbook(body, rows, followed=len(rows))

    # Only the cities at risk, chosen in the filters: the page and the workbook keep just them.
    page.get_by_label("Health").select_option(label="At risk")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/reports/\?.*health=red"))
    at_risk = _portfolio_rows(page)
    assert at_risk == [row for row in rows if row["health"] == "red"]
    _filename, body = _download(page, "Download XLSX")
    assert _filename.startswith("portfolio-red-")
    _check_the_workbook(body, at_risk, followed=len(rows))

    # A city at risk, and the figure behind its overdue milestones.
    red = next(row for row in rows if row["health"] == "red" and row["overdue_milestones"] != "0")
    page.locator(f"tr[data-city='{red['slug']}'] th a").click()
    page.wait_for_url(site(f"/cities/{red['slug']}/"))
    assert page.locator("#health-heading .health-badge").inner_text().strip() == "At risk"
    assert page.locator(".health-panel .reasons li").count() >= 1
    _assert_no_edit_control(page)
    figure = page.locator("[data-metric=overdue_milestones]")
    count = int(figure.get_attribute("data-value"))
    assert count == int(red["overdue_milestones"])
    figure.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/milestones/\?.*overdue=true"))
    assert page.locator("main table tbody tr").count() == count
    noun = "milestone" if count == 1 else "milestones"
    assert page.locator(".result-count").inner_text().startswith(f"{count} {noun}")
    for badge in page.locator("main table tbody tr").all_inner_texts():
        assert "Overdue" in badge or "overdue" in badge, badge
    _assert_no_edit_control(page)

    # The compact page of that city, its history pages and every list show no edit control
    # (no undo or restore either).
    page.go_back()
    page.locator(".compact-list h3 a").first.click()
    page.wait_for_url(re.compile(r"/compacts/\d+/$"))
    _assert_no_edit_control(page)
    page.get_by_role("link", name="History of this compact").click()
    page.wait_for_url(re.compile(r"/history/compacts/compact/\d+/$"))
    _assert_no_edit_control(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("^Recent changes in")).click()
    page.wait_for_url(site(f"/cities/{red['slug']}/changes/"))
    _assert_no_edit_control(page)
    for path in ("/commitments/", "/milestones/", "/activities/", "/leadership/", "/schools/"):
        page.goto(site(path))
        _assert_no_edit_control(page)
    page.goto(site("/networks/"))
    _assert_no_edit_control(page)

    # A forged write, with the funder's session and a valid CSRF token, is refused.
    _assert_a_direct_post_is_refused(page, site, red["slug"])

    # Boston's leadership chart: every term is drawn in its own seat's row (the mayor's terms
    # once landed in the superintendent's).
    page.goto(site("/cities/boston/"))
    drawn = page.evaluate(
        """() => {
          const chart = Chart.getChart(document.getElementById('chart-leadership'));
          const data = JSON.parse(document.getElementById('dashboard-data').textContent);
          const rows = [];
          chart.data.datasets.forEach((dataset, index) => {
            chart.getDatasetMeta(index).data.forEach((bar, i) => {
              const raw = dataset.data[i];
              const term = data.leadership.bars.find(
                (b) => b.person === raw.person && b.from === raw.x[0]);
              rows.push({drawn: chart.scales.y.getValueForPixel(bar.y), seat: term.seat});
            });
          });
          return {rows, seats: data.leadership.seats.length};
        }"""
    )
    assert drawn["seats"] >= 2 and len(drawn["rows"]) >= 3
    assert all(row["drawn"] == row["seat"] for row in drawn["rows"]), drawn["rows"]


def _check_the_workbook(body: bytes, rows: list[dict], followed: int) -> None:
    """The portfolio workbook as a board would get it, against the page's `rows`: the header
    frozen, the autofilter over exactly the cities, percentages as numbers shown as percentages,
    dates as dates, the health in words with its reasons, the trend, a bold totals row last, and
    the "Read me" sheet with the as-of line."""
    from django.utils import timezone

    from core.formats import date_text

    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Portfolio", "Read me"]
    sheet = workbook["Portfolio"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:R{len(rows) + 1}"
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["City", "State", "Compacts", "Commitment completion"]
    assert header[-3:] == ["Trend code", "Since last quarter", "What moved"]
    assert all(cell.font.bold for cell in sheet[1])
    lines = [
        dict(zip(EXPORT_COLUMNS, line, strict=True))
        for line in sheet.iter_rows(min_row=2, max_row=len(rows) + 1)
    ]
    assert [line["city"].value for line in lines] == [row["city"] for row in rows]
    for line, row in zip(lines, rows, strict=True):
        assert line["health_label"].value == WORDS.get(row["health"], "No live compact")
        assert line["health_reasons"].value, row["city"]  # the why, in words, for every city
        assert isinstance(line["as_of"].value, datetime.datetime)
        assert line["as_of"].number_format == "d mmm yyyy"
        assert line["trend_label"].value == TRENDS.get(row.get("trend"), "No live compact")
        if not row.get("health"):
            assert line["signatory_retention"].value == "no live compact"
            assert line["health_reasons"].value.startswith("No live compact. ")
            continue
        assert line["health"].value == row["health"]
        assert line["trend_detail"].value
        for ratio in RATIOS:
            cell = line[ratio]
            if row[ratio]:
                assert isinstance(cell.value, int | float), (row["city"], ratio)
                assert cell.value == pytest.approx(float(row[ratio]))
                assert cell.number_format == "0%"
            else:
                assert cell.value == "n/a"
        assert line["overdue_milestones"].value == int(row["overdue_milestones"])
        assert line["overdue_milestones"].number_format == "0"

    totals = dict(zip(EXPORT_COLUMNS, sheet[len(rows) + 2], strict=True))
    assert sheet.max_row == len(rows) + 2
    if len(rows) == followed:
        assert totals["city"].value == f"Total: {len(rows)} cities"
    else:
        assert totals["city"].value == f"Total: {len(rows)} of {followed} cities (filtered)"
    assert all(cell.font.bold for cell in totals.values())
    assert totals["compacts"].value == sum(int(row["compacts"]) for row in rows)
    assert totals["overdue_milestones"].value == sum(
        int(row.get("overdue_milestones") or 0) for row in rows
    )
    assert totals["commitment_completion"].number_format == "0%"
    assert "not an average" in totals["health_reasons"].value

    readme = [line[0] for line in workbook["Read me"].iter_rows(values_only=True) if line[0]]
    as_of = date_text(timezone.localdate())
    assert readme[1] == f"As of {as_of}: every figure is computed from the records of that day."
    explained = {line[1] for line in workbook["Read me"].iter_rows(values_only=True) if line[1]}
    assert explained >= set(EXPORT_COLUMNS)


def _assert_a_direct_post_is_refused(page, site, slug: str) -> None:
    from compacts.models import Milestone

    milestone = (
        Milestone.objects.filter(commitment__compact__city__slug=slug)
        .exclude(status="done")
        .order_by("pk")
        .first()
    )
    token = page.locator("header input[name=csrfmiddlewaretoken]").input_value()
    response = page.context.request.post(
        site(f"/milestones/{milestone.pk}/done/"),
        form={
            "csrfmiddlewaretoken": token,
            "completed_on": "2020-01-01",
            "evidence_url": "https://example.org/forged",
        },
        headers={"Referer": site(f"/milestones/{milestone.pk}/done/")},
        max_redirects=0,
    )
    assert response.status == 403
    body = response.text()
    assert "Not allowed" in body  # the role check answered, not the CSRF check
    assert "This form has expired" not in body
    status = milestone.status
    milestone.refresh_from_db()
    assert (milestone.status, milestone.evidence_url) == (status, milestone.evidence_url)
    assert milestone.evidence_url != "https://example.org/forged"


def test_the_edit_control_check_finds_what_an_editor_is_offered(open_page, site):
    """The check above is worth something only if it sees edit controls where there are some."""
    from compacts.models import Compact

    compact = Compact.objects.get(city__name="Spring Branch")
    page = open_page(as_user="program")
    page.goto(site(f"/compacts/{compact.pk}/"))
    found = "\n".join(edit_controls(page))
    for expected in ("/edit/", "/new/", "/delete/", "/done/", "/leadership/change/", "'Add "):
        assert expected in found, f"{expected!r} not detected among:\n{found}"

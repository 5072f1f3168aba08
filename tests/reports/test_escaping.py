"""Hostile text in names, titles and the reasons built from them is escaped on every report page,
cold and from the cache, and left plain in the exports."""

import datetime

import pytest

from compacts.choices import CompactStatus
from tests.reports.builders import commitment, days, live_compact, milestone, signatory
from tests.reports.pages import csv_rows, xlsx_rows
from tests.schools.factories import DistrictFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'


def hostile(label: str) -> str:
    return f"{label} {SCRIPT}{IMAGE}"


@pytest.fixture
def hostile_city(city_x):
    city_x.name = hostile("City")
    city_x.save()
    compact = live_compact(city_x, title=hostile("Compact"))
    milestone(commitment(compact, title=hostile("Commitment")), datetime.date.today() - days(3))
    organization = DistrictFactory(city=city_x, name=hostile("District"))
    signatory(
        compact,
        organization=organization,
        person__full_name=hostile("Person"),
        ended_on=datetime.date.today() - days(30),
    )
    live_compact(
        city_x,
        title=hostile("Old compact"),
        status=CompactStatus.TERMINATED,
        signed_on=datetime.date(2008, 1, 1),
        ended_on=datetime.date(2011, 6, 1),
    )
    return city_x


def assert_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in html


@pytest.mark.parametrize("page", ["/cities/", "dashboard", "/reports/", "/reports/?sort=-city"])
def test_hostile_text_is_escaped_on_every_report_page_cold_and_cached(
    page, viewer_client, hostile_city
):
    url = f"/cities/{hostile_city.slug}/" if page == "dashboard" else page
    for _load in ("cold", "cached"):
        assert_escaped(viewer_client.get(url).content.decode())


def test_the_dashboard_escapes_people_organizations_and_the_reasons_naming_them(
    viewer_client, hostile_city
):
    html = viewer_client.get(f"/cities/{hostile_city.slug}/").content.decode()
    for label in ("City", "Compact", "Old compact", "District", "Person"):
        assert f"{label} &lt;script&gt;" in html


def test_a_portfolio_row_without_a_live_compact_escapes_its_compacts(viewer_client, city_x):
    city_x.name = hostile("City")
    city_x.save()
    live_compact(city_x, title=hostile("Gone"), status=CompactStatus.LAPSED)
    html = viewer_client.get("/reports/").content.decode()
    assert_escaped(html)
    assert "No live compact: Gone &lt;script&gt;" in html


# Text that closes an attribute value and opens an event handler, with a single quote too.
ATTRIBUTE = "\"onmouseover=alert(3) 'x"
ATTRIBUTE_ESCAPED = "&quot;onmouseover=alert(3) &#x27;x"


def card_or_row(html: str, page: str, city) -> str:
    """The city's card on /cities/ (its <li>) or its row on /reports/ (its <tr>): the fragments
    drawn by the Jinja2 templates."""
    if page == "/cities/":
        end = html.index(f'aria-labelledby="city-{city.id}"')
        start = html.rindex('<li class="col">', 0, end)
        return html[start : html.index("</article>", end)]
    start = html.index(f'<tr data-city="{city.slug}">')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize("page", ["/cities/", "/reports/"])
@pytest.mark.parametrize("status", [CompactStatus.ACTIVE, CompactStatus.LAPSED])
def test_the_city_card_and_the_portfolio_row_escape_names_titles_and_quotes(
    page, status, viewer_client, city_x
):
    city_x.name = f"City {SCRIPT}{ATTRIBUTE}"
    city_x.save()
    live_compact(
        city_x,
        title=f"Compact {SCRIPT}{ATTRIBUTE}",
        status=status,
        ended_on=None if status == CompactStatus.ACTIVE else datetime.date(2020, 1, 1),
    )
    # A row names its compacts only when the city has no live compact (in place of figures).
    shown = (
        ("City",) if page == "/reports/" and status == CompactStatus.ACTIVE else ("City", "Compact")
    )
    for _load in ("cold", "cached"):
        fragment = card_or_row(viewer_client.get(page).content.decode(), page, city_x)
        assert "<script>" not in fragment
        assert ATTRIBUTE not in fragment
        for label in shown:
            assert f"{label} &lt;script&gt;alert(1)&lt;/script&gt;{ATTRIBUTE_ESCAPED}" in fragment


def test_the_exports_keep_hostile_text_plain(viewer_client, hostile_city):
    assert csv_rows(viewer_client.get("/reports/?export=csv"))[0]["city"] == hostile("City")
    assert xlsx_rows(viewer_client.get("/reports/?export=xlsx"))[0]["city"] == hostile("City")

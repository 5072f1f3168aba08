"""The board pack: the print page of a city and of the portfolio, and `manage.py board_pack`
writing it as a PDF. Who may read it is the permission matrix's business (tests/matrix)."""

import datetime
import io
import os
import re
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.choices import Role
from core.context_processors import DEMO_BANNER_CACHE_KEY, current_demo_banner
from core.formats import date_text
from core.models import DemoDataset
from reports.board_pack import css_string
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import ActivityFactory
from tests.reports.builders import live_compact
from tests.reports.pages import page_metrics, page_text, portfolio_page_rows, read_page
from tests.reports.test_views import _cities, build_x
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db


def _footer(response) -> str:
    """The footer's text as the page's @page rule gives it, CSS escapes decoded."""
    style = re.search(r"<style[^>]*>(.*?)</style>", response.content.decode(), re.S).group(1)
    text = re.search(r"@bottom-left \{ content: \"(.*?)\"; \}", style).group(1)
    return re.sub(r"\\([0-9a-f]{6}) ", lambda match: chr(int(match.group(1), 16)), text)


# --- the city's pack ---------------------------------------------------------------------------


def test_the_city_pack_shows_the_dashboards_figures(viewer_client, city_x):
    build_x(city_x)

    pack = viewer_client.get(f"/cities/{city_x.slug}/board-pack/")
    dashboard = viewer_client.get(f"/cities/{city_x.slug}/")

    assert pack.status_code == 200
    assert page_metrics(pack) == page_metrics(dashboard)


def test_the_city_pack_has_a_footer_with_the_city_and_the_day(viewer_client, city_x):
    build_x(city_x)

    response = viewer_client.get(f"/cities/{city_x.slug}/board-pack/")

    today = date_text(timezone.localdate())
    assert _footer(response) == f"Xville · as of {today}"
    assert f"Figures as of {today}" in page_text(response)


def test_the_city_pack_prints_every_charts_data_table_and_the_health_in_words(
    viewer_client, city_x
):
    build_x(city_x)

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/board-pack/"))

    assert "Health: At risk" in text
    assert "1 of 3 milestones is overdue (33%)" in text
    for caption in (
        "Commitments of the live compacts by category and status",
        "Activities and outcomes",
        "Terms in each signatory seat",
        "Milestones due and done per month",
    ):
        assert caption in text


def test_the_pack_has_no_navigation_no_link_and_no_chart_needing_a_script(viewer_client, city_x):
    build_x(city_x)

    response = viewer_client.get(f"/cities/{city_x.slug}/board-pack/")
    html = response.content.decode()

    assert "<nav" not in html
    assert "<canvas" not in html
    assert "<details" not in html
    assert "Sign out" not in html
    # On screen only: the way back and the print button (board_pack.css hides them on paper).
    assert read_page(response).links == [f"/cities/{city_x.slug}/"]
    assert 'class="pack-toolbar"' in html


def test_the_footer_runs_under_a_nonce_and_no_other_inline_style(viewer_client, city_x):
    response = viewer_client.get(f"/cities/{city_x.slug}/board-pack/")

    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"style-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "nonce" not in viewer_client.get(f"/cities/{city_x.slug}/")["Content-Security-Policy"]


def test_a_city_name_cannot_break_out_of_the_footer(viewer, viewer_client):
    city = CityFactory(name='X"; } body { display: none } </style><script>')
    MembershipFactory(user=viewer, city=city, role=Role.VIEWER)

    response = viewer_client.get(f"/cities/{city.slug}/board-pack/")

    html = response.content.decode()
    assert "</style><script>" not in html
    assert _footer(response).startswith(city.name)


def test_css_string_escapes_everything_but_letters_digits_and_spaces():
    assert css_string('Aé "b"\\') == '"A\\0000e9  \\000022 b\\000022 \\00005c "'


def test_a_city_without_live_compact_says_why_in_its_pack(viewer_client, city_x):
    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/board-pack/"))

    assert "No live compact" in text
    assert "No compact recorded." in text


def test_the_pack_of_an_unknown_city_is_not_found(viewer_client):
    assert viewer_client.get("/cities/nowhere/board-pack/").status_code == 404


def test_the_pack_says_its_data_are_illustrative_when_they_are_demo_data(viewer_client, city_x):
    DemoDataset.objects.create(banner="Demo data: illustrative.")
    cache.delete(DEMO_BANNER_CACHE_KEY)

    assert "Demo data: illustrative." in page_text(
        viewer_client.get(f"/cities/{city_x.slug}/board-pack/")
    )


def test_the_dashboard_links_to_its_pack(viewer_client, city_x):
    build_x(city_x)

    links = read_page(viewer_client.get(f"/cities/{city_x.slug}/")).links

    assert f"/cities/{city_x.slug}/board-pack/" in links


# --- the portfolio's pack ----------------------------------------------------------------------


def test_the_portfolio_pack_shows_the_portfolios_rows_and_each_citys_reasons(viewer_client, city_x):
    build_x(city_x)

    pack = viewer_client.get("/reports/board-pack/")
    overview = viewer_client.get("/reports/")

    # the pack prints the overview's figures; the overview's trend since last quarter is its own
    shown = {
        city: {metric: value for metric, value in metrics.items() if metric != "trend"}
        for city, metrics in portfolio_page_rows(overview).items()
    }
    assert portfolio_page_rows(pack) == shown
    assert _footer(pack) == f"Portfolio · as of {date_text(timezone.localdate())}"
    text = page_text(pack)
    assert "Xville TX: At risk" in text
    assert "1 of 3 milestones is overdue (33%)" in text
    assert "/reports/board-pack/" in read_page(overview).links


def test_the_portfolio_pack_shows_only_the_readers_cities(viewer_client, city_x, city_y):
    text = page_text(viewer_client.get("/reports/board-pack/"))

    assert "Xville" in text
    assert "Yton" not in text


# --- queries: a fixed number, whatever the number of cities -----------------------------------

# The cities and the reader's roles, then compacts, commitments, milestones, activities, terms;
# the city's pack also reads its monthly snapshots, the portfolio's the cohorts and last quarter's
# snapshots (its trend and filters), and both read the demo banner (once; cached afterwards, as on
# every page). The user comes from the cache, stored there when they signed in
# (accounts.backends): 8 and 9 where they were 9 and 10 with the user's query. The figures' rollups
# are read and, computed, stored (reports/rollups.py): 10 and 11; the portfolio's cohorts come with
# the figures, 10 where it was 11.
PACK_QUERIES = {"city": 10, "portfolio": 10}


@pytest.mark.parametrize("n_cities", [2, 20])
@pytest.mark.parametrize("pack", ["city", "portfolio"])
def test_the_packs_take_a_fixed_number_of_queries(
    n_cities, pack, viewer, viewer_client, django_assert_num_queries
):
    cities = _cities(n_cities, viewer)
    url = f"/cities/{cities[-1].slug}/board-pack/" if pack == "city" else "/reports/board-pack/"
    current_demo_banner()

    with django_assert_num_queries(PACK_QUERIES[pack]):
        response = viewer_client.get(url)

    assert response.status_code == 200


# --- manage.py board_pack --------------------------------------------------------------------


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(path) -> str:
    return subprocess.run(
        ["pdftotext", path, "-"], check=True, capture_output=True, text=True
    ).stdout


# CI (E2E_REQUIRED, set by .ci/run, which installs poppler-utils) never skips these: a missing
# tool fails there instead of hiding the PDF checks.
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdfinfo") and not os.environ.get("E2E_REQUIRED"),
    reason="poppler-utils (pdfinfo, pdftotext) is not installed",
)


@needs_poppler
def test_the_command_writes_a_citys_pack_as_a_pdf(city_x, tmp_path):
    build_x(city_x)
    out = tmp_path / "xville.pdf"

    call_command("board_pack", city_x.slug, "--out", str(out), stdout=io.StringIO())

    assert out.read_bytes().startswith(b"%PDF-")
    pages = _pages(out)
    assert pages >= 1
    text = _text(out)
    assert "Health: At risk" in text
    assert f"Xville · as of {date_text(timezone.localdate())}" in text
    assert f"Page {pages} of {pages}" in text


@needs_poppler
def test_the_command_writes_the_portfolios_pack_on_letter_paper(city_x, city_y, tmp_path):
    build_x(city_x)
    out = tmp_path / "portfolio.pdf"

    call_command(
        "board_pack", "portfolio", "--out", str(out), "--paper", "letter", stdout=io.StringIO()
    )

    info = subprocess.run(["pdfinfo", out], check=True, capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info
    text = _text(out)
    assert "Xville" in text
    assert "Yton" in text


def test_the_command_refuses_an_unknown_city_in_words(tmp_path):
    with pytest.raises(CommandError, match="No city with the slug 'nowhere'"):
        call_command("board_pack", "nowhere", "--out", str(tmp_path / "x.pdf"))


def test_the_command_refuses_a_directory_that_does_not_exist(city_x, tmp_path):
    with pytest.raises(CommandError, match="No directory"):
        call_command("board_pack", city_x.slug, "--out", str(tmp_path / "no" / "x.pdf"))


def test_a_pack_of_a_day_in_the_past_is_dated_that_day(viewer_client, city_x, clock):
    clock(days=-400)
    day = timezone.localdate()

    response = viewer_client.get(f"/cities/{city_x.slug}/board-pack/")

    assert _footer(response).endswith(date_text(day))


def test_the_city_pack_leaves_out_quarters_with_nothing_recorded(viewer_client, city_x):
    """Years of empty quarters would fill pages of zeros: the pack keeps the quarters with
    something in them, and says so."""
    compact = live_compact(city_x, signed_on=datetime.date(2020, 1, 10))
    ActivityFactory(compact=compact, occurred_on=datetime.date(2021, 5, 3))

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/board-pack/"))

    assert "quarters with nothing recorded are left out" in text
    assert "2021 Q2 1 0 0" in text
    assert "2021 Q1" not in text and "2022 Q1" not in text

"""A funder prints the board pack: from Boston's dashboard and from the portfolio, the "Print /
save as PDF" link opens the pack, and Chromium's PDF of it (what "Save as PDF" in the print dialog
writes) has the footer on every page (city, as-of date, "Page X of Y"), the data tables and no
screen-only controls. The pages are also written as PNGs under test-artifacts/board-pack/ to be
looked at."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from core.formats import date_text
from tests.e2e.browser import ARTIFACTS

pytestmark = pytest.mark.e2e

OUT = ARTIFACTS / "board-pack"


def _pdf_pages(pdf: bytes, name: str) -> list[str]:
    """The text of each page of the PDF (poppler's pdftotext), and its pages as PNGs to look at."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    for old in OUT.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", path, OUT / name], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _print_to_pdf(page) -> bytes:
    # The browser's own print (print media): A4 portrait, margins and footer from the page's @page.
    return page.pdf(format="A4", prefer_css_page_size=False)


def _assert_footer_on_every_page(pages: list[str], title: str) -> None:
    as_of = f"{title} · as of {date_text(timezone.localdate())}"
    for number, text in enumerate(pages, start=1):
        assert as_of in text, f"page {number} has no footer with {as_of!r}"
        assert f"Page {number} of {len(pages)}" in text, f"page {number} is not numbered"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_a_funder_prints_the_board_pack_of_a_city_and_of_the_portfolio(open_page, site):
    page = open_page(site.funder)

    page.goto(site("/cities/boston/"))
    page.get_by_role("link", name="Print / save as PDF").click()
    page.wait_for_url(site("/cities/boston/board-pack/"))
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    pages = _pdf_pages(_print_to_pdf(page), "boston")

    assert 2 <= len(pages) <= 8
    _assert_footer_on_every_page(pages, "Boston")
    text = "\n".join(pages)
    assert "Health: At risk" in text
    for table in (
        "Headline figures",
        "Commitments of the live compacts by category and status",
        "Activities and outcomes",
        "Terms in each signatory seat",
        "Milestones due and done per month",
    ):
        assert table in text
    # Nothing of the screen: no toolbar, no navigation, no site footer.
    for screen_only in ("Print or save as PDF", "Back to the Boston dashboard", "Sign out"):
        assert screen_only not in text
    # No near-empty page: every page but the last carries a fair share of lines.
    for number, lines in enumerate(pages[:-1], start=1):
        assert len([line for line in lines.splitlines() if line.strip()]) > 20, (
            f"page {number} of the Boston pack is nearly empty"
        )

    page.goto(site("/reports/"))
    page.get_by_role("link", name="Print / save as PDF").click()
    page.wait_for_url(site("/reports/board-pack/"))
    pages = _pdf_pages(_print_to_pdf(page), "portfolio")

    _assert_footer_on_every_page(pages, "Portfolio")
    text = "\n".join(pages)
    assert re.search(r"Boston\s+MA", text)
    assert "Each city's health, with its reasons" in text
    assert "Download CSV" not in text

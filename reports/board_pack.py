"""The board pack: a city's dashboard, or the portfolio, as a document to print or save as PDF.

One HTML page per pack, served at /cities/<slug>/board-pack/ and /reports/board-pack/ and
rendered to PDF by `manage.py board_pack` (WeasyPrint). Both routes read the same template and
stylesheet (static/css/board_pack.css), so the browser's PDF and the command's PDF agree. The
charts are drawn by JavaScript on the dashboard, which WeasyPrint does not run: the pack prints
the charts' data tables instead, which carry every figure the charts draw.

The page footer (city, as-of date, "page X of Y") is a CSS margin box (`@page { @bottom-left }`),
which both Chromium (131 and later) and WeasyPrint lay out on every page; its text depends on the
pack, so it travels in a small <style> element of the page, allowed by a CSP nonce in the browser.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.context_processors import current_demo_banner
from core.formats import date_text
from reports import cache as report_cache
from reports import pages, portfolio, portfolio_page
from reports.selectors import CITY_FIELDS
from schools.models import City

TEMPLATE_CITY = "reports/print/city_board_pack.html"
TEMPLATE_PORTFOLIO = "reports/print/portfolio_board_pack.html"
STYLESHEET = "css/board_pack.css"
PORTFOLIO = "portfolio"
PAPERS = ("A4", "letter")


def css_string(text: str) -> SafeString:
    """`text` as a CSS string literal that no name can break out of: every character but letters,
    digits and spaces as a CSS escape (a city named `a"}</style>` stays text)."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):06x} "
        for char in text
    )
    return mark_safe(f'"{escaped}"')


def _footer(title: str, today: datetime.date) -> SafeString:
    return css_string(f"{title} · as of {date_text(today)}")


def city_pack(user, city: dict, today: datetime.date) -> dict:
    """The context of one city's pack; `city` as `city_in_scope` gives it (the scope is the
    caller's business: the view asks the reader's, the command reads every city)."""
    keys = report_cache.data_keys([city["id"]], today)
    context = pages.city_dashboard_context(user, city, keys, today)
    return context | {
        "footer": _footer(context["city"].name, today),
        "demo_banner": current_demo_banner(),
    }


def portfolio_pack(user, cities: list[dict], today: datetime.date, data=None) -> dict:
    """The context of the portfolio's pack: the rows the overview shows with the same filters
    and sort (`data`, its query; filters that cannot be read are dropped, and the pack says so),
    each with its trend since last quarter, the totals, then each city's health in words."""
    data = data or {}
    keys = report_cache.data_keys([city["id"] for city in cities], today)
    filters, facts = portfolio_page.read_filters(data, cities, keys, today)
    unreadable = bool(data) and not filters.is_valid()
    if unreadable:
        filters, facts = portfolio_page.read_filters({}, cities, keys, today)
    sort = portfolio.applied_sort(data.get("sort", "city"))
    rows, _sort = portfolio_page.rows(user, cities, keys, facts, filters, today, sort)
    return {
        "rows": rows,
        "totals": portfolio.totals(rows, len(cities)) if rows else None,
        "totals_note": portfolio.TOTALS_NOTE,
        "filtered_by": filters.described(),
        "unreadable_filters": unreadable,
        "labels": portfolio.LABELS,
        "figure_columns": [portfolio.LABELS[column] for column in portfolio.FIGURE_COLUMNS],
        "reasons": [
            (row.city, portfolio.no_figures_reason(row.city) if row.city.health is None else None)
            for row in rows
        ],
        "today": today,
        "footer": _footer("Portfolio", today),
        "demo_banner": current_demo_banner(),
    }


# --- the command's side: every city, no request, a PDF -----------------------------------------


def city_for_command(slug: str) -> dict | None:
    """A city by slug, as `city_in_scope` gives it, for a command run by an operator (no scope)."""
    city = City.objects.filter(slug=slug).values(*CITY_FIELDS).first()
    return None if city is None else city | {"role": "editor"}


def cities_for_command() -> list[dict]:
    return [
        city | {"role": "editor"}
        for city in City.objects.order_by("name", "id").values(*CITY_FIELDS)
    ]


def render_pdf(template: str, context: dict, paper: str = "A4") -> bytes:
    """The pack's HTML laid out by WeasyPrint, with the stylesheet read from disk (the page links
    it by its static URL, which there is no server to answer)."""
    import weasyprint  # imported here: only the command needs it, and it loads Pango

    html = render_to_string(template, context | {"pdf": True})
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    stylesheets = [
        weasyprint.CSS(filename=finders.find(STYLESHEET)),
        # The browser prints on the paper its user picks; the command is told.
        weasyprint.CSS(string=f"@page {{ size: {paper} portrait; }}"),
    ]
    return document.write_pdf(stylesheets=stylesheets)

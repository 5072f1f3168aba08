"""The content of the report pages (everything inside {% block content %}), rendered once and
cached until one of the cities it shows changes (reports/cache.py, `page_key`).

The content depends only on the figures, the reader's scope, "today" and the sort: it is rendered
without the request, so nothing personal (the user's name, the CSRF token, messages) can slip into
a cached copy; base.html adds those on every request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from reports import cache as report_cache
from reports import display, portfolio
from reports.links import (
    RecordLinks,
    leadership_changes_url,
    schools_url,
    signatories_url,
    window_start,
)
from reports.selectors import city_dashboard_get, city_figures_list
from reports.templatetags.reports_extras import precise_date


def scope_of(user, cities: list[dict]) -> str:
    """What a reader's view of these cities depends on: who they are not, but what they may do."""
    roles = ",".join(f"{city['id']}:{city['role']}" for city in cities)
    return f"{'superuser' if user.is_superuser else 'member'}:{roles}"


def cached(key: str, build: Callable[[], dict]) -> dict:
    """The page's cached content under `key`, or `build()` rendered now and stored."""
    content = report_cache.get_page(key)
    if content is None:
        content = build()
        report_cache.set_page(key, content)
    return content | {"content": mark_safe(content["content"])}  # noqa: S308 (our own render)


def city_list_content(user, cities: list[dict], keys: dict, today: datetime.date) -> dict:
    figures = city_figures_list(user=user, cities=cities, keys=keys, today=today)
    counts = {colour: 0 for colour in ("red", "amber", "green")}
    for city in figures:
        if city.health:
            counts[city.health.colour] += 1
    context = {
        "cards": [display.city_card(city, today) for city in figures],
        "cities_count": f"{len(figures)} cit{'y' if len(figures) == 1 else 'ies'}",
        "health_counts": counts,
        "badges": {colour: display.health_badge(colour) for colour in counts},
        "today": precise_date(today),
        "portfolio_url": reverse("reports:portfolio"),
    }
    return {"content": render_to_string("reports/_city_list.html", context)}


def city_dashboard_content(user, city: dict, keys: dict, today: datetime.date) -> dict:
    dashboard = city_dashboard_get(user=user, slug=city["slug"], city=city, keys=keys, today=today)
    figures = dashboard.city
    compacts = [
        {
            "compact": compact,
            "links": RecordLinks.for_compact(compact.id, today),
            "signatories_url": signatories_url(compact.id),
            "in_post_url": signatories_url(compact.id, in_post=True),
            "departed_url": signatories_url(compact.id, in_post=False),
            "changes_url": leadership_changes_url(compact.id, compact.signed_on),
        }
        for compact in figures.compacts
    ]
    slug = figures.slug
    context = {
        "city": figures,
        "figures": figures.figures,
        "compacts": compacts,
        "live_compacts": [entry for entry in compacts if entry["compact"].is_live],
        "links": RecordLinks.for_city(slug, today),
        "schools": {
            "all": schools_url(slug),
            "taking_part": schools_url(slug, participating=True),
            "independent": schools_url(slug, independent=True),
            "independent_taking_part": schools_url(slug, independent=True, participating=True),
            "network": schools_url(slug, independent=False),
            "network_taking_part": schools_url(slug, independent=False, participating=True),
        },
        "charts": dashboard.charts,
        "chart_data": dashboard.charts.payload() if dashboard.charts else None,
        "today": today,
        "window_start": window_start(today),
    }
    return {
        "content": render_to_string("reports/_city_dashboard.html", context),
        "title": figures.name,
        "charts": dashboard.charts is not None,
    }


def portfolio_columns(sort: str) -> list[dict]:
    return [
        {
            "name": column,
            "label": portfolio.LABELS[column],
            "sort": f"-{column}" if sort == column else column,
            "sorted": "ascending"
            if sort == column
            else "descending"
            if sort == f"-{column}"
            else "",
        }
        for column in portfolio.COLUMNS
    ]


def portfolio_content(
    user, cities: list[dict], keys: dict, today: datetime.date, sort: str
) -> dict:
    rows = [
        portfolio.portfolio_row(city)
        for city in city_figures_list(user=user, cities=cities, keys=keys, today=today)
    ]
    rows, sort = portfolio.sort_rows(rows, sort)
    context = {
        "rows": rows,
        "lines": [display.portfolio_line(row) for row in rows],
        "columns": portfolio_columns(sort),
        "sort": sort,
        "today": precise_date(today),
    }
    return {"content": render_to_string("reports/_portfolio.html", context)}

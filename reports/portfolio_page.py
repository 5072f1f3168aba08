"""The portfolio overview's content (everything inside {% block content %}) and its exports' rows:
the reader's cities, kept by the filters, sorted, each with its trend since last quarter, and the
totals of the rows shown.

The content is rendered without the request and cached by reports/cache.py under a key made of
the cities' tokens, the reader's scope, the day, the sort and the filters as read; each row is a
fragment cached under its city's data key. Filters that cannot be read render a page naming them,
with no rows, uncached (a cache entry per mistyped value would only fill the cache).

Two engines, one per part: the city rows are a Jinja2 template
(templates/jinja2/reports/_portfolio_row.jinja), everything around them (filters, headings, the
totals row) Django templates. A hundred rows through Django's engine were about a third of the
uncached page; Jinja2 draws the same markup, escaped the same way, in a fraction of that
(core/jinja2.py, README "Performance").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.loader import get_template, render_to_string

from reports import cache as report_cache
from reports import portfolio
from reports.figures import CityFigures
from reports.portfolio_filters import FIELDS, PortfolioFilterSet
from reports.portfolio_trend import Baseline, baseline_month, city_facts, trend_of

ROW = "portfolio_row"


@dataclass(frozen=True)
class PortfolioCity:
    """A city of the reader's as the portfolio reads it: its figures and last quarter's baseline."""

    figures: CityFigures
    baseline: Baseline | None


def read_filters(
    data, cities: list[dict], keys: dict, today: datetime.date
) -> tuple[PortfolioFilterSet, dict[int, PortfolioCity]]:
    """The reader's filters, with the cohorts of the reader's compacts as the cohort's choices,
    and each city's figures and baseline (no query when cached). Every city's figures are read
    whatever the filters keep: the health filter needs them all."""
    figures = report_cache.city_figures_list(user=None, cities=cities, keys=keys, today=today)
    baselines = city_facts(keys, today)
    facts = {city.id: PortfolioCity(city, baselines[city.id].baseline) for city in figures}
    cohorts = sorted(
        {compact.cohort for city in figures for compact in city.compacts if compact.cohort}
    )
    return PortfolioFilterSet(data, cities=cities, cohorts=cohorts), facts


class Unreadable(Exception):
    """Filters that cannot be read: `content` is the page naming them, never to be cached."""

    def __init__(self, content: dict):
        super().__init__("unreadable filters")
        self.content = content


def asked_variant(sort: str, query) -> str:
    """What, besides the cities and the reader, the page's content depends on: the sort and the
    filters as asked (empty ones dropped)."""
    asked = {name: query.get(name) for name in FIELDS if query.get(name)}
    return urlencode({"sort": sort, **asked})


def rows(
    user,
    cities: list[dict],
    keys: dict,
    facts: dict[int, PortfolioCity],
    filters: PortfolioFilterSet,
    today: datetime.date,
    sort: str,
) -> tuple[list[portfolio.PortfolioRow], str]:
    """The rows the filters keep, sorted; and the sort applied. The filters must be valid."""
    figures = [facts[city["id"]].figures for city in cities]
    filters.health_of = {city.id: city.health.colour if city.health else "" for city in figures}
    kept = filters.matching_ids()
    lines = [
        portfolio.portfolio_row(city, trend_of(city, facts[city.id].baseline, today))
        for city in figures
        if kept is None or city.id in kept
    ]
    return portfolio.sort_rows(lines, sort)


def _query(**params) -> str:
    return "?" + urlencode({name: value for name, value in params.items() if value})


def columns(sort: str, active: dict) -> list[dict]:
    return [
        {
            "name": column,
            "label": portfolio.LABELS[column],
            "url": _query(**active, sort=f"-{column}" if sort == column else column),
            "sorted": "ascending"
            if sort == column
            else "descending"
            if sort == f"-{column}"
            else "",
        }
        for column in portfolio.PAGE_COLUMNS
    ]


def _links(sort: str, active: dict) -> dict:
    kept_sort = sort if sort != "city" else ""
    return {
        "csv": _query(**active, sort=kept_sort, export="csv"),
        "xlsx": _query(**active, sort=kept_sort, export="xlsx"),
    }


def content(
    user,
    cities: list[dict],
    keys: dict,
    facts: dict[int, PortfolioCity],
    filters: PortfolioFilterSet,
    today: datetime.date,
    sort: str,
) -> dict:
    lines, sort = rows(user, cities, keys, facts, filters, today, sort)
    by_id = {row.city.id: row for row in lines}
    template = get_template("reports/_portfolio_row.jinja", using="jinja2")

    def render_row(city_id: int) -> str:
        row = by_id[city_id]
        return template.render({"row": row, "city": row.city})

    # In the sorted order: the fragments come back in the order of the keys.
    shown = {row.city.id: keys[row.city.id] for row in lines}
    html = report_cache.fragments(shown, ROW, render_row)
    active = filters.active
    context = {
        "rows": list(html.values()),
        "totals": portfolio.totals(lines, len(cities)) if lines else None,
        "totals_note": portfolio.TOTALS_NOTE,
        "columns": columns(sort, active),
        "sort": sort,
        "form": filters.form,
        "active": active,
        "has_cities": bool(cities),
        "exports": _links(sort, active),
        "today": today,
        "baseline_month": baseline_month(today),
    }
    return {"content": render_to_string("reports/_portfolio.html", context)}


def invalid_content(filters: PortfolioFilterSet, today: datetime.date, sort: str) -> dict:
    context = {
        "rows": [],
        "columns": columns(sort, {}),
        "sort": sort,
        "form": filters.form,
        "filter_errors": filters.errors_list(),
        "has_cities": True,
        "today": today,
        "baseline_month": baseline_month(today),
    }
    return {"content": render_to_string("reports/_portfolio.html", context)}

"""The content of the report pages (everything inside {% block content %}), rendered from templates
once and cached by reports/cache.py (`page`, `page_key`) until one of the cities it shows changes.

The content depends only on the figures, the reader's scope and "today": it is rendered without
the request, so nothing personal (the user's name, the CSRF token, messages) can slip into a cached
copy; base.html adds those on every request. The portfolio's content, which also depends on its
sort and filters, is in reports/portfolio_page.py.

Two engines, one per part: the hundred city cards of /cities/ are a Jinja2 template
(templates/jinja2/reports/_city_card.jinja), everything around them, and the dashboard, Django
templates. Through Django's engine the cards were about a third of the uncached page (35 ms of
100 cards on the bench data); Jinja2 draws the same markup, escaped the same way, in a fraction
of that (core/jinja2.py, README "Performance").
"""

from __future__ import annotations

import datetime

from django.template.loader import get_template, render_to_string

from reports import cache as report_cache
from reports import trends
from reports.links import (
    RecordLinks,
    leadership_changes_url,
    schools_url,
    signatories_url,
    window_start,
)

CARD = "card"


def scope_of(user, cities: list[dict]) -> str:
    """What a reader's view of these cities depends on: who they are not, but what they may do."""
    roles = ",".join(f"{city['id']}:{city['role']}" for city in cities)
    return f"{'superuser' if user.is_superuser else 'member'}:{roles}"


def city_list_content(user, cities: list[dict], keys: dict, today: datetime.date) -> dict:
    figures = report_cache.city_figures_list(user=user, cities=cities, keys=keys, today=today)
    counts = {colour: 0 for colour in ("red", "amber", "green")}
    for city in figures:
        if city.health:
            counts[city.health.colour] += 1
    by_id = {city.id: city for city in figures}
    template = get_template("reports/_city_card.jinja", using="jinja2")

    def card(city_id: int) -> str:
        city = by_id[city_id]
        links = RecordLinks.for_city(city.slug, today) if city.figures else None
        return template.render({"city": city, "links": links})

    cards = report_cache.fragments({city.id: keys[city.id] for city in figures}, CARD, card)
    context = {"cards": list(cards.values()), "health_counts": counts, "today": today}
    return {"content": render_to_string("reports/_city_list.html", context)}


def city_dashboard_content(user, city: dict, keys: dict, today: datetime.date) -> dict:
    context = city_dashboard_context(user, city, keys, today)
    return {
        "content": render_to_string("reports/_city_dashboard.html", context),
        "title": context["city"].name,
        "charts": context["charts"] is not None,
    }


def city_dashboard_context(user, city: dict, keys: dict, today: datetime.date) -> dict:
    """What the city dashboard shows; its board pack (reports/board_pack.py) prints the same."""
    dashboard = report_cache.city_dashboard_get(
        user=user, slug=city["slug"], city=city, keys=keys, today=today
    )
    figures = dashboard.city
    trend = trends.city_trend_view(figures, today)
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
    return {
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
        "chart_data": _chart_data(dashboard, trend),
        "trend": trend,
        "trend_ratios": trends.TREND_RATIOS,
        "trend_counts": trends.TREND_COUNTS,
        "today": today,
        "window_start": window_start(today),
    }


def _chart_data(dashboard, trend) -> dict | None:
    if dashboard.charts is None:
        return None
    return dashboard.charts.payload() | {"trend": trend.chart_payload()}

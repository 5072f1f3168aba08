"""The repeated parts of the report pages (a card per city, a portfolio row per city) as markup
built in Python, every value escaped: for a hundred cities this costs a fifth of what the
template engine spends on the same markup with its lookups, filters and includes."""

from __future__ import annotations

import datetime

from django.utils.safestring import SafeString

from reports.figures import CityFigures, Ratio
from reports.links import RecordLinks
from reports.portfolio import PortfolioRow
from reports.templatetags.reports_extras import (
    compact_status,
    esc,
    health_badge,
    health_class,
    precise_date,
)


def city_card(city: CityFigures, today: datetime.date) -> SafeString:
    """One card of /cities/, as markup (plain string building with every value escaped: a hundred
    cards through the template engine cost several times more)."""
    colour = city.health.colour if city.health else None
    name = esc(city.name)
    parts = [
        '<li class="col">\n'
        f'<article class="card h-100 city-card {health_class(colour)}-edge" '
        f'aria-labelledby="city-{city.id}">\n<div class="card-body">\n'
        '<div class="d-flex justify-content-between align-items-start gap-2">\n'
        f'<h2 class="h5 mb-1" id="city-{city.id}"><a class="stretched-link-off" '
        f'href="{esc(city.url)}">{name}</a> <span class="text-body-secondary fw-normal">'
        f"{esc(city.state)}</span></h2>\n{health_badge(colour)}\n</div>\n"
    ]
    if city.figures:
        figures, links = city.figures, RecordLinks.for_city(city.slug, today)
        completion = figures.commitment_completion
        milestones = figures.milestones
        reasons = "".join(f"<li>{esc(reason)}</li>" for reason in city.health.reasons)
        parts.append(
            f'<ul class="reasons small mb-3">\n{reasons}\n</ul>\n<dl class="card-figures">\n'
            "<div>\n<dt>Commitment completion</dt>\n"
            f'<dd data-metric="commitment_completion" data-value="{completion.export}">'
            f'<a class="figure-link" href="{esc(links.achieved)}">{completion.percent}</a>\n'
            f'<span class="figure-note">{completion.numerator} of {completion.denominator} '
            "achieved</span></dd>\n</div>\n<div>\n<dt>Overdue milestones</dt>\n"
            f'<dd data-metric="overdue_milestones" data-value="{figures.overdue_milestones}">'
            f'<a class="figure-link" href="{esc(links.overdue)}">{figures.overdue_milestones}</a>\n'
            f'<span class="figure-note">of {milestones} milestone{"" if milestones == 1 else "s"}'
            "</span></dd>\n</div>\n</dl>\n"
        )
    else:
        parts.append(
            '<p class="small text-body-secondary mb-3">No live compact: the figures cover active '
            "and renewed compacts only.</p>\n"
        )
    parts.append('<h3 class="visually-hidden">Compacts</h3>\n<ul class="compact-lines small">\n')
    for compact in city.compacts:
        parts.append(
            f'<li><a href="{esc(compact.url)}">{esc(compact.title)}</a><br>'
            f"{compact_status(compact)}</li>\n"
        )
    if not city.compacts:
        parts.append('<li class="text-body-secondary">No compact recorded.</li>\n')
    parts.append(
        '</ul>\n</div>\n<div class="card-footer bg-transparent">\n'
        f'<a href="{esc(city.url)}" class="fw-semibold">Open the {name} dashboard '
        '<span aria-hidden="true">→</span></a>\n</div>\n</article>\n</li>\n'
    )
    return SafeString("".join(parts))


def _number_cell(metric: str, value, text) -> str:
    return f'<td class="text-end" data-metric="{metric}" data-value="{esc(value)}">{esc(text)}</td>'


def portfolio_line(row: PortfolioRow) -> dict:
    """One row of the portfolio table: the city's heading, and its cells as markup (plain string
    building with every value escaped: a hundred rows of twelve cells through format_html or the
    template engine cost several times more)."""
    city, values = row.city, row.values
    cells = [f"<td>{esc(city.state)}</td>", _number_cell("compacts", *[values["compacts"]] * 2)]
    if city.has_live_compact:
        for column in (
            "commitment_completion",
            "milestone_on_time",
            "overdue_milestones",
            "signatory_retention",
            "leadership_changes_since_signing",
            "charter_participation",
        ):
            value = values[column]
            if isinstance(value, Ratio):
                cells.append(_number_cell(column, value.export, value.percent_exact))
            else:
                cells.append(_number_cell(column, value, value))
        if values["name_only"]:
            name_only = '"true"><span class="text-danger fw-semibold">yes</span>'
        else:
            name_only = '"false">no'
        cells.append(f'<td data-metric="name_only" data-value={name_only}</td>')
        cells.append(_number_cell("stale_commitments", *[values["stale_commitments"]] * 2))
        cells.append(
            f'<td data-metric="health" data-value="{esc(values["health"])}">'
            f"{health_badge(values['health'])}</td>"
        )
    else:
        compacts = "; ".join(
            f"{compact.title} {compact.status_label.lower()}"
            + (f" {precise_date(compact.ended_on)}" if compact.ended_on else "")
            for compact in city.compacts
        )
        cells.append(
            '<td colspan="9" class="text-body-secondary small" data-metric="health" '
            f'data-value="">No live compact: {esc(compacts or "none recorded")}</td>'
        )
    return {
        "slug": city.slug,
        "url": city.url,
        "name": city.name,
        "badge": health_badge(values["health"]),
        "cells": SafeString("\n".join(cells)),
    }

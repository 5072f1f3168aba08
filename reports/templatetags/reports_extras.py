"""Formatting for dashboards: dates at their precision, health colours in words."""

import datetime
from functools import cache
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from schools.choices import DatePrecision

register = template.Library()

HEALTH_LABELS = {
    "red": "At risk",
    "amber": "Needs attention",
    "green": "On track",
}


@register.filter
def precise_date(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """A date shown only to the precision it is known to: "Dec 7, 2010", "Dec 2010", "2010"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return value.strftime("%b %Y")
    return f"{value.strftime('%b')} {value.day}, {value.year}"


@register.filter
def health_label(colour: str | None) -> str:
    return HEALTH_LABELS.get(colour or "", "No live compact")


@register.filter
def health_class(colour: str | None) -> str:
    return f"health-{colour}" if colour in HEALTH_LABELS else "health-none"


@register.simple_tag
def link_status(links, status: str) -> str:
    """The list of the commitments with a status."""
    return links.commitments_with_status(status)


def esc(value) -> str:
    """Django's escape (html.escape of str(value)) without its check for lazy strings: for markup
    built in Python where a page has hundreds of values."""
    return escape(str(value))


@register.filter
@cache
def health_badge(colour: str | None) -> SafeString:
    """The health badge of a colour (None: no live compact)."""
    dot = SafeString('<span class="health-dot" aria-hidden="true"></span>') if colour else ""
    return format_html(
        '<span class="badge health-badge {}">{}{}</span>',
        health_class(colour),
        dot,
        health_label(colour),
    )


@register.filter
def compact_status(compact) -> SafeString:
    """A compact's status badge, and when it was signed (and ended)."""
    ended = f" · ended {precise_date(compact.ended_on)}" if compact.ended_on else ""
    return SafeString(
        f'<span class="badge compact-status compact-status-{esc(compact.status)}">'
        f"{esc(compact.status_label)}</span>\n"
        '<span class="text-body-secondary small">signed '
        f"{precise_date(compact.signed_on, compact.signed_on_precision)}{ended}</span>"
    )

"""Health in words for the report pages: every badge says "At risk", "Needs attention" or
"On track", never a colour alone. Dates, percentages and status badges come from
`{% load formats %}` (core/formats.py), as on every other page."""

from functools import cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

HEALTH_LABELS = {
    "red": "At risk",
    "amber": "Needs attention",
    "green": "On track",
}


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


@register.filter
@cache
def health_badge(colour: str | None) -> SafeString:
    """The health badge of a colour (None: no live compact); a dot marks a live compact's health.
    One small cell, shown a few hundred times a page: a format_html, remembered per colour."""
    if colour in HEALTH_LABELS:
        template_ = '<span class="badge health-badge {}"><span class="health-dot" aria-hidden="true"></span>{}</span>'  # noqa: E501
    else:
        template_ = '<span class="badge health-badge {}">{}</span>'
    return format_html(template_, health_class(colour), health_label(colour))

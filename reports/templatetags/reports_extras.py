"""Health in words for the report pages: every badge says "At risk", "Needs attention" or
"On track", never a colour alone. Dates, percentages and status badges come from
`{% load formats %}` (core/formats.py), as on every other page."""

from functools import cache

from django import template
from django.template.loader import render_to_string
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
    Shown a few hundred times a page in four variants: rendered once per colour."""
    context = {
        "css_class": health_class(colour),
        "label": health_label(colour),
        "dot": colour in HEALTH_LABELS,
    }
    return render_to_string("reports/_health_badge.html", context)

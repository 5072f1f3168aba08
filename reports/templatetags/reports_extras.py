"""Formatting for dashboards: dates at their precision, health colours in words."""

import datetime

from django import template

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

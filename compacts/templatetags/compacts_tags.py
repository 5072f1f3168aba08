"""Template helpers of the compact page and the staff forms."""

from __future__ import annotations

import datetime

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()

PRECISION_FORMATS = {"day": "j M Y", "month": "M Y", "year": "Y"}

# Status code -> Bootstrap badge classes; colour is never the only signal (the label is shown).
STATUS_BADGES = {
    "achieved": "text-bg-success",
    "done": "text-bg-success",
    "active": "text-bg-success",
    "renewed": "text-bg-success",
    "in_progress": "text-bg-primary",
    "planned": "text-bg-light border",
    "not_started": "text-bg-light border",
    "draft": "text-bg-light border",
    "stalled": "text-bg-warning",
    "deferred": "text-bg-warning",
    "lapsed": "text-bg-warning",
    "missed": "text-bg-danger",
    "abandoned": "text-bg-secondary",
    "superseded": "text-bg-secondary",
    "terminated": "text-bg-secondary",
}


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """A date shown only as precisely as it is known: "7 Dec 2010", "Dec 2010" or "2011"."""
    if not value:
        return ""
    return date_format(value, PRECISION_FORMATS.get(precision, PRECISION_FORMATS["day"]))


@register.filter
def status_badge(status: str) -> str:
    """Badge classes for a compact, commitment or milestone status."""
    return STATUS_BADGES.get(status, "text-bg-light border")


@register.filter
def stored_for(conflict, field_name: str):
    """The stored value of a field in an edit conflict, when it differs from the user's input."""
    if not conflict:
        return None
    return conflict.stored.get(field_name)

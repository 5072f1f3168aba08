"""Template helpers of the compact page and the staff forms."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import format as date_format

from core.history import tracked_for
from core.lists import day_month_year, html_format, reverse_ids

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


@register.filter(expects_localtime=True, is_safe=False)
def day(value) -> str:
    """|date:"j M Y" ("15 Jan 2012") without building a DateFormat for a plain date: the compact
    page shows a few hundred dates."""
    if value in (None, ""):
        return ""
    try:
        return day_month_year(value)
    except AttributeError:
        return ""


@register.filter
def record_url(pk, viewname: str) -> str:
    """{% url viewname pk %} for a record's page, reversed once per view (core.lists.reverse_ids):
    `{{ milestone.pk|record_url:"compacts:milestone_edit" }}`."""
    return reverse_ids(viewname, pk)


# An id no record has, reversed in its place once per model.
_PK_MARKER = 918273649


@lru_cache(maxsize=64)
def _history_url_parts(app_label: str, model: str, *_url_configuration) -> tuple[str, str]:
    url = reverse("core:history", kwargs={"app_label": app_label, "model": model, "pk": _PK_MARKER})
    head, _, tail = url.partition(str(_PK_MARKER))
    return head, tail


@register.simple_tag
def record_history_link(obj, label: str = "History", css_class: str = "history-link"):
    """{% history_link %} (core.templatetags.history_tags) for live records, with the history
    URL reversed once per model rather than once per record."""
    tracked = tracked_for(obj) if obj is not None else None
    if tracked is None:
        return ""
    meta = tracked.model._meta
    head, tail = _history_url_parts(
        meta.app_label, meta.model_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )
    url = f"{head}{int(getattr(obj, tracked.pk_name))}{tail}"
    return html_format('<a class="{}" href="{}">{}</a>', css_class, url, label)

"""One way to show a date, a percentage and a status: on every page, in every table and export.

Dates read "7 Dec 2010" (day, abbreviated month, year: unambiguous in every country), or only as
precisely as they are known ("Dec 2010", "2010"). The patterns are Django's format settings
(DATE_FORMAT, YEAR_MONTH_FORMAT, DATETIME_FORMAT in config/formats/en/formats.py), so the admin,
Django templates' `|date` and the Jinja2 list tables write the same date as every page.
Percentages are whole ("48%"), as the dashboards show them; "n/a" when there is nothing to count.
A status is a badge whose colour comes from its tone, never the only signal: the label is always
shown.

Template filters and tags over these live in core/templatetags/formats.py (Django templates)
and core/jinja2.py (the Jinja2 list tables, city cards and portfolio rows): nothing else formats a
date or a percentage by hand.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# A date known to the day, the month or the year: the format setting each precision uses.
DATE_FORMATS = {"day": "DATE_FORMAT", "month": "YEAR_MONTH_FORMAT", "year": "Y"}
NOT_APPLICABLE = "n/a"

# Status code -> tone. Success: delivered or in force; progress: under way; neutral: not begun;
# warning: slipping; danger: failed; muted: no longer in play.
STATUS_TONES = {
    "achieved": "success",
    "done": "success",
    "active": "success",
    "renewed": "success",
    "open": "success",
    "in_progress": "progress",
    "planned": "neutral",
    "not_started": "neutral",
    "draft": "neutral",
    "stalled": "warning",
    "deferred": "warning",
    "lapsed": "warning",
    "missed": "danger",
    "overdue": "danger",
    "abandoned": "muted",
    "superseded": "muted",
    "terminated": "muted",
    "ended": "muted",
}


def date_text(value: datetime.date | None, precision: str | None = "day") -> str:
    """ "7 Dec 2010", or "Dec 2010" / "2010" for a date known to the month or the year."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    setting = DATE_FORMATS.get(precision or "day", DATE_FORMATS["day"])
    return _formatted_date(value, setting, get_language())


@lru_cache(maxsize=8192)
def _formatted_date(value: datetime.date, setting: str, language: str | None) -> str:
    """Remembered per language (the month's name and the format module are the language's): a
    page or a report words the same few hundred dates again and again, and Django's date
    formatting is the cost. get_format answers a format setting's name with its pattern ("Y",
    not a setting, comes back as itself)."""
    return date_format(value, get_format(setting))


def on_date(value: datetime.date | None, precision: str | None = "day") -> str:
    """ "on 7 Dec 2010" for a known day, "in Dec 2010" or "in 2010" otherwise."""
    if value in (None, ""):
        return ""
    return f"{'on' if precision in (None, '', 'day') else 'in'} {date_text(value, precision)}"


def datetime_text(value: datetime.datetime | None) -> str:
    """ "7 Dec 2010, 14:05" in the site's time zone."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, get_format("DATETIME_FORMAT"))


def time_text(value: datetime.datetime | datetime.time | None) -> str:
    """ "14:05" (TIME_FORMAT) in the site's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, get_format("TIME_FORMAT"))


def percent_text(fraction: float | Decimal | None) -> str:
    """A fraction (0.478) as a percentage: "48%", the one percent format of every page and
    export (XLSX: core.exports.PERCENT); "n/a" for None."""
    if fraction is None:
        return NOT_APPLICABLE
    return f"{float(fraction) * 100:.0f}%"


def status_tone(code: str | None) -> str:
    return STATUS_TONES.get(code or "", "neutral")


def status_badge(code: str | None, label: str) -> SafeString:
    """A status as a calm badge; its tone picks the colour (static/css/app.css)."""
    if isinstance(label, str):
        return _remembered_badge(code, label)
    # A lazy label: its words depend on the language of the request.
    return _badge(code, label)


def _badge(code: str | None, label) -> SafeString:
    return format_html('<span class="badge status status-{}">{}</span>', status_tone(code), label)


# The badge of a text label, remembered: a page shows the same few badges again and again (a
# compact page a hundred and more). Typed, so that safe markup (SafeString, written as it is)
# and plain text (escaped) with the same characters are two entries.
_remembered_badge = lru_cache(maxsize=1024, typed=True)(_badge)

from django import template

from core.formats import date_text

register = template.Library()


@register.filter
def mail_date(day, iso: bool = False) -> str:
    """A date in a mail: the site's "7 Dec 2026", or "2026-12-07" for a user who asked for
    numeric dates."""
    if day is None:
        return ""
    return day.isoformat() if iso else date_text(day)


@register.filter
def days_after(day, today) -> int:
    """Whole days from `today` to `day` (negative when `day` is past)."""
    return (day - today).days


@register.filter
def absolute(number: int) -> int:
    return abs(number)

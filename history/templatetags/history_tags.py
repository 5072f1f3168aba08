"""{% history_link obj %}: a "History" link for any record that keeps a history."""

from django import template
from django.utils.html import format_html

from history.records import history_url, tracked_for

register = template.Library()


@register.simple_tag
def history_link(obj, label: str = "History", css_class: str = "history-link"):
    """A link to the record's history page; nothing for a record that keeps none."""
    if obj is None or tracked_for(obj) is None:
        return ""
    return format_html('<a class="{}" href="{}">{}</a>', css_class, history_url(obj), label)


@register.filter
def history_action_class(version) -> str:
    """The badge colour of a version's kind of change."""
    if version.is_restore:
        return "text-bg-primary"
    return {"+": "text-bg-success", "-": "text-bg-danger"}.get(
        version.row.history_type, "text-bg-secondary"
    )

"""Template helpers of the site layout (templates/base.html)."""

from django import template

register = template.Library()


@register.filter
def in_section(path: str, prefixes: str) -> bool:
    """Whether `path` lies under one of the comma-separated `prefixes` ("/cities/,/compacts/"):
    the navigation marks that section's item as the current one."""
    return any(path.startswith(prefix) for prefix in prefixes.split(",") if prefix)

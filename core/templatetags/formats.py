"""The template face of core/formats.py: `{% load formats %}`, then
`{{ value|date_text }}`, `{{ value|date_text:precision }}`, `{{ value|on_date:precision }}`,
`{{ value|datetime_text }}`, `{{ value|time_text }}`, `{{ fraction|percent_text }}` and
`{% status_badge code label %}`. Use these, not `|date:"..."` with a pattern of its own: the
patterns live in one place (config/formats/en/formats.py)."""

from django import template

from core import formats

register = template.Library()

register.filter("date_text", formats.date_text, expects_localtime=False)
register.filter("on_date", formats.on_date)
register.filter("datetime_text", formats.datetime_text, expects_localtime=False)
register.filter("time_text", formats.time_text, expects_localtime=False)
register.filter("percent_text", formats.percent_text)
register.filter("status_tone", formats.status_tone)
register.simple_tag(formats.status_badge, name="status_badge")

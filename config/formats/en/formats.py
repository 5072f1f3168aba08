"""How dates and times read everywhere: Django's admin and templates (`|date`, `|time`, a
DateField in a changelist), the Jinja2 list tables and every page through core/formats.py, which
reads these same settings. One place to change them.

"5 Dec 2026": day, abbreviated month, year, the format the pages have always used. Neither
"12/05/2026" nor "05/12/2026": a number-only date reads differently in the US and in Europe,
and funders hand the pages on. A time is 24-hour ("14:05").

Input formats are Django's own (ISO "2026-12-05" first): the date pickers send ISO dates.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"

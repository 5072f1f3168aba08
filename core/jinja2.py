"""The Jinja2 environment of the repeated parts of pages (the second engine in
settings.TEMPLATES).

Only the parts a page draws a hundred times use Jinja2 (templates/jinja2/): the list tables
(header, rows and paging of /commitments/, /milestones/, /activities/, /leadership/, /schools/
and /networks/), the city cards of /cities/ and rows of /reports/ (reports/pages.py,
reports/portfolio_page.py), and the compact page's commitment cards with their milestones
(compacts_tags.commitment_groups); every other template, the rest of those pages included, is
Django's. django-tables2 renders the tables as designed (`{% render_table table %}` asks
Django's loader, which finds them with this engine). Why: a list page draws 50 rows of 7 to 10
cells, and Django's engine took about 3 ms for them where Jinja2 takes under 1 (the same cells,
measured on the bench data), a third of a list page's budget; the 100 city cards or portfolio
rows took about 35 ms through Django's engine, the bench compact page's 110 cards and
milestones about 10 ms (issue 16).

Escaping is on (Django's Jinja2 backend turns autoescape on): every `{{ value }}` is escaped
unless it is already safe markup (Django's SafeString from format_html, Jinja2's Markup). Text
with quotes is escaped the way Django writes them (the `finalize` below), so a list escapes text
exactly as every other page does. Undefined names raise (StrictUndefined) instead of rendering
as nothing.

The helpers are the same ones the Django templates use: dates and status badges from
core.formats, choice labels as the models define them, record URLs from the URL configuration,
and the filters of the Django template libraries named in the engine's OPTIONS["libraries"]
(the report pages' health badge and class, reports/templatetags/reports_extras.py): named in
the settings, so core imports no app.
"""

from __future__ import annotations

import html
from functools import lru_cache
from urllib.parse import urlencode

import jinja2
import markupsafe
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core import formats
from core.lists import IdUrl


def _language(eval_ctx) -> str | None:
    """The active language, asked once per render: Django's get_language goes through a
    context-local, and a table asks for every date, label and badge it shows."""
    try:
        return eval_ctx.language
    except AttributeError:
        eval_ctx.language = get_language()
        return eval_ctx.language


@lru_cache(maxsize=4096)
def _badge(code: str | None, label: str, language: str | None) -> SafeString:
    return formats.status_badge(code, label)


@jinja2.pass_eval_context
def status_badge(eval_ctx, code: str | None, label) -> SafeString:
    """core.formats.status_badge, remembered: a page shows the same few badges again and again."""
    return _badge(code, str(label), _language(eval_ctx))


@lru_cache(maxsize=8192)
def _date(value, precision: str | None, language: str | None) -> str:
    return formats.date_text(value, precision)


@jinja2.pass_eval_context
def date_text(eval_ctx, value, precision: str | None = "day") -> str:
    """core.formats.date_text, with the language asked once per render."""
    if value in (None, ""):
        return ""
    return _date(value, precision, _language(eval_ctx))


@lru_cache(maxsize=256)
def _choice_labels(model: type[Model], name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


@jinja2.pass_eval_context
def display(eval_ctx, record: Model, name: str) -> str:
    """record.get_<name>_display(), from the field's choices read once per language (Django's
    method rebuilds a dictionary of every choice on each call)."""
    value = getattr(record, name)
    return _choice_labels(type(record), name, _language(eval_ctx)).get(value, value)


def querystring(request, name: str, value) -> str:
    """The request's query string with `name` set to `value` ("?status=x&sort=title"), as
    QueryDict would write it (in place if the request has it, else last), without copying the
    request's QueryDict for each of a table's dozen links."""
    pairs, replaced = [], False
    for key, values in request.GET.lists():
        if key == name:
            pairs.append((key, value))
            replaced = True
        else:
            pairs.extend((key, item) for item in values)
    if not replaced:
        pairs.append((name, value))
    return f"?{urlencode(pairs)}"


def _escaped(value):
    """Django's conditional_escape where it differs from Jinja2's escaping (which follows):
    quotes, which Django writes &quot; and &#x27;. Other text is left to Jinja2, which escapes
    &, < and > as Django does."""
    if type(value) is str and ('"' in value or "'" in value):
        return markupsafe.Markup(html.escape(value))
    return value


def library_filters(module: str) -> dict:
    """The filters of a Django template library (a templatetags module), for Jinja2: plain
    functions of their value only, since Jinja2 knows nothing of Django's autoescape or
    local-time flags and escapes what they return unless it is safe markup."""
    filters = import_string(f"{module}.register").filters
    for name, function in filters.items():
        if getattr(function, "needs_autoescape", False) or getattr(
            function, "expects_localtime", False
        ):
            raise ImproperlyConfigured(f"The filter {name} of {module} needs Django's engine.")
    return filters


def environment(*, libraries: tuple[str, ...] = (), **options) -> jinja2.Environment:
    options["undefined"] = jinja2.StrictUndefined
    options["finalize"] = _escaped
    env = jinja2.Environment(**options)
    for module in libraries:
        env.filters.update(library_filters(module))
    env.filters.update(
        date_text=date_text,
        datetime_text=formats.datetime_text,
        percent_text=formats.percent_text,
        display=display,
    )
    env.globals.update(
        status_badge=status_badge,
        id_url=IdUrl,
        url=reverse,
        querystring=querystring,
    )
    return env

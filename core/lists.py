"""The machinery every filterable list shares: strict filter fields, a FilterSet base with a free
text `q`, a Table base, CSV streaming and one thin generic view.

A list is configuration: a FilterSet (what may be asked), a selector `<entity>_list(*, user,
filters)` (scope, joins and the filtering itself) and a Table (what is shown, sortable, and the CSV
columns). See compacts/views/lists.py and schools/views.py.

Markup lives in templates (issue 16): each table through its Jinja2 template, rendered by
django-tables2's {% render_table %} (templates/jinja2/; core/jinja2.py says why Jinja2), its
cells reading the records' fields; the filter widgets through Django's form renderer; dates and
status badges from core.formats. Speed comes from doing less: django-tables2 keeps the columns
(headers, sorting, paging) but the cells skip its per-cell machinery; a page's query reads only
what its template shows (ListTable.shown_fields, shown_values) and the count does not join it
(MatchingPaginator); URLs linked from every row are reversed once per page (IdUrl); the filter
forms share their choice lists (SharedChoiceField) instead of deep-copying them; the filter
form's markup is cached under a key made of everything it shows (ListFilterForm.markup_key), so
it needs no invalidation.

Filters that cannot be read (a bad date, choice, id or boolean) are never ignored silently: the
page names each one next to its field and on top, and shows NO rows, because a table or a CSV
that looks filtered but is not would be worse than an empty one. A CSV export with such filters
answers 400 with the same page.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache, reduce
from operator import and_, or_
from types import SimpleNamespace

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django_tables2.paginators import LazyPaginator

from core import exports, formats

# The largest page number a list accepts: far beyond any real list, small enough for every
# database's OFFSET.
MAX_PAGE = 100_000
CSV_CHUNK_SIZE = 2000

# --- filter fields -------------------------------------------------------------------------------


class TrueFalseField(forms.ChoiceField):
    """A yes/no/any filter that refuses anything but "true" or "false" (any letter case).

    Django's NullBooleanField reads an unknown word as "no filter", which would silently widen a
    list; here it is an error the user sees.
    """

    default_error_messages = {"invalid_choice": "Use true or false (got %(value)s)."}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("", "Any"), ("true", "Yes"), ("false", "No")])
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def clean(self, value):
        value = super().clean(value)
        return {"true": True, "false": False}.get(value)


class TrueFalseFilter(django_filters.Filter):
    """Filters through a method given True or False; no value, no filter."""

    field_class = TrueFalseField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_filter(field_name: str, lookup_expr: str, label: str) -> django_filters.DateFilter:
    """One end of an inclusive date range (`lookup_expr` gte for "after", lte for "before")."""
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        label=label,
        widget=DateInput,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )


class SharedChoiceField(django_filters.fields.ChoiceField):
    """django-filter's ChoiceField whose copies share its list of choices.

    Every form copies its fields; a ChoiceField deep-copies its choices, which for the city and
    compact selects (a hundred and more options) cost more than rendering them. The choices are
    never changed in place (a FilterSet sets a new list), so a copy reads the same list."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        choices = self._choices
        if isinstance(choices, django_filters.fields.ChoiceIterator):
            choices = choices.choices
        result.choices = choices  # a new ChoiceIterator over the same list, for the copy
        return result


class ListChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


def choice_filter(label: str, choices=(), **kwargs) -> django_filters.ChoiceFilter:
    """A select whose "no choice" reads Any and whose refusal says which value was refused."""
    return ListChoiceFilter(
        label=label,
        choices=choices,
        empty_label="Any",
        error_messages={"invalid_choice": "There is no choice %(value)s here."},
        **kwargs,
    )


class IdField(django_filters.fields.ModelChoiceField):
    """A model choice given by id, refusing before any query what is not a plausible id (a word,
    or a number past the database's 64-bit integers, which would fail in the database)."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not (text.isdigit() and len(text) <= 18):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(text)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id in a plain number box (the list behind it may be thousands long,
    so it is never rendered as a select). Validated against the queryset the FilterSet sets in
    __init__, which is the user's scope: an id outside it is "not found", like a missing one."""

    field_class = IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 1}))
        kwargs.setdefault("queryset", None)
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "No record with that id is in your scope."}
        )
        super().__init__(*args, **kwargs)


# --- the FilterSet base --------------------------------------------------------------------------


class ListFilterForm(forms.Form):
    """Bootstrap classes and accessibility attributes on every filter widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def full_clean(self):
        super().full_clean()
        # A record asked for by id is named under its box (the lookup has loaded it already).
        for name, field in self.fields.items():
            record = getattr(self, "cleaned_data", {}).get(name)
            if isinstance(field, IdField) and record is not None:
                # On the bound field: it copied the field's help text when validation made it.
                self[name].help_text = getattr(record, "title", None) or str(record)
        # The errors are known only now: mark each refused field for sight and screen readers.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}_error"

    def markup_key(self) -> str:
        """A digest of everything the fields' markup shows: per field its name, label, choices,
        value, errors and help text. templates/core/list.html caches the fields' markup under
        it: the city and compact selects (a hundred and more options, each a template include)
        are most of a list page's markup, and a key made of what they show needs no
        invalidation when a record is renamed or a user's scope changes."""
        parts = []
        for bound in self:
            field = bound.field
            choices = field.choices if isinstance(field.widget, forms.Select) else ()
            if isinstance(choices, django_filters.fields.ChoiceIterator):
                # The list as the FilterSet gave it, and the empty and null labels the iterator
                # adds: iterating it would normalize every choice again (the city and compact
                # selects' hundreds), only to be hashed.
                choices = [("", field.empty_label), *choices.choices]
                if field.null_label is not None:
                    choices.insert(1, (field.null_value, field.null_label))
            parts.append(
                (
                    bound.name,
                    str(bound.label),
                    _plain(choices),
                    str(bound.value()),
                    [str(error) for error in bound.errors],
                    str(bound.help_text),
                )
            )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _plain(choices) -> list:
    """Choices (optgroups too) as plain strings: a lazy label's repr is its address."""
    return [
        (str(value), _plain(label) if isinstance(label, list | tuple) else str(label))
        for value, label in choices
    ]


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet that knows its user (choices are scoped) and searches `search_fields` with `q`.

    `q` splits on spaces; every word must appear in at least one of the search fields.
    """

    q = django_filters.CharFilter(
        method="filter_q", label="Search", max_length=200, widget=forms.TextInput
    )

    search_fields: tuple[str, ...] = ()
    # The order of the fields in the form (the rest follow in declaration order).
    field_order: tuple[str, ...] = ()

    class Meta:
        form = ListFilterForm
        fields: list = []

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.field_order = ["q", *self.field_order]
        return form_class

    def __init__(self, data=None, *args, user, **kwargs):
        self.user = user
        super().__init__(data, *args, **kwargs)
        # A filter builds its form field once and keeps it; the copies this FilterSet made of
        # the class's filters keep one built before (the API schema reads the class's filters),
        # whose choices would ignore this user's. Every FilterSet builds its own.
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()[:10]
        if not words or not self.search_fields:
            return queryset
        return queryset.filter(
            reduce(
                and_,
                (
                    reduce(
                        or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields)
                    )
                    for word in words
                ),
            )
        )

    def set_choices(self, name: str, choices: Iterable) -> None:
        """Give a choice filter its (user-dependent) choices before the form is built."""
        self.filters[name].extra["choices"] = list(choices)

    def set_queryset(self, name: str, queryset: QuerySet) -> None:
        self.filters[name].queryset = queryset

    @property
    def active_count(self) -> int:
        """How many filters (q included) the request sets; shown on the phone toggle."""
        return sum(1 for name in self.filters if self.data.get(name, "").strip())


# What a selector accepts as `filters`: raw values (a QueryDict or a dict), a FilterSet, or None.
FilterData = Mapping[str, str] | django_filters.FilterSet | None


def apply_filters(queryset: QuerySet, filters: FilterData, filterset_class, user) -> QuerySet:
    """Filter `queryset` with a valid FilterSet, or a mapping of raw values that must be valid.

    Selectors call this last, after scope and joins, so a list and anything else calling the
    selector (a dashboard, a test) filter exactly alike.
    """
    if filters is None:
        return queryset
    if not isinstance(filters, django_filters.FilterSet):
        filters = filterset_class(filters, user=user)
    if not filters.is_valid():
        raise ValidationError(filters.errors.as_data())
    return filters.filter_queryset(queryset)


# --- record links --------------------------------------------------------------------------------


# Stand-ins for the ids in a URL reversed once (reverse_ids): digits no real URL argument has.
_ID_MARKERS = (918273645, 918273646, 918273647)


@lru_cache(maxsize=256)
def _url_parts(
    viewname: str, arity: int, script_prefix: str, urlconf, root_urlconf, current_app=None
) -> tuple:
    url = reverse(viewname, args=list(_ID_MARKERS[:arity]), current_app=current_app)
    parts = []
    for marker in _ID_MARKERS[:arity]:
        head, _, url = url.partition(str(marker))
        parts.append(head)
    return (*parts, url)


def reverse_ids(viewname: str, *ids: int, current_app: str | None = None) -> str:
    """reverse(viewname, args=ids, current_app=current_app) for a URL whose arguments are
    integer ids, reversed once per view and URL configuration and then formatted: a list page
    links every row."""
    parts = _url_parts(
        viewname, len(ids), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, current_app
    )
    return "".join(f"{head}{int(pk)}" for head, pk in zip(parts, ids, strict=False)) + parts[-1]


class IdUrl:
    """reverse(viewname, args=[id]) for one view and many ids, reversed once: a list table
    links every row (`{% set compact = id_url("compacts:compact") %}`, then
    `compact(record.compact_id, "commitment-12")` for the page at a record's anchor)."""

    def __init__(self, viewname: str):
        self.head, self.tail = _url_parts(
            viewname, 1, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
        )

    def __call__(self, pk: int, anchor: str = "") -> str:
        url = f"{self.head}{int(pk)}{self.tail}"
        return f"{url}#{anchor}" if anchor else url


# --- tables --------------------------------------------------------------------------------------


def cell_classes(*classes: str) -> dict:
    """Column attrs giving its header and cells the same CSS classes."""
    return {"th": {"class": " ".join(classes)}, "td": {"class": " ".join(classes)}}


# Columns that phones skip (wider screens and the CSV keep them), numbers set right.
_WIDE = "d-none d-md-table-cell"
WIDE_ONLY = cell_classes(_WIDE)
NUMERIC = cell_classes("text-end")
# The column naming the record: kept readable however many columns follow.
MAIN = cell_classes("cell-main")
NUMERIC_WIDE_ONLY = cell_classes("text-end", _WIDE)


class DateColumn(tables.Column):
    """Dates as core.formats writes them ("15 Jan 2012"), never broken over two lines."""

    def __init__(self, verbose_name=None, **kwargs):
        attrs = kwargs.pop("attrs", None) or {}
        cell = attrs.get("td", {}).get("class", "")
        kwargs["attrs"] = {**attrs, "td": {"class": f"{cell} text-nowrap".strip()}}
        super().__init__(verbose_name=verbose_name, **kwargs)

    def render(self, value):
        return formats.date_text(value)


class StatusColumn(tables.Column):
    """A status as core.formats' badge: the code (the accessor's raw value) picks the tone, the
    label (the choice's display) is shown."""

    def render(self, value, record, bound_column):
        return formats.status_badge(bound_column.accessor.resolve(record), value)


class ExportColumn:
    """One CSV column: a stable snake_case header and where its value comes from.

    `path` is an ORM lookup ("compact__city__name"; by default the header). `compute` instead
    derives the value from the row, reading the lookups listed in `needs`. `labels` (a choices
    class, or a mapping of code to label) turns the code read at `path` into the words a person
    reads, for a `<code>_label` column next to the code. A row is a dict from QuerySet.values()
    when the table exports values (fast: no model instances for 200,000 activities), else the
    model instance, read along the same path.
    """

    def __init__(
        self,
        header: str,
        path: str | None = None,
        *,
        compute: Callable[[object], object] | None = None,
        needs: tuple[str, ...] = (),
        labels=None,
    ):
        self.header = header
        self.path = None if compute else (path or header)
        self.compute = compute
        self.needs = needs
        self.labels = _label_map(labels) if labels is not None else None

    @property
    def lookups(self) -> tuple[str, ...]:
        return (self.path,) if self.path else self.needs

    def from_values(self, row: dict) -> object:
        return self.compute(row) if self.compute else self._label(row[self.path])

    def from_instance(self, record) -> object:
        if self.compute:
            return self.compute(record)
        current = record
        for part in self.path.split("__"):
            current = getattr(current, part, None)
            if current is None:
                return None
        return self._label(current)

    def _label(self, value):
        if self.labels is None or value in (None, ""):
            return value
        # An unknown code (data older than the choices) is exported as itself, never dropped.
        return str(self.labels.get(value, value))


def _label_map(labels) -> Mapping:
    """A choices class (TextChoices) or a mapping, as a mapping of code to label."""
    if isinstance(labels, Mapping):
        return labels
    return dict(labels.choices)


def label_column(code: str, labels, path: str | None = None) -> ExportColumn:
    """The `<code>_label` column: the words for the code column `code` (read at `path`)."""
    return ExportColumn(f"{code}_label", path or code, labels=labels)


class ListTable(tables.Table):
    """Base of every list table: the house markup and the CSV columns (`export_columns`).

    The table is drawn by a Jinja2 template (core/jinja2.py says why): by default
    templates/jinja2/core/list_table.jinja with django-tables2's cells; a table whose Meta names
    its own template (extending that one) writes its cells there, reading the record's fields.
    django-tables2 keeps the columns: headers, sorting, paging.

    `export_values` False exports model instances instead of values() rows, for a table whose
    CSV needs something values() cannot give (prefetched rows)."""

    export_columns: tuple[ExportColumn, ...] = ()
    export_values = True
    # Set by FilteredListView: paged without a COUNT, so no "of n" and no Last.
    lazy_pages = False
    # The fields of the model the table's template reads (QuerySet.only): a page builds its
    # records from these, not from every column. Empty: every field. A field read but not named
    # here costs a query per row, which the lists' query-count tests catch.
    shown_fields: tuple[str, ...] = ()
    # What the template reads through a relation, as plain values on the record (name -> lookup,
    # "compact_title": "compact__title"): joined in the same query, without a model instance
    # per related row. Set, the selector's select_related is dropped.
    shown_values: dict[str, str] = {}

    class Meta:
        template_name = "core/list_table.jinja"
        attrs = {"class": "table table-sm table-hover align-middle mb-0 list-table"}
        empty_text = "Nothing matches these filters."

    def __init__(self, *args, **kwargs):
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)

    def shown_rows(self, queryset: QuerySet) -> QuerySet:
        """The page's records as the template reads them (not the CSV's: it reads values())."""
        if self.shown_values:
            queryset = queryset.select_related(None).annotate(
                **{name: F(lookup) for name, lookup in self.shown_values.items()}
            )
        return queryset.only(*self.shown_fields) if self.shown_fields else queryset

    @property
    def static_cells(self) -> bool:
        """Whether every column's cell (td) attributes are fixed and none localizes: then a
        table's own template writes its cells with `td` (worked out once per table), else the
        rows are django-tables2's, which work out the attributes cell by cell."""
        for bound_column in self.columns:
            column = bound_column.column
            if column.localize is not None:
                return False
            for part in ("cell", "td"):
                attrs = {**self.attrs.get(part, {}), **column.attrs.get(part, {})}
                if any(callable(value) for value in attrs.values()):
                    return False
        return True

    @cached_property
    def td(self) -> SimpleNamespace:
        """Each column's cell attributes as markup (`<td {{ td.title }}>`), as attributes: Jinja2
        reads `td.title` as an attribute first, and a dictionary's miss costs an exception."""
        return SimpleNamespace(
            **{column.name: column.attrs["td"].as_html() for column in self.columns}
        )


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | int | float | Decimal):
        return value.isoformat() if isinstance(value, datetime.date) else value
    # Staff type the titles and notes: text a spreadsheet would run as a formula stays text,
    # the same way in every CSV (core.exports), a formula after a separator inside it too.
    return exports.csv_text(str(value))


def csv_rows(queryset: QuerySet, table_class: type[ListTable]) -> Iterator[list]:
    """The header, then one list of cells per row of `queryset`, read in chunks."""
    columns = table_class.export_columns
    yield [column.header for column in columns]
    if table_class.export_values:
        lookups = dict.fromkeys(lookup for column in columns for lookup in column.lookups)
        for row in queryset.values(*lookups).iterator(chunk_size=CSV_CHUNK_SIZE):
            yield [_csv_cell(column.from_values(row)) for column in columns]
    else:
        for record in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
            yield [_csv_cell(column.from_instance(record)) for column in columns]


def csv_filename(name: str, today: datetime.date) -> str:
    """ "milestones-2026-12-05.csv": the day the rows are of, in the file's name. The CSV itself
    stays header-and-rows only: an "as of" line above the header would break every script
    (and csv.DictReader) reading the file."""
    return f"{name}-{today.isoformat()}.csv"


def stream_csv(queryset: QuerySet, table_class: type[ListTable], name: str):
    """Stream the rows of `queryset` as CSV with the table's export columns: UTF-8 with a
    byte-order mark first (core.exports says why), dated by its file name."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in csv_rows(queryset, table_class))
    response = StreamingHttpResponse(
        itertools.chain([exports.BYTE_ORDER_MARK], lines),
        content_type="text/csv; charset=utf-8",
    )
    filename = csv_filename(name, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the view ------------------------------------------------------------------------------------


def page_number(raw: str | None) -> int:
    """The page a ?page= asks for, as every paged view reads it: 1 when it is not a whole
    number, and within 1..MAX_PAGE (a page past the end is the paged view's to answer, with
    its last page)."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


class EstimatedCountPaginator(Paginator):
    """A paginator that takes an unfiltered PostgreSQL table's row count from the planner's
    statistics (pg_class.reltuples, kept by autovacuum) instead of a COUNT(*) over every row, for
    admin changelists of tables with hundreds of thousands of rows. A filtered or distinct query,
    a table of under ESTIMATE_FROM rows, or another database counts exactly."""

    ESTIMATE_FROM = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not (queryset.query.where or queryset.query.distinct):
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] >= self.ESTIMATE_FROM:
                    return row[0]
        return super().count


class MatchingPaginator(Paginator):
    """Counts the rows that match (`matching`), not the page's query: that one joins what the
    table shows (ListTable.shown_rows), which a COUNT does not need."""

    def __init__(self, object_list, per_page, *, matching: QuerySet, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.matching = matching

    @cached_property
    def count(self) -> int:
        return self.matching.count()


class FilteredListView(View):
    """GET a filtered, sorted, paginated table; GET with export=csv streams the same rows.

    Configure with as_view(title=..., filterset_class=..., table_class=..., selector=...,
    export_name=...). `lazy_pages=True` pages without counting (Previous / Next only), for tables
    too large to COUNT(*) on every page view. `default_order` orders the rows until the user
    sorts by a column (and the CSV alike); without it, the selector's order stands.
    """

    http_method_names = ["get", "head"]
    template_name = "core/list.html"
    title = ""
    intro = ""
    filterset_class = None
    table_class = None
    selector = None
    export_name = ""
    lazy_pages = False
    # The order of a list nobody has sorted (order_by terms), when it is not the selector's.
    default_order: tuple = ()

    def get(self, request):
        filterset = self.filterset_class(request.GET.copy(), user=request.user)
        export = request.GET.get("export", "")
        valid = filterset.is_valid()
        if valid:
            rows = self.selector(user=request.user, filters=filterset)
        else:
            rows = filterset.queryset.none()
        # Not Table(rows, request=request): that pages at once with a counting paginator and
        # honours ?per_page=; paging is done below, once, the list's own way.
        table = self.table_class(rows)
        table.request = request
        if not valid:
            table.empty_text = "No rows are shown until every filter can be read."
        sort = request.GET.getlist(table.prefixed_order_by_field)
        if sort:
            table.order_by = sort
            self._break_ties(table)
        elif self.default_order:
            # No column is the order now: none is marked sorted, and each header's first click
            # sorts it ascending.
            table.order_by = ()
            table.data.data = table.data.data.order_by(*self.default_order)

        if export == "csv" and valid:
            return stream_csv(table.data.data, self.table_class, self.export_name)

        matching = table.data.data
        table.data.data = table.shown_rows(matching)
        self._paginate(table, page_number(request.GET.get(table.prefixed_page_field)), matching)
        status = 400 if export else 200
        export_error = ""
        if export == "csv":
            export_error = "The export needs filters that can be read; fix them first."
        elif export:
            export_error = f"There is no export format {export}; use export=csv."
        return self._render(request, filterset, table, status, export_error)

    def _paginate(self, table, number: int, matching: QuerySet) -> None:
        if self.lazy_pages:
            paging = {"paginator_class": LazyPaginator}
        else:
            paging = {"paginator_class": MatchingPaginator, "matching": matching}
        try:
            table.paginate(per_page=settings.LIST_PAGE_SIZE, page=number, **paging)
        except EmptyPage:
            # Past the end: the last page when it is known, else (lazy paging) the first.
            table.page = table.paginator.page(table.paginator.num_pages or 1)

    @staticmethod
    def _break_ties(table) -> None:
        """Sorting by a column with equal values must still page deterministically."""
        queryset = table.data.data
        ordering = list(queryset.query.order_by)
        if not any(str(term).lstrip("-") in ("pk", "id") for term in ordering):
            table.data.data = queryset.order_by(*ordering, "pk")

    def _render(self, request, filterset, table, status: int, export_error: str) -> HttpResponse:
        params = request.GET.copy()
        for key in (table.prefixed_page_field, "export"):
            params.pop(key, None)
        params["export"] = "csv"
        form = filterset.form
        table.lazy_pages = self.lazy_pages
        first_row = last_row = 0
        if table.page.object_list:
            first_row = (table.page.number - 1) * settings.LIST_PAGE_SIZE + 1
            last_row = first_row + len(table.page.object_list) - 1
        model_meta = filterset.queryset.model._meta
        context = {
            "title": self.title,
            "intro": self.intro,
            "form": form,
            "table": table,
            "lazy_pages": self.lazy_pages,
            "first_row": first_row,
            "last_row": last_row,
            "verbose_name": model_meta.verbose_name,
            "verbose_name_plural": model_meta.verbose_name_plural,
            "export_url": f"?{params.urlencode()}",
            "sort_values": request.GET.getlist(table.prefixed_order_by_field),
            "filter_errors": [
                (name, form.fields[name].label if name in form.fields else name, errors)
                for name, errors in form.errors.items()
            ],
            "export_error": export_error,
            "active_count": filterset.active_count,
        }
        return render(request, self.template_name, context, status=status)

"""Admin pieces every app shares: CSV and XLSX export of the selected rows of any changelist,
and the demo-data marker."""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from io import BytesIO

from django.contrib import admin
from django.core.cache import cache
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from simple_history.admin import SimpleHistoryAdmin

from core import exports
from core.context_processors import DEMO_BANNER_CACHE_KEY
from core.models import DemoDataset

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[str, Callable[[models.Model], object]]


def _plain(value):
    """A value as a spreadsheet should hold it: dates stay dates, datetimes are local and naive."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return str(value)


def csv_cell(value) -> object:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return exports.csv_text(value)
    return value


def _field_columns(model: type[models.Model]) -> list[Column]:
    """id, then every concrete field; a foreign key gives its id and the related record's name."""
    columns: list[Column] = [("id", lambda obj: obj.pk)]
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            columns.append((field.attname, lambda obj, f=field: getattr(obj, f.attname)))
            columns.append((field.name, lambda obj, f=field: getattr(obj, f.name)))
        else:
            columns.append((field.name, lambda obj, f=field: getattr(obj, f.attname)))
    return columns


class ExportActionsMixin:
    """Changelist actions "Export selected as CSV" and "Export selected as XLSX".

    Columns are the record's id and every concrete field by its name (choices as their stored
    code, so a file can be read back); a foreign key gives two columns, `<field>_id` and the
    related record's name. The rows are fetched in one query joined with `list_select_related`
    and every foreign key, so list_select_related must also cover what the related records'
    names need (a compact's name shows its city).
    """

    actions = ("export_as_csv", "export_as_xlsx")

    def get_export_columns(self) -> list[Column]:
        return _field_columns(self.model)

    def get_export_queryset(self, queryset):
        related = [f.name for f in self.model._meta.concrete_fields if f.many_to_one]
        if isinstance(self.list_select_related, list | tuple):
            related += list(self.list_select_related)
        return queryset.select_related(*related).order_by("pk")

    def export_rows(self, queryset) -> Iterator[list]:
        columns = self.get_export_columns()
        yield [header for header, _ in columns]
        for obj in self.get_export_queryset(queryset):
            yield [value(obj) for _, value in columns]

    def _export_name(self, extension: str) -> str:
        stem = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return f"{stem}-{timezone.localdate().isoformat()}.{extension}"

    @admin.action(description="Export selected as CSV")
    def export_as_csv(self, request, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self._export_name("csv")}"'
        writer = csv.writer(response)
        for row in self.export_rows(queryset):
            writer.writerow([csv_cell(value) for value in row])
        return response

    @admin.action(description="Export selected as XLSX")
    def export_as_xlsx(self, request, queryset) -> HttpResponse:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.model._meta.verbose_name_plural)[:31])
        for row in self.export_rows(queryset):
            sheet.append(list(_xlsx_cells(sheet, row)))
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self._export_name("xlsx")}"'
        return response


def _xlsx_cells(sheet, row: Iterable) -> Iterator:
    for value in row:
        value = _plain(value)
        if isinstance(value, str):
            # Never let openpyxl turn "=..." into a formula: text stays text.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            yield cell
        else:
            yield value


class HistoryExportAdmin(ExportActionsMixin, SimpleHistoryAdmin):
    """Base of every domain model's admin: change history on each record, CSV/XLSX export.

    list_select_related also joins the admin's other querysets (autocomplete answers, delete
    confirmations), since record names like a compact's "(city)" need those joins too.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


@admin.register(DemoDataset)
class DemoDatasetAdmin(ExportActionsMixin, admin.ModelAdmin):
    """Deleting the row takes the demo banner off every page (the banner is cached)."""

    list_display = ("banner", "loaded_at")
    date_hierarchy = "loaded_at"
    search_fields = ("banner",)
    readonly_fields = ("loaded_at",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(DEMO_BANNER_CACHE_KEY)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        cache.delete(DEMO_BANNER_CACHE_KEY)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.delete(DEMO_BANNER_CACHE_KEY)

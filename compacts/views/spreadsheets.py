"""The spreadsheet round trip of one compact: download its commitments and milestones as XLSX,
upload the edited workbook, see what would change, confirm.

Downloading is reading (any member of the city); uploading is editing (editors). The upload is
kept between the preview and the confirmation by core.staging; the confirmation checks the
workbook again against the records as they are then, and writes all or nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scope import require_editor
from compacts import selectors
from compacts.models import Compact
from compacts.spreadsheet_writer import WorkbookStale
from compacts.spreadsheets import (
    XLSX_CONTENT_TYPE,
    WorkbookError,
    apply_workbook,
    export_workbook,
    plan_workbook,
)
from compacts.workbook_guard import limit
from core import staging
from core.form_helpers import BootstrapFormMixin
from core.uploads import megabytes

PREVIEW_ROWS = 20
TEMPLATE = "compacts/spreadsheet_import.html"


class WorkbookForm(BootstrapFormMixin, forms.Form):
    workbook = forms.FileField(
        label="Edited workbook (.xlsx)",
        help_text="The spreadsheet downloaded from this compact, with your changes.",
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        most = limit("SPREADSHEET_MAX_UPLOAD_BYTES")
        if upload.size > most:
            raise forms.ValidationError(
                f"The workbook is {megabytes(upload.size)}; at most {megabytes(most)} per upload."
            )
        return upload


@require_GET
def spreadsheet_export(request, pk: int):
    compact = selectors.compact_get(user=request.user, pk=pk)
    data = export_workbook(Compact.objects.filter(pk=compact.pk))
    name = f"{slugify(compact.title)[:60] or 'compact'}-{timezone.localdate().isoformat()}.xlsx"
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def spreadsheet_import(request, pk: int):
    compact = selectors.compact_get(user=request.user, pk=pk)
    require_editor(request.user, compact.city_id)
    purpose = f"compact-spreadsheet:{compact.pk}"
    scope = Compact.objects.filter(pk=compact.pk)
    context = {
        "compact": compact,
        "preview_rows": PREVIEW_ROWS,
        "max_rows": f"{limit('SPREADSHEET_MAX_ROWS'):,}",
        "max_size": megabytes(limit("SPREADSHEET_MAX_UPLOAD_BYTES")),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, compact, purpose, scope, context)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        data = upload.read()
        try:
            plan = plan_workbook(data, compacts=scope)
        except WorkbookError as error:
            form.add_error("workbook", str(error))
        else:
            changes = plan.commitments or plan.milestones
            token = ""
            if plan.ok and changes:
                token = staging.stage(request, purpose, {"data": data}, {"filename": upload.name})
            else:
                staging.discard(request, purpose)
            return render(request, TEMPLATE, {**context, **_preview(plan), "token": token})
    return render(request, TEMPLATE, {**context, "form": form})


def _preview(plan) -> dict:
    return {
        "plan": plan,
        "counts": plan.counts(),
        "commitment_rows": plan.commitments[:PREVIEW_ROWS],
        "milestone_rows": plan.milestones[:PREVIEW_ROWS],
    }


def _confirm(request, compact, purpose, scope, context):
    import_url = reverse("compacts:spreadsheet_import", args=[compact.pk])
    staged = staging.load(request, purpose, request.POST.get("token", ""))
    if staged is None:
        messages.error(request, "That preview has expired: upload the workbook again.")
        return redirect(import_url)
    files, _meta = staged
    try:
        plan = plan_workbook(files["data"], compacts=scope)
        if plan.ok:
            apply_workbook(plan, actor=request.user)
    except WorkbookError:
        staging.discard(request, purpose)
        messages.error(request, "That workbook can no longer be read: upload it again.")
        return redirect(import_url)
    except WorkbookStale as error:
        plan.errors = error.errors
    staging.discard(request, purpose)
    if not plan.ok:
        # The records changed since the preview: show why, write nothing.
        return render(request, TEMPLATE, {**context, **_preview(plan), "token": ""})
    messages.success(request, f"Spreadsheet imported. {plan.summary()}")
    return redirect(reverse("compacts:compact", args=[compact.pk]))

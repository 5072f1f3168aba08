"""NCES imports from the admin: upload a file, see what would change, confirm.

The District and CharterSchool changelists get an "Import NCES file" button (through the
mixins below, mixed into their ModelAdmin). The preview is the importer's dry run: counts, the
first rows of each kind of change and every bad row; the confirmation re-plans the staged file
against the database as it is then, and writes all or nothing.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core import staging
from core.uploads import megabytes
from schools.choices import USPS_STATES
from schools.importers import (
    DEFAULT_MAX_ROWS,
    DISTRICTS,
    SCHOOLS,
    FileRefused,
    Filters,
    apply_plan,
    prepare,
    summary,
)

PREVIEW_ROWS = 20


def max_upload_bytes() -> int:
    """A state's file is a few MB (Texas's CCD school file: 2.2 MB for 9,336 rows)."""
    return getattr(settings, "NCES_UPLOAD_MAX_BYTES", 16 * 1024 * 1024)


def max_upload_rows() -> int:
    """Rows of a file uploaded here: a state's file (Texas's CCD file has 9,336); national files
    go through the import commands, which take more."""
    return getattr(settings, "NCES_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="NCES file",
        help_text="CSV from the CCD directory (up to 2014-15 or from 2016-17) or from the NCES "
        "search pages; tab-separated CCD .txt files too.",
    )
    state = forms.CharField(
        required=False, max_length=2, help_text="Only rows located in this state (e.g. TX)."
    )
    city = forms.CharField(
        required=False,
        max_length=130,
        help_text='Only rows located in this city, as "City,ST" (e.g. "Austin,TX").',
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        most = max_upload_bytes()
        if upload.size > most:
            raise forms.ValidationError(
                f"The file is {megabytes(upload.size)}; at most {megabytes(most)} per upload."
            )
        return upload

    def clean_state(self):
        state = self.cleaned_data["state"].strip().upper()
        if state and state not in USPS_STATES:
            raise forms.ValidationError("Give a USPS state code such as TX.")
        return state

    def clean_city(self):
        value = self.cleaned_data["city"].strip()
        if not value:
            return None
        name, _, state = value.rpartition(",")
        name, state = name.strip(), state.strip().upper()
        if not name or state not in USPS_STATES:
            raise forms.ValidationError('Write the city as "City,ST", such as "Austin,TX".')
        return [name, state]


class SchoolImportForm(ImportForm):
    network_map = forms.FileField(
        required=False,
        label="Network map",
        help_text='Optional CSV of "name prefix or NCES ID, network name" rows '
        '(e.g. "KIPP,KIPP Texas").',
    )

    def clean_network_map(self):
        upload = self.cleaned_data["network_map"]
        most = max_upload_bytes()
        if upload and upload.size > most:
            raise forms.ValidationError(
                f"The file is {megabytes(upload.size)}; at most {megabytes(most)} per upload."
            )
        return upload


class NcesImportMixin:
    """Adds /admin/schools/<model>/import/ and its button on the changelist."""

    import_kind = ""
    change_list_template = "admin/schools/import_change_list.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        purpose = f"nces-import:{self.import_kind}"
        form_class = SchoolImportForm if self.import_kind == SCHOOLS else ImportForm
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request, purpose)
        form = form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._preview(request, purpose, form)
        return self._render(request, "admin/schools/import_form.html", {"form": form})

    def _preview(self, request, purpose: str, form):
        data = form.cleaned_data
        files = {"data": data["file"].read()}
        if data.get("network_map"):
            files["network_map"] = data["network_map"].read()
        meta = {
            "filename": Path(data["file"].name).name,
            "state": data["state"] or None,
            "city": data["city"],
        }
        plan, problem = self._plan(files, meta)
        if problem:
            form.add_error("file", problem)
            return self._render(request, "admin/schools/import_form.html", {"form": form})
        token = staging.stage(request, purpose, files, meta) if plan.ok else ""
        if not plan.ok:
            staging.discard(request, purpose)
        return self._render(
            request,
            "admin/schools/import_preview.html",
            {
                "plan": plan,
                "token": token,
                "filename": meta["filename"],
                "summary": summary(plan, dry_run=True),
                "creates": plan.creates[:PREVIEW_ROWS],
                "updates": plan.updates[:PREVIEW_ROWS],
                "preview_rows": PREVIEW_ROWS,
            },
        )

    def _confirm(self, request, purpose: str):
        staged = staging.load(request, purpose, request.POST.get("token", ""))
        if staged is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(self._url("import"))
        files, meta = staged
        plan, problem = self._plan(files, meta)
        if problem or not plan.ok:
            messages.error(
                request,
                "The file no longer imports cleanly against the database; "
                "upload it again to see why.",
            )
            return redirect(self._url("import"))
        apply_plan(
            plan, actor=request.user, reason=f"{self.import_kind} import from {meta['filename']}"
        )
        staging.discard(request, purpose)
        messages.success(request, summary(plan).replace("\n", " "))
        return redirect(self._url("changelist"))

    def _plan(self, files: dict[str, bytes], meta: dict):
        filters = Filters(
            state=meta["state"], cities=(tuple(meta["city"]),) if meta["city"] else ()
        )
        try:
            plan = prepare(
                files["data"],
                self.import_kind,
                filters=filters,
                network_map=files.get("network_map"),
                max_rows=max_upload_rows(),
            )
        except FileRefused as error:
            return None, str(error)
        return plan, ""

    def _url(self, view: str) -> str:
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}")

    def _render(self, request, template: str, context: dict):
        opts = self.model._meta
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": f"Import {opts.verbose_name_plural} from an NCES file",
                "import_kind": self.import_kind,
                "changelist_url": self._url("changelist"),
                **context,
            },
        )


class DistrictImportMixin(NcesImportMixin):
    import_kind = DISTRICTS


class SchoolImportMixin(NcesImportMixin):
    import_kind = SCHOOLS

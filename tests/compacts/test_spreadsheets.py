"""The commitments spreadsheet round trip: export to XLSX, edit, import back by ID."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from compacts.choices import CommitmentStatus, MilestoneStatus
from compacts.models import Commitment, Compact, Milestone
from compacts.spreadsheets import (
    COMMITMENTS,
    MILESTONES,
    WorkbookError,
    apply_workbook,
    export_workbook,
    plan_workbook,
)
from tests.compacts.factories import CommitmentFactory, CompactFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def compact(city_x):
    compact = CompactFactory(city=city_x, title="Xville Compact")
    first = CommitmentFactory(compact=compact, title="Common enrollment", category="ENR")
    MilestoneFactory(
        commitment=first, title="Shared application live", due_on=datetime.date(2030, 1, 1)
    )
    CommitmentFactory(compact=compact, title="=Joint facilities plan", category="FAC")
    return compact


@pytest.fixture
def other_compact(city_y):
    compact = CompactFactory(city=city_y, title="Yton Compact")
    CommitmentFactory(compact=compact, title="Yton promise")
    return compact


def exported(*compacts) -> bytes:
    return export_workbook(Compact.objects.filter(pk__in=[c.pk for c in compacts]))


def sheet_rows(workbook, title) -> list[dict]:
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def edit(data: bytes, changes) -> bytes:
    """Apply `changes(workbook)` to an exported workbook, as a person in a spreadsheet would."""
    workbook = load_workbook(io.BytesIO(data))
    changes(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(workbook, title: str, record_id, column: str, value) -> None:
    sheet = workbook[title]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == record_id:
            row[header.index(column)].value = value
            return
    raise AssertionError(f"no row {record_id} in {title}")


def append_row(workbook, title: str, /, **values) -> None:
    sheet = workbook[title]
    header = [cell.value for cell in sheet[1]]
    sheet.append([values.get(name) for name in header])


def scope(*compacts):
    return Compact.objects.filter(pk__in=[c.pk for c in compacts])


# --- export ---


def test_the_export_has_one_sheet_per_kind_with_ids_codes_and_choice_lists(compact):
    workbook = load_workbook(io.BytesIO(exported(compact)))
    assert workbook.sheetnames == ["Read me", "Lists", COMMITMENTS, MILESTONES]
    commitments = sheet_rows(workbook, COMMITMENTS)
    enrollment = Commitment.objects.get(title="Common enrollment")
    row = next(r for r in commitments if r["id"] == enrollment.pk)
    assert row["compact_id"] == compact.pk and row["category"] == "ENR"
    assert row["status"] == "in_progress" and row["version"] == enrollment.updated_at.isoformat()
    # A title that looks like a formula stays text.
    assert any(r["title"] == "'=Joint facilities plan" for r in commitments)
    milestone = sheet_rows(workbook, MILESTONES)[0]
    assert milestone["commitment_id"] == enrollment.pk
    assert milestone["due_on"].date() == datetime.date(2030, 1, 1)
    validations = workbook[COMMITMENTS].data_validations.dataValidation
    assert {v.formula1 for v in validations} == {
        "=Lists!$A$2:$A$19",
        "=Lists!$D$2:$D$5",
        "=Lists!$G$2:$G$7",
    }
    assert sheet_rows(workbook, "Lists")[0]["Category"] == "FUND"


@pytest.mark.parametrize("count", [3, 12])
def test_the_export_reads_the_database_a_fixed_number_of_times(city_x, count):
    compact = CompactFactory(city=city_x)
    for n in range(count):
        MilestoneFactory(commitment=CommitmentFactory(compact=compact, title=f"C{n}"))
    with CaptureQueriesContext(connection) as context:
        exported(compact)
    assert len(context) == 2, "\n".join(q["sql"] for q in context.captured_queries)


# --- import ---


def test_an_unedited_export_imports_as_all_unchanged_and_writes_no_history(compact, editor):
    history = Commitment.history.count() + Milestone.history.count()
    plan = plan_workbook(exported(compact), compacts=scope(compact))
    assert plan.ok
    counts = plan.counts()
    assert (counts[COMMITMENTS].unchanged, counts[MILESTONES].unchanged) == (2, 1)
    apply_workbook(plan, actor=editor)
    assert Commitment.history.count() + Milestone.history.count() == history


def test_edits_update_by_id_and_new_rows_are_created(compact, editor):
    enrollment = Commitment.objects.get(title="Common enrollment")
    milestone = Milestone.objects.get()

    def changes(workbook):
        set_cell(workbook, COMMITMENTS, enrollment.pk, "status", "Achieved")  # a label
        set_cell(workbook, COMMITMENTS, enrollment.pk, "achieved_on", datetime.date(2024, 5, 1))
        set_cell(workbook, MILESTONES, milestone.pk, "due_on", "2031-02-03")
        append_row(workbook, COMMITMENTS, category="DATA", title='Data sharing, "open" by default')
        append_row(
            workbook,
            MILESTONES,
            commitment='data sharing, "open" by default',
            title="First shared report",
            due_on=datetime.datetime(2030, 6, 1),
        )
        append_row(
            workbook,
            MILESTONES,
            commitment_id=enrollment.pk,
            title="Second step",
            due_on="6/30/2030",
        )

    plan = plan_workbook(edit(exported(compact), changes), compacts=scope(compact))
    assert plan.ok, plan.error_report()
    assert plan.summary() == (
        "Commitments: 1 created, 1 updated, 1 unchanged. "
        "Milestones: 2 created, 1 updated, 0 unchanged."
    )
    apply_workbook(plan, actor=editor)

    enrollment.refresh_from_db()
    assert enrollment.status == CommitmentStatus.ACHIEVED
    assert enrollment.achieved_on == datetime.date(2024, 5, 1)
    assert enrollment.history.latest().history_user == editor
    milestone.refresh_from_db()
    assert milestone.due_on == datetime.date(2031, 2, 3)
    data = Commitment.objects.get(title='Data sharing, "open" by default')
    assert data.compact == compact and data.status == CommitmentStatus.NOT_STARTED
    assert data.milestones.get().title == "First shared report"
    assert enrollment.milestones.get(title="Second step").due_on == datetime.date(2030, 6, 30)
    assert Commitment.objects.filter(compact=compact).count() == 3
    # The formula-looking title came back as it was.
    assert Commitment.objects.filter(title="=Joint facilities plan").count() == 1


def test_one_bad_row_writes_nothing_and_the_report_names_every_problem(
    compact, other_compact, editor, tmp_path
):
    enrollment = Commitment.objects.get(title="Common enrollment")
    facilities = Commitment.objects.get(title="=Joint facilities plan")
    milestone = Milestone.objects.get()
    foreign = Commitment.objects.get(title="Yton promise")

    def changes(workbook):
        set_cell(workbook, COMMITMENTS, enrollment.pk, "status", "finished")  # row 2 or 3
        set_cell(workbook, COMMITMENTS, facilities.pk, "status", "achieved")  # no achieved_on
        set_cell(workbook, MILESTONES, milestone.pk, "due_on", "next week")
        append_row(workbook, COMMITMENTS, id=foreign.pk, category="ENR", title="Stolen")
        append_row(workbook, COMMITMENTS, id=enrollment.pk, category="ENR", title="Twice")
        append_row(workbook, COMMITMENTS, id="abc", category="ENR", title="Bad id")
        append_row(workbook, COMMITMENTS, compact_id=other_compact.pk, category="ENR", title="Y")
        append_row(workbook, COMMITMENTS, title="No category")
        append_row(workbook, MILESTONES, commitment="Nope", title="Orphan", due_on="2030-01-01")

    data = edit(exported(compact), changes)
    plan = plan_workbook(data, compacts=scope(compact))
    report = plan.error_report()
    assert not plan.ok
    assert "Commitments row 2, status = 'finished': Not one of the codes" in report or (
        "Commitments row 3, status = 'finished'" in report
    )
    assert "achieved_on = '': Give the date the commitment was achieved." in report
    assert "Milestones row 2, due_on = 'next week': Not a date" in report
    assert f"Commitments row 4, id = '{foreign.pk}': No commitment with this ID" in report
    assert f"Commitments row 5, id = '{enrollment.pk}': The same ID is on row" in report
    assert "Commitments row 6, id = 'abc': An ID is a whole number" in report
    assert "Commitments row 7, compact_id" in report and "Not a compact you may edit" in report
    assert "Commitments row 8, category = '': This field cannot be blank." in report
    assert "Milestones row 3, commitment = 'Nope'" in report
    assert plan.bad_rows == 9

    before = {c.pk: (c.status, c.title) for c in Commitment.objects.all()}
    out = io.StringIO()
    path = _write(tmp_path, data)
    with pytest.raises(CommandError, match="9 invalid row"):
        call_command("import_commitments", path, "--actor", editor.username, stdout=out)
    assert {c.pk: (c.status, c.title) for c in Commitment.objects.all()} == before
    assert Milestone.objects.get().due_on == datetime.date(2030, 1, 1)
    assert "Milestones row 2, due_on = 'next week'" in out.getvalue()


def test_a_row_changed_by_someone_else_since_the_export_is_refused(compact, editor):
    enrollment = Commitment.objects.get(title="Common enrollment")
    data = exported(compact)
    enrollment.title = "Renamed in the meantime"
    enrollment.save()
    edited = edit(data, lambda wb: set_cell(wb, COMMITMENTS, enrollment.pk, "status", "stalled"))
    plan = plan_workbook(edited, compacts=scope(compact))
    assert [(e.source, e.column) for e in plan.errors] == [(COMMITMENTS, "version")]
    assert "since this spreadsheet was exported" in plan.errors[0].reason
    # A fresh export carries the new version and imports cleanly.
    assert plan_workbook(exported(compact), compacts=scope(compact)).ok


def test_a_commitment_cannot_move_to_another_compact(compact, city_x):
    second = CompactFactory(city=city_x)
    enrollment = Commitment.objects.get(title="Common enrollment")
    edited = edit(
        exported(compact),
        lambda wb: set_cell(wb, COMMITMENTS, enrollment.pk, "compact_id", second.pk),
    )
    plan = plan_workbook(edited, compacts=scope(compact, second))
    assert "cannot move to another compact" in plan.errors[0].reason


def test_a_new_commitment_of_a_multi_compact_workbook_needs_its_compact(compact, city_x):
    second = CompactFactory(city=city_x)
    edited = edit(
        exported(compact, second),
        lambda wb: append_row(wb, COMMITMENTS, category="GOV", title="New"),
    )
    plan = plan_workbook(edited, compacts=scope(compact, second))
    assert plan.errors[0].column == "compact_id"
    assert "Give the compact_id" in plan.errors[0].reason


def test_a_file_that_is_not_the_workbook_is_refused(compact):
    with pytest.raises(WorkbookError, match="not an XLSX workbook"):
        plan_workbook(b"id,title\r\n1,x\r\n", compacts=scope(compact))

    def drop_title(workbook):
        workbook[COMMITMENTS].delete_cols(5)
        del workbook[MILESTONES]

    with pytest.raises(WorkbookError, match="lacks the column"):
        plan_workbook(edit(exported(compact), drop_title), compacts=scope(compact))


# --- commands ---


def _write(folder, data: bytes) -> str:
    path = folder / "workbook.xlsx"
    path.write_bytes(data)
    return str(path)


def test_the_commands_round_trip_within_the_actors_scope(compact, other_compact, editor, tmp_path):
    path = tmp_path / "all.xlsx"
    out = io.StringIO()
    call_command("export_commitments", "-o", str(path), stdout=out)
    assert "2 compact(s)" in out.getvalue()
    workbook = load_workbook(path)
    assert len(sheet_rows(workbook, COMMITMENTS)) == 3
    foreign = Commitment.objects.get(title="Yton promise")
    set_cell(workbook, COMMITMENTS, foreign.pk, "status", "stalled")
    workbook.save(path)

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_commitments", str(path), "--actor", "editor", stdout=out)
    assert f"id = '{foreign.pk}': No commitment with this ID" in out.getvalue()
    foreign.refresh_from_db()
    assert foreign.status == CommitmentStatus.IN_PROGRESS

    mine = tmp_path / "mine.xlsx"
    call_command("export_commitments", "-o", str(mine), "--actor", "editor", stdout=io.StringIO())
    enrollment = Commitment.objects.get(title="Common enrollment")
    workbook = load_workbook(mine)
    set_cell(workbook, COMMITMENTS, enrollment.pk, "status", "stalled")
    workbook.save(mine)
    out = io.StringIO()
    call_command("import_commitments", str(mine), "--actor", "editor", "--dry-run", stdout=out)
    assert "1 would be updated" in out.getvalue() and "Dry run" in out.getvalue()
    enrollment.refresh_from_db()
    assert enrollment.status == CommitmentStatus.IN_PROGRESS
    out = io.StringIO()
    call_command("import_commitments", str(mine), "--actor", "editor", stdout=out)
    assert "Commitments: 0 created, 1 updated, 1 unchanged." in out.getvalue()
    enrollment.refresh_from_db()
    assert enrollment.status == CommitmentStatus.STALLED
    assert enrollment.history.latest().history_user == editor


def test_the_import_command_needs_a_known_actor(compact, tmp_path):
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_commitments", _write(tmp_path, exported(compact)), "--actor", "nobody")


# --- pages ---


def export_url(compact):
    return reverse("compacts:spreadsheet_export", args=[compact.pk])


def import_url(compact):
    return reverse("compacts:spreadsheet_import", args=[compact.pk])


def test_members_download_the_compacts_workbook_and_outsiders_do_not(
    compact, viewer_client, outsider_client
):
    response = viewer_client.get(export_url(compact))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xville-compact-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(sheet_rows(workbook, COMMITMENTS)) == 2
    assert outsider_client.get(export_url(compact)).status_code == 404


def test_an_editor_previews_then_confirms_an_upload(compact, editor_client, editor):
    enrollment = Commitment.objects.get(title="Common enrollment")
    milestone = Milestone.objects.get()

    def changes(workbook):
        set_cell(workbook, COMMITMENTS, enrollment.pk, "title", "Common enrollment, citywide")
        set_cell(workbook, MILESTONES, milestone.pk, "status", "missed")

    upload = SimpleUploadedFile("edited.xlsx", edit(exported(compact), changes))
    response = editor_client.post(import_url(compact), {"workbook": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Common enrollment, citywide" in content and "Save these changes" in content
    enrollment.refresh_from_db()
    assert enrollment.title == "Common enrollment"  # nothing written by the preview

    token = response.context["token"]
    response = editor_client.post(import_url(compact), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("compacts:compact", args=[compact.pk])
    enrollment.refresh_from_db()
    assert enrollment.title == "Common enrollment, citywide"
    assert Milestone.objects.get().status == MilestoneStatus.MISSED
    assert enrollment.history.latest().history_user == editor
    # The confirmation is used up.
    response = editor_client.post(import_url(compact), {"confirm": "1", "token": token})
    assert response["Location"] == import_url(compact)


def test_the_page_shows_every_bad_row_and_offers_no_confirmation(compact, editor_client):
    enrollment = Commitment.objects.get(title="Common enrollment")
    upload = SimpleUploadedFile(
        "edited.xlsx",
        edit(exported(compact), lambda wb: set_cell(wb, COMMITMENTS, enrollment.pk, "status", "x")),
    )
    response = editor_client.post(import_url(compact), {"workbook": upload})
    content = response.content.decode()
    assert "Nothing was imported." in content and "Not one of the codes" in content
    assert "Save these changes" not in content and response.context["token"] == ""


def test_the_page_accepts_only_this_compacts_rows(compact, other_compact, editor_client):
    foreign = Commitment.objects.get(title="Yton promise")
    upload = SimpleUploadedFile(
        "edited.xlsx",
        edit(
            exported(compact),
            lambda wb: append_row(wb, COMMITMENTS, id=foreign.pk, category="ENR", title="Mine now"),
        ),
    )
    response = editor_client.post(import_url(compact), {"workbook": upload})
    assert "No commitment with this ID" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.title == "Yton promise"


def test_a_non_workbook_upload_is_a_form_error(compact, editor_client):
    upload = SimpleUploadedFile("notes.csv", b"a,b\r\n")
    response = editor_client.post(import_url(compact), {"workbook": upload})
    assert "not an XLSX workbook" in response.context["form"].errors["workbook"][0]


def test_a_forged_confirmation_writes_nothing(compact, editor_client):
    response = editor_client.post(import_url(compact), {"confirm": "1", "token": "../../x"})
    assert response.status_code == 302 and response["Location"] == import_url(compact)


def test_viewers_and_outsiders_cannot_import(compact, viewer_client, outsider_client):
    upload = SimpleUploadedFile("edited.xlsx", exported(compact))
    assert viewer_client.post(import_url(compact), {"workbook": upload}).status_code == 403
    assert outsider_client.get(import_url(compact)).status_code == 404


def test_an_existing_row_whose_version_was_emptied_is_refused_and_nothing_is_written(
    compact, editor
):
    enrollment = Commitment.objects.get(title="Common enrollment")
    milestone = Milestone.objects.get()

    def changes(workbook):
        set_cell(workbook, COMMITMENTS, enrollment.pk, "status", "stalled")
        set_cell(workbook, COMMITMENTS, enrollment.pk, "version", None)
        set_cell(workbook, MILESTONES, milestone.pk, "status", "missed")
        set_cell(workbook, MILESTONES, milestone.pk, "version", "  ")

    plan = plan_workbook(edit(exported(compact), changes), compacts=scope(compact))
    assert [(e.source, e.column) for e in plan.errors] == [
        (COMMITMENTS, "version"),
        (MILESTONES, "version"),
    ]
    assert "must keep the version the export wrote" in plan.errors[0].reason
    enrollment.refresh_from_db()
    assert enrollment.status == CommitmentStatus.IN_PROGRESS
    assert Milestone.objects.get().status == MilestoneStatus.PLANNED

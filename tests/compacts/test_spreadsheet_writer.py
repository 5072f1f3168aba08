"""Writing a checked spreadsheet in bulk: all or nothing, history by the actor as the services
write it, dashboards invalidated, and a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compacts.models import Commitment, Milestone
from compacts.spreadsheet_writer import WorkbookStale
from compacts.spreadsheets import COMMITMENTS, MILESTONES, _holds, apply_workbook, plan_workbook
from tests.compacts.factories import (
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    ParticipantFactory,
)
from tests.compacts.test_spreadsheets import append_row, edit, exported, scope, set_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, title="Xville Compact")


def commitments(compact, count: int) -> list[Commitment]:
    made = [CommitmentFactory(compact=compact, title=f"C{n}") for n in range(count)]
    for commitment in made:
        MilestoneFactory(commitment=commitment)
    return made


def edited_plan(compact, rows: list[Commitment]):
    def changes(workbook):
        for commitment in rows:
            set_cell(workbook, COMMITMENTS, commitment.pk, "status", "stalled")
            milestone = commitment.milestones.get()
            set_cell(workbook, MILESTONES, milestone.pk, "status", "in_progress")
        append_row(workbook, COMMITMENTS, category="DATA", title="New promise")
        append_row(
            workbook, MILESTONES, commitment="New promise", title="Step", due_on="2030-01-01"
        )

    plan = plan_workbook(edit(exported(compact), changes), compacts=scope(compact))
    assert plan.ok, plan.error_report()
    return plan


def test_every_row_is_written_with_a_history_version_by_the_actor(compact, editor):
    rows = commitments(compact, 3)
    apply_workbook(edited_plan(compact, rows), actor=editor)
    for commitment in rows:
        commitment.refresh_from_db()
        assert commitment.status == "stalled"
        latest = commitment.history.latest()
        assert (latest.history_user, latest.history_type, latest.status) == (editor, "~", "stalled")
        milestone = commitment.milestones.get()
        assert milestone.status == "in_progress"
        assert milestone.history.latest().history_user == editor
    new = Commitment.objects.get(title="New promise")
    assert new.history.get().history_type == "+" and new.history.get().history_user == editor
    assert new.milestones.get().history.get().history_user == editor


def test_a_version_keeps_the_commitments_opt_in_participants(compact, editor):
    commitment = commitments(compact, 1)[0]
    participant = ParticipantFactory(compact=compact)
    commitment.participants.add(participant)
    apply_workbook(edited_plan(compact, [commitment]), actor=editor)
    latest = commitment.history.latest()
    assert [link.participant_id for link in latest.participants.all()] == [participant.pk]


def test_a_row_changed_between_the_check_and_the_write_refuses_every_row(compact, editor):
    rows = commitments(compact, 3)
    plan = edited_plan(compact, rows)
    Commitment.objects.filter(pk=rows[1].pk).update(
        title="Changed meanwhile", updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    with pytest.raises(WorkbookStale) as excinfo:
        apply_workbook(plan, actor=editor)
    assert [
        error.label if hasattr(error, "label") else error.value for error in excinfo.value.errors
    ]
    assert "Changed by someone else while this import ran" in str(excinfo.value)
    assert set(Commitment.objects.values_list("status", flat=True)) == {"in_progress"}
    assert not Commitment.objects.filter(title="New promise").exists()
    assert set(Milestone.objects.values_list("status", flat=True)) == {"planned"}


def test_the_write_invalidates_the_dashboards_of_its_city(
    compact, editor, django_capture_on_commit_callbacks
):
    from reports import cache as report_cache

    rows = commitments(compact, 2)
    before = report_cache.data_keys([compact.city_id], datetime.date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        apply_workbook(edited_plan(compact, rows), actor=editor)
    assert report_cache.data_keys([compact.city_id], datetime.date(2026, 1, 1)) != before


def _write_queries(compact, editor, count: int) -> int:
    plan = edited_plan(compact, commitments(compact, count))
    with CaptureQueriesContext(connection) as context:
        apply_workbook(plan, actor=editor)
    return len(context)


def test_the_write_runs_a_fixed_number_of_queries_whatever_the_rows(city_x, editor):
    small = _write_queries(CompactFactory(city=city_x), editor, 3)
    large = _write_queries(CompactFactory(city=city_x), editor, 12)
    assert small == large


def test_plain_check_constraints_are_judged_in_python_and_others_by_the_database():
    constraint = Commitment._meta.constraints[0]
    achieved = Commitment(status="achieved", achieved_on=None)
    assert _holds(constraint.condition, achieved) is False
    assert _holds(constraint.condition, Commitment(status="stalled")) is True
    assert _holds(Q(title__startswith="A"), Commitment(title="A")) is None

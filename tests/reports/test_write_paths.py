"""Every family of write path announces the cities it changed (core.changes), so the next
dashboard load shows the change: the form views through the services, the admin (a change that
moves a compact to another city changes both), a restore from history, and a spreadsheet import."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compacts.models import Commitment, Compact, Milestone
from compacts.spreadsheets import COMMITMENTS, apply_workbook, plan_workbook
from reports.selectors import city_dashboard_get
from tests.compacts.test_spreadsheets import edit, exported, scope, set_cell
from tests.reports.builders import commitment, days, live_compact, milestone

pytestmark = pytest.mark.django_db


def figures(user, city):
    return city_dashboard_get(user=user, slug=city.slug).city.figures


@pytest.fixture
def compact(city_x):
    return live_compact(city_x, title="Xville Compact")


def test_a_delete_in_the_form_views_shows_on_the_dashboard(editor_client, editor, city_x, compact):
    late = milestone(commitment(compact), timezone.localdate() - days(3))
    assert figures(editor, city_x).overdue_milestones == 1

    editor_client.post(reverse("compacts:milestone_delete", args=[late.pk]))

    assert not Milestone.objects.exists()
    assert figures(editor, city_x).overdue_milestones == 0


def test_an_admin_delete_shows_on_the_dashboard(superuser_client, superuser, city_x, compact):
    late = milestone(commitment(compact), timezone.localdate() - days(3))
    assert figures(superuser, city_x).overdue_milestones == 1

    superuser_client.post(
        reverse("admin:compacts_milestone_delete", args=[late.pk]), {"post": "yes"}
    )

    assert not Milestone.objects.exists()
    assert figures(superuser, city_x).overdue_milestones == 0


def test_an_admin_bulk_delete_shows_on_the_dashboard(superuser_client, superuser, city_x, compact):
    c = commitment(compact)
    assert figures(superuser, city_x).commitments == 1

    superuser_client.post(
        reverse("admin:compacts_commitment_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk], "post": "yes"},
    )

    assert not Commitment.objects.exists()
    assert figures(superuser, city_x).commitments == 0


def test_an_admin_move_of_a_compact_changes_both_cities(
    superuser_client, superuser, city_x, city_y, compact
):
    commitment(compact)
    assert (figures(superuser, city_x).commitments, figures(superuser, city_y)) == (1, None)
    url = reverse("admin:compacts_compact_change", args=[compact.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"city": city_y.pk, "commitments-TOTAL_FORMS": 0, "commitments-INITIAL_FORMS": 0})
    for prefix in ("signatories", "participants", "grants"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Compact.objects.get().city == city_y
    assert figures(superuser, city_x) is None
    assert figures(superuser, city_y).commitments == 1


def test_a_restore_from_history_shows_on_the_dashboard(editor_client, editor, city_x, compact):
    c = commitment(compact)
    editor_client.post(reverse("compacts:commitment_delete", args=[c.pk]))
    assert figures(editor, city_x).commitments == 0

    editor_client.post(
        reverse(
            "core:history_restore",
            kwargs={"app_label": "compacts", "model": "commitment", "pk": c.pk},
        )
    )

    assert Commitment.objects.filter(pk=c.pk).exists()
    assert figures(editor, city_x).commitments == 1


def test_a_spreadsheet_import_shows_on_the_dashboard(editor, city_x, compact):
    c = commitment(compact)
    assert figures(editor, city_x).commitments_with_status("achieved") == 0

    def changes(workbook):
        set_cell(workbook, COMMITMENTS, c.pk, "status", "Achieved")
        set_cell(workbook, COMMITMENTS, c.pk, "achieved_on", datetime.date(2024, 5, 1))

    data = edit(exported(compact), changes)
    plan = plan_workbook(data, compacts=scope(compact))
    assert plan.ok, plan.error_report()
    apply_workbook(plan, actor=editor)

    assert figures(editor, city_x).commitments_with_status("achieved") == 1
